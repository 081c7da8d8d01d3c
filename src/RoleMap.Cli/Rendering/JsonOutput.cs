using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RoleMap.Cli.Rendering;

/// <summary>
/// How every JSON output is written: System.Text.Json source generation (no reflection, NativeAOT-safe) with one set
/// of options: indented, non-ASCII kept readable, newline-terminated, camelCase names unless an attribute says otherwise. Each rendering area has its own
/// <c>JsonSerializerContext</c> built on <see cref="NewOptions"/>; wire names are attributes on its records.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Fresh options for a rendering area's context (a context takes ownership of its options).</summary>
    public static JsonSerializerOptions NewOptions() => new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>One value as a whole output document.</summary>
    public static string Render<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo) + "\n";
}
