using System.Text;
using System.Text.Json;
using RoleMap.AwsAuth;
using RoleMap.Text;
using static RoleMap.AccessEntries.Formatting;

namespace RoleMap.AccessEntries;

/// <summary>Renders a <see cref="MigrationPlan"/> for people (text) and for programs (JSON).</summary>
public static class PlanWriter
{
    public static string Text(MigrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.Append("Access entry plan for ").Append(OneLine(plan.Source)).Append('\n');
        sb.Append("cluster: ").Append(plan.ClusterName is null ? "(not named; --cluster-name)" : OneLine(plan.ClusterName)).Append(", partition ").Append(plan.Partition).Append('\n');
        foreach (var entry in plan.Entries)
        {
            sb.Append('\n');
            Entry(sb, entry);
        }

        sb.Append('\n');
        sb.Append("summary: ").Append(plan.Count(PlanStatus.Convertible)).Append(" convertible, ")
            .Append(plan.Count(PlanStatus.NeedsAttention)).Append(" need").Append(plan.Count(PlanStatus.NeedsAttention) == 1 ? "s" : string.Empty).Append(" attention, ")
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
            sb.Append("API mode: not yet; switching now would take access away:\n");
            foreach (var blocker in plan.ApiMode.Blockers)
            {
                sb.Append("  - ").Append(OneLine(blocker)).Append('\n');
            }
        }

        if (plan.ApiMode.Checks.Count > 0)
        {
            sb.Append("before switching to API mode, check:\n");
            foreach (var check in plan.ApiMode.Checks)
            {
                sb.Append("  - ").Append(OneLine(check)).Append('\n');
            }
        }

        if (plan.Notes.Count > 0)
        {
            sb.Append("notes:\n");
            foreach (var note in plan.Notes)
            {
                sb.Append("  - ").Append(OneLine(note.ToString())).Append('\n');
            }
        }

