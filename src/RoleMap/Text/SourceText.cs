using System.Text;

namespace RoleMap.Text;

/// <summary>
/// An input's text, held as given or as a file's UTF-8 bytes that are decoded only when the text is asked for: readers
/// that can work on ASCII bytes (the block-YAML fast path) then never make a string of a large input.
/// </summary>
public sealed class SourceText
{
    private string? text;

    public SourceText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        this.text = text;
    }

    private SourceText(byte[] utf8) => Utf8 = utf8;

    /// <summary>
    /// The text <see cref="Encoding.UTF8"/> decodes from <paramref name="utf8"/> (a byte-order mark, if any, becomes U+FEFF,
    /// and invalid bytes U+FFFD).
    /// </summary>
    public static SourceText FromUtf8(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return new(utf8);
    }

    /// <summary>The text; from <see cref="FromUtf8"/>, decoded when first asked for.</summary>
    public string Text => text ??= Encoding.UTF8.GetString(Utf8!);

    /// <summary>The bytes, when the text came as UTF-8 (<see cref="FromUtf8"/>).</summary>
    public byte[]? Utf8 { get; }
}
