using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RoleMap.AccessEntries;
using RoleMap.AwsApi;
using RoleMap.UseCases;
using RoleMap.Yaml;

namespace RoleMap.Cli.Rendering;

/// <summary>
/// <c>access-entries get|apply|mode</c>: a cluster's access entries (text, JSON, YAML), the per-entry diff of an
/// apply and its outcome, and the outcome of a mode switch.
/// </summary>
internal static class AccessEntriesLiveRendering
{
    private static readonly AccessEntriesLiveJsonContext Context = new(JsonOutput.NewOptions());

    public static string Text(LiveAccessSnapshot snapshot, string region)
    {
        var sb = new StringBuilder();
        var eks = snapshot.Entries.Count(e => e.EksCreated is not null);
        var ours = snapshot.Entries.Count(e => e.ManagedByRolemap);
        sb.Append("cluster ").Append(snapshot.Cluster.Name).Append(" (").Append(region).Append("): authentication mode ").Append(snapshot.Cluster.AuthenticationMode.Wire()).Append('\n');
        if (snapshot.Cluster.AuthenticationMode == AuthenticationMode.ConfigMap)
        {
            sb.Append("CONFIG_MAP mode: EKS has no access entries, only aws-auth ('rolemap access-entries mode API_AND_CONFIG_MAP' enables them)\n");
            return sb.ToString();
        }

        sb.Append(Count(snapshot.Entries.Count, "access entry", "access entries")).Append(" (").Append(eks).Append(" created by EKS, ").Append(ours).Append(" by rolemap)\n");
        foreach (var entry in snapshot.Entries)
        {
            sb.Append('\n').Append(entry.PrincipalArn).Append('\n');
            sb.Append("  type ").Append(entry.Entry.Type).Append(", username ").Append(entry.Entry.Username ?? "(none)")
                .Append(", groups ").Append(entry.Entry.KubernetesGroups.Count == 0 ? "none" : string.Join(", ", entry.Entry.KubernetesGroups)).Append('\n');
            sb.Append("  policies: ").Append(entry.Policies.Count == 0 ? "none" : string.Join(", ", entry.Associations.Select(p => p.ToString()))).Append('\n');
            if (entry.EksCreated is { } why)
            {
                sb.Append("  created by EKS: ").Append(why).Append('\n');
            }
            else if (entry.ManagedByRolemap)
            {
                sb.Append("  created by rolemap (tag ").Append(LiveAccess.ManagedByTag).Append('=').Append(LiveAccess.ManagedByValue).Append(")\n");
            }
        }

        return sb.ToString();
    }

    public static string Json(LiveAccessSnapshot snapshot, string region) => JsonOutput.Render(Model(snapshot, region), Context.LiveAccessJson);

    /// <summary>The same document as <see cref="Json"/>, in YAML.</summary>
    public static string Yaml(LiveAccessSnapshot snapshot, string region)
    {
        using var document = JsonDocument.Parse(Json(snapshot, region));
        return PlainYamlWriter.Write(ToYaml(document.RootElement));
    }

