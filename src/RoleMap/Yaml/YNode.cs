using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>A 1-based line and column in the text a node was read from.</summary>
public readonly record struct YPosition(int Line, int Column);

/// <summary>
/// A node of a YAML (or JSON) document, kept close to the source: scalar style, tag, position, and
/// mapping pairs in order with duplicates kept. rolemap's own tree, so that the authenticator's
/// go-yaml v2 resolution rules and duplicate-key behaviour can be applied exactly.
/// </summary>
public abstract class YNode
{
    protected YNode(YPosition start, string? tag)
    {
        Start = start;
        Tag = tag;
    }

    public YPosition Start { get; private protected set; }

    /// <summary>The explicit tag, e.g. <c>tag:yaml.org,2002:str</c>, or null when the node has none.</summary>
    public string? Tag { get; }

    /// <summary>A short word for error messages: "a string", "a list", "a mapping", "a number"...</summary>
    public abstract string Describe();
}

public sealed class YScalar : YNode
{
    // Bytes rather than the enums (and a nullable for the cache): a 20 MB manifest has millions of scalars.
    private byte style;
    private sbyte kind = -1;

    public YScalar(string value, ScalarStyle style, YPosition start, string? tag = null, int contentLineOffset = 0)
        : base(start, tag)
    {
        Value = value;
        this.style = checked((byte)style);
        ContentLineOffset = contentLineOffset;
    }

    public string Value { get; private set; }

    public ScalarStyle Style => (ScalarStyle)style;

    /// <summary>
    /// For block scalars (<c>|</c>, <c>&gt;</c>), the number of lines between the indicator and the first content
    /// line, so that line N of the value is line <c>Start.Line + ContentLineOffset + N - 1</c> of the file.
    /// Zero for other styles, whose inner lines cannot be mapped back to the file.
    /// </summary>
    public int ContentLineOffset { get; private set; }

    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    public bool IsBlock => Style is ScalarStyle.Literal or ScalarStyle.Folded;

    /// <summary>How the authenticator's YAML library (go-yaml v2) reads this scalar.</summary>
    /// <remarks>Cached: readers ask several times per scalar, and the node never changes.</remarks>
    public ScalarKind Kind
    {
        get
        {
            if (kind < 0)
            {
                kind = (sbyte)GoYamlResolver.Resolve(this);
            }

            return (ScalarKind)kind;
        }
    }

    /// <summary>Makes this (untagged) node a new scalar: <see cref="NodeArena"/> only, once nobody holds the old one.</summary>
    internal void Reuse(string value, ScalarStyle style, YPosition start, int contentLineOffset)
    {
        Value = value;
        this.style = checked((byte)style);
        Start = start;
        ContentLineOffset = contentLineOffset;
        kind = -1;
    }

    public override string Describe() => Kind switch
    {
        ScalarKind.String => "a string",
        ScalarKind.Null => "null",
        ScalarKind.Bool => "a boolean (" + Value + ")",
        _ => "a number (" + Value + ")",
    };
}

public sealed class YSequence : YNode
{
    public YSequence(IReadOnlyList<YNode> items, YPosition start, string? tag = null)
        : base(start, tag) => Items = items;

    public IReadOnlyList<YNode> Items { get; private set; }

    public override string Describe() => "a list";

    /// <summary>Makes this (untagged) node a new list: <see cref="NodeArena"/> only, once nobody holds the old one.</summary>
    internal void Reuse(IReadOnlyList<YNode> items, YPosition start)
    {
        Items = items;
        Start = start;
    }
}

public sealed class YMapping : YNode
{
    public YMapping(IReadOnlyList<KeyValuePair<YNode, YNode>> pairs, YPosition start, string? tag = null)
        : base(start, tag) => Pairs = pairs;

    /// <summary>Pairs in document order. Duplicate keys are kept; readers decide which wins.</summary>
    public IReadOnlyList<KeyValuePair<YNode, YNode>> Pairs { get; private set; }

    public override string Describe() => "a mapping";

    /// <summary>Makes this (untagged) node a new mapping: <see cref="NodeArena"/> only, once nobody holds the old one.</summary>
    internal void Reuse(IReadOnlyList<KeyValuePair<YNode, YNode>> pairs, YPosition start)
    {
        Pairs = pairs;
        Start = start;
    }

    /// <summary>The last value whose key is the plain string <paramref name="key"/> (last wins, as in go-yaml and Go's JSON).</summary>
    public YNode? Get(string key)
    {
        YNode? found = null;
        for (var i = 0; i < Pairs.Count; i++) // by index: a foreach over the interface allocates an enumerator per call
        {
            var pair = Pairs[i];
            if (pair.Key is YScalar scalar && string.Equals(scalar.Value, key, StringComparison.Ordinal))
            {
                found = pair.Value;
            }
        }

        return found;
    }

    /// <summary>The key node of the last pair named <paramref name="key"/>.</summary>
    public YNode? GetKeyNode(string key)
    {
        YNode? found = null;
        for (var i = 0; i < Pairs.Count; i++) // by index: a foreach over the interface allocates an enumerator per call
        {
            var pair = Pairs[i];
            if (pair.Key is YScalar scalar && string.Equals(scalar.Value, key, StringComparison.Ordinal))
            {
                found = pair.Key;
            }
        }

        return found;
    }
}

/// <summary>What a scalar becomes after YAML resolution.</summary>
public enum ScalarKind
{
    String,
    Null,
    Bool,
    Int,
    Float,
}
