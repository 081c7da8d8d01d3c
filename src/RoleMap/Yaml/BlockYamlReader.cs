using System.Buffers;
using System.Globalization;
using System.Text;
using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>
/// A fast path for the YAML that machines write: block mappings and sequences, one-line plain and quoted scalars,
/// one-line flow lists of scalars, <c>{}</c>, literal block scalars (<c>|</c>, <c>|-</c>, <c>|+</c>), comments and
/// <c>---</c> between documents. That is what kubectl, rolemap's renderers and hand-written specs use, and YamlDotNet's
/// parser reads it at a few MB/s, which made a 20 MB <c>kubectl get -o yaml</c> dump take seconds.
/// <para>
/// It builds exactly the tree <see cref="YamlLoader"/> builds from YamlDotNet's events (values, styles, positions).
/// Anything else (anchors, tags, multi-line plain or quoted scalars, folded scalars, complex keys, tabs, CR, control
/// characters, anything invalid) makes <see cref="TryParse"/> return null and the caller uses YamlDotNet, which also
/// produces every syntax error. tests/RoleMap.Tests/Yaml/BlockYamlReaderTests.cs compares the two on generated input.
/// </para>
/// </summary>
internal static class BlockYamlReader
{
    /// <summary>The documents of <paramref name="text"/>, or null when the text is outside the subset this reader handles.</summary>
    public static List<YNode?>? TryParse(string text) => TryParse(text, out _);

    /// <summary>
    /// <see cref="TryParse(string)"/>, also saying whether go-yaml's checks and decoding after the parse would leave
    /// the documents as they are. <paramref name="untouched"/> is true when the text has no character go-yaml's reader
    /// refuses (this reader leaves every one of them to YamlDotNet), no reserved indicator starting a plain scalar, no
    /// tag, anchor or alias (also left to YamlDotNet), no merge key, and no key or value sigs.k8s.io/yaml cannot convert
    /// to JSON (a null or integer key, <c>.inf</c>/<c>.nan</c>): then <see cref="GoYaml.ReaderError"/>,
    /// <see cref="GoYaml.ScannerError"/> and <see cref="GoYaml.JsonConversionError(YNode?)"/> find nothing and
    /// <see cref="GoYaml.Decode(YNode?, out YamlSyntaxError?)"/> returns the same tree, so the caller may skip those
    /// walks over every node.
    /// </summary>
    public static List<YNode?>? TryParse(string text, out bool untouched)
    {
        ArgumentNullException.ThrowIfNull(text);
        untouched = false;
        return Utf16Text.IsSupported(text) ? BlockYamlReader<Utf16Text>.TryParse(new Utf16Text(text), null, out untouched) : null;
    }

    /// <summary>
    /// <see cref="TryParse(string, out bool)"/> over the text <paramref name="ascii"/> holds when every byte is ASCII (the
    /// same characters, one byte each, so positions are the same): no string of the whole text is made, and scalars are
    /// decoded from the bytes. Null, as for text outside the subset, when a byte is not ASCII: decode and use the string.
    /// </summary>
    public static List<YNode?>? TryParseAscii(byte[] ascii, out bool untouched)
    {
        ArgumentNullException.ThrowIfNull(ascii);
        untouched = false;
        return AsciiText.IsSupported(ascii) ? BlockYamlReader<AsciiText>.TryParse(new AsciiText(ascii), null, out untouched) : null;
    }

    /// <summary>
    /// Reads the documents of <paramref name="text"/> as <see cref="TryParse(string, out bool)"/> does, handing each to
    /// <paramref name="visitor"/> instead of returning them (see <see cref="IManifestVisitor"/>). True when the whole
    /// text was read and is untouched (as <see cref="TryParse(string, out bool)"/> defines it), so that what the visitor
    /// was given is exactly what <see cref="YamlLoader.LoadManifests"/> returns; false when the visitor refused a
    /// document or the text is outside the subset, and whatever the visitor was given must be thrown away.
    /// </summary>
    public static bool TryStream(string text, IManifestVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Utf16Text.IsSupported(text) && BlockYamlReader<Utf16Text>.TryParse(new Utf16Text(text), visitor, out var untouched) is not null && untouched;
    }

    /// <summary><see cref="TryStream(string, IManifestVisitor)"/> over ASCII bytes (see <see cref="TryParseAscii"/>); false when a byte is not ASCII.</summary>
    public static bool TryStreamAscii(byte[] ascii, IManifestVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(ascii);
        return AsciiText.IsSupported(ascii) && BlockYamlReader<AsciiText>.TryParse(new AsciiText(ascii), visitor, out var untouched) is not null && untouched;
    }
}

