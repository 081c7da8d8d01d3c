using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RoleMap.Cli;

/// <summary>Writes JSON output with Utf8JsonWriter (no reflection): indented, non-ASCII kept readable, newline-terminated.</summary>
internal static class JsonOut
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
