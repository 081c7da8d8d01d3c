using System.Text;
using System.Text.Json.Serialization;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.UseCases;
using static RoleMap.Text.Printable;

namespace RoleMap.Cli.Rendering;

/// <summary>A migration plan for people (text) and for programs (JSON; access policies as <see cref="AccessPolicyJson"/>, as resolve writes them).</summary>
internal static class AccessEntriesRendering
{
    private static readonly AccessEntriesJsonContext Context = new(JsonOutput.NewOptions());

    public static string Text(MigrationPlan plan, MigrationProofResult? proof = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.Append("Access entry plan for ").Append(Escape(plan.Source)).Append('\n');
        sb.Append("cluster: ").Append(plan.ClusterName is null ? "(not named; --cluster-name)" : Escape(plan.ClusterName)).Append(", partition ").Append(plan.Partition).Append('\n');
        if (proof is not null)
        {
            PermissionsText(sb, plan, proof);
        }

        for (var i = 0; i < plan.Entries.Count; i++)
        {
            sb.Append('\n');
            Entry(sb, plan.Entries[i], proof?.Comparisons[i]);
        }

        var attention = plan.Count(PlanStatus.NeedsAttention);
        sb.Append('\n');
        sb.Append("summary: ").Append(plan.Count(PlanStatus.Convertible)).Append(" convertible, ")
            .Append(attention).Append(" need").Append(attention == 1 ? "s" : string.Empty).Append(" attention, ")
            .Append(plan.Count(PlanStatus.Skip)).Append(" skipped\n");
        List(sb, "delete from aws-auth once the access entries exist:", plan.Entries.Where(e => e.Delete == DeleteWhen.AfterCreate));
        List(sb, "delete from aws-auth now (they grant nothing today, or an access entry already replaces them):", plan.Entries.Where(e => e.Delete == DeleteWhen.Now));
        List(sb, "keep in aws-auth:", plan.Entries.Where(e => e.Delete == DeleteWhen.Keep));

        if (plan.ApiMode.Possible)
        {
            sb.Append("API mode: possible once the access entries above exist and the checks below pass; EKS then ignores aws-auth, and the ConfigMap can be deleted\n");
        }
        else
        {
            Items(sb, "API mode: not yet; switching now would take access away:", plan.ApiMode.Blockers);
        }

        Items(sb, "before switching to API mode, check:", plan.ApiMode.Checks);
        Items(sb, "notes:", [.. plan.Notes.Select(n => n.ToString())]);
        return sb.ToString();
    }

    public static string Json(MigrationPlan plan, MigrationProofResult? proof = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        string[] Labels(DeleteWhen when) => [.. plan.Entries.Where(e => e.Delete == when).Select(e => e.Label)];
        var document = new PlanJson(
            plan.Source,
            plan.ClusterName,
            plan.Partition,
            [.. plan.Entries.Select((e, i) => EntryJson(e) with { Permissions = proof is null ? null : PermissionsJson.From(proof.Comparisons[i]) })],
            new PlanSummaryJson(plan.Count(PlanStatus.Convertible), plan.Count(PlanStatus.NeedsAttention), plan.Count(PlanStatus.Skip)),
            Labels(DeleteWhen.AfterCreate),
            Labels(DeleteWhen.Now),
            Labels(DeleteWhen.Keep),
            new ApiModeJson(plan.ApiMode.Possible, plan.ApiMode.Blockers, plan.ApiMode.Checks),
            [.. plan.Notes.Select(n => new PlanNoteJson(n.Rule, LintRendering.SeverityName(n.Severity), n.Message, n.Location?.Path, n.Fix))])
        {
            Permissions = proof is null ? null : new PermissionProofJson(proof.CurrentMode.Wire(), AuthenticationMode.Api.Wire(), proof.Namespaces, proof.Requests, proof.Comparisons.Count(c => c is { Verdict: not PermissionVerdict.Same })),
        };
        return JsonOutput.Render(document, Context.PlanJson);
    }

    /// <summary>The status as JSON spells it.</summary>
    public static string StatusName(PlanStatus status) => status switch
    {
        PlanStatus.Convertible => "convertible",
        PlanStatus.NeedsAttention => "needsAttention",
        _ => "skip",
    };