/// <summary>
/// The reader behind <see cref="BlockYamlReader"/>, over a string or over ASCII bytes (<typeparamref name="TText"/>, a
/// struct, so that each kind of text gets its own compiled reader with the character access inlined).
/// </summary>
internal sealed partial class BlockYamlReader<TText>
    where TText : struct, IBlockText
{
    private static readonly BailOut Bail = new();

    private readonly TText text;
    private int pos;       // start of the current line
    private int line = 1;  // its 1-based number
    private int indent;    // its indentation, valid after SkipToContent returned true
    private int depth;

    // Set when a node go-yaml's decoding or the JSON conversion could change or refuse was read (see Untouched).
    private bool decodingMatters;

    // With a visitor (TryStream), each document goes to it as soon as it is read, and the items of its root mapping's
    // first block list under 'items' one by one: a kubectl List is never held as one tree.
    private IManifestVisitor? visitor;
    private int document;       // the 1-based number of the document being read
    private YSequence? streamed; // the empty list standing for the items given to the visitor in this document
    private readonly NodeArena itemArena = new();
    private NodeArena? arena;    // set while a streamed item is read: its nodes are recycled after the visitor saw it

    private BlockYamlReader(TText text) => this.text = text;

    /// <summary>
    /// The documents (none with a visitor, which was given them), or null when the text is outside the subset or the
    /// visitor refused a document. The caller has checked the text's characters (<see cref="IBlockText"/>).
    /// </summary>
    public static List<YNode?>? TryParse(TText text, IManifestVisitor? visitor, out bool untouched)
    {
        untouched = false;
        try
        {
            var reader = new BlockYamlReader<TText>(text) { visitor = visitor };
            var documents = reader.Stream();
            untouched = !reader.decodingMatters;
            return documents;
        }
        catch (BailOut)
        {
            return null;
        }
    }

    /// <summary>The text from <paramref name="from"/> to <paramref name="to"/>, one shared string for short repeated texts.</summary>
    private string Slice(int from, int to) => text.Slice(from, to - from);

    /// <summary>A plain key: notes one go-yaml's decoding merges (<c>&lt;&lt;</c>) or that may not become a JSON key (null, a number).</summary>
    private YScalar PlainKey(int from, int to)
    {
        var key = Scalar(Slice(from, to), ScalarStyle.Plain, Position(from));
        decodingMatters |= key.Value == "<<" || ((text[from] is '~' or 'n' or 'N' or '+' or '-' or '.' || char.IsAsciiDigit(text[from])) && key.Kind != ScalarKind.String);
        return key;
    }

    /// <summary>A plain value: notes an infinite or NaN float, which sigs.k8s.io/yaml cannot convert to JSON.</summary>
    private YScalar PlainValue(int from, int to)
    {
        var value = Scalar(Slice(from, to), ScalarStyle.Plain, Position(from));
        decodingMatters |= text[from] is ('.' or '+' or '-') && GoYamlResolver.IsInfiniteOrNaN(value);
        return value;
    }

    private List<YNode?> Stream()
    {
        var documents = new List<YNode?>();
        var explicitStart = false;
        while (true)
        {
            if (!SkipToContent())
            {
                // "---" with nothing after it is an empty document: left to YamlDotNet, like every other empty document.
                return explicitStart ? throw Bail : documents;
            }

            var at = pos + indent;
            if (indent == 0 && IsMarker(at, '-'))
            {
                if (explicitStart)
                {
                    throw Bail;
                }

                RestIsBlank(at + 3);
                NextLine();
                explicitStart = true;
                continue;
            }

            if (text[at] is '%' || (indent == 0 && IsMarker(at, '.')))
            {
                throw Bail;
            }

            document++;
            var root = Block(-1);
            if (visitor is null)
            {
                documents.Add(root);
            }
            else if (visitor.Document(document, root, streamed))
            {
                streamed = null;
            }
            else
            {
                throw Bail;
            }

            explicitStart = false;
            if (SkipToContent())
            {
                // Only a document marker may follow a document's root node.
                if (indent != 0 || !IsMarker(pos, '-'))
                {
                    throw Bail;
                }
            }
        }
    }

    /// <summary>
    /// A mapping or sequence starting on the current content line, which is indented more than <paramref name="parentIndent"/>.
    /// With <paramref name="streamItems"/> it is a sequence whose items go to the visitor.
    /// </summary>
    private YNode Block(int parentIndent, bool streamItems = false)
    {
        if (++depth > YamlLoader.MaxDepth)
        {
            throw Bail;
        }

        var n = indent;
        var at = pos + n;
        YNode node = IsSequenceItem(at) ? Sequence(n, streamItems)
            : ScanKey(at, out var key, out var afterColon) ? Mapping(n, key!, afterColon)
            : throw Bail; // a scalar on its own line (possibly continuing on the next ones)
        depth--;
        return node;
    }

    private YSequence Sequence(int n, bool streamItems = false)
    {
        var start = new YPosition(line, n + 1);
        var items = streamItems ? null : ItemList();
        var count = 0;
        while (true)
        {
            arena = streamItems ? itemArena : arena;
            var dash = pos + n;
            var v = SkipSpaces(dash + 1);
            YNode item;
            if (IsLineEnd(v))
            {
                NextLine();
                item = SkipToContent() && indent > n ? Block(n) : throw Bail; // "-" alone: an empty item
            }
            else if (IsSequenceItem(v))
            {
                throw Bail; // "- - x"
            }
            else if (ScanKey(v, out var key, out var afterColon))
            {
                if (++depth > YamlLoader.MaxDepth)
                {
                    throw Bail;
                }

                item = Mapping(v - pos, key!, afterColon);
                depth--;
            }
            else
            {
                item = InlineValue(v, n);
                if (SkipToContent() && indent > n)
                {
                    throw Bail;
                }
            }

            if (items is null)
            {
                visitor!.Item(document, count, item);
                arena = null;
                itemArena.Reset();
            }
            else
            {
                items.Add(item);
            }

            count++;
            if (!SkipToContent() || indent < n)
            {
                break;
            }

            if (indent > n)
            {
                throw Bail;
            }

            if (!IsSequenceItem(pos + n))
            {
                break; // an indentless sequence ends at the next key of its mapping
            }
        }

        if (items is null)
        {
            streamed = new YSequence([], start);
            return streamed;
        }

        return SequenceNode(items, start);
    }

    /// <summary>A block mapping at indentation <paramref name="n"/> whose first key (already scanned) is on the current line.</summary>
    private YMapping Mapping(int n, YScalar firstKey, int firstAfterColon)
    {
        var pairs = PairList();
        var key = firstKey;
        var afterColon = firstAfterColon;
        while (true)
        {
            var v = SkipSpaces(afterColon);
            YNode value;
            if (IsLineEnd(v))
            {
                var emptyAt = new YPosition(line, afterColon - pos + 1);
                NextLine();
                if (!SkipToContent() || indent < n || (indent == n && !IsSequenceItem(pos + n)))
                {
                    value = Scalar(string.Empty, ScalarStyle.Plain, emptyAt);
                }
                else
                {
                    // A document's (first) list of items, as in a kubectl List, goes to the visitor item by item.
                    var streamItems = visitor is not null && depth == 1 && (indent == n || IsSequenceItem(pos + indent)) && StreamsList(key);
                    value = indent > n ? Block(n, streamItems) : Sequence(n, streamItems);
                }
            }
            else
            {
                value = InlineValue(v, n);
                if (SkipToContent() && indent > n)
                {
                    throw Bail;
                }
            }

            pairs.Add(new(key, value));
            if (!SkipToContent() || indent < n)
            {
                break;
            }

            if (indent > n)
            {
                throw Bail;
            }

            if (n == 0 && (IsMarker(pos, '-') || IsMarker(pos, '.')))
            {
                break; // the end of the document
            }

            if (!ScanKey(pos + n, out var next, out afterColon))
            {
                throw Bail; // e.g. a sequence item at the indentation of a mapping's keys
            }

            key = next!;
        }

        return MappingNode(pairs, firstKey.Start);
    }

    /// <summary>
    /// A key at <paramref name="at"/>: a plain or quoted scalar followed by ':' and a space or the line end.
    /// False (and nothing consumed) when the line is not a key.
    /// </summary>
    private bool ScanKey(int at, out YScalar? key, out int afterColon)
    {
        key = null;
        afterColon = 0;
        var c = text[at];
        if (c is '"' or '\'')
        {
            var closed = c == '"' ? DoubleQuoted(at, out var value) : SingleQuoted(at, out value);
            if (closed < text.Length && text[closed] == ':' && IsSpaceOrLineEnd(closed + 1))
            {
                key = Scalar(value, c == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted, Position(at));
                afterColon = closed + 1;
                return true;
            }

            return false;
        }

        if (!PlainMayStart(at))
        {
            return false;
        }

        for (var i = at; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '\n' || (ch == '#' && text[i - 1] == ' '))
            {
                return false;
            }

            if (ch == ':' && IsSpaceOrLineEnd(i + 1))
            {
                var end = i;
                while (text[end - 1] == ' ')
                {
                    end--;
                }

                if (end - at > 1024 || text.HasUnusualInKey(at, end - at))
                {
                    throw Bail; // YAML limits implicit keys to 1024 characters; YamlDotNet trips on indicators inside keys
                }

                key = PlainKey(at, end);
                afterColon = i + 1;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A value that starts at <paramref name="v"/> on the current line (a mapping value or a sequence item), for a node
    /// whose parent is indented <paramref name="parentIndent"/>. Leaves the position at the start of the next line.
    /// </summary>
    private YNode InlineValue(int v, int parentIndent)
    {
        var c = text[v];
        switch (c)
        {
            case '"':
                {
                    var end = DoubleQuoted(v, out var value);
                    RestIsBlank(end);
                    var node = Scalar(value, ScalarStyle.DoubleQuoted, Position(v));
                    NextLine();
                    return node;
                }

            case '\'':
                {
                    var end = SingleQuoted(v, out var value);
                    RestIsBlank(end);
                    var node = Scalar(value, ScalarStyle.SingleQuoted, Position(v));
                    NextLine();
                    return node;
                }

            case '[':
                return FlowSequence(v);
            case '{':
                {
                    if (v + 1 >= text.Length || text[v + 1] != '}')
                    {
                        throw Bail;
                    }

                    RestIsBlank(v + 2);
                    var node = MappingNode([], Position(v));
                    NextLine();
                    return node;
                }

            case '|':
                return Literal(v, parentIndent);
        }

        if (!PlainMayStart(v))
        {
            throw Bail;
        }

        var i = v;
        var last = v; // one past the last non-space character
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '\n' || (ch == '#' && text[i - 1] == ' '))
            {
                break;
            }

            if (ch == ':' && IsSpaceOrLineEnd(i + 1))
            {
                throw Bail; // "a: b: c" is an error; "- a: b" was taken as a key before
            }

            if (ch != ' ')
            {
                last = i + 1;
            }
        }

        var scalar = PlainValue(v, last);
        NextLine();
        return scalar;
    }

    /// <summary><c>[a, "b", 'c']</c> on one line.</summary>
    private YSequence FlowSequence(int open)
    {
        var start = Position(open);
        var items = ItemList();
        var i = SkipSpaces(open + 1);
        if (i < text.Length && text[i] == ']')
        {
            i++;
        }
        else
        {
            while (true)
            {
                if (i >= text.Length)
                {
                    throw Bail;
                }

                var c = text[i];
                if (c is '"' or '\'')
                {
                    var end = c == '"' ? DoubleQuoted(i, out var value) : SingleQuoted(i, out value);
                    items.Add(Scalar(value, c == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted, Position(i)));
                    i = end;
                }
                else if (PlainMayStart(i) && !(c == '-' && i + 1 < text.Length && text[i + 1] is ',' or '[' or ']' or '{' or '}'))
                {
                    var s = i;
                    var last = i;
                    for (; i < text.Length; i++)
                    {
                        var ch = text[i];
                        if (ch is '\n' or ',' or '[' or ']' or '{' or '}' || (ch == '#' && text[i - 1] == ' '))
                        {
                            break;
                        }

                        if (ch == ':' && (IsSpaceOrLineEnd(i + 1) || text[i + 1] is ',' or '[' or ']' or '{' or '}'))
                        {
                            throw Bail; // a single-pair mapping inside the list
                        }

                        if (ch == '?')
                        {
                            throw Bail; // in a flow collection go-yaml ends a plain scalar at '?' (a key indicator there)
                        }

                        if (ch != ' ')
                        {
                            last = i + 1;
                        }
                    }

                    items.Add(PlainValue(s, last));
                }
                else
                {
                    throw Bail;
                }

                i = SkipSpaces(i);
                if (i < text.Length && text[i] == ',')
                {
                    i = SkipSpaces(i + 1);
                    if (i < text.Length && text[i] == ']')
                    {
                        throw Bail; // a trailing comma
                    }

                    continue;
                }

                if (i < text.Length && text[i] == ']')
                {
                    i++;
                    break;
                }

                throw Bail;
            }
        }

        RestIsBlank(i);
        NextLine();
        return SequenceNode(items, start);
    }

    /// <summary>A literal block scalar (<c>|</c>, <c>|-</c>, <c>|+</c>) with its indentation detected from the first line.</summary>
    private YScalar Literal(int bar, int parentIndent)
    {
        var start = Position(bar);
        var i = bar + 1;
        var chomp = ' ';
        if (i < text.Length && text[i] is '-' or '+')
        {
            chomp = text[i];
            i++;
        }

        RestIsBlank(i);
        NextLine();

        // The first line sets the indentation; leading blank lines (which YAML lets set it too) are left to YamlDotNet.
        var contentIndent = CountSpaces(pos);
        if (pos + contentIndent >= text.Length || text[pos + contentIndent] == '\n' || contentIndent <= parentIndent)
        {
            throw Bail;
        }

        var value = new StringBuilder();
        var pendingBreaks = 0; // line breaks after the last content line, written only if more content follows
        var first = true;
        while (pos < text.Length)
        {
            var spaces = CountSpaces(pos);
            var lineEnd = pos + spaces;
            if (lineEnd >= text.Length || text[lineEnd] == '\n')
            {
                if (spaces > contentIndent)
                {
                    throw Bail; // a blank line with more spaces than the indentation: content, left to YamlDotNet
                }

                if (lineEnd >= text.Length)
                {
                    break;
                }

                pendingBreaks++;
                NextLine();
                continue;
            }

            if (spaces < contentIndent)
            {
                break;
            }

            var end = text.IndexOfLineFeed(pos);
            if (end < 0)
            {
                throw Bail; // the last line has no line break: left to YamlDotNet
            }

            if (!first)
            {
                value.Append('\n', pendingBreaks + 1);
            }

            text.AppendTo(value, pos + contentIndent, end - pos - contentIndent);
            first = false;
            pendingBreaks = 0;
            NextLine();
        }

        switch (chomp)
        {
            case ' ':
                value.Append('\n');
                break;
            case '+':
                value.Append('\n', pendingBreaks + 1);
                break;
        }

        return Scalar(value.ToString(), ScalarStyle.Literal, start, contentLineOffset: 1);
    }

    /// <summary>A double-quoted scalar on one line; returns the index after the closing quote.</summary>
    private int DoubleQuoted(int open, out string value)
    {
        var i = open + 1;
        var plainEnd = text.IndexOfQuoteEnd(i);
        if (plainEnd >= 0 && text[i + plainEnd] == '"')
        {
            value = Slice(i, i + plainEnd);
            return i + plainEnd + 1;
        }

        var sb = new StringBuilder();
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                value = sb.ToString();
                return i + 1;
            }

            if (c == '\n')
            {
                throw Bail; // a multi-line scalar folds its lines: left to YamlDotNet
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= text.Length)
            {
                throw Bail;
            }

            switch (text[i])
            {
                case '0': sb.Append('\0'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'v': sb.Append('\v'); break;
                case 'f': sb.Append('\f'); break;
                case 'r': sb.Append('\r'); break;
                case 'e': sb.Append('\x1B'); break;
                case ' ': sb.Append(' '); break;
                case '"': sb.Append('"'); break;
                case '/': sb.Append('/'); break;
                case '\\': sb.Append('\\'); break;
                case 'N': sb.Append('\u0085'); break;
                case '_': sb.Append('\u00A0'); break;
                case 'L': sb.Append('\u2028'); break;
                case 'P': sb.Append('\u2029'); break;
                case 'x': i = Hex(sb, i, 2); break;
                case 'u': i = Hex(sb, i, 4); break;
                case 'U': i = Hex(sb, i, 8); break;
                default: throw Bail;
            }
        }

        throw Bail;
    }

    private int Hex(StringBuilder sb, int at, int digits)
    {
        if (at + digits >= text.Length
            || !text.TryParseHex(at + 1, digits, out var code)
            || code is < 0 or > 0x10FFFF || (code is >= 0xD800 and <= 0xDFFF))
        {
            throw Bail;
        }

        sb.Append(char.ConvertFromUtf32(code));
        return at + digits;
    }

    /// <summary>A single-quoted scalar on one line; returns the index after the closing quote.</summary>
    private int SingleQuoted(int open, out string value)
    {
        StringBuilder? sb = null;
        var from = open + 1;
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                throw Bail;
            }

            if (c != '\'')
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                text.AppendTo(sb ??= new StringBuilder(), from, i + 1 - from);
                from = i + 2;
                i++;
                continue;
            }

            value = sb is null ? Slice(from, i) : text.AppendTo(sb, from, i - from).ToString();
            return i + 1;
        }

        throw Bail;
    }

    /// <summary>Whether a plain scalar may start at <paramref name="at"/> (YAML's indicators may not start one).</summary>
    private bool PlainMayStart(int at)
    {
        var c = text[at];
        if (c == '-')
        {
            // "-x" is plain, "- x" a sequence item; "---" at the start of a line is a document marker.
            return !IsSpaceOrLineEnd(at + 1) && !(at == pos && IsMarker(at, '-'));
        }

        return c is not ('?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or ' ' or '\n');
    }

    private bool IsSequenceItem(int at) => text[at] == '-' && IsSpaceOrLineEnd(at + 1);

    private bool IsSpaceOrLineEnd(int at) => at >= text.Length || text[at] is ' ' or '\n';

    /// <summary>A document marker (<c>---</c> or <c>...</c>) at <paramref name="at"/>, the start of a line.</summary>
    private bool IsMarker(int at, char c) =>
        at + 2 < text.Length && text[at] == c && text[at + 1] == c && text[at + 2] == c && IsSpaceOrLineEnd(at + 3);

    /// <summary>True at the end of the line or of the text, or at a comment.</summary>
    private bool IsLineEnd(int at) => at >= text.Length || text[at] == '\n' || (text[at] == '#' && text[at - 1] == ' ');

    /// <summary>Requires that only spaces and a comment follow <paramref name="at"/> on its line.</summary>
    private void RestIsBlank(int at)
    {
        var i = SkipSpaces(at);
        if (i < text.Length && text[i] != '\n' && !(text[i] == '#' && i > at))
        {
            throw Bail;
        }
    }

    private int SkipSpaces(int at)
    {
        while (at < text.Length && text[at] == ' ')
        {
            at++;
        }

        return at;
    }

    private int CountSpaces(int at) => SkipSpaces(at) - at;

    private void NextLine()
    {
        var end = text.IndexOfLineFeed(pos);
        pos = end < 0 ? text.Length : end + 1;
        line++;
    }

    /// <summary>Moves to the next line with content (skipping blank and comment lines); false at the end of the text.</summary>
    private bool SkipToContent()
    {
        while (pos < text.Length)
        {
            var i = SkipSpaces(pos);
            if (i >= text.Length)
            {
                pos = text.Length;
                return false;
            }

            if (text[i] is '\n' or '#')
            {
                NextLine();
                continue;
            }

            indent = i - pos;
            return true;
        }

        return false;
    }

    private YPosition Position(int at) => new(line, at - pos + 1);

    // Nodes come from the arena while a streamed item is read, and are new otherwise.
    private YScalar Scalar(string value, ScalarStyle style, YPosition start, int contentLineOffset = 0) =>
        arena is null ? new YScalar(value, style, start, contentLineOffset: contentLineOffset) : arena.Scalar(value, style, start, contentLineOffset);

    private YSequence SequenceNode(IReadOnlyList<YNode> items, YPosition start) => arena is null ? new YSequence(items, start) : arena.Sequence(items, start);

    private YMapping MappingNode(IReadOnlyList<KeyValuePair<YNode, YNode>> pairs, YPosition start) => arena is null ? new YMapping(pairs, start) : arena.Mapping(pairs, start);

    private List<YNode> ItemList() => arena is null ? [] : arena.ItemList();

    private List<KeyValuePair<YNode, YNode>> PairList() => arena is null ? [] : arena.PairList();

    /// <summary>Thrown (one shared instance) to abandon the fast path.</summary>
    private sealed class BailOut : Exception
    {
    }
}

/// <summary>
/// Receives the documents <see cref="BlockYamlReader.TryStream"/> reads, one at a time, and the items of a document's
/// list of items as they are read, so that objects can be read out of a large kubectl List without its whole tree.
/// </summary>
internal interface IManifestVisitor
{
    /// <summary>
    /// Item <paramref name="index"/> of the block list under the first <c>items</c> key of document
    /// <paramref name="document"/>'s root mapping (1-based); the tree keeps an empty list in its place.
    /// </summary>
    void Item(int document, int index, YNode item);

    /// <summary>
    /// Document <paramref name="document"/>, read; <paramref name="streamed"/> is the empty list standing for the items
    /// given to <see cref="Item"/>, if any. False stops the reading: <see cref="BlockYamlReader.TryStream"/> returns false.
    /// </summary>
    bool Document(int document, YNode root, YSequence? streamed);
}
