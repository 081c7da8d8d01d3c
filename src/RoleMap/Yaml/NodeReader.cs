using RoleMap.Diagnostics;
using RoleMap.Text;
using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>What differs between the inputs rolemap reads as a <see cref="YNode"/> tree.</summary>
/// <param name="AnyScalarIsText">
/// A number or boolean is taken as the text it is written as (a spec: rolemap quotes it on output, so it must also be
/// writable as UTF-8). Otherwise only a string is a string.
/// </param>
/// <param name="StrictKeys">Unknown and repeated keys are errors. Otherwise keys nobody reads are ignored and the last of repeated keys wins.</param>
/// <param name="Json">The source is JSON: messages name JSON types ("an object", "a number") and give no line.</param>
/// <param name="NonStringHint">Appended when a number or boolean stands where a string belongs.</param>
internal sealed record NodeReaderOptions(bool AnyScalarIsText, bool StrictKeys, bool Json, string? NonStringHint = null)
{
    /// <summary>A rolemap spec: every scalar is text; unknown and repeated keys are errors.</summary>
    public static NodeReaderOptions Spec { get; } = new(AnyScalarIsText: true, StrictKeys: true, Json: false);

    /// <summary>Kubernetes objects: a string must be a YAML string (the API server refuses anything else); unknown and repeated fields are errors.</summary>
    public static NodeReaderOptions Kubernetes { get; } = new(AnyScalarIsText: false, StrictKeys: true, Json: false, "; Kubernetes reads it as a non-string and refuses the object (quote it)");

    /// <summary>AWS CLI output: strings are JSON strings; fields rolemap does not read are ignored (the CLI adds new ones).</summary>
    public static NodeReaderOptions AwsCliJson { get; } = new(AnyScalarIsText: false, StrictKeys: false, Json: true);
}

/// <summary>
/// A <see cref="NodeReader.Context"/> written out only when a message needs it: readers of many objects (a kubectl List)
/// name each object in their messages, and a string per object that no message uses was a good part of their allocation.
/// </summary>
internal interface ILazyContext
{
    string Text { get; }
}

/// <summary>
/// Reads typed values out of a <see cref="YNode"/> tree (YAML, or JSON read by <see cref="JsonNodeReader"/>): strings,
/// lists of strings, mappings, optional and required fields. Every failure is an <see cref="InputException"/> naming the
/// file, line (when the source has lines), path and what was expected, in one vocabulary for every kind of input.
/// </summary>
/// <param name="File">The file name for messages.</param>
/// <param name="Options">What the source allows.</param>
/// <param name="Context">Put before every path (e.g. <c>document 2, Role dev/view</c>), or null.</param>
internal sealed record NodeReader(string? File, NodeReaderOptions Options, string? Context = null)
{
    /// <summary>The context, made only when a message needs it (see <see cref="ILazyContext"/>); <see cref="Context"/> wins.</summary>
    public ILazyContext? LazyContext { get; init; }

    /// <summary>The same reader with <paramref name="context"/> before every path.</summary>
    public NodeReader In(string context) => this with { Context = context, LazyContext = null };

    /// <summary>The same reader with <paramref name="context"/>'s text before every path, made when a message needs it.</summary>
    public NodeReader In(ILazyContext context) => this with { Context = null, LazyContext = context };

    public SourceLocation At(YNode? node, string? path) => AtStart(node?.Start, path);

    /// <summary><see cref="At(YNode?, string?)"/> for a node that is no longer at hand (recycled), by its start.</summary>
    public SourceLocation AtStart(YPosition? start, string? path)
    {
        var context = Context ?? LazyContext?.Text;
        return new(
            File,
            // JSON read without positions (nested in another value) puts every node at line 0: no line then.
            Options.Json && start is { Line: 0 } ? null : start?.Line,
            Options.Json && start is { Line: 0 } ? null : start?.Column,
            context is null ? path : path is null ? context : context + ": " + path);
    }

    public InputException Error(YNode? node, string? path, string message) => new(message, At(node, path));

    public InputException Expected(YNode? node, string path, string expected) =>
        Error(node, path, "expected " + expected + ", found " + Describe(node));

    /// <summary>A required key that is not there.</summary>
    public InputException Missing(YNode? owner, string path, string key, string? why = null) =>
        Error(owner, path, "missing '" + key + "'" + (why is null ? string.Empty : " (" + why + ")"));

