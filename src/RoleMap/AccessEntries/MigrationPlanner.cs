using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.AccessEntries;

/// <summary>What the planner knows besides the mappings.</summary>
/// <param name="ClusterName">The cluster, for messages and to check <paramref name="Existing"/> against.</param>
/// <param name="Iam">Real role and user ARNs (<c>--iam-arns</c>): restores role paths, finds deleted principals.</param>
/// <param name="Existing">Access entries that already exist (<c>--access-entries</c>).</param>
public sealed record PlanOptions(string? ClusterName = null, IamDirectory? Iam = null, ExistingAccessEntries? Existing = null);

/// <summary>
/// Plans the move from aws-auth to EKS access entries, entry by entry (EKS User Guide migrating-access-entries,
/// creating-access-entries; compared with eksctl's <c>utils migrate-to-access-entry</c>). Unlike eksctl it works
/// offline from a spec or any aws-auth, resolves duplicates as the authenticator does (the last role entry wins),
/// keeps the groups next to <c>system:masters</c>, writes partition-correct policy ARNs, and says for every entry
/// why it is skipped or what must be done, instead of skipping silently.
/// </summary>
public static class MigrationPlanner
{
    public static MigrationPlan Plan(PlanInput input, PlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new PlanOptions();
        var existing = options.Existing ?? ExistingAccessEntries.Empty;
        var others = options.ClusterName is null ? [] : existing.ClusterNames.Where(n => n != options.ClusterName).ToList();
        if (others.Count > 0)
        {
            throw new InputException("the existing access entries given are for cluster " + string.Join(", ", others) + ", not " + options.ClusterName, new SourceLocation("--access-entries"));
        }

        var planner = new Planner(input, options.Iam ?? IamDirectory.Empty, existing);
        var entries = planner.Run();
        var notes = new List<Diagnostic>(input.Notes);
        notes.AddRange((options.Iam ?? IamDirectory.Empty).Notes);
        if (planner.Partitions.Count > 1)
        {
            notes.Add(new Diagnostic("partition-mismatch", Severity.Warning, "the principals are in several partitions (" + string.Join(", ", planner.Partitions) + "); a cluster accepts principals of its own partition only, taken here to be " + planner.Partition));
        }

        var unrelated = existing.Entries.Where(e => !planner.Principals.Contains(ExistingAccessEntries.MatchKey(e.PrincipalArn))).Select(e => e.PrincipalArn).ToList();
        if (unrelated.Count > 0)
        {
            notes.Add(new Diagnostic("access-entry-unrelated", Severity.Info, "existing access entries with no aws-auth counterpart (such as the cluster creator's), left as they are: " + string.Join(", ", unrelated)));
        }

        return new MigrationPlan(input.Source, options.ClusterName, planner.Partition, entries, notes, Readiness(entries, existing, input.Notes));
    }

    // Parse errors that make the authenticator read nothing from a whole key: the entries in it are missing from
    // the plan, so it cannot be complete until the key is fixed.
    private static readonly IReadOnlyList<string> UnreadableKey = AwsAuth.GoYamlFindings.KeyDropped;

