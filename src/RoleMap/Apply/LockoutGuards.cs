using RoleMap.AwsAuth;
using RoleMap.Text;

namespace RoleMap.Apply;

/// <summary>A reason a write is refused unless forced: a stable rule id and what would break.</summary>
public sealed record GuardViolation(string Rule, string Message)
{
    /// <summary>The data key whose live text a forced write replaces, when it replaces one it could not read.</summary>
    public string? Key { get; init; }

    /// <summary>That live text, exactly, so that the person forcing the write sees what goes.</summary>
    public string? Replaced { get; init; }
}

/// <summary>Who is writing, as far as rolemap knows: an IAM ARN, and where that came from.</summary>
/// <param name="Arn">The caller's IAM ARN (an assumed-role ARN is fine), or null when the caller is not an IAM identity or unknown.</param>
/// <param name="Source">How it was learned: "--as-arn", "SelfSubjectReview", or why it is unknown.</param>
/// <param name="Username">The Kubernetes username the cluster reported, when known.</param>
public sealed record CallerIdentity(string? Arn, string Source, string? Username = null)
{
    public static CallerIdentity Unknown(string why, string? username = null) => new(null, why, username);

    /// <summary>
    /// True for a Kubernetes service account: the API server authenticates its token itself, never through
    /// aws-iam-authenticator, so no aws-auth content can take its access away.
    /// </summary>
    public bool IsServiceAccount => Arn is null && Username is not null && Username.StartsWith("system:serviceaccount:", StringComparison.Ordinal);
}

/// <summary>
/// The checks that stand between a computed aws-auth and the cluster. Each names what would break; the write is
/// refused unless forced. They protect against the lockouts peers cause: a list the authenticator would drop,
/// node or Fargate roles disappearing, an empty mapRoles, and the caller cutting off its own access.
/// </summary>
public static class LockoutGuards
{
    public static IReadOnlyList<GuardViolation> Check(AwsAuthDocument before, AwsAuthDocument after, AwsAuthData intended, CallerIdentity caller, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(intended);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(notes);
        var violations = new List<GuardViolation>();
        var beforeData = before.Effective;
        var afterData = after.Effective;

        if (RoundTrip.Differences(intended, after) is { } problem)
        {
            violations.Add(new GuardViolation("roundtrip", "the new aws-auth does not read back as intended, so the authenticator would see something else: " + problem));
        }

        foreach (var role in beforeData.Roles.Where(r => r.Arn is not null && StandardEntries.Classify(r) != EntryKind.Custom).DistinctBy(r => r.Arn!.ToLowerInvariant()))
        {
            var kind = StandardEntries.Classify(role);
            var now = afterData.Roles.LastOrDefault(r => r.Arn is not null && r.Arn.Equals(role.Arn, StringComparison.OrdinalIgnoreCase));
            if (now is null)
            {
                violations.Add(new GuardViolation("node-role-removed", "the " + StandardEntries.Describe(kind) + " entry " + Printable.Quote(role.Arn!) + " would disappear: " + Consequence(kind)));
            }
            else if (StandardEntries.Classify(now) == EntryKind.Custom || now.Username != role.Username
                || !StandardEntries.Groups(EntryKind.LinuxNode).All(g => now.Groups.Contains(g, StringComparer.Ordinal)))
            {
                violations.Add(new GuardViolation("node-role-removed", "the " + StandardEntries.Describe(kind) + " entry " + Printable.Quote(role.Arn!) + " would lose its node username or groups (" + StandardEntries.Username(kind) + ", " + string.Join(", ", StandardEntries.Groups(kind)) + "): " + Consequence(kind)));
            }
        }

        if (beforeData.Roles.Count > 0 && afterData.Roles.Count == 0)
        {
            violations.Add(new GuardViolation("maproles-empty", "mapRoles would become empty (it has " + beforeData.Roles.Count + " entr" + (beforeData.Roles.Count == 1 ? "y" : "ies") + " now): every role-based identity, nodes included, would lose access"));
        }

        CheckCaller(before, after, caller, violations, notes);
        return violations;
    }

