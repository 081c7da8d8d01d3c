using System.Text;

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

    public static string Encode(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var w = new Writer();
        w.Node(value, parentIndent: -1, context: Context.Root);
        if (w.Column > 0)
        {
            w.Break();
        }

        return w.ToString();
    }

    private enum Context
    {
        Root,
        SequenceItem,
        MappingValue,
    }

    private sealed class Writer
    {
        private readonly StringBuilder sb = new();

        public int Column { get; private set; }

        public override string ToString() => sb.ToString();

        public void Break()
        {
            sb.Append('\n');
            Column = 0;
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
                            Indent(indent, firstInline: i == 0 && context == Context.SequenceItem);
                            Put("-");
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
                            var key = pairs[i].Key;
                            if (key.Contains('\n', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(key) > MaxSimpleKeyBytes)
                            {
                                throw new ArgumentException("map keys longer than 128 bytes or with line breaks are not supported", nameof(value));
                            }

                            Indent(indent, firstInline: i == 0 && context == Context.SequenceItem);
                            DoubleQuoted(key, indent + BestIndent, allowBreaks: false, leadingSpace: false);
                            Put(":");
                            Node(pairs[i].Value, indent, Context.MappingValue);
                        }

                        break;
                    }

                case YamlString s:
                    Scalar(s.Value, context == Context.Root ? BestIndent : parentIndent + BestIndent, leadingSpace: context != Context.Root);
                    break;
                case YamlPlain p:
                    Put(context == Context.Root ? p.Text : " " + p.Text);
                    break;
            }
        }

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

        private void Put(string text)
        {
            sb.Append(text);
            Column += text.Length;
        }

        private void PutCodePoint(int cp)
        {
            sb.Append(char.ConvertFromUtf32(cp));
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
                        sb.Append(char.ConvertFromUtf32(cp));
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
            var cps = YamlChars.CodePoints(text).ToArray();
            var escapeAll = cps.Length > 0 && cps[0] == 0xFEFF;
            var spaces = false;
            for (var i = 0; i < cps.Length; i++)
            {
                var cp = cps[i];
                if (escapeAll || YamlChars.NeedsEscape(cp))
                {
                    var escape = new StringBuilder();
                    YamlChars.AppendEscape(escape, cp);
                    Put(escape.ToString());
                    spaces = false;
                }
                else if (cp == ' ')
                {
                    var isFirst = i == 0;
                    var isLast = i == cps.Length - 1;
                    if (allowBreaks && !spaces && Column > BestWidth && !isFirst && !isLast)
                    {
                        Break();
                        while (Column < indent)
                        {
                            Put(" ");
                        }

                        if (i + 1 < cps.Length && cps[i + 1] == ' ')
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
            }

            Put("\"");
        }
    }

    /// <summary>Orders strings by their UTF-8 bytes, as Go's sort.Strings does.</summary>
    private sealed class Utf8Order : IComparer<string>
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