    private static ApiModeReadiness Readiness(List<PlanEntry> entries, ExistingAccessEntries existing, IReadOnlyList<Diagnostic> inputNotes)
    {
        var blockers = entries.Where(e => e.ApiMode == ApiModeImpact.Blocks)
            .Select(e => e.Label + " " + e.Written + ": " + (e.Findings.Count > 0 ? e.Findings[0].Message : "needs attention"))
            .ToList();
        blockers.AddRange(inputNotes.Where(n => n.Severity == Severity.Error && UnreadableKey.Contains(n.Rule, StringComparer.Ordinal))
            .Select(n => (n.Location?.Path ?? "aws-auth") + ": " + n.Message + "; the entries in it are not in this plan: fix the key and plan again"));
        var checks = entries.Where(e => e.ApiMode == ApiModeImpact.Verify)
            .Select(e => e.Label + " " + e.Written + ": " + (e.Findings.Count > 0 ? e.Findings[0].Fix ?? e.Findings[0].Message : "confirm its access entry exists"))
            .ToList();
        static bool Admin(IReadOnlyList<PolicyAssociation>? policies) => policies?.Any(p => p.Name == AccessPolicyNames.ClusterAdmin && p.Scope.IsCluster) == true;
        if (!entries.Any(e => e.Status == PlanStatus.Convertible && Admin(e.Target?.Policies)) && !existing.Entries.Any(e => Admin(e.Policies)))
        {
            checks.Add("no planned or known access entry has " + AccessPolicyNames.ClusterAdmin + ", and the cluster creator's implicit admin access is not in aws-auth: confirm with 'aws eks list-access-entries' that someone keeps admin access (EKS created an entry for the creator when the cluster reached an access-entry platform version)");
        }

        return new ApiModeReadiness(blockers, checks);
    }

    /// <summary>One planning run: duplicate resolution across the lists, then each entry on its own.</summary>
    private sealed class Planner(PlanInput input, IamDirectory iam, ExistingAccessEntries existing)
    {
        public List<string> Partitions { get; } = DistinctPartitions(input);

        public string Partition => Partitions.Count > 0 ? Partitions[0] : "aws";

