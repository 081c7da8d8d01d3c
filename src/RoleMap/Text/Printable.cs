using System.Globalization;
using System.Text;

namespace RoleMap.Text;

/// <summary>
/// Values from aws-auth (ARNs, usernames, groups) shown to a person. A value may hold line breaks, control or
/// bidirectional formatting characters; printed raw they can forge extra lines or reorder text, so that a
/// confirmation prompt appears to show a different change. Every human-readable rendering goes through here.
/// </summary>
public static class Printable
{
    /// <summary>True when <paramref name="text"/> holds a character that does not print as itself.</summary>
    public static bool NeedsEscape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (Special(text, i, out var width))
            {
                return true;
            }

            i += width - 1;
        }

        return false;
    }

    /// <summary>
    /// A value as it can be shown: unchanged when every character prints, otherwise in double quotes with Go-style
    /// escapes (<c>"a\n- rolearn: x"</c>, <c>\u2028</c>), so that it stays on one line and cannot pass for another value.
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return NeedsEscape(value) ? Quoted(value) : value;
    }

    /// <summary>A value in double quotes with Go-style escapes, whatever it holds.</summary>
    public static string Quoted(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8).Append('"');
        AppendEscaped(sb, value, escapeQuotes: true);
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Free text (a message that embeds values) with every non-printing character written as an escape; printable
    /// characters, quotes and backslashes included, stay as they are.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsEscape(text))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        AppendEscaped(sb, text, escapeQuotes: false);
        return sb.ToString();
    }

    private static void AppendEscaped(StringBuilder sb, string text, bool escapeQuotes)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!Special(text, i, out var width))
            {
                if (escapeQuotes && c is '"' or '\\')
                {
                    sb.Append('\\');
                }

                sb.Append(text, i, width);
                i += width - 1;
                continue;
            }

            if (width == 2)
            {
                sb.Append("\\U").Append(char.ConvertToUtf32(c, text[i + 1]).ToString("x8", CultureInfo.InvariantCulture));
                i++;
                continue;
            }

            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
    }

    /// <summary>
    /// Whether the character (or surrogate pair, <paramref name="width"/> 2) at <paramref name="index"/> must be
    /// escaped: controls (C0, DEL, C1 including NEL), format characters (bidirectional overrides, zero-width
    /// characters, BOM), line and paragraph separators, lone surrogates and unassigned code points.
    /// </summary>
    private static bool Special(string text, int index, out int width)
    {
        width = 1;
        var c = text[index];
        if (c < 0x7f)
        {
            return c < 0x20;
        }

        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return IsSpecial(CharUnicodeInfo.GetUnicodeCategory(text, index));
        }

        return char.IsSurrogate(c) || IsSpecial(CharUnicodeInfo.GetUnicodeCategory(c));
    }

    private static bool IsSpecial(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;
}
