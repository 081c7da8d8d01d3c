using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.UseCases;

/// <summary>What a plan's permission proof compared: the modes, and one comparison per plan entry (null when the entry names no principal).</summary>
/// <param name="Namespaces">The namespaces asked besides cluster-wide (<see cref="RequestUniverse.OtherNamespace"/> for any other).</param>
/// <param name="Requests">How many requests each side was asked.</param>
public sealed record MigrationProofResult(AuthenticationMode CurrentMode, IReadOnlyList<string> Namespaces, int Requests, IReadOnlyList<PermissionComparison?> Comparisons)
{
    public bool AllSame => Comparisons.All(c => c is null || c.Verdict == PermissionVerdict.Same);
}

/// <summary>
/// Migration as a proof: for the principal of each plan entry, what EKS lets it do today (aws-auth, and the existing
/// access entries in API_AND_CONFIG_MAP when they are given, else CONFIG_MAP) against what it may do in API mode once
/// the plan is carried out (the planned access entries with their policies, and the existing ones), both with the
/// same RBAC, over the same <see cref="RequestUniverse"/>. The principal is asked as a caller would come: a role as
/// an assumed-role session, with fixed sample values for the placeholders EKS fills in at login.
/// </summary>
public static class MigrationProof
{
    /// <summary>The sample session name (an EC2 instance ID, so node usernames render as EKS renders them).</summary>
    public const string SampleSession = "i-0123456789abcdef0";

    private static readonly CallerFacts SampleFacts = new(AccessKeyId: "AKIAIOSFODNN7EXAMPLE", Ec2PrivateDnsName: "ip-192-0-2-1.ec2.internal", SessionName: SampleSession);

    /// <summary>Findings of entries that name no principal a caller could be (the authenticator drops them or never matches them).</summary>
    private static readonly string[] NoPrincipal = ["entry-ignored", "sso-matcher", "never-matches"];

    public static MigrationProofResult Prove(MigrationPlan plan, PlanInput input, ExistingAccessEntries existing, RbacPolicy rbac)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(rbac);
        var currentMode = existing.Entries.Count > 0 ? AuthenticationMode.ApiAndConfigMap : AuthenticationMode.ConfigMap;
        var awsAuth = new AwsAuthData(
            [.. input.Roles.Where(m => m.Ignored is null).Select(m => m.Entry)],
            [.. input.Users.Where(m => m.Ignored is null).Select(m => m.Entry)],
            [.. input.Accounts.Select(a => a.Account)]);
        var planned = plan.Entries
            .Where(e => e.Target is not null && e.Status != PlanStatus.Skip || e.Target is not null && e.Findings.Any(f => f.Rule == "eks-managed-fargate"))
            .Select(e => e.Target!)
            .Where(t => existing.Find(t.PrincipalArn) is null)
            .Select(t => new KnownAccessEntry(t.PrincipalArn, t.Type, t.KubernetesGroups, t.Username, t.Policies, plan.ClusterName, new SourceLocation("planned")));
        var afterEntries = ExistingAccessEntries.Of(existing.Entries.Concat(planned));
        var before = new MixedResolver(awsAuth, existing, currentMode);
        var after = new MixedResolver(null, afterEntries, AuthenticationMode.Api);
        var universe = RequestUniverse.Build(rbac, afterEntries.Entries.SelectMany(e => e.Policies ?? []));

        var byCaller = new Dictionary<string, PermissionComparison>(StringComparer.Ordinal);
        var comparisons = new List<PermissionComparison?>();
        foreach (var entry in plan.Entries)
        {
            var caller = CallerOf(entry, plan.Partition);
            if (caller is null)
            {
                comparisons.Add(null);
                continue;
            }

            if (!byCaller.TryGetValue(caller, out var comparison))
            {
                comparison = PermissionComparer.Compare(rbac, universe, Side(before.Resolve(caller, SampleFacts)), Side(after.Resolve(caller, SampleFacts)));
                byCaller[caller] = comparison;
            }

            comparisons.Add(comparison);
        }

        return new MigrationProofResult(currentMode, universe.Namespaces, universe.Requests.Count, comparisons);
    }

    /// <summary>The caller ARN that stands for an entry's principal: a role as an assumed-role session, a user as itself; any principal of a mapped account as a sample role.</summary>
    private static string? CallerOf(PlanEntry entry, string partition)
    {
        if (entry.Mapping is null)
        {
            return "arn:" + partition + ":sts::" + entry.Written + ":assumed-role/any-principal/" + SampleSession;
        }

        if (entry.Target is null && entry.Findings.Any(f => NoPrincipal.Contains(f.Rule, StringComparer.Ordinal)))
        {
            return null;
        }

        var arn = entry.Target?.PrincipalArn ?? entry.Mapping.Arn;
        var parsed = arn is null ? null : IamArn.Parse(arn, out _);
        return parsed?.Kind switch
        {
            null => null,
            IamArnKind.Role => "arn:" + parsed.Partition + ":sts::" + parsed.Account + ":assumed-role/" + parsed.Name + "/" + SampleSession,
            _ => arn,
        };
    }

    private static PermissionSide Side(MixedResolution resolution)
    {
        if (resolution.Failure is not null)
        {
            return PermissionSide.Rejected;
        }

        if (resolution.AccessEntry is { } identity)
        {
            if (identity.Username is null || identity.Groups is null)
            {
                return new PermissionSide(null, null, IdentityUnknown: "the access entry for " + identity.Entry.PrincipalArn + " is not described in the input (give 'aws eks describe-access-entry' output), so its username and groups are not known");
            }

            return new PermissionSide(Identities.Authenticated(identity.Username, identity.Groups), identity.Policies ?? [], PoliciesUnknown: identity.Policies is null);
        }

        return resolution.AwsAuth?.Mapping is { } mapping
            ? new PermissionSide(Identities.Authenticated(mapping.Username, mapping.Groups), null)
            : PermissionSide.Rejected;
    }
}
