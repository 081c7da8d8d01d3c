using System.Text;
using System.Text.Json;
using RoleMap.Apply;
using RoleMap.AwsAuth;

namespace RoleMap.Cli.Cluster;

/// <summary>Plans and outcomes as text and JSON: one line per entry change, then guard refusals and notes.</summary>
internal static class PlanText
{
    private static readonly string[] EntrySections = [AwsAuthRenderer.MapRoles, AwsAuthRenderer.MapUsers, AwsAuthRenderer.MapAccounts];

    public static string Describe(string cluster, Plan plan, bool forced)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        var where = "kube-system/aws-auth in " + cluster;
        sb.Append(plan.Creates ? where + " does not exist; it will be created\n" : where + " (resourceVersion " + plan.Live.Object!.ResourceVersion + ")\n");
        if (plan.Changes.Count == 0)
        {
            sb.Append("  no changes\n");
        }

        var width = plan.Changes.Count == 0 ? 0 : plan.Changes.Max(c => c.Section.Length);
        foreach (var change in plan.Changes)
        {
            sb.Append("  ").Append(change.Kind switch { ChangeKind.Added => '+', ChangeKind.Removed => '-', _ => '~' }).Append(' ')
                .Append(change.Section.PadRight(width)).Append("  ").Append(change.Key);
            if (change.Kind == ChangeKind.Added && change.After is { } added)
            {
                sb.Append("  username: ").Append(added.Username ?? "(none)").Append("  groups: [").Append(string.Join(", ", added.Groups)).Append(']');
            }

            foreach (var field in change.Fields)
            {
                sb.Append("  ").Append(field.Field).Append(": ").Append(field.Before ?? "(none)").Append(" -> ").Append(field.After ?? "(none)");
            }

            if (change.Note is not null)
            {
                sb.Append("  (").Append(change.Note).Append(')');
            }

            sb.Append('\n');
        }

        if (plan.Violations.Count > 0)
        {
            sb.Append(forced ? "lockout guards overridden with --force:\n" : "refused: the change would lock out access (use --force to write it anyway):\n");
            foreach (var violation in plan.Violations)
            {
                sb.Append("  [").Append(violation.Rule).Append("] ").Append(violation.Message).Append('\n');
            }
        }

        foreach (var note in plan.Notes.Concat(plan.GuardNotes))
        {
            sb.Append("note: ").Append(note).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>"2 added, 1 changed, 0 removed" over entries (roles, users, accounts).</summary>
    public static string Counts(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var entries = plan.Changes.Where(c => EntrySections.Contains(c.Section)).ToList();
        return entries.Count(c => c.Kind == ChangeKind.Added) + " added, " + entries.Count(c => c.Kind == ChangeKind.Changed) + " changed, " + entries.Count(c => c.Kind == ChangeKind.Removed) + " removed";
    }

    public static void WriteJson(Utf8JsonWriter w, string cluster, ApplyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(outcome);
        w.WriteStartObject();
        w.WriteString("cluster", cluster);
        w.WriteString("status", outcome.Status.ToString().ToLowerInvariant());
        if (outcome.Plan is { } plan)
        {
            w.WriteBoolean("creates", plan.Creates);
            if (plan.Live.Object?.ResourceVersion is { } version)
            {
                w.WriteString("resourceVersion", version);
            }

            w.WriteStartArray("changes");
            foreach (var change in plan.Changes)
            {
                w.WriteStartObject();
                w.WriteString("section", change.Section);
                w.WriteString("kind", change.Kind.ToString().ToLowerInvariant());
                w.WriteString("key", change.Key);
                WriteEntry(w, "before", change.Before);
                WriteEntry(w, "after", change.After);
                w.WriteStartArray("fields");
                foreach (var field in change.Fields)
                {
                    w.WriteStartObject();
                    w.WriteString("field", field.Field);
                    w.WriteString("before", field.Before);
                    w.WriteString("after", field.After);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                if (change.Note is not null)
                {
                    w.WriteString("note", change.Note);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("violations");
            foreach (var violation in plan.Violations)
            {
                w.WriteStartObject();
                w.WriteString("rule", violation.Rule);
                w.WriteString("message", violation.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (var note in plan.Notes.Concat(plan.GuardNotes).Concat(outcome.Notes))
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
        }

        if (outcome.BackupName is not null)
        {
            w.WriteString("backup", outcome.BackupName);
        }

        if (outcome.Error is not null)
        {
            w.WriteString("error", outcome.Error);
        }

        w.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter w, string name, MapEntry? entry)
    {
        if (entry is null)
        {
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("arn", entry.Arn);
        w.WriteString("username", entry.Username);
        w.WriteStartArray("groups");
        foreach (var group in entry.Groups)
        {
            w.WriteStringValue(group);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
