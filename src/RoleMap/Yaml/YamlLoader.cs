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
        return Parse(text, file);
    }

    /// <summary>
    /// Loads every document as kubectl and the API server read a manifest: also refusing what sigs.k8s.io/yaml cannot
    /// convert to JSON (<c>.inf</c>, <c>-.inf</c>, <c>.nan</c> as a value; a null key), naming the field.
    /// </summary>
    /// <exception cref="InputException">The text is not valid YAML, or holds a value JSON cannot.</exception>
    public static IReadOnlyList<YNode?> LoadManifests(string text, string? file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var documents = Parse(text, file, out var untouched);
        if (untouched)
        {
            return documents; // nothing sigs.k8s.io/yaml could refuse (see BlockYamlReader.TryParse)
        }

        foreach (var document in documents)
        {
            if (GoYaml.JsonConversionError(document, out var field) is { } error)
            {
                var where = field.Length == 0 ? "the document" : field;
                throw new InputException(
                    where + ": " + error.Message + "; kubectl refuses it too (\"error converting YAML to JSON\"); quote it if it is text",
                    new SourceLocation(file, error.Line, error.Column));
            }
        }

        return documents;
    }

    /// <summary>
    /// Hands the documents of <paramref name="text"/> to <paramref name="visitor"/> one by one (and the items of a
    /// document's <c>items</c> list one by one) when the block-YAML fast path reads the text and
    /// <see cref="LoadManifests"/> would return its tree untouched: then the visitor saw exactly what
    /// <see cref="LoadManifests"/> returns, and true is returned. False otherwise (JSON, YAML outside the fast path,
    /// anything go-yaml's checks or decoding act on, a document the visitor refused): the caller must forget what the
    /// visitor was given and use <see cref="LoadManifests"/>, which also produces every error.
    /// </summary>
    internal static bool TryStreamManifests(string text, IManifestVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = GoYaml.WithoutByteOrderMark(text);
        return !JsonNodeReader.LooksLikeJson(text) && BlockYamlReader.TryStream(text, visitor);
    }

    /// <summary>
    /// <see cref="TryStreamManifests(string, IManifestVisitor)"/> over the text of UTF-8 bytes that are all ASCII (the
    /// text is then the bytes, one character each): the fast path reads the bytes, and no string of the whole text is
    /// made. False also when a byte is not ASCII: decode the bytes and use the string.
    /// </summary>
    internal static bool TryStreamManifests(byte[] ascii, IManifestVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(ascii);

        return !LooksLikeJson(ascii) && BlockYamlReader.TryStreamAscii(ascii, visitor);
    }

    /// <summary>
    /// What <see cref="LoadManifests"/> returns for the text of <paramref name="ascii"/>, when the block-YAML fast path
    /// reads the bytes and leaves nothing for go-yaml's checks, its decoding or the JSON conversion (see
    /// <see cref="TryStreamManifests(byte[], IManifestVisitor)"/>); null otherwise: decode the bytes and load the text,
    /// which also produces every error.
    /// </summary>
    internal static List<YNode?>? TryLoadManifests(byte[] ascii)
    {
        ArgumentNullException.ThrowIfNull(ascii);
        if (LooksLikeJson(ascii))
        {
            return null;
        }

        var documents = BlockYamlReader.TryParseAscii(ascii, out var untouched);
        return untouched ? documents : null;
    }

    /// <summary><see cref="JsonNodeReader.LooksLikeJson"/> on ASCII (which holds no byte-order mark).</summary>
    private static bool LooksLikeJson(byte[] ascii)
    {
        var first = ascii.AsSpan().IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && ascii[first] is (byte)'{' or (byte)'[';
    }

    /// <summary>Loads a stream expected to hold at most one document.</summary>
    public static YNode? LoadSingle(string text, string? file) => Single(LoadAll(text, file), file);

    /// <summary><see cref="LoadSingle"/> with <see cref="LoadManifests"/>' JSON rule.</summary>
    public static YNode? LoadSingleManifest(string text, string? file) => Single(LoadManifests(text, file), file);

    internal static YNode? Single(IReadOnlyList<YNode?> documents, string? file)
    {
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
        catch (InputException ex)
        {
            documents = [];
            error = new YamlSyntaxError(ex.Detail, ex.Location?.Line ?? 1, ex.Location?.Column ?? 1);
            return false;
        }
    }

    /// <summary>
    /// Reads text as go-yaml v2's <c>Unmarshal</c> does: the first document only (what follows it is not read, except
    /// as far as the parser looks ahead), decoded with merge keys, !!binary and tag checks. With
    /// <paramref name="toJson"/> the tree must also survive sigs.k8s.io/yaml's conversion to JSON, as aws-auth's
    /// mapRoles and mapUsers must. An empty text is a null root. Returns false with go-yaml's reason otherwise.
    /// </summary>
    public static bool TryUnmarshal(string text, bool toJson, out YNode? root, out YamlSyntaxError? error) =>
        TryUnmarshal(text, toJson ? UnmarshalTarget.Json : UnmarshalTarget.Any, out root, out error);

    /// <summary>
    /// <see cref="TryUnmarshal(string, bool, out YNode?, out YamlSyntaxError?)"/> for a target type: with
    /// <see cref="UnmarshalTarget.StringList"/> nothing is decoded beyond the syntax (decoding into []string visits only
    /// the list's scalars: see <see cref="GoYaml.DecodeScalar"/>).
    /// </summary>
    public static bool TryUnmarshal(string text, UnmarshalTarget target, out YNode? root, out YamlSyntaxError? error) =>
        TryUnmarshal(text, target, out root, out error, out _);

    /// <summary><see cref="TryUnmarshal(string, UnmarshalTarget, out YNode?, out YamlSyntaxError?)"/>, also saying what go-yaml did silently.</summary>
    public static bool TryUnmarshal(string text, UnmarshalTarget target, out YNode? root, out YamlSyntaxError? error, out GoYamlNotes notes) =>
        TryUnmarshal(text, target, fastPath: true, out root, out error, out notes);

    /// <summary>The same, choosing whether the fast path may be used (the differential test reads both ways).</summary>
    internal static bool TryUnmarshal(string text, UnmarshalTarget target, bool fastPath, out YNode? root, out YamlSyntaxError? error, out GoYamlNotes notes)
    {
        ArgumentNullException.ThrowIfNull(text);
        root = null;
        notes = GoYamlNotes.None;
        var byteOrderMark = text.StartsWith('\uFEFF');
        var original = text;
        text = GoYaml.WithoutByteOrderMark(text);
        var documents = fastPath ? BlockYamlReader.TryParse(text) : null;
        var readUpTo = text.Length;
        if (documents is null)
        {
            // The exact path: go-yaml's own reader, scanner and parser, transcribed (GoYamlScanner, GoYamlParser).
            try
            {
                if (!GoYamlParser.TryParseFirst(original, out var first, out var readTo, out error))
                {
                    return false;
                }

                documents = first is null ? [] : [first];
                readUpTo = Math.Max(0, readTo - (byteOrderMark ? 1 : 0));
            }
            catch (InputException ex)
            {
                error = new YamlSyntaxError(ex.Detail, ex.Location?.Line ?? 1, ex.Location?.Column ?? 1);
                return false;
            }
        }
        else
        {
            error = GoYaml.ReaderError(text, readUpTo) ?? GoYaml.ScannerError(documents.Count == 0 ? null : documents[0]);
            if (error is not null)
            {
                return false;
            }
        }

        root = documents.Count == 0 ? null : documents[0];
        var ignoredFrom = documents.Count > 1 ? FirstContentLine(text, 0, afterFirstDocument: true) : readUpTo < text.Length ? FirstContentLine(text, readUpTo, afterFirstDocument: false) : null;
        notes = new GoYamlNotes(ignoredFrom, byteOrderMark, null, null);
        if (target == UnmarshalTarget.StringList)
        {
            return true;
        }

        if (GoYaml.SelfAliasError(root) is { } cycle)
        {
            error = cycle;
            root = null;
            return false;
        }

        root = GoYaml.Decode(root, out error, out var mergeLine, out var binaryLine);
        notes = notes with { MergeLine = mergeLine, BinaryLine = binaryLine };
        error ??= target == UnmarshalTarget.Json ? GoYaml.JsonConversionError(root) : null;
        if (error is not null)
        {
            root = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The 1-based line of the first content go-yaml leaves unread: after <paramref name="from"/>, or, for a stream the
    /// fast path split into documents, the second document's marker. Blank lines, comments and '...' do not count.
    /// </summary>
    private static int? FirstContentLine(string text, int from, bool afterFirstDocument)
    {
        var lines = text.Split('\n');
        var offset = 0;
        var sawDocument = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var end = offset + line.Length;
            offset = end + 1;
            if (end < from)
            {
                continue;
            }

            var content = line.Trim();
            if (afterFirstDocument)
            {
                if (content.StartsWith("---", StringComparison.Ordinal) && sawDocument)
                {
                    return i + 1;
                }

                sawDocument |= content.Length > 0 && !content.StartsWith('#') && !content.StartsWith("---", StringComparison.Ordinal);
                continue;
            }

            if (content.Length > 0 && !content.StartsWith('#') && content != "...")
            {
                return i + 1;
            }
        }

        return null;
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

    private static List<YNode?> Parse(string text, string? file) => Parse(text, file, out _);

    /// <summary>
    /// Every document, read as go-yaml reads it. <paramref name="untouched"/> is true when the fast path read the text
    /// and saw nothing go-yaml's checks, its decoding or the JSON conversion would act on: those walks are skipped.
    /// </summary>
    private static List<YNode?> Parse(string text, string? file, out bool untouched)
    {
        untouched = false;
        text = GoYaml.WithoutByteOrderMark(text);
        if (JsonNodeReader.LooksLikeJson(text) && JsonNodeReader.TryRead(text, out var json))
        {
            return [json];
        }

        var documents = BlockYamlReader.TryParse(text, out untouched);
        if (untouched)
        {
            return documents!;
        }

        if (documents is null)
        {
            try
            {
                documents = ParseWithYamlDotNet(text, file);
            }
            catch (YamlException ex)
            {
                var reader = GoYaml.ReaderError(text, (int)ex.Start.Index);
                throw reader is null
                    ? new InputException("invalid YAML: " + CleanMessage(ex), new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), ex)
                    : new InputException("invalid YAML: " + reader.Message, new SourceLocation(file, reader.Line, reader.Column), ex);
            }
        }

        // kubectl, the API server and the authenticator read manifests with the same library: its reader and decoder rules apply.
        if (GoYaml.ReaderError(text, text.Length) is { } refused)
        {
            throw new InputException("invalid YAML: " + refused.Message, new SourceLocation(file, refused.Line, refused.Column));
        }

        for (var i = 0; i < documents.Count; i++)
        {
            if (GoYaml.ScannerError(documents[i]) is { } scanner)
            {
                throw new InputException("invalid YAML: " + scanner.Message, new SourceLocation(file, scanner.Line, scanner.Column));
            }

            documents[i] = GoYaml.Decode(documents[i], out var error);
            if (error is not null)
            {
                throw new InputException("invalid YAML: " + error.Message, new SourceLocation(file, error.Line, error.Column));
            }
        }

        return documents;
    }

    /// <summary>The general path: YamlDotNet's parser events turned into nodes. Also the reference the fast path is tested against.</summary>
    internal static List<YNode?> ParseWithYamlDotNet(string text, string? file) => ParseExact(text, file);

    /// <summary>
    /// YamlDotNet, corrected where it refuses what libyaml and go-yaml accept: a block scalar whose leading blank lines
    /// hold more spaces than what follows ("found extra spaces in first line") is an empty scalar that ends there, so
    /// those lines are emptied and the text read again; a block scalar that then takes in content did not end there
    /// in go-yaml either, and is a syntax error. Failures that are not <see cref="YamlException"/> become one.
    /// </summary>
    private static List<YNode?> ParseExact(string text, string? file)
    {
        var lines = text.Split('\n');
        var emptied = new HashSet<int>(); // 1-based lines of block scalar indicators whose blank lines were emptied
        var ended = new HashSet<int>(); // those of them whose next content line was less indented than the blank lines
        var patched = 0;
        var current = text;
        while (true)
        {
            try
            {
                var documents = ReadEvents(current, file);
                if (ended.Count > 0 && BlockScalarWithContent(documents, ended) is { } swallowed)
                {
                    throw new SyntaxErrorException(new Mark(0, swallowed.Start.Line + 1, 1), new Mark(0, swallowed.Start.Line + 1, 1), "did not find expected key");
                }

                return documents;
            }
            catch (SemanticErrorException ex) when (ex.Message.Contains("found extra spaces in first line", StringComparison.Ordinal) && emptied.Count < 64)
            {
                // ex.Start is the line after the blank ones: empty every whitespace-only line just above it. libyaml
                // takes the scalar's indentation from the widest of those lines and the next content line, so the
                // content belongs to the scalar only when it is indented at least as far as every blank line.
                var contentLine = (int)ex.Start.Line - 1;
                var contentIndent = contentLine < lines.Length ? lines[contentLine].Length - lines[contentLine].TrimStart(' ').Length : 0;
                var line = contentLine - 1;
                var widest = 0;
                while (line >= 0 && lines[line].Trim(' ', '\r').Length == 0)
                {
                    widest = Math.Max(widest, lines[line].TrimEnd('\r').Length);
                    lines[line] = lines[line].EndsWith('\r') ? "\r" : string.Empty;
                    line--;
                }

                if (widest == 0 || line < 0)
                {
                    throw;
                }

                emptied.Add(line + 1);
                if (contentIndent < widest)
                {
                    ended.Add(line + 1);
                }

                current = string.Join('\n', lines);
            }
            catch (YamlException ex) when (ex.Message.Contains("double-quoted scalar, found wrong indentation", StringComparison.Ordinal) && ex.End.Line - 1 < lines.Length && patched++ < 64)
            {
                // libyaml does not check the indentation of a quoted scalar's continuation lines; their leading blanks
                // are folded away, so indenting the line to the scalar's own column reads the same value.
                var line = (int)ex.End.Line - 1;
                lines[line] = new string(' ', (int)ex.Start.Column) + lines[line];
                current = string.Join('\n', lines);
            }
            catch (SemanticErrorException ex) when (ex.Message.Contains("Invalid key indicator format", StringComparison.Ordinal) && IsLoneDash(current, (int)ex.Start.Index) && patched++ < 64)
            {
                // In a flow collection, '-' before ',', ']' or '}' is a plain scalar "-" for libyaml; YamlDotNet refuses
                // it. A quoted "-" reads the same string.
                // By index: YamlDotNet also counts a lone '\r' as a line break, so its line numbers need not be ours.
                var at = (int)ex.Start.Index;
                current = current[..at] + "\"-\"" + current[(at + 1)..];
                lines = current.Split('\n');
            }
            catch (YamlException ex) when (ex.Message.Contains("found unknown escape character", StringComparison.Ordinal) && EscapeAt(current, (int)ex.Start.Index) is { } at && patched++ < 64)
            {
                // libyaml also accepts \' and \/ in double quotes; the unescaped character reads the same there.
                current = current.Remove(at, 1);
                lines = current.Split('\n');
            }
            catch (ArgumentException ex) when (ex.Message.Contains("tag", StringComparison.OrdinalIgnoreCase))
            {
                // YamlDotNet's "Global tags must be valid URIs": libyaml reports a bad tag as a syntax error.
                throw new SyntaxErrorException(new Mark(0, 1, 1), new Mark(0, 1, 1), "did not find expected tag URI");
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's "The scanner should contain no more tokens" on a '...' before any document.
                throw new SyntaxErrorException(new Mark(0, 1, 1), new Mark(0, 1, 1), "did not find expected node content");
            }
        }
    }

    /// <summary>The index of the backslash of a \' or \/ escape at or just before <paramref name="index"/>.</summary>
    private static int? EscapeAt(string text, int index)
    {
        for (var i = Math.Min(index + 2, text.Length - 2); i >= Math.Max(0, index - 2); i--)
        {
            if (text[i] == '\\' && text[i + 1] is '\'' or '/')
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsLoneDash(string text, int index) =>
        index >= 0 && index + 1 < text.Length && text[index] == '-' && text[index + 1] is ',' or ']' or '}';

    /// <summary>A block scalar starting on one of <paramref name="lines"/> that holds more than line breaks.</summary>
    private static YScalar? BlockScalarWithContent(List<YNode?> documents, HashSet<int> lines)
    {
        var stack = new Stack<YNode>(documents.OfType<YNode>());
        var seen = new HashSet<YNode>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node))
            {
                continue;
            }

            switch (node)
            {
                case YScalar { IsBlock: true } scalar when lines.Contains(scalar.Start.Line) && scalar.Value.Trim('\n').Length > 0:
                    return scalar;
                case YSequence sequence:
                    sequence.Items.ToList().ForEach(stack.Push);
                    break;
                case YMapping mapping:
                    mapping.Pairs.ToList().ForEach(p => stack.Push(p.Value));
                    break;
            }
        }

        return null;
    }

    /// <summary>YamlDotNet's events turned into nodes, every document.</summary>
    private static List<YNode?> ReadEvents(string text, string? file)
    {
        var scanner = new FlowAnchorScanner(new Scanner(new StringReader(text)));
        var parser = new Parser(scanner);
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
                        Remember(anchors, AnchorOf(scanner, scalar.Anchor, scalar.Start), node);
                        Attach(stack, node, ref root, ref sawRoot);
                        break;
                    }

                case AnchorAlias alias:
                    {
                        CheckAnchorName(alias.Value, alias.Start);
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

                    stack.Push(new Frame(isMapping: false, Position(seq.Start), TagOf(seq.Tag), AnchorText(AnchorOf(scanner, seq.Anchor, seq.Start))));
                    break;
                case MappingStart map:
                    if (stack.Count >= MaxDepth)
                    {
                        throw new InputException("YAML nesting deeper than " + MaxDepth + " levels", new SourceLocation(file, (int)map.Start.Line, (int)map.Start.Column));
                    }

                    stack.Push(new Frame(isMapping: true, Position(map.Start), TagOf(map.Tag), AnchorText(AnchorOf(scanner, map.Anchor, map.Start))));
                    break;
                case SequenceEnd or MappingEnd:
                    {
                        var frame = stack.Pop();
                        if (frame.IsMapping && frame.Items.Count % 2 == 1)
                        {
                            // YamlDotNet drops the empty key of ': value' on a line of its own; libyaml refuses it.
                            throw new SyntaxErrorException(current.Start, current.End, "did not find expected key");
                        }

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

    /// <summary>The event's anchor, or the one <see cref="FlowAnchorScanner"/> took out of the stream before it.</summary>
    private static AnchorName AnchorOf(FlowAnchorScanner scanner, AnchorName anchor, Mark start)
    {
        var name = anchor.IsEmpty && scanner.Anchors.TryGetValue(start.Index, out var moved) ? new AnchorName(moved) : anchor;
        CheckAnchorName(name, start);
        return name;
    }

    /// <summary>libyaml allows only letters, digits, '-' and '_' in anchor and alias names; YamlDotNet allows more.</summary>
    private static void CheckAnchorName(AnchorName name, Mark at)
    {
        if (!name.IsEmpty && !name.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new SyntaxErrorException(at, at, "did not find expected alphabetic or numeric character (anchor names are letters, digits, '-' and '_')");
        }
    }

    private static string? AnchorText(AnchorName anchor) => anchor.IsEmpty ? null : anchor.Value;

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

/// <summary>What go-yaml decodes into, which decides how much of the document it looks at.</summary>
public enum UnmarshalTarget
{
    /// <summary><c>interface{}</c>: every node is decoded.</summary>
    Any,

    /// <summary><c>interface{}</c>, then converted to JSON by sigs.k8s.io/yaml (aws-auth's mapRoles, mapUsers; manifests).</summary>
    Json,

    /// <summary><c>[]string</c> (aws-auth's mapAccounts): only the list's scalars are decoded.</summary>
    StringList,
}

/// <summary>
/// A YAML error with its position inside the text that was parsed, and the finding id that names its kind:
/// <c>yaml-invalid</c> (syntax), <c>yaml-control-character</c>, <c>yaml-tag-mismatch</c>, <c>yaml-merge-key</c>,
/// <c>yaml-binary</c> or <c>yaml-json-value</c> (see docs/yaml.md).
/// </summary>
public sealed record YamlSyntaxError(string Message, int Line, int Column, string Rule = "yaml-invalid");

/// <summary>What go-yaml did with a text it read without error, for findings that explain it.</summary>
/// <param name="IgnoredFromLine">The first line of content after the first document or node, which go-yaml never reads.</param>
/// <param name="ByteOrderMark">The text started with a byte-order mark, which go-yaml skips.</param>
/// <param name="MergeLine">The line of a merge key (<c>&lt;&lt;</c>) go-yaml resolved.</param>
/// <param name="BinaryLine">The line of a <c>!!binary</c> scalar go-yaml decoded from base64.</param>
public sealed record GoYamlNotes(int? IgnoredFromLine, bool ByteOrderMark, int? MergeLine, int? BinaryLine)
{
    public static GoYamlNotes None { get; } = new(null, false, null, null);
}