    private static PlanEntryJson EntryJson(PlanEntry entry) => new(
        entry.Label,
        entry.Location?.File,
        entry.Location?.Line,
        entry.Written,
        KindName(entry.Kind),
        StatusName(entry.Status),
        entry.Mapping is { } mapping ? new AwsAuthMappingJson(mapping.Username, mapping.Groups) : null,
        entry.Target is { } target
            ? new PlannedAccessEntryJson(
                target.PrincipalArn,
                target.Type.Wire(),
                target.KubernetesGroups,
                target.Username,
                target.Username ?? AccessEntryRules.GeneratedUsername(target.PrincipalArn, target.Type),
                [.. target.Policies.Select(AccessPolicyJson.From)])
            : null,
        SourceName(entry.PrincipalSource),
        [.. entry.Findings.Select(f => new PlanFindingJson(f.Rule, f.Message, f.Fix))],
        entry.Notes,
        DeleteName(entry.Delete),
        entry.ApiMode switch { ApiModeImpact.Blocks => "blocks", ApiModeImpact.Verify => "verify", _ => "ok" });

    /// <summary>When to delete the aws-auth entry, as JSON spells it.</summary>
    public static string DeleteName(DeleteWhen delete) => delete switch { DeleteWhen.AfterCreate => "afterCreate", DeleteWhen.Now => "now", _ => "keep" };

    /// <summary>The verdict as JSON spells it.</summary>
    public static string VerdictName(PermissionVerdict verdict) => verdict switch
    {
        PermissionVerdict.Same => "same",
        PermissionVerdict.Fewer => "fewer",
        PermissionVerdict.More => "more",
        PermissionVerdict.Different => "different",
        _ => "unknown",
    };

    /// <summary>The principals whose access changes, first: what each loses, gains, or may.</summary>
    private static void PermissionsText(StringBuilder sb, MigrationPlan plan, MigrationProofResult proof)
    {
        sb.Append('\n');
        sb.Append("access after the move (API mode: the access entries, their policies and RBAC), compared with today (aws-auth")
            .Append(proof.CurrentMode == AuthenticationMode.ApiAndConfigMap ? " and the existing access entries, API_AND_CONFIG_MAP" : ", CONFIG_MAP")
            .Append(", and RBAC), over ").Append(proof.Requests).Append(" requests:\n");
        var seen = new List<PermissionComparison>();
        var unchanged = 0;
        for (var i = 0; i < plan.Entries.Count; i++)
        {
            var comparison = proof.Comparisons[i];
            if (comparison is null || seen.Any(c => ReferenceEquals(c, comparison)) && comparison.Verdict != PermissionVerdict.Same)
            {
                continue;
            }

            if (comparison.Verdict == PermissionVerdict.Same)
            {
                unchanged++;
                continue;
            }

            seen.Add(comparison);
            var labels = plan.Entries.Where((_, j) => ReferenceEquals(proof.Comparisons[j], comparison)).Select(e => e.Label);
            sb.Append("  ").Append(VerdictName(comparison.Verdict).PadRight(10)).Append(Escape(string.Join(", ", labels))).Append("  ").Append(Escape(plan.Entries[i].Target?.PrincipalArn ?? plan.Entries[i].Written)).Append('\n');
            Rules(sb, "lost", comparison.Lost);
            Rules(sb, "gained", comparison.Gained);
            Rules(sb, "unknown", comparison.Unknown);
            foreach (var note in comparison.Notes)
            {
                sb.Append("    note: ").Append(Escape(note)).Append('\n');
            }
        }

        if (seen.Count == 0)
        {
            sb.Append("  every principal may do the same after the move as today\n");
        }
        else if (unchanged > 0)
        {
            sb.Append("  the other entries: the same access after the move as today\n");
        }
    }

    private static void Rules(StringBuilder sb, string label, IReadOnlyList<PermissionRule> rules)
    {
        foreach (var rule in rules)
        {
            sb.Append("    ").Append((label + ":").PadRight(9)).Append(Escape(rule.ToString())).Append('\n');
        }
    }

