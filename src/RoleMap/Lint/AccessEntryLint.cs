using System.Globalization;
using System.Text.RegularExpressions;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.Lint;

/// <summary>
/// The access-entry checks (<c>lint --access-entries</c>): what EKS does with each entry, alone and beside aws-auth,
/// RBAC and IAM. Findings are located at <c>accessEntries[PRINCIPAL_ARN]</c> and the field, whatever shape of AWS CLI
/// output the entry came from.
/// </summary>
public static partial class Linter
{
    // Words in a role name that say it is a node role (eksctl's NodeInstanceRole, eks-nodes, KarpenterNodeRole, ...).
    // A pattern rather than a static set: Linter's static constructor runs in every lint, and this one is rarely needed.
    private static bool IsNodeWord(string word) => word is "node" or "nodes" or "nodegroup" or "nodegroups" or "noderole" or "nodeinstancerole" or "nodepool";

    /// <summary>Lints access entries on their own (no aws-auth, no spec).</summary>
    public static LintResult LintAccessEntries(LintOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = options.AccessEntries ?? throw new ArgumentException("no access entries to lint", nameof(options));
        var findings = new List<Diagnostic>();
        CheckAccessEntries([], input, findings);
        if (options.Rbac is { } rbac)
        {
            CheckRbac(AccessEntryGroups(input), rbac, withAccessEntries: true, findings);
        }

        return new LintResult(Order(findings));
    }

    /// <summary>
    /// The words of a role name (split at '-', '_', '.', and where lower case turns upper) include one that names a
    /// node: node, nodes, nodegroup(s), noderole, nodeinstancerole, nodepool. "nodejs-ci" is not a node role.
    /// </summary>
    public static bool NameSaysNode(string roleName)
    {
        ArgumentNullException.ThrowIfNull(roleName);
        var words = NameWord().Matches(roleName).Select(m => m.Value.ToLowerInvariant()).ToList();
        return words.Any(IsNodeWord) || IsNodeWord(string.Concat(words));
    }

    /// <summary>
    /// The cluster's account: the account most of the entries' own ARNs (<c>accessEntryArn</c>) name, or when none is
    /// given the account most principals belong to; null when no account is the single most frequent.
    /// </summary>
    public static string? ClusterAccount(IReadOnlyList<KnownAccessEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var fromEntryArns = entries.Select(e => e.AccessEntryArn?.Split(':') is { Length: > 5 } parts && parts[2] == "eks" ? parts[4] : null).OfType<string>().ToList();
        return MostFrequent(fromEntryArns.Count > 0 ? fromEntryArns : entries.Select(e => IamArn.Parse(e.PrincipalArn, out _)?.Account).OfType<string>().ToList());

        static string? MostFrequent(List<string> accounts)
        {
            var counts = accounts.GroupBy(a => a, StringComparer.Ordinal).Select(g => (Account: g.Key, Count: g.Count())).OrderByDescending(c => c.Count).ToList();
            return counts.Count == 0 || (counts.Count > 1 && counts[1].Count == counts[0].Count) ? null : counts[0].Account;
        }
    }

    private static IEnumerable<GroupSource> AccessEntryGroups(AccessEntryLintInput? input) =>
        (input?.Entries.Entries ?? [])
            .Where(e => e.Type == AccessEntryType.Standard && e.KubernetesGroups is { Count: > 0 })
            .Select(e => new GroupSource(e.KubernetesGroups!, i => At(e, "kubernetesGroups[" + i + "]")));

    private static SourceLocation At(KnownAccessEntry entry, string? field = null) =>
        entry.Location with { Path = "accessEntries[" + entry.PrincipalArn + "]" + (field is null ? string.Empty : "." + field) };

