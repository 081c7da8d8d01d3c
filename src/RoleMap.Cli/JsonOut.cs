using System.Text.Json;
using RoleMap.Text;

namespace RoleMap.Cli;

/// <summary>Writes JSON output with Utf8JsonWriter (no reflection): indented, non-ASCII kept readable, newline-terminated.</summary>
internal static class JsonOut
{
    public static string Write(Action<Utf8JsonWriter> body) => JsonText.Write(body);
}
