using RoleMap.Diagnostics;
using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>
/// go-yaml v2's parser (parserc.go) and its node builder (decode.go's <c>parser</c>), transcribed, over
/// <see cref="GoYamlScanner"/>: <see cref="ParseFirst"/> reads what <c>yaml.Unmarshal</c> reads, the first document
/// and the events it takes to end it, and nothing more.
/// </summary>
internal sealed class GoYamlParser
{
    private readonly GoYamlScanner scanner;
    private readonly List<State> states = [];
    private readonly List<GoMark> marks = [];
    private readonly List<(string Handle, string Prefix)> tagDirectives = [];
    private State state = State.StreamStart;
    private Event? current;
    private Dictionary<string, YNode> anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> open = new(StringComparer.Ordinal);

    private GoYamlParser(string text) => scanner = new GoYamlScanner(text);

    /// <summary>
    /// The first document of <paramref name="text"/> as go-yaml's <c>Unmarshal</c> reads it (null root for an empty
    /// stream or document), with the UTF-16 index where its reading stopped; or the error go-yaml fails with.
    /// Aliases to a collection that contains them are <see cref="SelfAlias"/> nodes (go-yaml fails only when it decodes them).
    /// </summary>
    public static bool TryParseFirst(string text, out YNode? root, out int readUpTo, out YamlSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new GoYamlParser(text.Length == 0 ? "\n" : text);
        root = null;
        readUpTo = text.Length;
        try
        {
            parser.Expect(EventType.StreamStart);
            switch (parser.Peek().Type)
            {
                case EventType.StreamEnd:
                    break;
                case EventType.DocumentStart:
                    parser.anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
                    parser.Expect(EventType.DocumentStart);
                    root = parser.Node(0);
                    var end = parser.Peek();
                    parser.Expect(EventType.DocumentEnd);
                    readUpTo = Math.Min(text.Length, parser.scanner.TextIndex(end.End.Index));
                    break;
            }

            error = null;
            return true;
        }
        catch (GoYamlException ex)
        {
            error = parser.ErrorOf(text, ex);
            root = null;
            return false;
        }
    }

    private YamlSyntaxError ErrorOf(string text, GoYamlException ex)
    {
        if (ex.ReaderValue is { } value)
        {
            var index = scanner.TextIndex(ex.Mark.Index);
            var (line, column) = LineAndColumn(text, index);
            return new YamlSyntaxError(ex.Problem + " (U+" + value.ToString(value > 0xFFFF ? "X6" : "X4", System.Globalization.CultureInfo.InvariantCulture) + ")", line, column, ex.Problem.StartsWith("control", StringComparison.Ordinal) ? "yaml-control-character" : "yaml-invalid");
        }

        return new YamlSyntaxError(ex.Problem, ex.Mark.Line + 1, ex.Mark.Column + 1);
    }