    private static void CheckAccessEntries(List<LintEntry> awsAuth, AccessEntryLintInput input, List<Diagnostic> findings)
    {
        var entries = input.Entries.Entries;
        var clusterAccount = ClusterAccount(entries);
        var admins = new List<(KnownAccessEntry Entry, PolicyAssociation Policy)>();
        foreach (var entry in entries)
        {
            var principal = IamArn.Parse(entry.PrincipalArn, out _);
            if (entry.Type == AccessEntryType.Standard)
            {
                CheckAccessEntryNames(entry.Username, entry.KubernetesGroups ?? [], At(entry, "kubernetesGroups"), At(entry, "username"), FindingContext.Certain, findings);
                CheckStandardNodeEntry(entry, principal, awsAuth, input.Mode, findings);
            }

            if (clusterAccount is not null && principal is not null && principal.Account != clusterAccount)
            {
                CheckCrossAccount(entry, principal, clusterAccount, findings);
            }

            foreach (var association in entry.Policies ?? [])
            {
                var policy = AccessPolicyCatalogue.ForArn(association.PolicyArn);
                if (policy is { RulesKnown: false })
                {
                    var unlisted = AccessPolicyCatalogue.Knows(policy.Name) ? string.Empty : " (rolemap's catalogue does not list it: a policy newer than " + AccessPolicyCatalogue.Source + ")";
                    findings.Add(Finding("access-policy-rules-unknown", "AWS does not publish the rules of " + policy.Name + unlisted + ", associated at " + association.Scope + ": EKS may allow requests through it that rolemap cannot check, so can-i, who-can and matrix answer 'unknown' where only it could allow", At(entry, "policies[" + policy.Name + "]")));
                }

                if (association.Scope.IsCluster && policy?.Name is AccessPolicyNames.ClusterAdmin or AccessPolicyNames.Admin)
                {
                    admins.Add((entry, association));
                }
            }

            if (input.Iam is { } iam)
            {
                CheckRecreatedPrincipal(entry, principal, iam, findings);
            }
        }

        if (admins.Count > input.AdminThreshold)
        {
            var all = string.Join(", ", admins.Select(a => a.Entry.PrincipalArn + " (" + a.Policy.Name + ")"));
            foreach (var (entry, policy) in admins)
            {
                findings.Add(Finding("access-policy-admin-broad", admins.Count + " principals have cluster-wide admin access policies (" + all + "); this entry's " + policy.Name + " at cluster scope is one of them, and no RBAC binding can take it back", At(entry, "policies[" + policy.Name + "]"), "keep one break-glass principal with AmazonEKSClusterAdminPolicy; give the others AmazonEKSAdminPolicy, AmazonEKSEditPolicy or AmazonEKSViewPolicy scoped to the namespaces they need"));
            }
        }

        if (input.Mode == AuthenticationMode.ApiAndConfigMap)
        {
            CheckShadowedAwsAuth(awsAuth, input.Entries, findings);
        }
    }

    /// <summary>
    /// A STANDARD entry for a node role. A role is a node role when aws-auth maps it as a node or Fargate role
    /// (certain: in API_AND_CONFIG_MAP this entry replaces that mapping, so its nodes go NotReady), when the entry's
    /// own username or groups are a node's, or when its name says node (a warning).
    /// </summary>
    private static void CheckStandardNodeEntry(KnownAccessEntry entry, IamArn? principal, List<LintEntry> awsAuth, AuthenticationMode mode, List<Diagnostic> findings)
    {
        if (principal?.Kind != IamArnKind.Role)
        {
            return;
        }

        var key = ExistingAccessEntries.MatchKey(entry.PrincipalArn);
        var index = awsAuth.FindLastIndex(a => !a.IsUser && a.CanMatch && KindOf(a) != EntryKind.Custom && ExistingAccessEntries.MatchKey(a.Entry.Arn!) == key);
        LintEntry? mapped = index < 0 ? null : awsAuth[index];
        var groups = entry.KubernetesGroups ?? [];
        string? evidence;
        var kind = EntryKind.LinuxNode;
        if (mapped is not null)
        {
            kind = KindOf(mapped.Value);
            evidence = "aws-auth maps it as a " + StandardEntries.Describe(kind) + " (" + mapped.Value.Location.Path + ")";
        }
        else if (entry.Username?.StartsWith("system:node:", StringComparison.Ordinal) == true)
        {
            evidence = "its username '" + entry.Username + "' is a node's";
        }
        else if (groups.Any(g => g is StandardEntries.Nodes or StandardEntries.Bootstrappers))
        {
            evidence = "its groups include " + string.Join(" and ", groups.Where(g => g is StandardEntries.Nodes or StandardEntries.Bootstrappers));
        }
        else if (NameSaysNode(principal.Name))
        {
            evidence = "its name '" + principal.Name + "' says node";
        }
        else
        {
            return;
        }

        var certain = mapped is not null && mode == AuthenticationMode.ApiAndConfigMap;
        var type = AccessEntryNames.TypeFor(kind).Wire();
        findings.Add(Finding(
            "access-entry-node-standard",
            "a STANDARD access entry for a node role (" + evidence + "): EKS gives its callers the username " + (entry.EffectiveUsername ?? "of a person") + " and none of system:nodes or system:bootstrappers, so nodes using the role cannot register"
                + (certain ? "; in API_AND_CONFIG_MAP this entry replaces the aws-auth node entry, so running nodes go NotReady" : string.Empty),
            At(entry, "type"),
            "delete this entry and create it with type " + type + " (the type cannot be changed); EC2_WINDOWS for Windows nodes, FARGATE_LINUX for a Fargate pod execution role, HYBRID_LINUX for hybrid nodes",
            certain ? FindingContext.Certain : FindingContext.AwsAuth));
    }

