using System.Buffers;
using System.Globalization;
using System.Text;

namespace RoleMap.Yaml;

/// <summary>
/// The text <see cref="BlockYamlReader{TText}"/> reads, one character per index: a string (<see cref="Utf16Text"/>) or
/// bytes that are all ASCII (<see cref="AsciiText"/>), which are the same characters at the same indexes, so lines,
/// columns and values come out the same. The reader only uses what is here.
/// </summary>
internal interface IBlockText
{
    int Length { get; }

    char this[int index] { get; }

    /// <summary>The index of the next '\n' at or after <paramref name="from"/>, or -1.</summary>
    int IndexOfLineFeed(int from);

    /// <summary>How far after <paramref name="from"/> the first '"', '\\' or '\n' is, or -1.</summary>
    int IndexOfQuoteEnd(int from);

    /// <summary>Whether the characters hold an indicator YamlDotNet trips on inside a plain key.</summary>
    bool HasUnusualInKey(int from, int length);

    bool TryParseHex(int from, int length, out int code);

    StringBuilder AppendTo(StringBuilder builder, int from, int length);

    /// <summary>The characters as a string, one shared string for short repeated texts (see <see cref="ShortTexts"/>).</summary>
    string Slice(int from, int length);
}

/// <summary>
/// One string per short text: texts repeat endlessly in machine-written YAML (keys, verbs, API groups), and one string
/// each saves most of the tree's memory. Bounded so that a file of unique values does not grow a second copy of itself.
/// </summary>
internal sealed class ShortTexts
{
    public const int MaxLength = 64;

    private readonly HashSet<string> texts = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    public ShortTexts() => lookup = texts.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> span)
    {
        if (span.Length > MaxLength)
        {
            return span.ToString();
        }

        if (lookup.TryGetValue(span, out var known))
        {
            return known;
        }

        var created = span.ToString();
        if (texts.Count < 1 << 16)
        {
            texts.Add(created);
        }

        return created;
    }
}

internal readonly struct Utf16Text(string text) : IBlockText
{
    // Characters the fast path leaves to YamlDotNet wherever they appear: tabs, CR and other C0/C1 controls, YAML 1.1's
    // extra line breaks (NEL, LS, PS), the BOM, non-characters and surrogates (columns would count differently).
    private static readonly SearchValues<char> Unsupported = SearchValues.Create(UnsupportedChars());

    private static readonly SearchValues<char> UnusualInKeys = SearchValues.Create(UnusualInKeyChars);

    private readonly ShortTexts texts = new();

    public int Length => text.Length;

    /// <summary>Indicators YamlDotNet trips on inside a plain key.</summary>
    public static string UnusualInKeyChars => "[]{},#&*!|>'\"%@`?";

    public char this[int index] => text[index];

    /// <summary>False when a character the fast path leaves to YamlDotNet occurs anywhere in <paramref name="text"/>.</summary>
    public static bool IsSupported(string text) => text.AsSpan().IndexOfAny(Unsupported) < 0;

    public int IndexOfLineFeed(int from) => text.IndexOf('\n', from);

    public int IndexOfQuoteEnd(int from) => text.AsSpan(from).IndexOfAny('"', '\\', '\n');

    public bool HasUnusualInKey(int from, int length) => text.AsSpan(from, length).IndexOfAny(UnusualInKeys) >= 0;

    public bool TryParseHex(int from, int length, out int code) =>
        int.TryParse(text.AsSpan(from, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code);

    public StringBuilder AppendTo(StringBuilder builder, int from, int length) => builder.Append(text, from, length);

    public string Slice(int from, int length) => texts.Get(text.AsSpan(from, length));

    private static char[] UnsupportedChars()
    {
        var chars = new List<char>();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c != '\n')
            {
                chars.Add(c);
            }
        }

        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            chars.Add(c);
        }

        for (var c = '\uD800'; c <= '\uDFFF'; c++)
        {
            chars.Add(c);
        }

        chars.AddRange(['\u2028', '\u2029', '\uFEFF', '\uFFFE', '\uFFFF']);
        return [.. chars];
    }
}

