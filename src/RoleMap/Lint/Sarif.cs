using System.Text.Json.Serialization;
using RoleMap.Diagnostics;

namespace RoleMap.Lint;

/// <summary>
/// The SARIF 2.1.0 objects rolemap fills, as immutable records: one run, every rule in the driver, one result per
/// finding. SARIF is a JSON format, so its member names are attributes here; members left out when absent are
/// marked so. The CLI serializes a log with source generation.
/// </summary>
/// <param name="Schema">The schema the log follows.</param>
/// <param name="Version">The SARIF version.</param>
/// <param name="Runs">One run of rolemap.</param>
public sealed record SarifLog(
    [property: JsonPropertyName("$schema")] string Schema,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("runs")] IReadOnlyList<SarifRun> Runs)
{
    /// <summary>The log of one lint: every rule rolemap has in the driver, one result per finding.</summary>
    /// <param name="version">rolemap's version, as the driver's semantic version.</param>
    public static SarifLog From(LintResult result, string version)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rules = LintRules.All;
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var driver = new SarifDriver(
            "rolemap",
            version,
            "https://github.com/rolemap/rolemap",
            [.. rules.Select(r => new SarifRule(r.Id, new SarifMessage(r.Summary), new SarifConfiguration(Level(r.Severity))))]);
        var results = result.Findings.Select(f => new SarifResult(
            f.Rule,
            index.TryGetValue(f.Rule, out var i) ? i : null,
            Level(f.Severity),
            new SarifMessage(f.Message + (f.Fix is null ? string.Empty : " Fix: " + f.Fix)),
            f.Location is { } location ? [Location(location)] : null,
            f.Fix is null ? null : new SarifProperties(f.Fix)));
        return new SarifLog("https://json.schemastore.org/sarif-2.1.0.json", "2.1.0", [new SarifRun(new SarifTool(driver), [.. results])]);
    }

    private static SarifLocation Location(SourceLocation location) => new(
        location.File is null
            ? null
            : new SarifPhysicalLocation(
                new SarifArtifactLocation(location.File.Replace('\\', '/')),
                location.Line is int line and > 0 ? new SarifRegion(line, location.Column is int column and > 0 ? column : null) : null),
        location.Path is null ? null : [new SarifLogicalLocation(location.Path)]);

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}

/// <summary>One run of one tool.</summary>
public sealed record SarifRun(
    [property: JsonPropertyName("tool")] SarifTool Tool,
    [property: JsonPropertyName("results")] IReadOnlyList<SarifResult> Results);

/// <summary>The tool that ran.</summary>
public sealed record SarifTool([property: JsonPropertyName("driver")] SarifDriver Driver);

/// <summary>The tool's driver component, with every rule it checks.</summary>
public sealed record SarifDriver(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("semanticVersion")] string SemanticVersion,
    [property: JsonPropertyName("informationUri")] string InformationUri,
    [property: JsonPropertyName("rules")] IReadOnlyList<SarifRule> Rules);

/// <summary>A rule (SARIF's reportingDescriptor).</summary>
public sealed record SarifRule(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("shortDescription")] SarifMessage ShortDescription,
    [property: JsonPropertyName("defaultConfiguration")] SarifConfiguration DefaultConfiguration);

/// <summary>A message or description as plain text.</summary>
public sealed record SarifMessage([property: JsonPropertyName("text")] string Text);

/// <summary>A rule's default configuration: its level.</summary>
public sealed record SarifConfiguration([property: JsonPropertyName("level")] string Level);

/// <summary>One finding.</summary>
public sealed record SarifResult(
    [property: JsonPropertyName("ruleId")] string RuleId,
    [property: JsonPropertyName("ruleIndex"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RuleIndex,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] SarifMessage Message,
    [property: JsonPropertyName("locations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifLocation>? Locations,
    [property: JsonPropertyName("properties"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SarifProperties? Properties);

/// <summary>Where a finding is: the file and line, and the entry within it.</summary>
public sealed record SarifLocation(
    [property: JsonPropertyName("physicalLocation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SarifPhysicalLocation? PhysicalLocation,
    [property: JsonPropertyName("logicalLocations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifLogicalLocation>? LogicalLocations);

/// <summary>A file, and the region in it when the line is known.</summary>
public sealed record SarifPhysicalLocation(
    [property: JsonPropertyName("artifactLocation")] SarifArtifactLocation ArtifactLocation,
    [property: JsonPropertyName("region"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SarifRegion? Region);

/// <summary>A file, by URI (forward slashes).</summary>
public sealed record SarifArtifactLocation([property: JsonPropertyName("uri")] string Uri);

/// <summary>A line, and the column when known.</summary>
public sealed record SarifRegion(
    [property: JsonPropertyName("startLine")] int StartLine,
    [property: JsonPropertyName("startColumn"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? StartColumn);

/// <summary>An entry within a file (<c>mapRoles[2]</c>, a spec key).</summary>
public sealed record SarifLogicalLocation([property: JsonPropertyName("fullyQualifiedName")] string FullyQualifiedName);

/// <summary>rolemap's own property: the fix, on its own.</summary>
public sealed record SarifProperties([property: JsonPropertyName("fix")] string Fix);
