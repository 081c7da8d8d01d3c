using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.Diagnostics;
using RoleMap.Report;

namespace RoleMap.Cli.Rendering.Report;

/// <summary>The report's data as JSON: <c>report -o json</c> (the common JSON policy), and compact for the page.</summary>
internal static class ReportJson
{
    private static readonly ReportJsonContext DocumentContext = new(DocumentOptions());

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

    /// <summary>The common options, with severities, plan statuses and verdicts named as lint and <c>access-entries plan -o json</c> name them.</summary>
    private static JsonSerializerOptions DocumentOptions()
    {
        var options = JsonOutput.NewOptions();
        options.Converters.Add(new NameConverter<Severity>(LintRendering.SeverityName));
        options.Converters.Add(new NameConverter<PlanStatus>(AccessEntriesRendering.StatusName));
        options.Converters.Add(new NameConverter<DeleteWhen>(AccessEntriesRendering.DeleteName));
        options.Converters.Add(new NameConverter<PermissionVerdict>(AccessEntriesRendering.VerdictName));
        return options;
    }

    /// <summary>Writes an enum as the name another output already gives it (the report is written, never read).</summary>
    private sealed class NameConverter<T>(Func<T, string> name) : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException("the report's JSON is written, not read");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(name(value));
    }

    public static string Document(ReportModel model) => JsonOutput.Render(model, DocumentContext.ReportModel);

    /// <summary>What the page's script reads, and nothing else: the principals' names and the matrix.</summary>
    public static string ForPage(ReportModel model) => JsonSerializer.Serialize(
        new ReportPageData([.. model.Principals.Select(p => new ReportPagePrincipal(p.Id, p.Arn, p.Via, p.Username, p.Groups))], model.Matrix),
        Embedded.ReportPageData);
}

/// <summary>The data embedded in the page: the graph, roles, findings and the rest are drawn in the HTML itself.</summary>
internal sealed record ReportPageData(IReadOnlyList<ReportPagePrincipal> Principals, ReportMatrix Matrix);

/// <summary>A principal as the matrix, its reasons and who-can name it.</summary>
internal sealed record ReportPagePrincipal(string Id, string Arn, string Via, string Username, IReadOnlyList<string> Groups);

[JsonSerializable(typeof(ReportModel))]
[JsonSerializable(typeof(ReportPageData))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
