using System.Buffers;
using System.Text;
using RoleMap.Text;

namespace RoleMap.Yaml;

/// <summary>
/// Writes YAML in the layout the authenticator's own encoder and kubectl use: block style, two-space indent,
/// sequences under a key not indented, keys in the order given. A string is written plain only when every
/// YAML 1.1 and 1.2 reader (go-yaml v2 in the authenticator, PyYAML, YamlDotNet) reads it back as the same
/// string; otherwise it is double-quoted with escapes, never folded, so no value can spill into another entry.
/// </summary>
public static class PlainYamlWriter
{
    public static string Write(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder();
        WriteBlock(sb, value, 0, inlineFirst: false);
        if (sb.Length == 0 || sb[^1] != '\n')
        {
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>True when <paramref name="text"/> may be written as a plain scalar and still read as exactly this string.</summary>
    public static bool IsSafePlain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[0] == ' ' || text[^1] == ' ')
        {
            return false;
        }

        // Printable ASCII but quotes and backslash, in one vectorised pass.
        if (text.AsSpan().ContainsAnyExcept(PlainChars))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>%@`".Contains(text[0], StringComparison.Ordinal)
            || char.IsAsciiDigit(text[0]) || text[0] is '+' or '.' or '='
            || text.EndsWith(':')
            || (text.AsSpan().ContainsAny(' ', '{') // what the three searches below need (an ARN has neither)
                && (text.Contains(": ", StringComparison.Ordinal)
                    || text.Contains(" #", StringComparison.Ordinal)
                    || text.Contains("{{", StringComparison.Ordinal))) // templating tools (Helm, Jinja) would expand an unquoted template
            || text == "<<")
        {
            return false;
        }

        return GoYamlResolver.ResolvePlain(text) == ScalarKind.String;
    }

    /// <summary>Writes a string as a scalar: plain when safe, else double-quoted with go-yaml's escapes.</summary>
    public static void AppendScalar(StringBuilder sb, string text)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(text);
        if (IsSafePlain(text))
        {
            sb.Append(text);
            return;
        }

        AppendDoubleQuoted(sb, text);
    }

    /// <summary>A double-quoted scalar on one line: every break, control and non-printable character escaped.</summary>
    public static void AppendDoubleQuoted(StringBuilder sb, string text)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(text);
        var output = new Utf8Builder(text.Length + 2);
        AppendDoubleQuoted(output, text);
        sb.Append(Encoding.UTF8.GetString(output.Span));
    }

    /// <summary><see cref="AppendScalar(StringBuilder, string)"/> as UTF-8 (a safe plain scalar is ASCII).</summary>
    internal static void AppendScalar(Utf8Builder output, string text)
    {
        if (IsSafePlain(text))
        {
            output.AppendAscii(text);
            return;
        }

        AppendDoubleQuoted(output, text);
    }

    /// <summary><see cref="AppendDoubleQuoted(StringBuilder, string)"/> as UTF-8; runs of characters that need no escape are copied at once.</summary>
    internal static void AppendDoubleQuoted(Utf8Builder output, string text)
    {
        output.Append((byte)'"');
        for (var i = 0; i < text.Length;)
        {
            var run = text.AsSpan(i).IndexOfAnyExcept(Unescaped);
            run = run < 0 ? text.Length - i : run;
            if (run > 0)
            {
                output.AppendAscii(text.AsSpan(i, run));
                i += run;
                continue;
            }

            var cp = YamlChars.CodePointAt(text, i, out var length);
            if (YamlChars.NeedsEscape(cp))
            {
                YamlChars.AppendEscape(output, cp);
            }
            else
            {
                output.AppendCodePoint(cp);
            }

            i += length;
        }

        output.Append((byte)'"');
    }

    /// <summary>Printable ASCII but the quotes and the backslash: what a plain scalar may hold at all.</summary>
    private static readonly SearchValues<char> PlainChars = SearchValues.Create(
        " !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Printable ASCII but the quote and the backslash: what a double-quoted scalar holds as it is.</summary>
    internal static readonly SearchValues<char> Unescaped = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static void WriteBlock(StringBuilder sb, YamlValue value, int indent, bool inlineFirst)
    {
        switch (value)
        {
            case YamlSequence { Items.Count: > 0 } seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (i > 0 || !inlineFirst)
                    {
                        NewLine(sb, indent);
                    }

                    sb.Append("- ");
                    WriteItem(sb, seq.Items[i], indent + 2);
                }

                break;
            case YamlMapping { Pairs.Count: > 0 } map:
                for (var i = 0; i < map.Pairs.Count; i++)
                {
                    if (i > 0 || !inlineFirst)
                    {
                        NewLine(sb, indent);
                    }

                    var pair = map.Pairs[i];
                    AppendScalar(sb, pair.Key);
                    sb.Append(':');
                    switch (pair.Value)
                    {
                        case YamlSequence { Items.Count: > 0 }:
                            WriteBlock(sb, pair.Value, indent, inlineFirst: false);
                            break;
                        case YamlMapping { Pairs.Count: > 0 }:
                            WriteBlock(sb, pair.Value, indent + 2, inlineFirst: false);
                            break;
                        default:
                            sb.Append(' ');
                            WriteInline(sb, pair.Value);
                            break;
                    }
                }

                break;
            default:
                WriteInline(sb, value);
                break;
        }
    }

    private static void WriteItem(StringBuilder sb, YamlValue item, int indent)
    {
        if (item is YamlSequence { Items.Count: > 0 } or YamlMapping { Pairs.Count: > 0 })
        {
            WriteBlock(sb, item, indent, inlineFirst: true);
        }
        else
        {
            WriteInline(sb, item);
        }
    }

    private static void WriteInline(StringBuilder sb, YamlValue value)
    {
        switch (value)
        {
            case YamlString s:
                AppendScalar(sb, s.Value);
                break;
            case YamlPlain p:
                sb.Append(p.Text);
                break;
            case YamlSequence:
                sb.Append("[]");
                break;
            case YamlMapping:
                sb.Append("{}");
                break;
        }
    }

    private static void NewLine(StringBuilder sb, int indent)
    {
        if (sb.Length > 0)
        {
            sb.Append('\n');
        }

        sb.Append(' ', indent);
    }
}