    private static void CheckCaller(AwsAuthDocument beforeDocument, AwsAuthDocument afterDocument, CallerIdentity caller, List<GuardViolation> violations, List<string> notes)
    {
        var before = beforeDocument.Effective;
        var after = afterDocument.Effective;
        if (caller.IsServiceAccount)
        {
            notes.Add("you are the service account " + Printable.Quote(caller.Username!) + " (" + caller.Source + "); aws-auth maps only IAM identities, so this write cannot lock you out");
            return;
        }

        var was = caller.Arn is null ? null : new Resolver(before).Resolve(caller.Arn);
        var unknown = was is null ? "caller identity unknown (" + caller.Source + ")"
            : was.Failure is not null && !was.Canonical.IsValid ? "caller ARN " + Printable.Quote(caller.Arn!) + " (" + caller.Source + ") is not an IAM identity ARN (" + was.Failure + ")"
            : null;
        if (unknown is not null)
        {
            var taken = ChangedExisting(beforeDocument, afterDocument);
            if (taken == 0)
            {
                notes.Add(unknown + ": the check that you keep your own access did not run; this write only adds new entries, so it cannot take access away (pass --as-arn ARN to run the check)");
                return;
            }

            violations.Add(new GuardViolation(
                "caller-unknown",
                unknown + ": rolemap cannot check that you keep your own access, and this write changes or removes " + taken + " existing entr" + (taken == 1 ? "y" : "ies")
                + ". Pass --as-arn with your IAM ARN ('aws sts get-caller-identity --query Arn --output text' prints it, run with the credentials your kubeconfig uses; an assumed-role ARN is fine), or --force to write without the check"));
            return;
        }

        if (!was!.IsMapped)
        {
            notes.Add("you (" + Printable.Quote(was.Canonical.Canonical) + ", from " + caller.Source + ") are not mapped by aws-auth; your access comes from elsewhere (cluster creator or an access entry), so this write cannot lock you out");
            return;
        }

        var now = new Resolver(after).Resolve(caller.Arn!);
        var who = "you (" + Printable.Quote(was.Canonical.Canonical) + ", from " + caller.Source + ")";
        if (!now.IsMapped)
        {
            violations.Add(new GuardViolation("caller-lockout", who + " would no longer be mapped by aws-auth and would lose access to the cluster, including the access to undo this change"));
            return;
        }

        var lost = was.Mapping!.Groups.Except(now.Mapping!.Groups, StringComparer.Ordinal).ToList();
        if (lost.Count > 0)
        {
            var admin = lost.Contains(StandardEntries.Masters, StringComparer.Ordinal) ? " (cluster admin)" : string.Empty;
            violations.Add(new GuardViolation("caller-lockout", who + " would lose the group" + (lost.Count == 1 ? " " : "s ") + string.Join(", ", lost.Select(Printable.Quote)) + admin + "; if your admin access comes through it you could not undo this change"));
        }
    }

    /// <summary>
    /// How many existing mappings the write removes or changes (0 for pure additions of new ARNs). An added sso
    /// matcher, or an ARN already in the other list, can change what an existing caller resolves to, so it counts.
    /// </summary>
    private static int ChangedExisting(AwsAuthDocument before, AwsAuthDocument after)
    {
        var known = before.Effective.Roles.Concat(before.Effective.Users).Select(e => e.Arn).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return EntryDiff.Compute(before, after).Count(c =>
            c.Section is AwsAuthRenderer.MapRoles or AwsAuthRenderer.MapUsers or AwsAuthRenderer.MapAccounts
            && !(c.Kind == ChangeKind.Added && (c.Section == AwsAuthRenderer.MapAccounts || (c.After?.Arn is { } arn && !known.Contains(arn)))));
    }

    private static string Consequence(EntryKind kind) => kind switch
    {
        EntryKind.Fargate => "Fargate pods could no longer register their nodes",
        _ => "nodes using this role could no longer join the cluster (the kubelet gets 401 Unauthorized)",
    };
}