        /// <summary>Match keys of every principal the input maps, to find existing entries unrelated to it.</summary>
        public HashSet<string> Principals { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<PlanEntry> Run()
        {
            var result = new List<PlanEntry>();

            // Roles: keyed by the lower-cased ARN; the last valid entry wins completely (authenticator saveMap, issue #271).
            var lastRole = new Dictionary<string, SourceMapping>(StringComparer.OrdinalIgnoreCase);
            var roleCount = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var role in input.Roles.Where(Usable))
            {
                lastRole[role.Entry.Arn!] = role;
                roleCount[role.Entry.Arn!] = roleCount.GetValueOrDefault(role.Entry.Arn!) + 1;
            }

            foreach (var role in input.Roles)
            {
                if (Usable(role) && lastRole[role.Entry.Arn!] != role)
                {
                    var winner = lastRole[role.Entry.Arn!];
                    result.Add(Shadowed(role, "duplicate-shadowed", "a later entry for the same role (" + Where(winner) + ") replaces this one completely: the authenticator keeps only the last entry for an ARN, ignoring case, and does not merge groups. eksctl's migrator would have used this first entry instead."));
                    continue;
                }

                var notes = new List<string>();
                if (Usable(role) && roleCount[role.Entry.Arn!] > 1)
                {
                    notes.Add("mapRoles has " + roleCount[role.Entry.Arn!] + " entries for this role; this last one is the one the authenticator uses, and the one planned (eksctl's migrator would take the first)");
                }

                result.Add(Evaluate(role, notes, []));
            }

            // Users: keyed by the ARN as written (exact duplicates: the last wins); case variants are all kept and
            // picked at random per request. Roles are matched first, so a user entry with a role's ARN never applies.
            var lastUser = new Dictionary<string, SourceMapping>(StringComparer.Ordinal);
            foreach (var user in input.Users.Where(Usable))
            {
                lastUser[user.Entry.Arn!] = user;
            }

            var variants = lastUser.Keys.GroupBy(a => a, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
            foreach (var user in input.Users)
            {
                if (!Usable(user))
                {
                    result.Add(Evaluate(user, [], []));
                }
                else if (lastRole.TryGetValue(user.Entry.Arn!, out var role))
                {
                    result.Add(Shadowed(user, "shadowed-by-role", "mapRoles has an entry for the same ARN (" + Where(role) + "), and the authenticator looks in mapRoles first, so this entry never applies"));
                }
                else if (lastUser[user.Entry.Arn!] != user)
                {
                    result.Add(Shadowed(user, "duplicate-shadowed", "a later entry for the same user (" + Where(lastUser[user.Entry.Arn!]) + ") replaces this one: the authenticator keeps the last entry for an ARN written the same way"));
                }
                else
                {
                    var same = variants[user.Entry.Arn!];
                    var extra = same.Count > 1
                        ? new List<PlanFinding> { new("duplicate-user-case", "mapUsers has entries for this user written in different case (" + string.Join(", ", same) + "); the authenticator keeps all of them and picks one at random on each request, so which groups apply is not defined", "keep one entry for the user, with the username and groups intended, and plan again") }
                        : [];
                    result.Add(Evaluate(user, [], extra));
                }
            }

            foreach (var account in input.Accounts)
            {
                result.Add(new PlanEntry(
                    account.Label,
                    account.Location,
                    account.Account,
                    null,
                    EntryKind.Custom,
                    PlanStatus.Skip,
                    [new("map-accounts", "access entries have nothing like mapAccounts: today every role and user of account " + account.Account + " that has no entry of its own authenticates (username: its ARN, no groups), and that ends when the cluster stops reading aws-auth", "create an access entry for each principal of the account that needs access, then remove the account from mapAccounts")],
                    [],
                    null,
                    PrincipalSource.None,
                    DeleteWhen.Keep,
                    ApiModeImpact.Blocks));
            }

            return result;
        }

        private static bool Usable(SourceMapping mapping) => mapping.Ignored is null && !mapping.Sso && mapping.Entry.Arn is not null;

        private static string Where(SourceMapping mapping) =>
            mapping.Label + (mapping.Location?.Line is int line ? ", line " + line : string.Empty);

        private static PlanEntry Shadowed(SourceMapping mapping, string rule, string message) =>
            Skip(mapping, mapping.Entry.Arn!, new PlanFinding(rule, message, "delete it: it grants nothing"), null, PrincipalSource.None, DeleteWhen.Now, ApiModeImpact.None);

        private static PlanEntry Skip(SourceMapping mapping, string written, PlanFinding why, AccessEntry? target, PrincipalSource source, DeleteWhen delete, ApiModeImpact api, IReadOnlyList<string>? notes = null) =>
            new(mapping.Label, mapping.Location, written, mapping.Entry, mapping.Kind, PlanStatus.Skip, [why], notes ?? [], target, source, delete, api);

        private PlanEntry Evaluate(SourceMapping mapping, List<string> notes, List<PlanFinding> findings)
        {
            var written = mapping.SpecArn ?? mapping.Entry.Arn ?? "(no ARN)";
            if (mapping.Ignored is not null)
            {
                return Skip(mapping, written, new PlanFinding("entry-ignored", "the authenticator drops this entry (" + mapping.Ignored + "), so it grants nothing today", "delete it, or fix it if it was meant to grant access"), null, PrincipalSource.None, DeleteWhen.Now, ApiModeImpact.None);
            }

            if (mapping.Sso)
            {
                return Skip(mapping, "sso matcher", new PlanFinding(
                    "sso-matcher",
                    "an sso matcher entry: alpha in aws-iam-authenticator, behind the SSORoleMatch feature gate (off by default) and not known to be enabled on EKS, so it most likely grants nothing today; access entries need each role's own ARN",
                    "create an access entry for each AWSReservedSSO_<permission set>_<suffix> role it was meant to match (their ARNs have the path /aws-reserved/sso.amazonaws.com/...)"), null, PrincipalSource.None, DeleteWhen.Keep, ApiModeImpact.Verify);
            }

            var parsed = PlanInput.ParseArn(mapping, out var problems);
            if (parsed is null || problems.Count > 0)
            {
                var problem = problems.Count > 0 ? problems[0].Message : "it is not an IAM principal ARN";
                return Skip(mapping, written, new PlanFinding("never-matches", problem + "; the authenticator never matches it, so it grants nothing today, and no access entry can be made from it", "delete it"), null, PrincipalSource.None, DeleteWhen.Now, ApiModeImpact.None);
            }

            if (parsed.Kind == IamArnKind.AssumedRole && !input.IsSpec)
            {
                return Skip(mapping, written, new PlanFinding("never-matches", "an STS session ARN never matches in aws-auth (the authenticator does not canonicalise the ARNs written there), so it grants nothing today; access entries reject session ARNs too", "delete it; map the role instead: " + parsed.RoleArnWithoutPath), null, PrincipalSource.None, DeleteWhen.Now, ApiModeImpact.None);
            }

            Principals.Add(ExistingAccessEntries.MatchKey(parsed.FullArn));
            if (parsed.Kind is IamArnKind.Root or IamArnKind.FederatedUser)
            {
                findings.Add(new PlanFinding("not-a-principal", (parsed.Kind == IamArnKind.Root ? "the account root user" : "an STS federated user") + " cannot have an access entry: access entries take IAM roles and users only, so this access ends when the cluster stops reading aws-auth", "give whoever uses it an IAM role, and map that role"));
                return Attention(mapping, written, findings, notes, null, PrincipalSource.None, grantsToday: true);
            }

            var known = existing.Find(parsed.FullArn);
            var (principalArn, source) = ResolvePrincipal(parsed, known, notes);
            if (AccessEntryRules.IsServiceLinkedRole(parsed) || AccessEntryRules.IsServiceLinkedRole(IamArn.Parse(principalArn, out _) ?? parsed))
            {
                return Skip(mapping, written, new PlanFinding(
                    "service-linked-role",
                    "a service-linked role: access entries do not support them, so this aws-auth entry must stay for as long as the cluster reads aws-auth",
                    "keep it; for EMR on EKS, move the virtual cluster to EMR's access-entry integration before switching to API mode"), null, source, DeleteWhen.Keep, ApiModeImpact.Blocks);
            }

            var grantsToday = !(parsed.Kind == IamArnKind.Role && parsed.HasPath && !input.IsSpec);
            if (!grantsToday)
            {
                findings.Add(new PlanFinding("role-path-in-aws-auth", "role ARNs with a path never match in aws-auth, so this entry grants nothing today; as an access entry it would start to grant access", "create the access entry only if that access is intended; either way the aws-auth entry can go"));
            }

            if (parsed.Partition != Partition)
            {
                findings.Add(new PlanFinding("partition-mismatch", "the principal is in partition " + parsed.Partition + ", the other entries in " + Partition + "; a cluster accepts principals of its own partition only", "check which partition the cluster is in"));
            }

            var kind = parsed.Kind is IamArnKind.Role or IamArnKind.AssumedRole ? IamArnKind.Role : IamArnKind.User;
            if (known is null && iam.Lists(kind, parsed.Partition, parsed.Account) && iam.Find(kind, parsed.Partition, parsed.Account, parsed.Name) is null)
            {
                findings.Add(new PlanFinding("principal-not-found", "the " + (kind == IamArnKind.Role ? "role " : "user ") + parsed.Name + " is not in the --iam-arns listing of account " + parsed.Account + ": it seems not to exist any more, and an access entry needs an existing principal", "if it was deleted, delete this aws-auth entry; if it exists, list it with 'aws iam get-" + (kind == IamArnKind.Role ? "role --role-name " : "user --user-name ") + parsed.Name + "'"));
            }
            else if (source == PrincipalSource.Unconfirmed && mapping.Kind != EntryKind.Fargate)
            {
                var why = input.IsSpec ? "the spec writes this role without a path, which is right for aws-auth" : "aws-auth role ARNs carry no path";
                findings.Add(new PlanFinding("role-path-unknown", why + ", but an access entry needs the role's full ARN, and the role may have a path", "confirm it with 'aws iam get-role --role-name " + parsed.Name + " --query Role.Arn', or pass --iam-arns with the output of 'aws iam list-roles'"));
            }

            var type = AccessEntryNames.TypeFor(mapping.Kind);
            var target = type == AccessEntryType.Standard
                ? Standard(mapping.Entry, principalArn, parsed.Partition, findings, notes)
                : Node(mapping, parsed, principalArn, type, findings, known is null ? notes : []);
            if (known is not null)
            {
                return Existing(mapping, written, target, known, source, notes);
            }

            if (mapping.Kind == EntryKind.Fargate && findings.Count == 0)
            {
                return Skip(mapping, written, new PlanFinding(
                    "eks-managed-fargate",
                    "EKS manages this entry for a Fargate profile: it creates the FARGATE_LINUX access entry for the profile's pod execution role itself, so creating one here would collide with it",
                    "confirm it exists with 'aws eks describe-access-entry --cluster-name <cluster> --principal-arn " + principalArn + "' (or pass --access-entries) before deleting this aws-auth entry or switching to API mode"), target, source, DeleteWhen.Keep, ApiModeImpact.Verify, notes);
            }

            if (findings.Count > 0)
            {
                return Attention(mapping, written, findings, notes, target, source, grantsToday);
            }

            return new PlanEntry(mapping.Label, mapping.Location, written, mapping.Entry, mapping.Kind, PlanStatus.Convertible, [], notes, target, source, DeleteWhen.AfterCreate, ApiModeImpact.None);
        }

        private (string Arn, PrincipalSource Source) ResolvePrincipal(IamArn parsed, KnownAccessEntry? known, List<string> notes)
        {
            if (known is not null)
            {
                return (known.PrincipalArn, PrincipalSource.AccessEntry);
            }

            var isRole = parsed.Kind is IamArnKind.Role or IamArnKind.AssumedRole;
            var listed = iam.Find(isRole ? IamArnKind.Role : IamArnKind.User, parsed.Partition, parsed.Account, parsed.Name);
            if (listed is not null)
            {
                var full = listed.Arn.FullArn;
                if ((input.IsSpec || !isRole) && listed.Arn.Path != parsed.Path)
                {
                    notes.Add("written with the path " + parsed.Path + ", but IAM lists " + full + "; the access entry uses IAM's ARN");
                }

                return (full, PrincipalSource.IamList);
            }

            if (!isRole)
            {
                return (parsed.FullArn, PrincipalSource.AsWritten);
            }

            if (parsed.HasPath)
            {
                return (parsed.FullArn, input.IsSpec ? PrincipalSource.Spec : PrincipalSource.AsWritten);
            }

            return (parsed.RoleArnWithoutPath, PrincipalSource.Unconfirmed);
        }

        private static AccessEntry Standard(MapEntry entry, string principalArn, string partition, List<PlanFinding> findings, List<string> notes)
        {
            var groups = new List<string>();
            var policies = new List<PolicyAssociation>();
            foreach (var group in entry.Groups)
            {
                if (group == StandardEntries.Masters)
                {
                    if (policies.Count == 0)
                    {
                        policies.Add(new PolicyAssociation(AccessPolicyNames.Arn(partition, AccessPolicyNames.ClusterAdmin), AccessScope.Cluster));
                        notes.Add("system:masters becomes " + AccessPolicyNames.ClusterAdmin + " at cluster scope (access entries reject system: groups; the policy is EKS's equivalent of cluster-admin)");
                    }
                }
                else if (group == AccessEntryRules.Authenticated)
                {
                    notes.Add("system:authenticated is left out: the API server gives it to every authenticated caller anyway");
                }
                else if (group.StartsWith(AccessEntryRules.ReservedGroupPrefix, StringComparison.Ordinal))
                {
                    findings.Add(new PlanFinding("reserved-group", "access entries reject group names that start with system: ('" + group + "'), and only system:masters has an access-policy equivalent", "bind what '" + group + "' grants to a group of your own (a RoleBinding or ClusterRoleBinding) and map that group instead, or associate an access policy"));
                }
                else if (AccessEntryRules.ReservedPrefix(group) is { } prefix)
                {
                    findings.Add(new PlanFinding("reserved-group", "group '" + group + "' starts with " + prefix + ", a prefix EKS reserves for its own names; EKS documents the rule for usernames, and may reject the group or give it a meaning of its own", "rename the group in your RoleBindings, or confirm that EKS accepts it"));
                }
                else if (group.Contains("{{", StringComparison.Ordinal))
                {
                    findings.Add(new PlanFinding("group-template", "aws-auth renders {{...}} placeholders in groups ('" + group + "'), but access entries document no templating in group names", "use fixed group names"));
                }
                else if (!groups.Contains(group, StringComparer.Ordinal))
                {
                    groups.Add(group);
                }
            }

            var generated = AccessEntryRules.GeneratedUsername(principalArn, AccessEntryType.Standard);
            var username = entry.Username;
            if (string.IsNullOrEmpty(username))
            {
                notes.Add("aws-auth gives this entry an empty username today; the access entry leaves it unset, so EKS uses " + generated);
                return new AccessEntry(principalArn, AccessEntryType.Standard, groups, null, policies);
            }

            if (AccessEntryRules.ReservedPrefix(username) is { } reserved)
            {
                findings.Add(new PlanFinding("reserved-username", "access entries reject usernames that start with " + reserved + " ('" + username + "')", "leave the username unset (EKS then uses " + generated + ") and update any RoleBinding that names the user '" + username + "'"));
                return new AccessEntry(principalArn, AccessEntryType.Standard, groups, null, policies);
            }

            if (AccessEntryRules.LacksColonBeforeSessionName(username))
            {
                var name = principalArn[(principalArn.LastIndexOf('/') + 1)..];
                findings.Add(new PlanFinding("username-session-colon", "access entries require a ':' somewhere before {{SessionName}} in a username, and '" + username + "' has none", "use e.g. '" + name + ":" + username + "' (or leave it unset: EKS uses " + generated + "), and update any RoleBinding that names these users"));
            }

            var undocumented = Templates.Known.Where(p => !AccessEntryRules.DocumentedUsernamePlaceholders.Contains(p) && username.Contains(p, StringComparison.Ordinal))
                .Concat(Templates.UnknownPlaceholders(username))
                .ToList();
            if (undocumented.Count > 0)
            {
                findings.Add(new PlanFinding("username-template", "access entries document only {{SessionName}} and {{SessionNameRaw}} in usernames; '" + username + "' also uses " + string.Join(", ", undocumented), "remove " + string.Join(", ", undocumented) + " from the username, or confirm on a test cluster that EKS renders it"));
            }

            return new AccessEntry(principalArn, AccessEntryType.Standard, groups, username, policies);
        }

        private static AccessEntry? Node(SourceMapping mapping, IamArn parsed, string principalArn, AccessEntryType type, List<PlanFinding> findings, List<string> notes)
        {
            if (parsed.Kind == IamArnKind.User)
            {
                findings.Add(new PlanFinding("node-type-needs-role", "the entry has the " + StandardEntries.Describe(mapping.Kind) + " username and groups but maps an IAM user; " + type.Wire() + " access entries take IAM roles only", "map the node role instead"));
                return null;
            }

            var extra = mapping.Entry.Groups.Except(StandardEntries.Groups(mapping.Kind), StringComparer.Ordinal).ToList();
            if (extra.Count > 0)
            {
                findings.Add(new PlanFinding("node-extra-groups", type.Wire() + " access entries carry no Kubernetes groups (EKS gives nodes their permissions itself), so " + string.Join(", ", extra) + " would be lost", "grant what those groups allow to the group system:nodes instead, then plan again"));
            }

            switch (type)
            {
                case AccessEntryType.Ec2Linux or AccessEntryType.Ec2Windows:
                    notes.Add("if only managed node groups use this role, EKS creates this access entry itself: leave it out (creating it again fails); --access-entries shows which exist");
                    break;
                case AccessEntryType.HybridLinux:
                    notes.Add("hybrid nodes need the cluster in API or API_AND_CONFIG_MAP mode");
                    break;
            }

            return new AccessEntry(principalArn, type, [], null, []);
        }

        private static PlanEntry Existing(SourceMapping mapping, string written, AccessEntry? target, KnownAccessEntry known, PrincipalSource source, List<string> notes)
        {
            if (!known.Described)
            {
                return Skip(mapping, written, new PlanFinding("access-entry-exists", "an access entry for this principal exists, and it, not this aws-auth entry, is what EKS uses for the principal (its details are not in the --access-entries input)", "compare it with 'aws eks describe-access-entry', then delete this aws-auth entry"), target, source, DeleteWhen.Now, ApiModeImpact.None, notes);
            }

            var differences = target is null ? ["the aws-auth entry has no access-entry equivalent"] : Differences(target, known);
            if (differences.Count == 0)
            {
                return Skip(mapping, written, new PlanFinding("access-entry-exists", "an access entry with the same values exists and already replaces this aws-auth entry", "delete this aws-auth entry"), target, source, DeleteWhen.Now, ApiModeImpact.None, notes);
            }

            return new PlanEntry(mapping.Label, mapping.Location, written, mapping.Entry, mapping.Kind, PlanStatus.NeedsAttention, [new PlanFinding(
                "access-entry-differs",
                "an access entry for this principal exists, and it, not this aws-auth entry, is what EKS uses for the principal now; it differs: " + string.Join("; ", differences),
                "decide which is intended: update the access entry, or delete this aws-auth entry")], notes, target, source, DeleteWhen.Keep, ApiModeImpact.None);
        }

        private static List<string> Differences(AccessEntry planned, KnownAccessEntry known)
        {
            var differences = new List<string>();
            if (known.Type != planned.Type)
            {
                differences.Add("type " + known.Type!.Value.Wire() + ", planned " + planned.Type.Wire());
                return differences;
            }

            var groups = known.KubernetesGroups ?? [];
            if (!groups.ToHashSet(StringComparer.Ordinal).SetEquals(planned.KubernetesGroups))
            {
                differences.Add("groups [" + string.Join(", ", groups) + "], planned [" + string.Join(", ", planned.KubernetesGroups) + "]");
            }

            var plannedUsername = planned.Username ?? AccessEntryRules.GeneratedUsername(planned.PrincipalArn, planned.Type);
            if (known.EffectiveUsername is { } username && plannedUsername is not null && username != plannedUsername)
            {
                differences.Add("username " + username + ", planned " + plannedUsername);
            }

            if (known.Policies is { } policies
                && (policies.Count != planned.Policies.Count || !planned.Policies.All(p => policies.Any(k => k.SameAs(p)))))
            {
                differences.Add("policies [" + string.Join(", ", policies) + "], planned [" + string.Join(", ", planned.Policies) + "]");
            }

            return differences;
        }

        private static PlanEntry Attention(SourceMapping mapping, string written, List<PlanFinding> findings, List<string> notes, AccessEntry? target, PrincipalSource source, bool grantsToday) =>
            new(mapping.Label, mapping.Location, written, mapping.Entry, mapping.Kind, PlanStatus.NeedsAttention, findings, notes, target, source,
                grantsToday ? DeleteWhen.Keep : DeleteWhen.Now, grantsToday ? ApiModeImpact.Blocks : ApiModeImpact.None);

        private static List<string> DistinctPartitions(PlanInput input) =>
            [.. input.Roles.Concat(input.Users)
                .Select(m => PlanInput.ParseArn(m, out _)?.Partition)
                .OfType<string>()
                .Where(Arns.Partitions.IsKnown)
                .GroupBy(p => p, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .Select(g => g.Key)];
    }
}
