using System.Text;
using System.Text.Json.Serialization;
using RoleMap.Diagnostics;
using RoleMap.Lint;

namespace RoleMap.Cli.Rendering;

/// <summary>Lint findings as text for a terminal, as JSON, and as SARIF 2.1.0 for code-scanning UIs.</summary>
internal static class LintRendering
{
    private static readonly LintJsonContext Context = new(JsonOutput.NewOptions());

    /// <summary>Findings grouped by file and entry, with a summary line; ANSI colours when <paramref name="colour"/>.</summary>
    public static string Text(LintResult result, bool colour)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        foreach (var file in result.Findings.GroupBy(f => f.Location?.File ?? "<input>"))
        {
            sb.Append(Colour.Paint(file.Key, "1", colour)).Append('\n');
            foreach (var entry in file.GroupBy(f => f.Location?.Path ?? "(ConfigMap)"))
            {
                var line = entry.Select(f => f.Location?.Line).FirstOrDefault(l => l is > 0);
                sb.Append("  ").Append(entry.Key);
                if (line is not null)
                {
                    sb.Append(Colour.Paint(" (line " + line + ")", "2", colour));
                }

                sb.Append('\n');
                foreach (var finding in entry)
                {
                    sb.Append("    ").Append(Colour.Paint(SeverityName(finding.Severity).PadRight(8), SeverityColour(finding.Severity), colour))
                        .Append(Colour.Paint(finding.Rule, "36", colour)).Append(": ").Append(finding.Message).Append('\n');
                    if (finding.Fix is not null)
                    {
                        sb.Append("            fix: ").Append(finding.Fix.Replace("\n", "\n                 ", StringComparison.Ordinal)).Append('\n');
                    }
                }
            }
        }

        sb.Append(Count(result.Errors, "error")).Append(", ").Append(Count(result.Warnings, "warning")).Append(", ").Append(Count(result.Infos, "info")).Append('\n');
        return sb.ToString();
    }

    public static string Json(LintResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var findings = result.Findings.Select(f => new FindingJson(
            f.Rule,
            SeverityName(f.Severity),
            f.Message,
            new FindingLocationJson(f.Location?.File, Positive(f.Location?.Line), Positive(f.Location?.Column), f.Location?.Path),
            f.Fix));
        return JsonOutput.Render(new LintDocumentJson([.. findings], new LintSummaryJson(result.Errors, result.Warnings, result.Infos)), Context.LintDocumentJson);
    }

    public static string Sarif(LintResult result, string version) => JsonOutput.Render(SarifLog.From(result, version), Context.SarifLog);

    /// <summary>The severity as every output spells it: error, warning, info.</summary>
    public static string SeverityName(Severity severity) => severity.ToString().ToLowerInvariant();

    private static int? Positive(int? value) => value is > 0 ? value : null;

    private static string SeverityColour(Severity severity) => severity switch
    {
        Severity.Error => "1;31",
        Severity.Warning => "33",
        _ => "34",
    };

    private static string Count(int n, string word) => n + " " + word + (n == 1 ? string.Empty : "s");
}

/// <summary><c>lint -o json</c>: every finding and the counts.</summary>
internal sealed record LintDocumentJson(
    IReadOnlyList<FindingJson> Findings,
    LintSummaryJson Summary);

/// <summary>One finding; unknown location parts and a missing fix are null.</summary>
internal sealed record FindingJson(
    string Rule,
    string Severity,
    string Message,
    FindingLocationJson Location,
    string? Fix);

/// <summary>Where a finding is: file, line and column (null when not known), and the entry.</summary>
internal sealed record FindingLocationJson(
    string? File,
    int? Line,
    int? Column,
    string? Entry);

internal sealed record LintSummaryJson(
    int Errors,
    int Warnings,
    int Infos);

[JsonSerializable(typeof(LintDocumentJson))]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class LintJsonContext : JsonSerializerContext;