    private static void Entry(StringBuilder sb, PlanEntry entry, PermissionComparison? comparison)
    {
        var status = entry.Status switch
        {
            PlanStatus.Convertible => "convertible",
            PlanStatus.NeedsAttention => "needs attention",
            _ => "skip",
        };
        sb.Append(status).Append("  ").Append(Escape(entry.Label)).Append("  ").Append(Escape(entry.Written)).Append('\n');
        if (entry.Location?.Line is not null)
        {
            Line(sb, "at", entry.Location.Position());
        }

        if (entry.Mapping is { } mapping)
        {
            Line(sb, "aws-auth", "username " + (string.IsNullOrEmpty(mapping.Username) ? "(none)" : mapping.Username) + ", groups " + (mapping.Groups.Count == 0 ? "(none)" : string.Join(", ", mapping.Groups)));
        }

        if (entry.Target is { } target)
        {
            Line(sb, entry.Status == PlanStatus.Skip ? "entry" : "becomes", target.Type.Wire() + " " + target.PrincipalArn + SourceNote(entry.PrincipalSource));
            if (target.Type == AccessEntryType.Standard)
            {
                Line(sb, "username", target.Username ?? "(unset: EKS uses " + AccessEntryRules.GeneratedUsername(target.PrincipalArn, target.Type) + ")");
                Line(sb, "groups", target.KubernetesGroups.Count == 0 ? "(none)" : string.Join(", ", target.KubernetesGroups));
            }
            else
            {
                Line(sb, "username", "(set by EKS: " + AccessEntryRules.GeneratedUsername(target.PrincipalArn, target.Type) + ")");
            }

            foreach (var policy in target.Policies)
            {
                Line(sb, "policy", policy.PolicyArn + " (" + policy.Scope + ")");
            }
        }

        foreach (var finding in entry.Findings)
        {
            Line(sb, entry.Status == PlanStatus.Skip ? "why" : "to do", "[" + finding.Rule + "] " + finding.Message);
            if (finding.Fix is not null)
            {
                Line(sb, string.Empty, "fix: " + finding.Fix);
            }
        }

        foreach (var note in entry.Notes)
        {
            Line(sb, "note", note);
        }

        if (comparison is not null)
        {
            Line(sb, "access", comparison.Verdict switch
            {
                PermissionVerdict.Same => "the same after the move as today",
                PermissionVerdict.Fewer => "fewer permissions after the move (listed at the top)",
                PermissionVerdict.More => "more permissions after the move (listed at the top)",
                PermissionVerdict.Different => "different permissions after the move (listed at the top)",
                _ => "unknown (listed at the top)",
            });
        }
    }

    private static void Line(StringBuilder sb, string label, string text) =>
        sb.Append("  ").Append((label.Length == 0 ? string.Empty : label + ":").PadRight(10)).Append(Escape(text)).Append('\n');

    private static void List(StringBuilder sb, string title, IEnumerable<PlanEntry> entries) =>
        Items(sb, title, [.. entries.Select(e => e.Label + " " + e.Written)], bullet: "  ");

    /// <summary>A title and its items, one a line; nothing when there are none.</summary>
    private static void Items(StringBuilder sb, string title, IReadOnlyList<string> items, string bullet = "  - ")
    {
        if (items.Count == 0)
        {
            return;
        }

        sb.Append(title).Append('\n');
        foreach (var item in items)
        {
            sb.Append(bullet).Append(Escape(item)).Append('\n');
        }
    }

    private static string SourceNote(PrincipalSource source) => source switch
    {
        PrincipalSource.Spec => " (path from the spec)",
        PrincipalSource.IamList => " (from --iam-arns)",
        PrincipalSource.AccessEntry => " (from the existing access entry)",
        PrincipalSource.Unconfirmed => " (path not confirmed)",
        _ => string.Empty,
    };

    private static string SourceName(PrincipalSource source) => source switch
    {
        PrincipalSource.AsWritten => "asWritten",
        PrincipalSource.Spec => "spec",
        PrincipalSource.IamList => "iamArns",
        PrincipalSource.AccessEntry => "accessEntries",
        PrincipalSource.Unconfirmed => "unconfirmed",
        _ => "none",
    };

    private static string KindName(EntryKind kind) => kind switch
    {
        EntryKind.LinuxNode => "linuxNode",
        EntryKind.WindowsNode => "windowsNode",
        EntryKind.Fargate => "fargate",
        EntryKind.HybridNode => "hybridNode",
        _ => "custom",
    };
}