    /// <summary>A short word for the node in messages: "a string", "a list", "an object" (JSON) or "a mapping" (YAML)...</summary>
    public string Describe(YNode? node)
    {
        if (node is null)
        {
            return "nothing";
        }

        if (!Options.Json)
        {
            return node.Describe();
        }

        return node switch
        {
            YMapping => "an object",
            YSequence => "a list",
            YScalar { Style: ScalarStyle.DoubleQuoted } => "a string",
            YScalar { Value: "true" or "false" } => "a boolean",
            YScalar { Value: "null" } => "null",
            _ => "a number",
        };
    }

    /// <summary>True for null, a missing node, and JSON's or YAML's null.</summary>
    public bool IsNull(YNode? node) => Options.Json ? node is null or YScalar { Style: not ScalarStyle.DoubleQuoted, Value: "null" } : node.IsNull();

    /// <summary>True when <see cref="String(YNode?, string, string)"/> would return the node's text without an error.</summary>
    public bool TryString(YNode? node, out string text)
    {
        if (node is YScalar scalar && IsString(scalar))
        {
            text = scalar.Value;
            return true;
        }

        text = string.Empty;
        return false;
    }

    /// <summary>A string (or, where <see cref="NodeReaderOptions.AnyScalarIsText"/>, any scalar's text).</summary>
    public string String(YNode? node, string path, string expected = "a string")
    {
        if (TryString(node, out var text))
        {
            return text;
        }

        if (Options.AnyScalarIsText && node is YScalar { Kind: not ScalarKind.Null })
        {
            throw Error(node, path, "contains an unpaired UTF-16 surrogate, which cannot be written as UTF-8");
        }

        if (Options.NonStringHint is { } hint && node is YScalar scalar && !IsNull(scalar))
        {
            throw Error(node, path, "expected " + expected + ", found " + Describe(node) + hint);
        }

        throw Expected(node, path, expected);
    }

    /// <summary>A string that must be there; when it is not, the message points at <paramref name="owner"/>.</summary>
    public string String(YNode? node, YNode owner, string path, string expected) =>
        node is null ? throw Error(owner, path, "expected " + expected + ", found nothing") : String(node, path, expected);

    public string? OptionalString(YNode? node, string path, string expected = "a string") =>
        IsNull(node) ? null : String(node, path, expected);

    /// <summary>The string field <paramref name="key"/> of a mapping, or null when it is missing or null.</summary>
    public string? OptionalStringField(YMapping map, string key, string path)
    {
        var value = map.Get(key);
        return IsNull(value) ? null : TryString(value, out var text) ? text : String(value, Child(path, key));
    }

    /// <summary>The string field <paramref name="key"/> of a mapping; missing or null is an error.</summary>
    public string RequiredStringField(YMapping map, string key, string path) =>
        OptionalStringField(map, key, path) ?? throw Missing(map, Child(path, key), key);

    /// <summary>
    /// A list of strings, empty when the node is missing or null. <paramref name="field"/>, when given, is appended to
    /// <paramref name="path"/>; the full path is only built for a message, as this runs for every list of every entry.
    /// </summary>
    public List<string> StringList(YNode? node, string path, string? field = null, string listExpected = "a list of strings", string itemExpected = "a string") =>
        ReadStrings(node, path, field, listExpected, itemExpected, static (text, _) => text, target: null);

    /// <summary>A list of strings with the node of each (for locations).</summary>
    public List<(string Value, YNode Node)> StringNodes(YNode? node, string path, string? field, string listExpected, string itemExpected) =>
        ReadStrings(node, path, field, listExpected, itemExpected, static (text, item) => (text, item), target: null);

    /// <summary>The list field <paramref name="key"/> of a mapping as strings, empty when it is missing or null.</summary>
    public List<string> StringListField(YMapping map, string key, string path) => StringList(map.Get(key), path, key);

