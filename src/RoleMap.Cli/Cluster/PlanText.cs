using System.Text;
using System.Text.Json;
using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Text;

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

        // Values come from the live aws-auth and the command line: printed raw, a line break in a group could forge
        // a line of this diff, so every value and message is escaped (Printable) before it reaches the terminal.
        var width = plan.Changes.Count == 0 ? 0 : plan.Changes.Max(c => c.Section.Length);
        foreach (var change in plan.Changes)
        {
            sb.Append("  ").Append(change.Kind switch { ChangeKind.Added => '+', ChangeKind.Removed => '-', _ => '~' }).Append(' ')
                .Append(change.Section.PadRight(width)).Append("  ").Append(Printable.Quote(change.Key));
            if (change.Kind == ChangeKind.Added && change.After is { } added)
            {
                sb.Append("  username: ").Append(added.Username is null ? "(none)" : Printable.Quote(added.Username)).Append("  groups: ").Append(Groups(added.Groups));
            }

            foreach (var field in change.Fields)
            {
                sb.Append("  ").Append(Printable.Quote(field.Field)).Append(": ");
                if (field.Field == "groups" && change.Before is { } old && change.After is { } now)
                {
                    sb.Append(Groups(old.Groups)).Append(" -> ").Append(Groups(now.Groups));
                }
                else
                {
                    sb.Append(field.Before is null ? "(none)" : Printable.Quote(field.Before)).Append(" -> ").Append(field.After is null ? "(none)" : Printable.Quote(field.After));
                }
            }

            if (change.Note is not null)
            {
                sb.Append("  (").Append(Printable.Escape(change.Note)).Append(')');
            }

            sb.Append('\n');
        }

        if (plan.Violations.Count > 0)
        {
            sb.Append(forced ? "lockout guards overridden with --force:\n" : "refused by the lockout guards (use --force to write it anyway):\n");
            foreach (var violation in plan.Violations)
            {
                sb.Append("  [").Append(violation.Rule).Append("] ").Append(Printable.Escape(violation.Message)).Append('\n');
                if (violation.Replaced is { } replaced)
                {
                    sb.Append("    the live ").Append(violation.Key).Append(forced ? " text being replaced:\n" : " text a forced write would replace:\n");
                    foreach (var line in replaced.TrimEnd('\n').Split('\n'))
                    {
                        sb.Append("    | ").Append(Printable.Escape(line)).Append('\n');
                    }
                }
            }
        }

        foreach (var note in plan.Notes.Concat(plan.GuardNotes))
        {
            sb.Append("note: ").Append(Printable.Escape(note)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A group list as <c>[a, b]</c>, each group escaped, so that no group can pass for two.</summary>
    internal static string Groups(IEnumerable<string> groups) => "[" + string.Join(", ", groups.Select(ListItem)) + "]";

    /// <summary>One value of a list shown as text: quoted when it holds list syntax or does not print, so it cannot pass for two.</summary>
    internal static string ListItem(string value) =>
        value.Length == 0 || value.Trim() != value || value.AsSpan().IndexOfAny("[],\"") >= 0 ? Printable.Quoted(value) : Printable.Quote(value);

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
                if (violation.Replaced is not null)
                {
                    w.WriteString("key", violation.Key);
                    w.WriteString("replaced", violation.Replaced);
                }

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

        if (outcome.ConfirmedByRereading)
        {
            // The answer to the write was lost; re-reading aws-auth showed the change there.
            w.WriteBoolean("confirmedByRereading", true);
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