        return sb.ToString();
    }

    public static string Json(MigrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("source", plan.Source);
            WriteNullable(w, "clusterName", plan.ClusterName);
            w.WriteString("partition", plan.Partition);
            w.WriteStartArray("entries");
            foreach (var entry in plan.Entries)
            {
                Entry(w, entry);
            }

            w.WriteEndArray();
            w.WriteStartObject("summary");
            w.WriteNumber("convertible", plan.Count(PlanStatus.Convertible));
            w.WriteNumber("needsAttention", plan.Count(PlanStatus.NeedsAttention));
            w.WriteNumber("skip", plan.Count(PlanStatus.Skip));
            w.WriteEndObject();
            WriteStrings(w, "deleteAfterCreate", plan.Entries.Where(e => e.Delete == DeleteWhen.AfterCreate).Select(e => e.Label));
            WriteStrings(w, "deleteNow", plan.Entries.Where(e => e.Delete == DeleteWhen.Now).Select(e => e.Label));
            WriteStrings(w, "keep", plan.Entries.Where(e => e.Delete == DeleteWhen.Keep).Select(e => e.Label));
            w.WriteStartObject("apiMode");
            w.WriteBoolean("possible", plan.ApiMode.Possible);
            WriteStrings(w, "blockers", plan.ApiMode.Blockers);
            WriteStrings(w, "checks", plan.ApiMode.Checks);
            w.WriteEndObject();
            w.WriteStartArray("notes");
            foreach (var note in plan.Notes)
            {
                w.WriteStartObject();
                w.WriteString("rule", note.Rule);
                w.WriteString("severity", note.Severity.ToString().ToLowerInvariant());
                w.WriteString("message", note.Message);
                WriteNullable(w, "path", note.Location?.Path);
                WriteNullable(w, "fix", note.Fix);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>The status as JSON spells it.</summary>
    public static string Name(PlanStatus status) => status switch
    {
        PlanStatus.Convertible => "convertible",
        PlanStatus.NeedsAttention => "needsAttention",
        _ => "skip",
    };

    private static void Entry(StringBuilder sb, PlanEntry entry)
    {
        var status = entry.Status switch
        {
            PlanStatus.Convertible => "convertible",
            PlanStatus.NeedsAttention => "needs attention",
            _ => "skip",
        };
        sb.Append(status).Append("  ").Append(OneLine(entry.Label)).Append("  ").Append(OneLine(entry.Written)).Append('\n');
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
            var label = entry.Status == PlanStatus.Skip ? "entry" : "becomes";
            Line(sb, label, target.Type.Wire() + " " + target.PrincipalArn + Source(entry.PrincipalSource));
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
    }

    private static void Line(StringBuilder sb, string label, string text) =>
        sb.Append("  ").Append((label.Length == 0 ? string.Empty : label + ":").PadRight(10)).Append(OneLine(text)).Append('\n');

    private static void List(StringBuilder sb, string title, IEnumerable<PlanEntry> entries)
    {
        var list = entries.ToList();
        if (list.Count == 0)
        {
            return;
        }

        sb.Append(title).Append('\n');
        foreach (var entry in list)
        {
            sb.Append("  ").Append(OneLine(entry.Label)).Append(' ').Append(OneLine(entry.Written)).Append('\n');
        }
    }

    private static string Source(PrincipalSource source) => source switch
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

    private static void Entry(Utf8JsonWriter w, PlanEntry entry)
    {
        w.WriteStartObject();
        w.WriteString("source", entry.Label);
        WriteNullable(w, "file", entry.Location?.File);
        if (entry.Location?.Line is int line)
        {
            w.WriteNumber("line", line);
        }
        else
        {
            w.WriteNull("line");
        }

        w.WriteString("written", entry.Written);
        w.WriteString("kind", Kind(entry.Kind));
        w.WriteString("status", Name(entry.Status));
        if (entry.Mapping is { } mapping)
        {
            w.WriteStartObject("awsAuth");
            WriteNullable(w, "username", mapping.Username);
            WriteStrings(w, "groups", mapping.Groups);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("awsAuth");
        }

        if (entry.Target is { } target)
        {
            w.WriteStartObject("accessEntry");
            w.WriteString("principalArn", target.PrincipalArn);
            w.WriteString("type", target.Type.Wire());
            WriteStrings(w, "kubernetesGroups", target.KubernetesGroups);
            WriteNullable(w, "username", target.Username);
            WriteNullable(w, "effectiveUsername", target.Username ?? AccessEntryRules.GeneratedUsername(target.PrincipalArn, target.Type));
            w.WriteStartArray("accessPolicies");
            foreach (var policy in target.Policies)
            {
                w.WriteStartObject();
                w.WriteString("policyArn", policy.PolicyArn);
                WriteScope(w, "accessScope", policy.Scope);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("accessEntry");
        }

        w.WriteString("principalArnSource", SourceName(entry.PrincipalSource));
        w.WriteStartArray("findings");
        foreach (var finding in entry.Findings)
        {
            w.WriteStartObject();
            w.WriteString("rule", finding.Rule);
            w.WriteString("message", finding.Message);
            WriteNullable(w, "fix", finding.Fix);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteStrings(w, "notes", entry.Notes);
        w.WriteString("deleteFromAwsAuth", entry.Delete switch { DeleteWhen.AfterCreate => "afterCreate", DeleteWhen.Now => "now", _ => "keep" });
        w.WriteString("apiMode", entry.ApiMode switch { ApiModeImpact.Blocks => "blocks", ApiModeImpact.Verify => "verify", _ => "ok" });
        w.WriteEndObject();
    }

    private static string Kind(EntryKind kind) => kind switch
    {
        EntryKind.LinuxNode => "linuxNode",
        EntryKind.WindowsNode => "windowsNode",
        EntryKind.Fargate => "fargate",
        EntryKind.HybridNode => "hybridNode",
        _ => "custom",
    };

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
}
