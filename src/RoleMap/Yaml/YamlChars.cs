using System.Globalization;
using RoleMap.Text;

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

    /// <summary>Appends the escape go-yaml writes for a code point inside a double-quoted scalar; returns its length.</summary>
    public static int AppendEscape(Utf8Builder output, int codePoint)
    {
        char single = codePoint switch
        {
            0x00 => '0',
            0x07 => 'a',
            0x08 => 'b',
            0x09 => 't',
            0x0A => 'n',
            0x0B => 'v',
            0x0C => 'f',
            0x0D => 'r',
            0x1B => 'e',
            0x22 => '"',
            0x5C => '\\',
            0x85 => 'N',
            0xA0 => '_',
            0x2028 => 'L',
            0x2029 => 'P',
            _ => '\0',
        };
        Span<char> escape = stackalloc char[10];
        escape[0] = '\\';
        int length;
        if (single != '\0')
        {
            escape[1] = single;
            length = 2;
        }
        else
        {
            var (letter, format) = codePoint <= 0xFF ? ('x', "X2") : codePoint <= 0xFFFF ? ('u', "X4") : ('U', "X8");
            escape[1] = letter;
            codePoint.TryFormat(escape[2..], out var digits, format, CultureInfo.InvariantCulture);
            length = 2 + digits;
        }

        output.AppendAscii(escape[..length]);
        return length;
    }

    /// <summary>Whether go-yaml escapes this code point in a double-quoted scalar.</summary>
    public static bool NeedsEscape(int codePoint) =>
        !IsPrintable(codePoint) || IsBreak(codePoint) || codePoint is '"' or '\\';

    /// <summary>Code points of a string; a lone surrogate cannot be written as UTF-8 and is refused.</summary>
    public static IEnumerable<int> CodePoints(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            yield return CodePointAt(text, i, out var length);
            i += length;
        }
    }

    /// <summary>The code point at <paramref name="index"/> and its length in chars; a lone surrogate is refused.</summary>
    public static int CodePointAt(string text, int index, out int length)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        if (char.IsSurrogate(c))
        {
            throw new ArgumentException("string contains an unpaired UTF-16 surrogate and cannot be written as UTF-8", nameof(text));
        }

        length = 1;
        return c;
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
