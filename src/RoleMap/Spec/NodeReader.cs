using RoleMap.Diagnostics;
using RoleMap.Yaml;

namespace RoleMap.Spec;

/// <summary>Reads typed values out of a <see cref="YNode"/> tree, failing with a message that names file, line, field and expectation.</summary>
internal sealed class NodeReader(string? file)
{
    public string? File { get; } = file;

    public SourceLocation At(YNode? node, string path) =>
        new(File, node?.Start.Line, node?.Start.Column, path);

    public InputException Error(YNode? node, string path, string message) => new(message, At(node, path));

    public InputException Expected(YNode? node, string path, string expected) =>
        Error(node, path, "expected " + expected + ", found " + (node is null ? "nothing" : node.Describe()));

    /// <summary>A scalar's text. Unquoted numbers and booleans are taken as written (rolemap quotes them on output).</summary>
    public string Text(YNode? node, string path, string expected)
    {
        if (node is not YScalar scalar || scalar.Kind == ScalarKind.Null)
        {
            throw Expected(node, path, expected);
        }

        if (YamlChars.HasLoneSurrogate(scalar.Value))
        {
            throw Error(node, path, "contains an unpaired UTF-16 surrogate, which cannot be written as UTF-8");
        }

        return scalar.Value;
    }

    public string? OptionalText(YNode? node, string path, string expected) =>
        node.IsNull() ? null : Text(node, path, expected);

    public IReadOnlyList<(string Value, YNode Node)> TextList(YNode? node, string path, string expected)
    {
        if (node.IsNull())
        {
            return [];
        }

        if (node is not YSequence seq)
        {
            throw Expected(node, path, "a list of " + expected);
        }

        var result = new List<(string, YNode)>(seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            result.Add((Text(seq.Items[i], path + "[" + i + "]", expected), seq.Items[i]));
        }

        return result;
    }

    public YMapping? OptionalMapping(YNode? node, string path, string expected)
    {
        if (node.IsNull())
        {
            return null;
        }

        return node as YMapping ?? throw Expected(node, path, expected);
    }

    /// <summary>The pairs of a mapping with string keys; a key given twice is an error (it would be ambiguous).</summary>
    public IReadOnlyList<(string Key, YNode Value, YNode KeyNode)> Pairs(YMapping map, string path)
    {
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var result = new List<(string, YNode, YNode)>(map.Pairs.Count);
        foreach (var pair in map.Pairs)
        {
            var key = Text(pair.Key, path, "a string key");
            if (seen.TryGetValue(key, out var earlier))
            {
                throw Error(pair.Key, path + "." + key, "key '" + key + "' is given twice (first at line " + earlier.Start.Line + ")");
            }

            seen[key] = pair.Key;
            result.Add((key, pair.Value, pair.Key));
        }

        return result;
    }
}