    private static EntryKind KindOf(LintEntry entry) => entry.DeclaredKind is null or EntryKind.Custom ? StandardEntries.Classify(entry.Entry) : entry.DeclaredKind.Value;

    private static void CheckCrossAccount(KnownAccessEntry entry, IamArn principal, string clusterAccount, List<Diagnostic> findings)
    {
        if (entry.Type is { } type && type != AccessEntryType.Standard)
        {
            findings.Add(Finding("access-entry-cross-account", "a " + type.Wire() + " entry for a principal of account " + principal.Account + ", but the cluster is in account " + clusterAccount + ": EKS accepts node types only for roles of the cluster's account, so this entry cannot exist as written", At(entry), "use a node role of account " + clusterAccount, FindingContext.Certain));
            return;
        }

        findings.Add(Finding("access-entry-cross-account", "the principal belongs to account " + principal.Account + ", not the cluster's account " + clusterAccount + ": EKS accepts it for a STANDARD entry, but who can become this principal is decided in the other account (its trust policy or users)", At(entry)));
    }

    private static void CheckRecreatedPrincipal(KnownAccessEntry entry, IamArn? principal, IamDirectory iam, List<Diagnostic> findings)
    {
        if (entry.CreatedAt is not { } created || principal is not { Kind: IamArnKind.Role or IamArnKind.User }
            || iam.Find(principal.Kind, principal.Partition, principal.Account, principal.Name) is not { CreateDate: { } born } listed || born <= created)
        {
            return;
        }

        var policies = entry.Policies is { Count: > 0 } ? ", then associate " + string.Join(", ", entry.Policies.Select(p => p.ToString())) + " again" : string.Empty;
        findings.Add(Finding(
            "access-entry-principal-recreated",
            "IAM created " + listed.Arn + " at " + Timestamp(born) + ", after this access entry (created " + Timestamp(created) + "): EKS bound the entry to the unique ID of the principal that existed then, so the re-created one does not match it and gets no access through it",
            At(entry, "createdAt"),
            "delete the access entry and create it again" + policies));
    }

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>aws-auth entries an access entry replaces (API_AND_CONFIG_MAP) while giving different access.</summary>
    private static void CheckShadowedAwsAuth(List<LintEntry> awsAuth, ExistingAccessEntries accessEntries, List<Diagnostic> findings)
    {
        foreach (var mapping in awsAuth.Where(a => a.CanMatch))
        {
            if (accessEntries.Find(mapping.Entry.Arn!) is not { Described: true } entry)
            {
                continue;
            }

            var username = mapping.Entry.Username ?? string.Empty;
            var entryGroups = MixedResolver.GroupsOf(entry) ?? [];
            var lostGroups = mapping.Entry.Groups.Where(g => !entryGroups.Contains(g, StringComparer.Ordinal)).ToList();
            var sameUser = entry.EffectiveUsername is null || entry.EffectiveUsername == username;
            if (sameUser && lostGroups.Count == 0 && entryGroups.All(g => mapping.Entry.Groups.Contains(g, StringComparer.Ordinal)))
            {
                continue;
            }

            var ignored = new List<string>();
            if (!sameUser)
            {
                ignored.Add("username '" + username + "' (the access entry's is '" + entry.EffectiveUsername + "')");
            }

            if (lostGroups.Count > 0)
            {
                ignored.Add("groups " + string.Join(", ", lostGroups));
            }

            var what = ignored.Count > 0
                ? "EKS does not use its " + string.Join(" or its ", ignored)
                : "EKS ignores it, and the access entry gives groups " + string.Join(", ", entryGroups) + " instead";
            findings.Add(Finding(
                "access-entry-shadows-aws-auth",
                "the access entry for " + entry.PrincipalArn + " replaces this aws-auth entry in API_AND_CONFIG_MAP, so " + what,
                mapping.Location,
                "remove this entry from aws-auth, or give the access entry the groups and policies this principal should have"));
        }
    }

    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NameWord();
}