    /// <summary>The per-entry diff of an apply, entries without changes left out.</summary>
    public static string Diff(SyncPlan plan, SelfAccessCheck? guard, bool force)
    {
        var sb = new StringBuilder();
        sb.Append("access entries of ").Append(plan.ClusterName).Append(": ")
            .Append(plan.Count(EntryChangeKind.Create)).Append(" to create, ")
            .Append(plan.Count(EntryChangeKind.Update)).Append(" to update, ")
            .Append(plan.Count(EntryChangeKind.Recreate)).Append(" to re-create, ")
            .Append(plan.Count(EntryChangeKind.Delete)).Append(" to delete, ")
            .Append(plan.Count(EntryChangeKind.Unchanged)).Append(" unchanged, ")
            .Append(plan.Count(EntryChangeKind.KeptEksCreated)).Append(" created by EKS (never touched), ")
            .Append(plan.Count(EntryChangeKind.KeptNotManaged)).Append(" not rolemap's (kept)\n");
        foreach (var change in plan.Changes.Where(c => c.Operations.Count > 0 || c.Kind == EntryChangeKind.KeptNotManaged || c.Notes.Count > 0 && c.Desired is not null))
        {
            sb.Append('\n').Append(Sign(change.Kind)).Append(' ').Append(change.PrincipalArn).Append(" (").Append(KindName(change.Kind)).Append(")\n");
            if (change.Live is { } live && change.Kind is EntryChangeKind.Update or EntryChangeKind.Recreate)
            {
                sb.Append("    now: ").Append(live.Entry.Type).Append(", username ").Append(live.Entry.Username ?? "(none)").Append(", groups ")
                    .Append(live.Entry.KubernetesGroups.Count == 0 ? "none" : string.Join(", ", live.Entry.KubernetesGroups))
                    .Append(", policies ").Append(live.Policies.Count == 0 ? "none" : string.Join(", ", live.Associations.Select(p => p.ToString()))).Append('\n');
            }

            foreach (var operation in change.Operations)
            {
                sb.Append("    ").Append(operation).Append('\n');
            }

            foreach (var note in change.Notes)
            {
                sb.Append("    note: ").Append(note).Append('\n');
            }
        }

        foreach (var warning in plan.Warnings)
        {
            sb.Append("warning: ").Append(warning).Append('\n');
        }

        if (guard?.Violation is { } violation)
        {
            sb.Append(force ? "warning (--force): " : "refused: ").Append(violation).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The last line(s) of an apply.</summary>
    public static string Outcome(SyncOutcome outcome)
    {
        var sb = new StringBuilder();
        switch (outcome.Status)
        {
            case SyncStatus.Unchanged:
                sb.Append("the access entries of ").Append(outcome.Plan.ClusterName).Append(" already match: nothing to do\n");
                foreach (var change in outcome.Plan.Changes.Where(c => c.Desired is not null && c.Notes.Count > 0))
                {
                    sb.Append("note: ").Append(change.PrincipalArn).Append(": ").Append(string.Join("; ", change.Notes)).Append('\n');
                }

                break;
            case SyncStatus.DryRun:
                sb.Append("dry run: ").Append(Count(outcome.Plan.Operations.Count, "call", "calls")).Append(" would be made; nothing changed\n");
                break;
            case SyncStatus.Applied:
                sb.Append("applied: ").Append(Count(outcome.Done.Count, "call", "calls")).Append(" made; confirmed by re-reading the entries\n");
                break;
            case SyncStatus.Failed:
                sb.Append("done (").Append(outcome.Done.Count).Append("):\n");
                foreach (var operation in outcome.Done)
                {
                    sb.Append("  ").Append(operation).Append('\n');
                }

                sb.Append("not done (").Append(outcome.NotDone.Count).Append("):\n");
                foreach (var operation in outcome.NotDone)
                {
                    sb.Append("  ").Append(operation).Append('\n');
                }

                foreach (var mismatch in outcome.Mismatches)
                {
                    sb.Append("  ").Append(mismatch).Append('\n');
                }

                break;
        }

        return sb.ToString();
    }

    public static string Mode(ModeSwitchOutcome outcome, string cluster) => outcome.Status switch
    {
        ModeSwitchStatus.AlreadyThere => cluster + " is in " + outcome.To.Wire() + " mode already: nothing to do\n",
        ModeSwitchStatus.DryRun => "dry run: " + cluster + " would switch from " + outcome.From.Wire() + " to " + outcome.To.Wire() + " (one way: EKS cannot switch back); nothing changed\n",
        ModeSwitchStatus.Switched => cluster + " switched from " + outcome.From.Wire() + " to " + outcome.To.Wire() + " (update " + outcome.Update!.Id + " " + outcome.Update.Status + ")\n",
        ModeSwitchStatus.Blocked => "API mode would take access away:\n" + string.Concat(outcome.Blockers.Select(b => "  " + b + "\n")),
        _ => string.Empty,
    };

    /// <summary>An apply as JSON: the status, the per-entry diff, the guard's objection, and the calls made and not made.</summary>
    public static string OutcomeJson(SyncOutcome outcome) => JsonOutput.Render(
        new ApplyOutcomeJson(
            outcome.Plan.ClusterName,
            JsonName(outcome.Status.ToString()),
            [.. outcome.Plan.Changes.Select(c => new EntryChangeJson(c.PrincipalArn, JsonName(c.Kind.ToString()), [.. c.Operations.Select(o => o.ToString())], c.Notes))],
            outcome.Plan.Warnings,
            outcome.Guard?.Violation,
            [.. outcome.Done.Select(o => o.ToString())],
            [.. outcome.NotDone.Select(o => o.ToString())],
            outcome.Mismatches,
            outcome.Error),
        Context.ApplyOutcomeJson);

    /// <summary>A mode switch as JSON.</summary>
    public static string ModeJson(ModeSwitchOutcome outcome, string cluster) => JsonOutput.Render(
        new ModeOutcomeJson(
            cluster,
            JsonName(outcome.Status.ToString()),
            outcome.From.Wire(),
            outcome.To.Wire(),
            outcome.Blockers,
            outcome.Update is { } update ? new ClusterUpdateJson(update.Id, update.Status, update.Errors) : null,
            outcome.Error),
        Context.ModeOutcomeJson);

    /// <summary>An enum member's name as the other JSON outputs write names: <c>DryRun</c> -> <c>dryRun</c>.</summary>
    private static string JsonName(string member) => char.ToLowerInvariant(member[0]) + member[1..];

    private static string Count(int n, string one, string many) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    private static string Sign(EntryChangeKind kind) => kind switch
    {
        EntryChangeKind.Create => "+",
        EntryChangeKind.Delete => "-",
        EntryChangeKind.Update or EntryChangeKind.Recreate => "~",
        _ => "=",
    };

    private static string KindName(EntryChangeKind kind) => kind switch
    {
        EntryChangeKind.Create => "create",
        EntryChangeKind.Update => "update",
        EntryChangeKind.Recreate => "re-create: type or username cannot change in place",
        EntryChangeKind.Delete => "delete",
        EntryChangeKind.KeptEksCreated => "created by EKS: left as it is",
        EntryChangeKind.KeptNotManaged => "kept",
        _ => "unchanged",
    };

    private static LiveAccessJson Model(LiveAccessSnapshot snapshot, string region) => new(
        snapshot.Cluster.Name,
        region,
        snapshot.Cluster.AuthenticationMode.Wire(),
        [.. snapshot.Entries.Select(e => new LiveEntryJson(
            e.PrincipalArn,
            e.Entry.Type,
            e.Entry.Username,
            e.Entry.KubernetesGroups,
            [.. e.Policies.Select(p => new LivePolicyJson(p.PolicyArn, new LiveScopeJson(p.Scope.Type, p.Scope.Namespaces)))],
            e.Entry.CreatedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            e.ManagedByRolemap,
            e.EksCreated))]);

    private static YamlValue ToYaml(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new YamlMapping([.. element.EnumerateObject().Select(p => new KeyValuePair<string, YamlValue>(p.Name, ToYaml(p.Value)))]),
        JsonValueKind.Array => new YamlSequence([.. element.EnumerateArray().Select(ToYaml)]),
        JsonValueKind.String => new YamlString(element.GetString()!),
        JsonValueKind.True => new YamlPlain("true"),
        JsonValueKind.False => new YamlPlain("false"),
        JsonValueKind.Null => new YamlPlain("null"),
        _ => new YamlPlain(element.GetRawText()),
    };
}

internal sealed record LiveAccessJson(string ClusterName, string Region, string AuthenticationMode, IReadOnlyList<LiveEntryJson> AccessEntries);

internal sealed record LiveEntryJson(
    string PrincipalArn,
    string Type,
    string? Username,
    IReadOnlyList<string> KubernetesGroups,
    IReadOnlyList<LivePolicyJson> AssociatedAccessPolicies,
    string? CreatedAt,
    bool ManagedByRolemap,
    string? EksCreated);

internal sealed record LivePolicyJson(string PolicyArn, LiveScopeJson AccessScope);

internal sealed record LiveScopeJson(string Type, IReadOnlyList<string> Namespaces);

internal sealed record ApplyOutcomeJson(
    string ClusterName,
    string Status,
    IReadOnlyList<EntryChangeJson> Changes,
    IReadOnlyList<string> Warnings,
    string? Refusal,
    IReadOnlyList<string> Done,
    IReadOnlyList<string> NotDone,
    IReadOnlyList<string> Mismatches,
    string? Error);

internal sealed record EntryChangeJson(string PrincipalArn, string Change, IReadOnlyList<string> Operations, IReadOnlyList<string> Notes);

internal sealed record ModeOutcomeJson(string ClusterName, string Status, string From, string To, IReadOnlyList<string> Blockers, ClusterUpdateJson? Update, string? Error);

internal sealed record ClusterUpdateJson(string Id, string Status, IReadOnlyList<string> Errors);

[JsonSerializable(typeof(LiveAccessJson))]
[JsonSerializable(typeof(ApplyOutcomeJson))]
[JsonSerializable(typeof(ModeOutcomeJson))]
internal sealed partial class AccessEntriesLiveJsonContext : JsonSerializerContext;
