using System.Globalization;
using System.Text.Json.Serialization;
using RoleMap.Apply;
using RoleMap.AwsAuth;

namespace RoleMap.Cli.Rendering;

/// <summary>The JSON of the cluster commands: a write's or diff's outcome per cluster, and the backups list.</summary>
internal static class ClusterRendering
{
    private static readonly ClusterJsonContext Json = new(JsonOutput.NewOptions());

    /// <summary>One cluster's outcome as an object; several as an array, in context order.</summary>
    public static string Outcomes(IReadOnlyList<(string Cluster, ApplyOutcome Outcome)> outcomes) => outcomes.Count == 1
        ? JsonOutput.Render(Outcome(outcomes[0].Cluster, outcomes[0].Outcome), Json.OutcomeJson)
        : JsonOutput.Render([.. outcomes.Select(o => Outcome(o.Cluster, o.Outcome))], Json.ListOutcomeJson);

    public static string Backups(IEnumerable<(string Cluster, IReadOnlyList<BackupInfo> Backups)> clusters) => JsonOutput.Render(
        [.. clusters.SelectMany(c => c.Backups.Select(b => new BackupJson(c.Cluster, b.Name, b.CreatedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), b.SourceResourceVersion, b.Reason)))],
        Json.ListBackupJson);

    private static OutcomeJson Outcome(string cluster, ApplyOutcome outcome)
    {
        var plan = outcome.Plan;
        return new OutcomeJson(
            cluster,
            outcome.Status.ToString().ToLowerInvariant(),
            plan?.Creates,
            plan?.Live.Object?.ResourceVersion,
            plan?.Changes.Select(c => new ChangeJson(
                c.Section,
                c.Kind.ToString().ToLowerInvariant(),
                c.Key,
                EntryJson.From(c.Before),
                EntryJson.From(c.After),
                [.. c.Fields.Select(f => new FieldJson(f.Field, f.Before, f.After))],
                c.Note)).ToList(),
            plan?.Violations.Select(v => new ViolationJson(v.Rule, v.Message, v.Replaced is null ? null : v.Key, v.Replaced)).ToList(),
            plan is null ? null : [.. plan.Notes.Concat(plan.GuardNotes).Concat(outcome.Notes)],
            outcome.BackupName,
            outcome.ConfirmedByRereading ? true : null, // the answer to the write was lost; re-reading aws-auth showed the change there
            outcome.Error);
    }
}

/// <summary>A write's or diff's outcome on one cluster; the plan's fields are absent when no plan was made.</summary>
internal sealed record OutcomeJson(
    string Cluster,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Creates,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResourceVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ChangeJson>? Changes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ViolationJson>? Violations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Backup,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ConfirmedByRereading,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

internal sealed record ChangeJson(
    string Section,
    string Kind,
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EntryJson? Before,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EntryJson? After,
    IReadOnlyList<FieldJson> Fields,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note);

internal sealed record EntryJson(string? Arn, string? Username, IReadOnlyList<string> Groups)
{
    public static EntryJson? From(MapEntry? entry) => entry is null ? null : new(entry.Arn, entry.Username, entry.Groups);
}

internal sealed record FieldJson(string Field, string? Before, string? After);

internal sealed record ViolationJson(
    string Rule,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Replaced);

internal sealed record BackupJson(string Cluster, string Name, string? CreatedAt, string? SourceResourceVersion, string? Reason);

[JsonSerializable(typeof(OutcomeJson))]
[JsonSerializable(typeof(List<OutcomeJson>))]
[JsonSerializable(typeof(List<BackupJson>))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