    private static (int Line, int Column) LineAndColumn(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    // ---- decode.go's parser: events to nodes

    private Event Peek() => current ??= Next();

    private void Expect(EventType type)
    {
        var e = Peek();
        if (e.Type == EventType.StreamEnd && type != EventType.StreamEnd)
        {
            throw new GoYamlException("attempted to go past the end of stream; corrupted value?", e.Start);
        }

        if (e.Type != type)
        {
            throw new GoYamlException("expected " + type + " event but got " + e.Type, e.Start);
        }

        current = null;
    }

    private YNode Node(int depth)
    {
        var e = Peek();
        if (depth >= YamlLoader.MaxDepth)
        {
            throw new InputException("YAML nesting deeper than " + YamlLoader.MaxDepth + " levels", new SourceLocation(null, e.Start.Line + 1, e.Start.Column + 1));
        }

        var start = new YPosition(e.Start.Line + 1, e.Start.Column + 1);
        switch (e.Type)
        {
            case EventType.Scalar:
                {
                    var offset = e.Style is ScalarStyle.Literal or ScalarStyle.Folded ? 1 : 0;
                    var node = new YScalar(e.Value, e.Style, start, e.Tag.Length == 0 ? null : e.Tag, offset);
                    Anchor(e.Anchor, node);
                    Expect(EventType.Scalar);
                    return node;
                }

            case EventType.Alias:
                {
                    YNode node;
                    if (e.Anchor is not null && open.Contains(e.Anchor))
                    {
                        node = new SelfAlias(e.Anchor, start);
                    }
                    else if (!anchors.TryGetValue(e.Anchor ?? string.Empty, out node!))
                    {
                        throw new GoYamlException("unknown anchor '" + e.Anchor + "' referenced", e.Start);
                    }

                    Expect(EventType.Alias);
                    return node;
                }

            case EventType.SequenceStart:
                {
                    var anchor = Open(e.Anchor);
                    Expect(EventType.SequenceStart);
                    var items = new List<YNode>();
                    while (Peek().Type != EventType.SequenceEnd)
                    {
                        items.Add(Node(depth + 1));
                    }

                    Expect(EventType.SequenceEnd);
                    var node = new YSequence(items, start, e.Tag.Length == 0 ? null : e.Tag);
                    Close(anchor, node);
                    return node;
                }

            case EventType.MappingStart:
                {
                    var anchor = Open(e.Anchor);
                    Expect(EventType.MappingStart);
                    var pairs = new List<KeyValuePair<YNode, YNode>>();
                    while (Peek().Type != EventType.MappingEnd)
                    {
                        var key = Node(depth + 1);
                        pairs.Add(new(key, Node(depth + 1)));
                    }

                    Expect(EventType.MappingEnd);
                    var node = new YMapping(pairs, start, e.Tag.Length == 0 ? null : e.Tag);
                    Close(anchor, node);
                    return node;
                }

            default:
                throw new GoYamlException("attempted to parse unknown event: " + e.Type, e.Start);
        }
    }

    private void Anchor(string? anchor, YNode node)
    {
        if (anchor is not null)
        {
            anchors[anchor] = node;
            open.Remove(anchor);
        }
    }

    /// <summary>go-yaml registers a collection's anchor before reading its children: an alias inside refers to the collection itself.</summary>
    private string? Open(string? anchor)
    {
        if (anchor is not null)
        {
            anchors.Remove(anchor);
            open.Add(anchor);
        }

        return anchor;
    }

    private void Close(string? anchor, YNode node)
    {
        // A later anchor of the same name inside the collection replaced this one in go-yaml's map; it stays replaced.
        if (anchor is not null && open.Remove(anchor))
        {
            anchors[anchor] = node;
        }
    }

    // ---- parserc.go: tokens to events

    private Event Next()
    {
        return state switch
        {
            State.StreamStart => ParseStreamStart(),
            State.ImplicitDocumentStart => ParseDocumentStart(implicitDocument: true),
            State.DocumentStart => ParseDocumentStart(implicitDocument: false),
            State.DocumentContent => ParseDocumentContent(),
            State.DocumentEnd => ParseDocumentEnd(),
            State.BlockNode => ParseNode(block: true, indentlessSequence: false),
            State.BlockNodeOrIndentlessSequence => ParseNode(block: true, indentlessSequence: true),
            State.FlowNode => ParseNode(block: false, indentlessSequence: false),
            State.BlockSequenceFirstEntry => ParseBlockSequenceEntry(first: true),
            State.BlockSequenceEntry => ParseBlockSequenceEntry(first: false),
            State.IndentlessSequenceEntry => ParseIndentlessSequenceEntry(),
            State.BlockMappingFirstKey => ParseBlockMappingKey(first: true),
            State.BlockMappingKey => ParseBlockMappingKey(first: false),
            State.BlockMappingValue => ParseBlockMappingValue(),
            State.FlowSequenceFirstEntry => ParseFlowSequenceEntry(first: true),
            State.FlowSequenceEntry => ParseFlowSequenceEntry(first: false),
            State.FlowSequenceEntryMappingKey => ParseFlowSequenceEntryMappingKey(),
            State.FlowSequenceEntryMappingValue => ParseFlowSequenceEntryMappingValue(),
            State.FlowSequenceEntryMappingEnd => ParseFlowSequenceEntryMappingEnd(),
            State.FlowMappingFirstKey => ParseFlowMappingKey(first: true),
            State.FlowMappingKey => ParseFlowMappingKey(first: false),
            State.FlowMappingValue => ParseFlowMappingValue(empty: false),
            State.FlowMappingEmptyValue => ParseFlowMappingValue(empty: true),
            _ => new Event(EventType.StreamEnd, default, default),
        };
    }

    private GoToken Token => scanner.Peek();

    private void Skip() => scanner.SkipToken();

    private State Pop()
    {
        var s = states[^1];
        states.RemoveAt(states.Count - 1);
        return s;
    }

    private GoMark PopMark()
    {
        var m = marks[^1];
        marks.RemoveAt(marks.Count - 1);
        return m;
    }

    private static GoYamlException ParserError(string problem, GoMark mark, string? context = null, GoMark contextMark = default) => new(problem, mark, context, contextMark);

    private Event ParseStreamStart()
    {
        var token = Token;
        if (token.Type != GoTokenType.StreamStart)
        {
            throw ParserError("did not find expected <stream-start>", token.Start);
        }

        state = State.ImplicitDocumentStart;
        Skip();
        return new Event(EventType.StreamStart, token.Start, token.End);
    }

    private Event ParseDocumentStart(bool implicitDocument)
    {
        var token = Token;
        if (!implicitDocument)
        {
            while (token.Type == GoTokenType.DocumentEnd)
            {
                Skip();
                token = Token;
            }
        }

        if (implicitDocument && token.Type is not (GoTokenType.VersionDirective or GoTokenType.TagDirective or GoTokenType.DocumentStart or GoTokenType.StreamEnd))
        {
            ProcessDirectives();
            states.Add(State.DocumentEnd);
            state = State.BlockNode;
            return new Event(EventType.DocumentStart, token.Start, token.End);
        }

        if (token.Type != GoTokenType.StreamEnd)
        {
            var start = token.Start;
            ProcessDirectives();
            token = Token;
            if (token.Type != GoTokenType.DocumentStart)
            {
                throw ParserError("did not find expected <document start>", token.Start);
            }

            states.Add(State.DocumentEnd);
            state = State.DocumentContent;
            var documentStart = new Event(EventType.DocumentStart, start, token.End);
            Skip();
            return documentStart;
        }

        state = State.End;
        Skip();
        return new Event(EventType.StreamEnd, token.Start, token.End);
    }

    private Event ParseDocumentContent()
    {
        var token = Token;
        if (token.Type is GoTokenType.VersionDirective or GoTokenType.TagDirective or GoTokenType.DocumentStart or GoTokenType.DocumentEnd or GoTokenType.StreamEnd)
        {
            state = Pop();
            return EmptyScalar(token.Start);
        }

        return ParseNode(block: true, indentlessSequence: false);
    }

    private Event ParseDocumentEnd()
    {
        var token = Token;
        var start = token.Start;
        var end = token.Start;
        if (token.Type == GoTokenType.DocumentEnd)
        {
            end = token.End;
            Skip();
        }

        tagDirectives.Clear();
        state = State.DocumentStart;
        return new Event(EventType.DocumentEnd, start, end);
    }

    private Event ParseNode(bool block, bool indentlessSequence)
    {
        var token = Token;
        if (token.Type == GoTokenType.Alias)
        {
            state = Pop();
            Skip();
            return new Event(EventType.Alias, token.Start, token.End) { Anchor = token.Value };
        }

        var start = token.Start;
        var end = token.Start;
        var tagToken = false;
        string tagHandle = string.Empty, tagSuffix = string.Empty;
        string? anchor = null;
        var tagMark = default(GoMark);
        if (token.Type == GoTokenType.Anchor)
        {
            anchor = token.Value;
            start = token.Start;
            end = token.End;
            Skip();
            token = Token;
            if (token.Type == GoTokenType.Tag)
            {
                tagToken = true;
                tagHandle = token.Value;
                tagSuffix = token.Suffix;
                tagMark = token.Start;
                end = token.End;
                Skip();
                token = Token;
            }
        }
        else if (token.Type == GoTokenType.Tag)
        {
            tagToken = true;
            tagHandle = token.Value;
            tagSuffix = token.Suffix;
            start = token.Start;
            tagMark = token.Start;
            end = token.End;
            Skip();
            token = Token;
            if (token.Type == GoTokenType.Anchor)
            {
                anchor = token.Value;
                end = token.End;
                Skip();
                token = Token;
            }
        }

        var tag = string.Empty;
        if (tagToken)
        {
            if (tagHandle.Length == 0)
            {
                tag = tagSuffix;
            }
            else
            {
                foreach (var (handle, prefix) in tagDirectives)
                {
                    if (handle == tagHandle)
                    {
                        tag = prefix + tagSuffix;
                        break;
                    }
                }

                if (tag.Length == 0)
                {
                    throw ParserError("found undefined tag handle", tagMark, "while parsing a node", start);
                }
            }
        }

        if (indentlessSequence && token.Type == GoTokenType.BlockEntry)
        {
            state = State.IndentlessSequenceEntry;
            return new Event(EventType.SequenceStart, start, token.End) { Anchor = anchor, Tag = tag };
        }

        switch (token.Type)
        {
            case GoTokenType.Scalar:
                state = Pop();
                Skip();
                return new Event(EventType.Scalar, start, token.End) { Anchor = anchor, Tag = tag, Value = token.Value, Style = token.Style };
            case GoTokenType.FlowSequenceStart:
                state = State.FlowSequenceFirstEntry;
                return new Event(EventType.SequenceStart, start, token.End) { Anchor = anchor, Tag = tag };
            case GoTokenType.FlowMappingStart:
                state = State.FlowMappingFirstKey;
                return new Event(EventType.MappingStart, start, token.End) { Anchor = anchor, Tag = tag };
            case GoTokenType.BlockSequenceStart when block:
                state = State.BlockSequenceFirstEntry;
                return new Event(EventType.SequenceStart, start, token.End) { Anchor = anchor, Tag = tag };
            case GoTokenType.BlockMappingStart when block:
                state = State.BlockMappingFirstKey;
                return new Event(EventType.MappingStart, start, token.End) { Anchor = anchor, Tag = tag };
        }

        if (anchor is { Length: > 0 } || tag.Length > 0)
        {
            state = Pop();
            return new Event(EventType.Scalar, start, end) { Anchor = anchor, Tag = tag, Style = ScalarStyle.Plain };
        }

        throw ParserError("did not find expected node content", token.Start, block ? "while parsing a block node" : "while parsing a flow node", start);
    }

    private Event ParseBlockSequenceEntry(bool first)
    {
        if (first)
        {
            marks.Add(Token.Start);
            Skip();
        }

        var token = Token;
        if (token.Type == GoTokenType.BlockEntry)
        {
            var mark = token.End;
            Skip();
            token = Token;
            if (token.Type is not (GoTokenType.BlockEntry or GoTokenType.BlockEnd))
            {
                states.Add(State.BlockSequenceEntry);
                return ParseNode(block: true, indentlessSequence: false);
            }

            state = State.BlockSequenceEntry;
            return EmptyScalar(mark);
        }

        if (token.Type == GoTokenType.BlockEnd)
        {
            state = Pop();
            PopMark();
            Skip();
            return new Event(EventType.SequenceEnd, token.Start, token.End);
        }

        throw ParserError("did not find expected '-' indicator", token.Start, "while parsing a block collection", PopMark());
    }

    private Event ParseIndentlessSequenceEntry()
    {
        var token = Token;
        if (token.Type == GoTokenType.BlockEntry)
        {
            var mark = token.End;
            Skip();
            token = Token;
            if (token.Type is not (GoTokenType.BlockEntry or GoTokenType.Key or GoTokenType.Value or GoTokenType.BlockEnd))
            {
                states.Add(State.IndentlessSequenceEntry);
                return ParseNode(block: true, indentlessSequence: false);
            }

            state = State.IndentlessSequenceEntry;
            return EmptyScalar(mark);
        }

        state = Pop();
        return new Event(EventType.SequenceEnd, token.Start, token.Start);
    }

    private Event ParseBlockMappingKey(bool first)
    {
        if (first)
        {
            marks.Add(Token.Start);
            Skip();
        }

        var token = Token;
        if (token.Type == GoTokenType.Key)
        {
            var mark = token.End;
            Skip();
            token = Token;
            if (token.Type is not (GoTokenType.Key or GoTokenType.Value or GoTokenType.BlockEnd))
            {
                states.Add(State.BlockMappingValue);
                return ParseNode(block: true, indentlessSequence: true);
            }

            state = State.BlockMappingValue;
            return EmptyScalar(mark);
        }

        if (token.Type == GoTokenType.BlockEnd)
        {
            state = Pop();
            PopMark();
            Skip();
            return new Event(EventType.MappingEnd, token.Start, token.End);
        }

        throw ParserError("did not find expected key", token.Start, "while parsing a block mapping", PopMark());
    }

    private Event ParseBlockMappingValue()
    {
        var token = Token;
        if (token.Type == GoTokenType.Value)
        {
            var mark = token.End;
            Skip();
            token = Token;
            if (token.Type is not (GoTokenType.Key or GoTokenType.Value or GoTokenType.BlockEnd))
            {
                states.Add(State.BlockMappingKey);
                return ParseNode(block: true, indentlessSequence: true);
            }

            state = State.BlockMappingKey;
            return EmptyScalar(mark);
        }

        state = State.BlockMappingKey;
        return EmptyScalar(token.Start);
    }

    private Event ParseFlowSequenceEntry(bool first)
    {
        if (first)
        {
            marks.Add(Token.Start);
            Skip();
        }

        var token = Token;
        if (token.Type != GoTokenType.FlowSequenceEnd)
        {
            if (!first)
            {
                if (token.Type != GoTokenType.FlowEntry)
                {
                    throw ParserError("did not find expected ',' or ']'", token.Start, "while parsing a flow sequence", PopMark());
                }

                Skip();
                token = Token;
            }

            if (token.Type == GoTokenType.Key)
            {
                state = State.FlowSequenceEntryMappingKey;
                Skip();
                return new Event(EventType.MappingStart, token.Start, token.End);
            }

            if (token.Type != GoTokenType.FlowSequenceEnd)
            {
                states.Add(State.FlowSequenceEntry);
                return ParseNode(block: false, indentlessSequence: false);
            }
        }

        state = Pop();
        PopMark();
        Skip();
        return new Event(EventType.SequenceEnd, token.Start, token.End);
    }

    private Event ParseFlowSequenceEntryMappingKey()
    {
        var token = Token;
        if (token.Type is not (GoTokenType.Value or GoTokenType.FlowEntry or GoTokenType.FlowSequenceEnd))
        {
            states.Add(State.FlowSequenceEntryMappingValue);
            return ParseNode(block: false, indentlessSequence: false);
        }

        var mark = token.End;
        Skip();
        state = State.FlowSequenceEntryMappingValue;
        return EmptyScalar(mark);
    }

    private Event ParseFlowSequenceEntryMappingValue()
    {
        var token = Token;
        if (token.Type == GoTokenType.Value)
        {
            Skip();
            var next = Token;
            if (next.Type is not (GoTokenType.FlowEntry or GoTokenType.FlowSequenceEnd))
            {
                states.Add(State.FlowSequenceEntryMappingEnd);
                return ParseNode(block: false, indentlessSequence: false);
            }
        }

        // go-yaml uses the token it peeked first (the ':'), even after skipping it.
        state = State.FlowSequenceEntryMappingEnd;
        return EmptyScalar(token.Start);
    }

    private Event ParseFlowSequenceEntryMappingEnd()
    {
        var token = Token;
        state = State.FlowSequenceEntry;
        return new Event(EventType.MappingEnd, token.Start, token.Start);
    }

    private Event ParseFlowMappingKey(bool first)
    {
        if (first)
        {
            marks.Add(Token.Start);
            Skip();
        }

        var token = Token;
        if (token.Type != GoTokenType.FlowMappingEnd)
        {
            if (!first)
            {
                if (token.Type != GoTokenType.FlowEntry)
                {
                    throw ParserError("did not find expected ',' or '}'", token.Start, "while parsing a flow mapping", PopMark());
                }

                Skip();
                token = Token;
            }

            if (token.Type == GoTokenType.Key)
            {
                Skip();
                token = Token;
                if (token.Type is not (GoTokenType.Value or GoTokenType.FlowEntry or GoTokenType.FlowMappingEnd))
                {
                    states.Add(State.FlowMappingValue);
                    return ParseNode(block: false, indentlessSequence: false);
                }

                state = State.FlowMappingValue;
                return EmptyScalar(token.Start);
            }

            if (token.Type != GoTokenType.FlowMappingEnd)
            {
                states.Add(State.FlowMappingEmptyValue);
                return ParseNode(block: false, indentlessSequence: false);
            }
        }

        state = Pop();
        PopMark();
        Skip();
        return new Event(EventType.MappingEnd, token.Start, token.End);
    }

    private Event ParseFlowMappingValue(bool empty)
    {
        var token = Token;
        if (empty)
        {
            state = State.FlowMappingKey;
            return EmptyScalar(token.Start);
        }

        if (token.Type == GoTokenType.Value)
        {
            Skip();
            token = Token;
            if (token.Type is not (GoTokenType.FlowEntry or GoTokenType.FlowMappingEnd))
            {
                states.Add(State.FlowMappingKey);
                return ParseNode(block: false, indentlessSequence: false);
            }
        }

        state = State.FlowMappingKey;
        return EmptyScalar(token.Start);
    }

    private static Event EmptyScalar(GoMark mark) => new(EventType.Scalar, mark, mark) { Style = ScalarStyle.Plain };

    private void ProcessDirectives()
    {
        var versionSeen = false;
        var token = Token;
        while (token.Type is GoTokenType.VersionDirective or GoTokenType.TagDirective)
        {
            if (token.Type == GoTokenType.VersionDirective)
            {
                if (versionSeen)
                {
                    throw ParserError("found duplicate %YAML directive", token.Start);
                }

                if (token.Major != 1 || token.Minor != 1)
                {
                    throw ParserError("found incompatible YAML document", token.Start);
                }

                versionSeen = true;
            }
            else
            {
                AppendTagDirective(token.Value, token.Suffix, allowDuplicates: false, token.Start);
            }

            Skip();
            token = Token;
        }

        AppendTagDirective("!", "!", allowDuplicates: true, token.Start);
        AppendTagDirective("!!", "tag:yaml.org,2002:", allowDuplicates: true, token.Start);
    }

    private void AppendTagDirective(string handle, string prefix, bool allowDuplicates, GoMark mark)
    {
        if (tagDirectives.Any(d => d.Handle == handle))
        {
            if (allowDuplicates)
            {
                return;
            }

            throw ParserError("found duplicate %TAG directive", mark);
        }

        tagDirectives.Add((handle, prefix));
    }

    private enum State
    {
        StreamStart,
        ImplicitDocumentStart,
        DocumentStart,
        DocumentContent,
        DocumentEnd,
        BlockNode,
        BlockNodeOrIndentlessSequence,
        FlowNode,
        BlockSequenceFirstEntry,
        BlockSequenceEntry,
        IndentlessSequenceEntry,
        BlockMappingFirstKey,
        BlockMappingKey,
        BlockMappingValue,
        FlowSequenceFirstEntry,
        FlowSequenceEntry,
        FlowSequenceEntryMappingKey,
        FlowSequenceEntryMappingValue,
        FlowSequenceEntryMappingEnd,
        FlowMappingFirstKey,
        FlowMappingKey,
        FlowMappingValue,
        FlowMappingEmptyValue,
        End,
    }

    private enum EventType
    {
        StreamStart,
        StreamEnd,
        DocumentStart,
        DocumentEnd,
        Alias,
        Scalar,
        SequenceStart,
        SequenceEnd,
        MappingStart,
        MappingEnd,
    }

    private sealed class Event(EventType type, GoMark start, GoMark end)
    {
        public EventType Type { get; } = type;

        public GoMark Start { get; } = start;

        public GoMark End { get; } = end;

        public string? Anchor { get; init; }

        public string Tag { get; init; } = string.Empty;

        public string Value { get; init; } = string.Empty;

        public ScalarStyle Style { get; init; }
    }
}

/// <summary>
/// An alias to a collection that contains it (<c>&amp;a [*a]</c>). go-yaml builds the cycle and fails with
/// "anchor 'a' value contains itself" only when decoding reaches it.
/// </summary>
internal sealed class SelfAlias(string anchor, YPosition start) : YNode(start, null)
{
    public string Anchor { get; } = anchor;

    public override string Describe() => "an alias of its own collection";
}
