using System.Globalization;
using System.Text;

namespace RoleMap.Yaml;

/// <summary>Character classes and escapes shared by rolemap's YAML writers, following go-yaml's emitter.</summary>
internal static class YamlChars
{
    /// <summary>go-yaml's <c>is_printable</c> on a code point: LF, 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD except U+FEFF. Non-BMP is not.</summary>
    public static bool IsPrintable(int codePoint) =>
        codePoint == 0x0A
        || (codePoint >= 0x20 && codePoint <= 0x7E)
        || (codePoint >= 0xA0 && codePoint <= 0xD7FF)
        || (codePoint >= 0xE000 && codePoint <= 0xFFFD && codePoint != 0xFEFF);

    /// <summary>go-yaml's <c>is_break</c>: LF, CR, NEL, LS, PS.</summary>
    public static bool IsBreak(int codePoint) => codePoint is 0x0A or 0x0D or 0x85 or 0x2028 or 0x2029;

    /// <summary>Appends the escape go-yaml writes for a code point inside a double-quoted scalar.</summary>
    public static void AppendEscape(StringBuilder sb, int codePoint)
    {
        sb.Append('\\');
        switch (codePoint)
        {
            case 0x00: sb.Append('0'); return;
            case 0x07: sb.Append('a'); return;
            case 0x08: sb.Append('b'); return;
            case 0x09: sb.Append('t'); return;
            case 0x0A: sb.Append('n'); return;
            case 0x0B: sb.Append('v'); return;
            case 0x0C: sb.Append('f'); return;
            case 0x0D: sb.Append('r'); return;
            case 0x1B: sb.Append('e'); return;
            case 0x22: sb.Append('"'); return;
            case 0x5C: sb.Append('\\'); return;
            case 0x85: sb.Append('N'); return;
            case 0xA0: sb.Append('_'); return;
            case 0x2028: sb.Append('L'); return;
            case 0x2029: sb.Append('P'); return;
        }

        if (codePoint <= 0xFF)
        {
            sb.Append('x').Append(codePoint.ToString("X2", CultureInfo.InvariantCulture));
        }
        else if (codePoint <= 0xFFFF)
        {
            sb.Append('u').Append(codePoint.ToString("X4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append('U').Append(codePoint.ToString("X8", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Whether go-yaml escapes this code point in a double-quoted scalar.</summary>
    public static bool NeedsEscape(int codePoint) =>
        !IsPrintable(codePoint) || IsBreak(codePoint) || codePoint is '"' or '\\';

    /// <summary>Code points of a string; a lone surrogate cannot be written as UTF-8 and is refused.</summary>
    public static IEnumerable<int> CodePoints(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException("string contains an unpaired UTF-16 surrogate and cannot be written as UTF-8", nameof(text));
            }
            else
            {
                yield return c;
            }
        }
    }

    /// <summary>True when a string holds an unpaired surrogate (not representable in UTF-8, so not in YAML or JSON).</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
