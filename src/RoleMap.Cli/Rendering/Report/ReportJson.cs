using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using RoleMap.Report;

namespace RoleMap.Cli.Rendering.Report;

/// <summary>The report's data as JSON: <c>report -o json</c> (the common JSON policy), and compact for the page.</summary>
internal static class ReportJson
{
    private static readonly ReportJsonContext DocumentContext = new(JsonOutput.NewOptions());

    /// <summary>
    /// Compact, and with the default encoder: &lt;, &gt;, &amp;, quotes and non-ASCII as \u escapes, so the data can
    /// sit inside a &lt;script&gt; element whatever the inputs hold (no "&lt;/script&gt;" can end it early).
    /// </summary>
    private static readonly ReportJsonContext Embedded = new(new JsonSerializerOptions
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.Default,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    });

    public static string Document(ReportModel model) => JsonOutput.Render(model, DocumentContext.ReportModel);

    public static string ForPage(ReportModel model) => JsonSerializer.Serialize(model, Embedded.ReportModel);
}

[JsonSerializable(typeof(ReportModel))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
