using RoleMap.Diagnostics;

namespace RoleMap.AwsAuth;

/// <summary>An entry as the duplicate check needs it: the entry, its list, its kind and where it is written.</summary>
public sealed record ArnEntry(MapEntry Entry, bool IsUser, EntryKind Kind, SourceLocation Location);

/// <summary>
/// The one check for an ARN mapped more than once (rules <c>duplicate-arn</c> and <c>node-fargate-shared-role</c>), for
/// an aws-auth ConfigMap and for a spec. The authenticator keys roles by the lower-cased ARN and keeps the last entry,
/// without merging groups; it keys users by the ARN as written, so users that differ only in case are both kept and one
/// is picked at random per request (aws-auth-semantics §1.5). One role for EC2 nodes and Fargate cannot work: EKS
/// requires Fargate to have its own role, and only one entry survives.
/// </summary>
public static class DuplicateArns
{
    /// <summary>Findings about the entries (in source order) that share an ARN, with severities from <see cref="LintRules"/>.</summary>
    /// <param name="entries">The entries, in the order written.</param>
    /// <param name="context">
    /// <see cref="FindingContext.AwsAuth"/>: findings about a ConfigMap as it is (which entries have no effect);
    /// <see cref="FindingContext.Spec"/>: findings about a spec that rolemap refuses to write (which declarations repeat an earlier one).
    /// </param>
    public static List<Diagnostic> Check(IReadOnlyList<ArnEntry> entries, FindingContext context)
    {
        ArgumentNullException.ThrowIfNull(entries);
        // Most ARNs appear once: remember the first entry's index, and make a group only for an ARN seen again.
        // Keys as the authenticator compares: roles by Go's strings.ToLower, users by strings.EqualFold (Unicode simple folding).
        var roles = new Dictionary<string, int>(StringComparer.Ordinal);
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new SortedDictionary<int, List<ArnEntry>>();
        for (var i = 0; i < entries.Count; i++)
        {
            var seen = entries[i].IsUser ? users : roles;
            var key = entries[i].IsUser ? Arns.GoStrings.FoldKey(entries[i].Entry.Arn!) : Arns.GoStrings.ToLower(entries[i].Entry.Arn!);
            if (!seen.TryAdd(key, i))
            {
                var first = seen[key];
                if (!repeated.TryGetValue(first, out var group))
                {
                    repeated[first] = group = [entries[first]];
                }

                group.Add(entries[i]);
            }
        }

        // Roles first, then users, each in the order their ARN first appears; in a spec, in the order of the repeats.
        var findings = new List<(ArnEntry At, Diagnostic Finding)>();
        foreach (var group in repeated.Values.OrderBy(g => g[0].IsUser))
        {
            if (context == FindingContext.Spec)
            {
                InSpec(group, findings);
            }
            else
            {
                InAwsAuth(group, findings);
            }
        }

        if (context == FindingContext.Spec && findings.Count > 1)
        {
            var position = new Dictionary<ArnEntry, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < entries.Count; i++)
            {
                position[entries[i]] = i;
            }

            return [.. findings.OrderBy(f => position[f.At]).Select(f => f.Finding)];
        }

        return [.. findings.Select(f => f.Finding)];
    }

    private static bool IsNode(EntryKind kind) => kind is EntryKind.LinuxNode or EntryKind.WindowsNode;

    private static bool SharesNodeAndFargate(List<ArnEntry> group) =>
        !group[0].IsUser && group.Any(e => e.Kind == EntryKind.Fargate) && group.Any(e => IsNode(e.Kind));

    private static void InAwsAuth(List<ArnEntry> group, List<(ArnEntry At, Diagnostic Finding)> findings)
    {
        var effective = group[^1];
        if (SharesNodeAndFargate(group))
        {
            findings.Add((effective, LintRules.Finding("node-fargate-shared-role", "role '" + effective.Entry.Arn + "' is mapped both as an EC2 node role and as a Fargate pod execution role; the authenticator keeps only the last entry (" + effective.Location.Path + "), so one of them cannot join. EKS requires a separate role for Fargate", effective.Location, "give the Fargate profile its own pod execution role")));
            return;
        }

        var spellings = group.Select(e => e.Entry.Arn!).Distinct(StringComparer.Ordinal).ToList();
        if (effective.IsUser && spellings.Count > 1)
        {
            findings.Add((effective, LintRules.Finding("duplicate-arn", "user ARNs that differ only in case (" + string.Join(", ", spellings) + ") are kept apart, and the authenticator picks one at random on each request", effective.Location, "keep one entry, spelled as IAM spells the user")));
            return;
        }

        foreach (var shadowed in group.Take(group.Count - 1))
        {
            var message = effective.IsUser
                ? "user '" + shadowed.Entry.Arn + "' appears again at " + effective.Location.Path + "; the authenticator keeps only that last entry"
                : "role '" + shadowed.Entry.Arn + "' appears again at " + effective.Location.Path + "; the authenticator keeps only that last entry (username '" + effective.Entry.Username + "', groups [" + string.Join(", ", effective.Entry.Groups) + "]) and does not merge groups, so this entry has no effect";
            findings.Add((shadowed, LintRules.Finding("duplicate-arn", message, shadowed.Location, "merge the groups into one entry")));
        }
    }

    private static void InSpec(List<ArnEntry> group, List<(ArnEntry At, Diagnostic Finding)> findings)
    {
        var first = group[0];
        foreach (var entry in group.Skip(1))
        {
            var arn = entry.Entry.Arn!;
            if (!first.IsUser && (IsNode(first.Kind) && entry.Kind == EntryKind.Fargate || first.Kind == EntryKind.Fargate && IsNode(entry.Kind)))
            {
                findings.Add((entry, LintRules.Finding(
                    "node-fargate-shared-role",
                    "role '" + arn + "' is declared both as a " + StandardEntries.Describe(first.Kind) + " and as a " + StandardEntries.Describe(entry.Kind) + "; EKS requires a Fargate profile to have a different role from EC2 node groups, and aws-auth keeps only the last entry.",
                    entry.Location,
                    "give the Fargate profile its own pod execution role",
                    FindingContext.Spec)));
                continue;
            }

            // Users spelled alike: the last one counts, as for roles; spelled differently: either one, at random.
            var kept = !first.IsUser ? "the last entry, without merging groups"
                : string.Equals(first.Entry.Arn, arn, StringComparison.Ordinal) ? "the last entry"
                : "one of them, chosen at random";
            findings.Add((entry, LintRules.Finding(
                "duplicate-arn",
                "the " + (first.IsUser ? "user" : "role") + " '" + arn + "' is declared twice (also at " + first.Location + "); the authenticator would keep only " + kept + ".",
                entry.Location,
                "merge the two declarations into one",
                FindingContext.Spec)));
        }
    }
}
