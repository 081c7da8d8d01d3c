using System.Buffers;
using System.Text;
using RoleMap.Text;

namespace RoleMap.Yaml;

/// <summary>
/// Reproduces Terraform's <c>yamlencode</c> byte for byte for strings, lists and maps (zclconf/go-cty-yaml, a
/// go-yaml v2 emitter with unicode on and width 80): every string double-quoted and folded at spaces past
/// column 80, strings with a newline as literal blocks where go-yaml allows them, map keys sorted bytewise
/// over UTF-8, empty collections as <c>[]</c>/<c>{}</c>. See docs/research/yamlencode.md for the observed cases.
/// Not reproduced: Terraform NFC-normalises strings first; values that arrive from Terraform already are.
/// </summary>
public static class TerraformYamlEncoder
{
    private const int BestWidth = 80;
    private const int BestIndent = 2;
    private const int MaxSimpleKeyBytes = 128;

    public static string Encode(YamlValue value) => Encoding.UTF8.GetString(EncodeUtf8(value).Span);

    /// <summary><see cref="Encode"/> as UTF-8 bytes.</summary>
    internal static ReadOnlyMemory<byte> EncodeUtf8(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var w = new Writer(256);
        w.Node(value, parentIndent: -1, context: Context.Root);
        return w.Finish();
    }

    internal enum Context
    {
        Root,
        SequenceItem,
        MappingValue,
    }

    /// <summary>
    /// The emitter, writing UTF-8. Besides whole trees (<see cref="Node"/>) it writes a root list of mappings item by
    /// item (<see cref="Item"/>, <see cref="Pair(string, string, bool)"/>), the same bytes without a tree per item.
    /// </summary>
    internal sealed class Writer(long capacity)
    {
        private readonly Utf8Builder output = new(capacity);

        // In characters (code points), as go-yaml counts its column.
        public int Column { get; private set; }

        /// <summary>The text, ended by a line break.</summary>
        public ReadOnlyMemory<byte> Finish()
        {
            if (Column > 0)
            {
                Break();
            }

            return output.Memory;
        }

        public void Break()
        {
            output.Append((byte)'\n');
            Column = 0;
        }

        /// <summary>Starts an item of a root list.</summary>
        public void Item() => SequenceItem(0, firstInline: false);

        /// <summary>A pair of a root list item's mapping with a string value; keys must come in <see cref="Utf8Order"/>.</summary>
        public void Pair(string key, string value, bool first)
        {
            Key(key, BestIndent, first);
            String(value, BestIndent, Context.MappingValue);
        }

        /// <summary>A pair of a root list item's mapping with a list of strings as its value.</summary>
        public void Pair(string key, IReadOnlyList<string> values, bool first)
        {
            Key(key, BestIndent, first);
            if (values.Count == 0)
            {
                Put(" []");
                return;
            }

            for (var i = 0; i < values.Count; i++) // no enumerator: this runs for every entry
            {
                SequenceItem(BestIndent, firstInline: false);
                String(values[i], BestIndent, Context.SequenceItem);
            }
        }

        public void Node(YamlValue value, int parentIndent, Context context)
        {
            switch (value)
            {
                case YamlSequence { Items.Count: 0 }:
                    Put(context == Context.Root ? "[]" : " []");
                    break;
                case YamlMapping { Pairs.Count: 0 }:
                    Put(context == Context.Root ? "{}" : " {}");
                    break;
                case YamlSequence seq:
                    {
                        // A sequence that is a mapping value is "indentless": its dashes sit at the key's column.
                        var indent = context switch
                        {
                            Context.Root => 0,
                            Context.MappingValue => parentIndent,
                            _ => parentIndent + BestIndent,
                        };
                        for (var i = 0; i < seq.Items.Count; i++)
                        {
                            SequenceItem(indent, firstInline: i == 0 && context == Context.SequenceItem);
                            Node(seq.Items[i], indent, Context.SequenceItem);
                        }

                        break;
                    }

                case YamlMapping map:
                    {
                        var indent = context == Context.Root ? 0 : parentIndent + BestIndent;
                        var pairs = map.Pairs.OrderBy(p => p.Key, Utf8Order.Instance).ToList();
                        for (var i = 0; i < pairs.Count; i++)
                        {
                            Key(pairs[i].Key, indent, firstInline: i == 0 && context == Context.SequenceItem);
                            Node(pairs[i].Value, indent, Context.MappingValue);
                        }

                        break;
                    }

                case YamlString s:
                    String(s.Value, parentIndent, context);
                    break;
                case YamlPlain p:
                    var text = context == Context.Root ? p.Text : " " + p.Text;
                    output.Append(Encoding.UTF8.GetBytes(text));
                    Column += text.Length;
                    break;
            }
        }

        private void SequenceItem(int indent, bool firstInline)
        {
            Indent(indent, firstInline);
            Put("-");
        }

