using System.Text;
using System.Text.Json;
using RoleMap.Diagnostics;
using RoleMap.Text;

namespace RoleMap.Lint;

/// <summary>Lint findings as text for a terminal, as JSON, and as SARIF 2.1.0 for code-scanning UIs.</summary>
public static class FindingFormats
{
    /// <summary>Findings grouped by file and entry, with a summary line; ANSI colours when <paramref name="color"/>.</summary>
    public static string Text(LintResult result, bool color)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        foreach (var file in result.Findings.GroupBy(f => f.Location?.File ?? "<input>"))
        {
            sb.Append(Paint(file.Key, "1", color)).Append('\n');
            foreach (var entry in file.GroupBy(f => f.Location?.Path ?? "(ConfigMap)"))
            {
                var line = entry.Select(f => f.Location?.Line).FirstOrDefault(l => l is > 0);
                sb.Append("  ").Append(entry.Key);
                if (line is not null)
                {
                    sb.Append(Paint(" (line " + line + ")", "2", color));
                }

                sb.Append('\n');
                foreach (var finding in entry)
                {
                    var severity = finding.Severity.ToString().ToLowerInvariant();
                    sb.Append("    ").Append(Paint(severity.PadRight(8), SeverityColor(finding.Severity), color))
                        .Append(Paint(finding.Rule, "36", color)).Append(": ").Append(finding.Message).Append('\n');
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
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("findings");
            foreach (var finding in result.Findings)
            {
                w.WriteStartObject();
                w.WriteString("rule", finding.Rule);
                w.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
                w.WriteString("message", finding.Message);
                w.WriteStartObject("location");
                WriteNullable(w, "file", finding.Location?.File);
                WriteNullable(w, "line", finding.Location?.Line);
                WriteNullable(w, "column", finding.Location?.Column);
                WriteNullable(w, "entry", finding.Location?.Path);
                w.WriteEndObject();
                WriteNullable(w, "fix", finding.Fix);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("summary");
            w.WriteNumber("errors", result.Errors);
            w.WriteNumber("warnings", result.Warnings);
            w.WriteNumber("infos", result.Infos);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>SARIF 2.1.0: one run, every rule in the driver, one result per finding.</summary>
    public static string Sarif(LintResult result, string version)
    {
        ArgumentNullException.ThrowIfNull(result);
        var used = result.Findings.Select(f => f.Rule).ToHashSet(StringComparer.Ordinal);
        var rules = LintRules.All.ToList();
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", "rolemap");
            w.WriteString("semanticVersion", version);
            w.WriteString("informationUri", "https://github.com/rolemap/rolemap");
            w.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", rule.Id);
                w.WriteStartObject("shortDescription");
                w.WriteString("text", rule.Summary);
                w.WriteEndObject();
                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", Level(rule.Severity));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (var finding in result.Findings)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", finding.Rule);
                if (index.TryGetValue(finding.Rule, out var i))
                {
                    w.WriteNumber("ruleIndex", i);
                }

                w.WriteString("level", Level(finding.Severity));
                w.WriteStartObject("message");
                w.WriteString("text", finding.Message + (finding.Fix is null ? string.Empty : " Fix: " + finding.Fix));
                w.WriteEndObject();
                if (finding.Location is { } location)
                {
                    w.WriteStartArray("locations");
                    w.WriteStartObject();
                    if (location.File is not null)
                    {
                        w.WriteStartObject("physicalLocation");
                        w.WriteStartObject("artifactLocation");
                        w.WriteString("uri", location.File.Replace('\\', '/'));
                        w.WriteEndObject();
                        if (location.Line is > 0)
                        {
                            w.WriteStartObject("region");
                            w.WriteNumber("startLine", location.Line.Value);
                            if (location.Column is > 0)
                            {
                                w.WriteNumber("startColumn", location.Column.Value);
                            }

                            w.WriteEndObject();
                        }

                        w.WriteEndObject();
                    }

                    if (location.Path is not null)
                    {
                        w.WriteStartArray("logicalLocations");
                        w.WriteStartObject();
                        w.WriteString("fullyQualifiedName", location.Path);
                        w.WriteEndObject();
                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                    w.WriteEndArray();
                }

                if (finding.Fix is not null)
                {
                    w.WriteStartObject("properties");
                    w.WriteString("fix", finding.Fix);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static string SeverityColor(Severity severity) => severity switch
    {
        Severity.Error => "1;31",
        Severity.Warning => "33",
        _ => "34",
    };

    private static string Paint(string text, string code, bool color) => color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;

    private static string Count(int n, string word) => n + " " + word + (n == 1 ? string.Empty : "s");

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v and > 0)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body) => JsonText.Write(body);
}
