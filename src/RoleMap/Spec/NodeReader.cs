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

    /// <summary>True when <see cref="Text"/> would return the scalar's value without an error.</summary>
    public static bool IsText(YNode? node, out string text)
    {
        if (node is YScalar scalar && scalar.Kind != ScalarKind.Null && !YamlChars.HasLoneSurrogate(scalar.Value))
        {
            text = scalar.Value;
            return true;
        }

        text = string.Empty;
        return false;
    }

    public string? OptionalText(YNode? node, string path, string expected) =>
        node.IsNull() ? null : Text(node, path, expected);

    /// <summary>A list of scalars' texts; <paramref name="field"/>, when given, is appended to <paramref name="path"/> (only for a message).</summary>
    public IReadOnlyList<(string Value, YNode Node)> TextList(YNode? node, string path, string expected, string? field = null)
    {
        if (field is not null && (node is not YSequence || !((YSequence)node).Items.All(i => IsText(i, out _))))
        {
            return TextList(node, path + "." + field, expected); // something to report: with the full path
        }

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
            // The item's path is built only for a message: this runs for every group of every entry.
            var item = seq.Items[i];
            result.Add((IsText(item, out var text) ? text : Text(item, path + "[" + i + "]", expected), item));
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
        // Entries have a handful of keys: a linear search is cheaper than a dictionary per entry.
        var seen = map.Pairs.Count > 8 ? new Dictionary<string, YNode>(StringComparer.Ordinal) : null;
        var result = new List<(string Key, YNode Value, YNode KeyNode)>(map.Pairs.Count);
        foreach (var pair in map.Pairs)
        {
            var key = Text(pair.Key, path, "a string key");
            var earlier = seen is not null ? seen.GetValueOrDefault(key) : Earlier(result, key);
            if (earlier is not null)
            {
                throw Error(pair.Key, path + "." + key, "key '" + key + "' is given twice (first at line " + earlier.Start.Line + ")");
            }

            seen?.Add(key, pair.Key);
            result.Add((key, pair.Value, pair.Key));
        }

        return result;
    }

    private static YNode? Earlier(List<(string Key, YNode Value, YNode KeyNode)> pairs, string key)
    {
        foreach (var pair in pairs)
        {
            if (pair.Key == key)
            {
                return pair.KeyNode;
            }
        }

        return null;
    }
}
