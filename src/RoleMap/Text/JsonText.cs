using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RoleMap.Text;

/// <summary>JSON output with Utf8JsonWriter (no reflection): indented, non-ASCII kept readable, newline-terminated.</summary>
public static class JsonText
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> body) => Write(body, Indented) + "\n";

    /// <summary>JSON written with the given options, without a final newline.</summary>
    public static string Write(Action<Utf8JsonWriter> body, JsonWriterOptions options) => Write(body, options, 0);

    /// <summary>The same, into a buffer sized up front for outputs whose size is known roughly (no growing copies of megabytes).</summary>
    public static string Write(Action<Utf8JsonWriter> body, JsonWriterOptions options, int capacity)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var stream = new MemoryStream(capacity);
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length); // no copy of the buffer: outputs can be megabytes
    }
}