        // The key is "value" in the message, as when the check sat in Encode(value).
        private void Key(string value, int indent, bool firstInline)
        {
            if (value.Contains('\n', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(value) > MaxSimpleKeyBytes)
            {
                throw new ArgumentException("map keys longer than 128 bytes or with line breaks are not supported", nameof(value));
            }

            Indent(indent, firstInline);
            DoubleQuoted(value, indent + BestIndent, allowBreaks: false, leadingSpace: false);
            Put(":");
        }

        private void String(string text, int parentIndent, Context context) =>
            Scalar(text, context == Context.Root ? BestIndent : parentIndent + BestIndent, leadingSpace: context != Context.Root);

        private void Scalar(string text, int indent, bool leadingSpace)
        {
            if (text.Contains('\n', StringComparison.Ordinal) && LiteralAllowed(text))
            {
                Literal(text, indent, leadingSpace);
            }
            else
            {
                DoubleQuoted(text, indent, allowBreaks: true, leadingSpace);
            }
        }

        // go-yaml's write_indent: break unless we are at the start of an indented line, then pad.
        private void Indent(int indent, bool firstInline)
        {
            // A literal block leaves us at the start of a fresh line already.
            if (!firstInline && Column > 0)
            {
                Break();
            }

            while (Column < indent)
            {
                Put(" ");
            }
        }

        // Text known to be ASCII: one column per character.
        private void Put(string text)
        {
            output.AppendAscii(text);
            Column += text.Length;
        }

        private void PutCodePoint(int cp)
        {
            output.AppendCodePoint(cp);
            Column++;
        }

        private static bool LiteralAllowed(string text)
        {
            var previousSpace = false;
            foreach (var cp in YamlChars.CodePoints(text))
            {
                if (!YamlChars.IsPrintable(cp))
                {
                    return false;
                }

                if (YamlChars.IsBreak(cp) && previousSpace)
                {
                    return false;
                }

                previousSpace = cp == ' ';
            }

            return !text.EndsWith(' ');
        }

        private void Literal(string text, int indent, bool leadingSpace)
        {
            Put(leadingSpace ? " |" : "|");
            var cps = YamlChars.CodePoints(text).ToArray();
            if (cps[0] == ' ' || YamlChars.IsBreak(cps[0]))
            {
                Put(BestIndent.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var last = cps.Length - 1;
            if (!YamlChars.IsBreak(cps[last]))
            {
                Put("-");
            }
            else if (last == 0 || YamlChars.IsBreak(cps[last - 1]))
            {
                Put("+");
            }

            Break();
            var atLineStart = true;
            foreach (var cp in cps)
            {
                if (YamlChars.IsBreak(cp))
                {
                    if (cp == '\n')
                    {
                        Break();
                    }
                    else
                    {
                        // LS and PS are printable: written raw, and they start a new line for indentation.
                        output.AppendCodePoint(cp);
                        Column = 0;
                    }

                    atLineStart = true;
                }
                else
                {
                    if (atLineStart)
                    {
                        while (Column < indent)
                        {
                            Put(" ");
                        }

                        atLineStart = false;
                    }

                    PutCodePoint(cp);
                }
            }
        }

        // go-yaml's yaml_emitter_write_double_quoted_scalar, including its quirks: folding at a space once the
        // column is past 80, "\" before a second space, and escaping everything when the string starts with a BOM.
        private void DoubleQuoted(string text, int indent, bool allowBreaks, bool leadingSpace)
        {
            Put(leadingSpace ? " \"" : "\"");
            var escapeAll = text.Length > 0 && text[0] == '\uFEFF';
            var spaces = false;
            for (var i = 0; i < text.Length;)
            {
                // A run of printable ASCII but spaces, quotes and backslashes: copied as it is, a column per character.
                var run = escapeAll ? 0 : text.AsSpan(i).IndexOfAnyExcept(Unspaced);
                run = run < 0 ? text.Length - i : run;
                if (run > 0)
                {
                    output.AppendAscii(text.AsSpan(i, run));
                    Column += run;
                    i += run;
                    spaces = false;
                    continue;
                }

                var cp = YamlChars.CodePointAt(text, i, out var length);
                if (escapeAll || YamlChars.NeedsEscape(cp))
                {
                    Column += YamlChars.AppendEscape(output, cp);
                    spaces = false;
                }
                else if (cp == ' ')
                {
                    var isFirst = i == 0;
                    var isLast = i == text.Length - 1;
                    if (allowBreaks && !spaces && Column > BestWidth && !isFirst && !isLast)
                    {
                        Break();
                        while (Column < indent)
                        {
                            Put(" ");
                        }

                        if (i + 1 < text.Length && text[i + 1] == ' ')
                        {
                            Put("\\");
                        }
                    }
                    else
                    {
                        Put(" ");
                    }

                    spaces = true;
                }
                else
                {
                    PutCodePoint(cp);
                    spaces = false;
                }

                i += length;
            }

            Put("\"");
        }
    }

    private static readonly SearchValues<char> Unspaced = SearchValues.Create(
        "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Orders strings by their UTF-8 bytes, as Go's sort.Strings does.</summary>
    internal sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Encoding.UTF8.GetBytes(x ?? string.Empty);
            var b = Encoding.UTF8.GetBytes(y ?? string.Empty);
            return a.AsSpan().SequenceCompareTo(b);
        }
    }
}