/// <summary><c>access-entries plan -o json</c>.</summary>
internal sealed record PlanJson(
    string Source,
    string? ClusterName,
    string Partition,
    IReadOnlyList<PlanEntryJson> Entries,
    PlanSummaryJson Summary,
    IReadOnlyList<string> DeleteAfterCreate,
    IReadOnlyList<string> DeleteNow,
    IReadOnlyList<string> Keep,
    ApiModeJson ApiMode,
    IReadOnlyList<PlanNoteJson> Notes)
{
    /// <summary>With --rbac: what the comparison asked.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PermissionProofJson? Permissions { get; init; }
}

/// <summary>The permission comparison of a plan: the modes compared and the universe of requests asked.</summary>
internal sealed record PermissionProofJson(
    string CurrentMode,
    string TargetMode,
    IReadOnlyList<string> Namespaces,
    int Requests,
    int Changed);

/// <summary>One principal's comparison: the verdict and the rules lost, gained and undecided.</summary>
internal sealed record PermissionsJson(
    string Verdict,
    IReadOnlyList<PermissionRuleJson> Lost,
    IReadOnlyList<PermissionRuleJson> Gained,
    IReadOnlyList<PermissionRuleJson> Unknown,
    IReadOnlyList<string> Notes)
{
    private static readonly PermissionComparison NoPrincipal = PermissionComparison.Same with { Notes = ["the entry names no principal a caller could be (the authenticator drops it or never matches it): it grants nothing today, and nothing after"] };

    public static PermissionsJson From(PermissionComparison? comparison)
    {
        var c = comparison ?? NoPrincipal;
        return new(AccessEntriesRendering.VerdictName(c.Verdict), [.. c.Lost.Select(PermissionRuleJson.From)], [.. c.Gained.Select(PermissionRuleJson.From)], [.. c.Unknown.Select(PermissionRuleJson.From)], c.Notes);
    }
}

/// <summary>A rule: verbs on resources of one API group, cluster-wide or in namespaces; or verbs on non-resource URLs.</summary>
internal sealed record PermissionRuleJson(
    IReadOnlyList<string> Verbs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiGroup,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Resources,
    [property: JsonPropertyName("nonResourceURLs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? NonResourceUrls,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Namespaces,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ResourceNames = null)
{
    public static PermissionRuleJson From(PermissionRule rule) => rule.ApiGroup is null
        ? new(rule.Verbs, null, null, rule.NonResourceUrls, null, null)
        : new(rule.Verbs, rule.ApiGroup, rule.Resources, null, rule.ClusterWide ? "cluster" : "namespaces", rule.ClusterWide ? null : rule.Namespaces, rule.Names.Count == 0 ? null : rule.Names);
}

/// <summary>One aws-auth mapping's plan; what is not known or not there is null.</summary>
internal sealed record PlanEntryJson(
    string Source,
    string? File,
    int? Line,
    string Written,
    string Kind,
    string Status,
    AwsAuthMappingJson? AwsAuth,
    PlannedAccessEntryJson? AccessEntry,
    string PrincipalArnSource,
    IReadOnlyList<PlanFindingJson> Findings,
    IReadOnlyList<string> Notes,
    string DeleteFromAwsAuth,
    string ApiMode)
{
    /// <summary>With --rbac: what the principal may do after the move compared with today.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PermissionsJson? Permissions { get; init; }
}

internal sealed record AwsAuthMappingJson(
    string? Username,
    IReadOnlyList<string> Groups);

internal sealed record PlannedAccessEntryJson(
    string PrincipalArn,
    string Type,
    IReadOnlyList<string> KubernetesGroups,
    string? Username,
    string? EffectiveUsername,
    IReadOnlyList<AccessPolicyJson> AccessPolicies);

internal sealed record PlanFindingJson(
    string Rule,
    string Message,
    string? Fix);

internal sealed record PlanSummaryJson(
    int Convertible,
    int NeedsAttention,
    int Skip);

internal sealed record ApiModeJson(
    bool Possible,
    IReadOnlyList<string> Blockers,
    IReadOnlyList<string> Checks);

internal sealed record PlanNoteJson(
    string Rule,
    string Severity,
    string Message,
    string? Path,
    string? Fix);

[JsonSerializable(typeof(PlanJson))]
internal sealed partial class AccessEntriesJsonContext : JsonSerializerContext;