    /// <summary><see cref="StringListField"/> into <paramref name="target"/>, which is cleared first (a caller that keeps its own copies).</summary>
    public void StringListFieldInto(List<string> target, YMapping map, string key, string path)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Clear();
        ReadStrings(map.Get(key), path, key, "a list of strings", "a string", static (text, _) => text, target);
    }

    public YMapping Mapping(YNode? node, string path, string expected) => node as YMapping ?? throw Expected(node, path, expected);

    public YMapping? OptionalMapping(YNode? node, string path, string expected) => IsNull(node) ? null : Mapping(node, path, expected);

    public YSequence List(YNode? node, string path, string expected) => node as YSequence ?? throw Expected(node, path, expected);

    public YSequence? OptionalList(YNode? node, string path, string expected) => IsNull(node) ? null : List(node, path, expected);

    /// <summary>
    /// The pairs of a mapping in document order. Keys must be strings. With <see cref="NodeReaderOptions.StrictKeys"/> a
    /// key given twice is an error (which one counts would be ambiguous), and so is a key not in <paramref name="known"/>
    /// (when given), with the closest known key as a suggestion. <paramref name="noun"/> names the keys in messages.
    /// </summary>
    public IReadOnlyList<(string Key, YNode Value, YNode KeyNode)> Pairs(YMapping map, string path, IReadOnlyList<string>? known = null, string noun = "key")
    {
        CheckKeys(map, path, known, noun);
        var result = new List<(string Key, YNode Value, YNode KeyNode)>(map.Pairs.Count);
        foreach (var pair in map.Pairs)
        {
            result.Add((((YScalar)pair.Key).Value, pair.Value, pair.Key));
        }

        return result;
    }

    /// <summary>The checks of <see cref="Pairs"/> alone, for a mapping whose fields are then read by name: nothing is allocated.</summary>
    public void CheckKeys(YMapping map, string path, IReadOnlyList<string>? known = null, string noun = "key")
    {
        // Entries have a handful of keys: a linear search is cheaper than a dictionary per entry.
        var pairs = map.Pairs;
        var seen = pairs.Count > 8 ? new Dictionary<string, YNode>(StringComparer.Ordinal) : null;
        for (var i = 0; i < pairs.Count; i++)
        {
            var keyNode = pairs[i].Key;
            var key = TryString(keyNode, out var text) ? text : throw Expected(keyNode, path.Length == 0 ? "(top level)" : path, "a string key");
            if (!Options.StrictKeys)
            {
                continue;
            }

            var earlier = seen is not null ? seen.GetValueOrDefault(key) : Earlier(pairs, i, key);
            if (earlier is not null)
            {
                throw Error(keyNode, Child(path, key), noun + " '" + key + "' is given twice (first at line " + earlier.Start.Line + ")");
            }

            if (known is not null && !known.Contains(key, StringComparer.Ordinal))
            {
                throw Unknown(keyNode, Child(path, key), key, known, noun);
            }

            seen?.Add(key, keyNode);
        }
    }

    /// <summary>A key that is not one of <paramref name="known"/>, with the closest known key as a suggestion.</summary>
    public InputException Unknown(YNode keyNode, string path, string key, IReadOnlyList<string> known, string noun = "field")
    {
        var closest = Suggest.Closest(key, known);
        return Error(keyNode, path, "unknown " + noun + " '" + key + "'" + (closest is null ? "; expected one of: " + string.Join(", ", known) : "; did you mean '" + closest + "'?"));
    }

    /// <summary><paramref name="path"/>.<paramref name="key"/>, or the key alone at the top level.</summary>
    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private bool IsString(YScalar scalar) => Options switch
    {
        { Json: true } => scalar.Style == ScalarStyle.DoubleQuoted,
        { AnyScalarIsText: true } => scalar.Kind != ScalarKind.Null && !YamlChars.HasLoneSurrogate(scalar.Value),
        _ => scalar.Kind == ScalarKind.String,
    };

    private List<T> ReadStrings<T>(YNode? node, string path, string? field, string listExpected, string itemExpected, Func<string, YNode, T> make, List<T>? target)
    {
        if (IsNull(node))
        {
            return target ?? [];
        }

        var items = node as YSequence ?? throw Expected(node, field is null ? path : Child(path, field), listExpected);
        var result = target ?? new List<T>(items.Items.Count);
        for (var i = 0; i < items.Items.Count; i++)
        {
            var item = items.Items[i];
            result.Add(make(TryString(item, out var text) ? text : String(item, (field is null ? path : Child(path, field)) + "[" + i + "]", itemExpected), item));
        }

        return result;
    }

    /// <summary>The first of the keys before <paramref name="index"/> that is <paramref name="key"/> (all of them are strings: checked before).</summary>
    private static YScalar? Earlier(IReadOnlyList<KeyValuePair<YNode, YNode>> pairs, int index, string key)
    {
        for (var j = 0; j < index; j++)
        {
            if (pairs[j].Key is YScalar scalar && scalar.Value == key)
            {
                return scalar;
            }
        }

        return null;
    }
}
