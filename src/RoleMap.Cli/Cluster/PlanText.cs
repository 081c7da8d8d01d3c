using System.Text;
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
}