/// <summary>
/// UTF-8 bytes that are all ASCII: each byte is the character at its index, so the reader needs no string of the whole
/// text, and a scalar becomes a string only when it is read.
/// </summary>
internal readonly struct AsciiText(byte[] bytes) : IBlockText
{
    // The ASCII characters Utf16Text does not leave to YamlDotNet: '\n' and the printable ones.
    private static readonly SearchValues<byte> Supported = SearchValues.Create([(byte)'\n', .. Enumerable.Range(' ', '\x7F' - ' ').Select(c => (byte)c)]);

    private static readonly SearchValues<byte> UnusualInKeys = SearchValues.Create(Encoding.ASCII.GetBytes(Utf16Text.UnusualInKeyChars));

    private readonly AsciiTexts texts = new();

    public int Length => bytes.Length;

    public char this[int index] => (char)bytes[index];

    /// <summary>
    /// True when every byte is ASCII and none is one <see cref="Utf16Text.IsSupported"/> refuses: then the text is read
    /// exactly as the string <see cref="Encoding.UTF8"/> decodes from the bytes.
    /// </summary>
    public static bool IsSupported(byte[] bytes) => bytes.AsSpan().IndexOfAnyExcept(Supported) < 0;

    public int IndexOfLineFeed(int from)
    {
        var i = bytes.AsSpan(from).IndexOf((byte)'\n');
        return i < 0 ? -1 : from + i;
    }

    public int IndexOfQuoteEnd(int from) => bytes.AsSpan(from).IndexOfAny((byte)'"', (byte)'\\', (byte)'\n');

    public bool HasUnusualInKey(int from, int length) => bytes.AsSpan(from, length).IndexOfAny(UnusualInKeys) >= 0;

    public bool TryParseHex(int from, int length, out int code) =>
        int.TryParse(bytes.AsSpan(from, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code);

    public StringBuilder AppendTo(StringBuilder builder, int from, int length)
    {
        Span<char> chars = stackalloc char[256];
        while (length > 0)
        {
            var n = Math.Min(length, chars.Length);
            Ascii.ToUtf16(bytes.AsSpan(from, n), chars, out _);
            builder.Append(chars[..n]);
            from += n;
            length -= n;
        }

        return builder;
    }

    public string Slice(int from, int length)
    {
        if (length > ShortTexts.MaxLength)
        {
            return Encoding.ASCII.GetString(bytes, from, length);
        }

        return texts.Get(bytes.AsSpan(from, length));
    }
}

/// <summary>
/// <see cref="ShortTexts"/> for ASCII bytes, made for speed: the bytes are hashed as they are, and a text is kept only
/// when it is met a second time, so that the unique values of a large dump (uids, timestamps, names) do not fill the
/// table and every lookup stays in a table small enough for the processor's cache.
/// </summary>
internal sealed class AsciiTexts
{
    private const int Slots = 1 << 14;

    private readonly string?[] strings = new string?[Slots];
    private readonly int[] hashes = new int[Slots];
    private readonly int[] metOnce = new int[1 << 16]; // the hashes of texts met once, by their low bits
    private int count;

    public string Get(ReadOnlySpan<byte> text)
    {
        var hasher = default(HashCode); // seeded per process: a file cannot be made to collide
        hasher.AddBytes(text);
        var hash = hasher.ToHashCode();
        var i = hash & (Slots - 1);
        while (strings[i] is { } known)
        {
            if (hashes[i] == hash && Ascii.Equals(text, known))
            {
                return known;
            }

            i = (i + 1) & (Slots - 1);
        }

        var created = Encoding.ASCII.GetString(text);
        if (count < Slots / 2)
        {
            ref var once = ref metOnce[hash & (metOnce.Length - 1)];
            if (once == hash)
            {
                strings[i] = created;
                hashes[i] = hash;
                count++;
            }
            else
            {
                once = hash;
            }
        }

        return created;
    }
}
