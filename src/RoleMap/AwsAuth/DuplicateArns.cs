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
        return Check(new ListEntries(entries), context);
    }

    /// <summary>
    /// As <see cref="Check(IReadOnlyList{ArnEntry}, FindingContext)"/>, for entries read by index: an
    /// <see cref="ArnEntry"/> is asked for only where an ARN repeats.
    /// </summary>
    public static List<Diagnostic> Check<TEntries>(TEntries entries, FindingContext context)
        where TEntries : IArnEntries
    {
        // Most ARNs appear once: remember the first entry's index, and make a group only for an ARN seen again.
        // Keys as the authenticator compares: roles by Go's strings.ToLower, users by strings.EqualFold (Unicode simple
        // folding). An ASCII ARN is its own key, compared ignoring ASCII case (no lower-cased copy of each ARN).
        var count = entries.Count;
        var roles = new Dictionary<string, int>(count, AsciiCaseKeys.Instance); // sized once: most entries are roles
        var users = new Dictionary<string, int>(AsciiCaseKeys.Instance);
        SortedDictionary<int, List<int>>? repeated = null;
        for (var i = 0; i < count; i++)
        {
            var isUser = entries.IsUser(i);
            var arn = entries.Arn(i);
            var seen = isUser ? users : roles;
            var key = System.Text.Ascii.IsValid(arn) ? arn : isUser ? Arns.GoStrings.FoldKey(arn) : Arns.GoStrings.ToLower(arn);
            if (!seen.TryAdd(key, i))
            {
                var first = seen[key];
                repeated ??= [];
                if (!repeated.TryGetValue(first, out var group))
                {
                    repeated[first] = group = [first];
                }

                group.Add(i);
            }
        }

        if (repeated is null)
        {
            return [];
        }

        // Roles first, then users, each in the order their ARN first appears; in a spec, in the order of the repeats.
        var findings = new List<(int At, Diagnostic Finding)>();
        foreach (var isUser in (ReadOnlySpan<bool>)[false, true])
        {
            foreach (var indices in repeated.Values)
            {
                if (entries.IsUser(indices[0]) != isUser)
                {
                    continue;
                }

                var group = new List<ArnEntry>(indices.Count);
                foreach (var index in indices)
                {
                    group.Add(entries.At(index));
                }

                if (context == FindingContext.Spec)
                {
                    InSpec(group, indices, findings);
                }
                else
                {
                    InAwsAuth(group, indices, findings);
                }
            }
        }

        var order = new int[findings.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (context == FindingContext.Spec)
        {
            // By the entry each finding is about, stable.
            order.AsSpan().Sort((a, b) => findings[a].At != findings[b].At ? findings[a].At.CompareTo(findings[b].At) : a.CompareTo(b));
        }

        var result = new List<Diagnostic>(order.Length);
        foreach (var i in order)
        {
            result.Add(findings[i].Finding);
        }

        return result;
    }

    private static bool IsNode(EntryKind kind) => kind is EntryKind.LinuxNode or EntryKind.WindowsNode;

    private static bool SharesNodeAndFargate(List<ArnEntry> group) =>
        !group[0].IsUser && group.Any(e => e.Kind == EntryKind.Fargate) && group.Any(e => IsNode(e.Kind));

    /// <param name="at">Each entry's index in the entries checked.</param>
    private static void InAwsAuth(List<ArnEntry> group, List<int> at, List<(int At, Diagnostic Finding)> findings)
    {
        var effective = group[^1];
        var effectiveAt = at[^1];
        if (SharesNodeAndFargate(group))
        {
            findings.Add((effectiveAt, LintRules.Finding("node-fargate-shared-role", "role '" + effective.Entry.Arn + "' is mapped both as an EC2 node role and as a Fargate pod execution role; the authenticator keeps only the last entry (" + effective.Location.Path + "), so one of them cannot join. EKS requires a separate role for Fargate", effective.Location, "give the Fargate profile its own pod execution role")));
            return;
        }

        var spellings = group.Select(e => e.Entry.Arn!).Distinct(StringComparer.Ordinal).ToList();
        if (effective.IsUser && spellings.Count > 1)
        {
            findings.Add((effectiveAt, LintRules.Finding("duplicate-arn", "user ARNs that differ only in case (" + string.Join(", ", spellings) + ") are kept apart, and the authenticator picks one at random on each request", effective.Location, "keep one entry, spelled as IAM spells the user")));
            return;
        }

        for (var i = 0; i < group.Count - 1; i++)
        {
            var shadowed = group[i];
            var message = effective.IsUser
                ? "user '" + shadowed.Entry.Arn + "' appears again at " + effective.Location.Path + "; the authenticator keeps only that last entry"
                : "role '" + shadowed.Entry.Arn + "' appears again at " + effective.Location.Path + "; the authenticator keeps only that last entry (username '" + effective.Entry.Username + "', groups [" + string.Join(", ", effective.Entry.Groups) + "]) and does not merge groups, so this entry has no effect";
            findings.Add((at[i], LintRules.Finding("duplicate-arn", message, shadowed.Location, "merge the groups into one entry")));
        }
    }

    /// <param name="at">Each entry's index in the entries checked.</param>
    private static void InSpec(List<ArnEntry> group, List<int> at, List<(int At, Diagnostic Finding)> findings)
    {
        var first = group[0];
        for (var i = 1; i < group.Count; i++)
        {
            var entry = group[i];
            var arn = entry.Entry.Arn!;
            if (!first.IsUser && (IsNode(first.Kind) && entry.Kind == EntryKind.Fargate || first.Kind == EntryKind.Fargate && IsNode(entry.Kind)))
            {
                findings.Add((at[i], LintRules.Finding(
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
            findings.Add((at[i], LintRules.Finding(
                "duplicate-arn",
                "the " + (first.IsUser ? "user" : "role") + " '" + arn + "' is declared twice (also at " + first.Location + "); the authenticator would keep only " + kept + ".",
                entry.Location,
                "merge the two declarations into one",
                FindingContext.Spec)));
        }
    }
}

/// <summary>Entries for <see cref="DuplicateArns"/>, read by index, so a caller need not build an <see cref="ArnEntry"/> for each.</summary>
public interface IArnEntries
{
    int Count { get; }

    /// <summary>The ARN of the entry at <paramref name="index"/>, as written.</summary>
    string Arn(int index);

    /// <summary>True for an entry of the users list.</summary>
    bool IsUser(int index);

    /// <summary>The entry at <paramref name="index"/>, for the findings about it.</summary>
    ArnEntry At(int index);
}

/// <summary>A list of entries read through <see cref="IArnEntries"/>.</summary>
internal readonly struct ListEntries(IReadOnlyList<ArnEntry> entries) : IArnEntries
{
    public int Count => entries.Count;

    public string Arn(int index) => entries[index].Entry.Arn!;

    public bool IsUser(int index) => entries[index].IsUser;

    public ArnEntry At(int index) => entries[index];
}

/// <summary>
/// Keys equal when equal ignoring the case of ASCII letters, otherwise ordinal. For an ASCII ARN this is what
/// Go's ToLower or EqualFold of it gives; non-ASCII ARNs come already lowered or folded (their ASCII letters lower case).
/// </summary>
internal sealed class AsciiCaseKeys : IEqualityComparer<string>
{
    public static readonly AsciiCaseKeys Instance = new();

    public bool Equals(string? x, string? y) =>
        string.Equals(x, y, StringComparison.Ordinal) || (x is not null && y is not null && System.Text.Ascii.EqualsIgnoreCase(x, y));

    // Equal keys differ at most in the case of ASCII letters, which this hash ignores.
    public int GetHashCode(string obj) => string.GetHashCode(obj, StringComparison.OrdinalIgnoreCase);
}
