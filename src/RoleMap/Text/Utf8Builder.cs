using System.Text;

namespace RoleMap.Text;

/// <summary>
/// A growable UTF-8 byte buffer for outputs of megabytes: sized up front by the caller, allocated without zeroing (the
/// bytes are written before they are read), grown by doubling when an estimate falls short. Given a stream, it is a
/// window instead: what is written goes to the stream whenever the buffer is full, so an output of megabytes never
/// needs that much fresh memory.
/// </summary>
internal sealed class Utf8Builder
{
    private readonly Stream? sink;
    private byte[] buffer;

    public Utf8Builder(long capacity)
    {
        buffer = GC.AllocateUninitializedArray<byte>((int)Math.Clamp(capacity, 16, Array.MaxLength));
    }

    /// <summary>A builder that writes to <paramref name="sink"/> through a buffer of <paramref name="window"/> bytes (call <see cref="Flush"/> at the end).</summary>
    public Utf8Builder(Stream sink, int window)
        : this(window)
    {
        this.sink = sink;
    }

    /// <summary>Writes what the buffer holds to the stream (a builder with a stream only).</summary>
    public void Flush()
    {
        sink!.Write(buffer, 0, Length);
        Length = 0;
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, Length);

    /// <summary>The bytes written so far, without a copy (the builder must not be written to afterwards).</summary>
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, Length);

    /// <summary>The free space after the written bytes, at least <paramref name="size"/> long; <see cref="Advance"/> commits what was used.</summary>
    public Span<byte> Free(int size)
    {
        if (buffer.Length - Length < size && sink is not null)
        {
            Flush();
        }

        if (buffer.Length - Length < size)
        {
            var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max((long)buffer.Length * 2, (long)Length + size), Array.MaxLength));
            Span.CopyTo(grown);
            buffer = grown;
        }

        return buffer.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void Append(byte value)
    {
        if (Length == buffer.Length)
        {
            Free(1);
        }

        buffer[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Free(utf8.Length));
        Length += utf8.Length;
    }

    /// <summary>Text known to be ASCII (checked by the caller), one byte per character.</summary>
    public void AppendAscii(ReadOnlySpan<char> text)
    {
        var status = Ascii.FromUtf16(text, Free(text.Length), out var written);
        if (status != System.Buffers.OperationStatus.Done)
        {
            throw new ArgumentException("text is not ASCII", nameof(text));
        }

        Length += written;
    }

    /// <summary>One Unicode scalar value as UTF-8.</summary>
    public void AppendCodePoint(int codePoint) => Length += new Rune(codePoint).EncodeToUtf8(Free(4));
}
