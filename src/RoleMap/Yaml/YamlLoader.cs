using RoleMap.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RoleMap.Yaml;

/// <summary>
/// Reads YAML (and JSON, which is YAML) into <see cref="YNode"/> trees with positions, keeping duplicate keys.
/// Iterative, so hostile nesting cannot overflow the stack.
/// </summary>
public static class YamlLoader
{
    /// <summary>Nesting deeper than this is refused rather than read.</summary>
    public const int MaxDepth = 512;

    /// <summary>Loads every document of a stream. An empty document yields null.</summary>
    /// <exception cref="InputException">The text is not valid YAML.</exception>
    public static IReadOnlyList<YNode?> LoadAll(string text, string? file)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return Parse(text, file);
        }
        catch (YamlException ex)
        {
            throw new InputException("invalid YAML: " + CleanMessage(ex), new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), ex);
        }
    }

    /// <summary>Loads a stream expected to hold at most one document.</summary>
    public static YNode? LoadSingle(string text, string? file)
    {
        var documents = LoadAll(text, file);
        return documents.Count switch
        {
            0 => null,
            1 => documents[0],
            _ => throw new InputException("expected one YAML document, found " + documents.Count, new SourceLocation(file)),
        };
    }

    /// <summary>Tries to load; returns the syntax error instead of throwing. Used where a parse error is a finding, not a failure.</summary>
    public static bool TryLoadAll(string text, out IReadOnlyList<YNode?> documents, out YamlSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            documents = Parse(text, null);
            error = null;
            return true;
        }
        catch (YamlException ex)
        {
            documents = [];
            error = new YamlSyntaxError(CleanMessage(ex), (int)ex.Start.Line, (int)ex.Start.Column);
            return false;
        }
        catch (InputException ex)
        {
            documents = [];
            error = new YamlSyntaxError(ex.Detail, ex.Location?.Line ?? 1, ex.Location?.Column ?? 1);
            return false;
        }
    }

    private static string CleanMessage(YamlException ex)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 40) - (Line: ...): "; the location is reported separately.
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0)
        {
            message = message[(marker + 3)..];
        }

        return message.TrimEnd('.');
    }

    private static List<YNode?> Parse(string text, string? file)
    {
        if (JsonNodeReader.LooksLikeJson(text) && JsonNodeReader.TryRead(text, out var json))
        {
            return [json];
        }

        return BlockYamlReader.TryParse(text) ?? ParseWithYamlDotNet(text, file);
    }

    /// <summary>The general path: YamlDotNet's parser events turned into nodes. Also the reference the fast path is tested against.</summary>
    internal static List<YNode?> ParseWithYamlDotNet(string text, string? file)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<YNode?>();
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        YNode? root = null;
        var sawRoot = false;

        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case StreamStart or StreamEnd:
                    break;
                case DocumentStart:
                    anchors.Clear();
                    root = null;
                    sawRoot = false;
                    break;
                case DocumentEnd:
                    documents.Add(sawRoot ? root : null);
                    break;
                case Scalar scalar:
                    {
                        var start = Position(scalar.Start);
                        var offset = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded ? 1 : 0;
                        var node = new YScalar(scalar.Value, scalar.Style, start, TagOf(scalar.Tag), offset);
                        Remember(anchors, scalar.Anchor, node);
                        Attach(stack, node, ref root, ref sawRoot);
                        break;
                    }

                case AnchorAlias alias:
                    {
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            throw new InputException("unknown alias *" + alias.Value.Value, new SourceLocation(file, (int)alias.Start.Line, (int)alias.Start.Column));
                        }

                        Attach(stack, target, ref root, ref sawRoot);
                        break;
                    }

                case SequenceStart seq:
                    if (stack.Count >= MaxDepth)
                    {
                        throw new InputException("YAML nesting deeper than " + MaxDepth + " levels", new SourceLocation(file, (int)seq.Start.Line, (int)seq.Start.Column));
                    }

                    stack.Push(new Frame(isMapping: false, Position(seq.Start), TagOf(seq.Tag), seq.Anchor.IsEmpty ? null : seq.Anchor.Value));
                    break;
                case MappingStart map:
                    if (stack.Count >= MaxDepth)
                    {
                        throw new InputException("YAML nesting deeper than " + MaxDepth + " levels", new SourceLocation(file, (int)map.Start.Line, (int)map.Start.Column));
                    }

                    stack.Push(new Frame(isMapping: true, Position(map.Start), TagOf(map.Tag), map.Anchor.IsEmpty ? null : map.Anchor.Value));
                    break;
                case SequenceEnd or MappingEnd:
                    {
                        var frame = stack.Pop();
                        YNode node = frame.IsMapping
                            ? new YMapping(frame.Pairs(), frame.Start, frame.Tag)
                            : new YSequence(frame.Items, frame.Start, frame.Tag);
                        if (frame.Anchor is not null)
                        {
                            anchors[frame.Anchor] = node;
                        }

                        Attach(stack, node, ref root, ref sawRoot);
                        break;
                    }
            }
        }

        return documents;
    }

    private static void Remember(Dictionary<string, YNode> anchors, AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private static void Attach(Stack<Frame> stack, YNode node, ref YNode? root, ref bool sawRoot)
    {
        if (stack.Count == 0)
        {
            root = node;
            sawRoot = true;
            return;
        }

        stack.Peek().Add(node);
    }

    private static string? TagOf(TagName tag) => tag.IsEmpty ? null : tag.Value;

    private static YPosition Position(Mark mark) => new((int)mark.Line, (int)mark.Column);

    /// <summary>A collection being built. Mapping children alternate key, value.</summary>
    private sealed class Frame(bool isMapping, YPosition start, string? tag, string? anchor)
    {
        public bool IsMapping { get; } = isMapping;

        public YPosition Start { get; } = start;

        public string? Tag { get; } = tag;

        public string? Anchor { get; } = anchor;

        public List<YNode> Items { get; } = [];

        public void Add(YNode node) => Items.Add(node);

        public List<KeyValuePair<YNode, YNode>> Pairs()
        {
            var pairs = new List<KeyValuePair<YNode, YNode>>(Items.Count / 2);
            for (var i = 0; i + 1 < Items.Count; i += 2)
            {
                pairs.Add(new KeyValuePair<YNode, YNode>(Items[i], Items[i + 1]));
            }

            return pairs;
        }
    }
}

/// <summary>A YAML syntax error with its position inside the text that was parsed.</summary>
public sealed record YamlSyntaxError(string Message, int Line, int Column);
