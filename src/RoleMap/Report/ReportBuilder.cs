using System.Globalization;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Report;

/// <summary>What a report is made from: the same inputs as <c>matrix --all-mapped</c> and <c>lint</c>, and their results.</summary>
/// <param name="Rbac">The cluster's RBAC.</param>
/// <param name="AwsAuth">The aws-auth mappings (from a spec or a ConfigMap); null with access entries alone.</param>
/// <param name="AccessEntries">The access entries, when given.</param>
/// <param name="Mode">The authentication mode; null means CONFIG_MAP without access entries.</param>
/// <param name="Inputs">How the inputs were named, for the page's heading.</param>
public sealed record ReportRequest(RbacPolicy Rbac, AwsAuthData? AwsAuth, ExistingAccessEntries? AccessEntries, AuthenticationMode? Mode, IReadOnlyList<string> Inputs)
{
    /// <summary>The namespaces to show; null for those with a RoleBinding, those access policies name, and default.</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }

    /// <summary>The lint of the same inputs (<see cref="LintUseCase"/>).</summary>
    public LintReport? Lint { get; init; }

    /// <summary>The migration plan of the same inputs (<see cref="MigrationUseCase.Plan"/>), when one was asked for.</summary>
    public MigrationReport? Migration { get; init; }
}

/// <summary>
/// Builds the report's data from the use cases the commands use: the principals as <c>matrix --all-mapped</c> finds
/// them (<see cref="EksPrincipals"/>), their matrices from <see cref="AccessQueries.Matrix"/>, each cell's reason from
/// the authorizer's own decision (RBAC, then the access policies), the graph from the bindings that apply to each
/// principal, and the findings of <see cref="LintUseCase"/> and <see cref="MigrationUseCase"/>.
/// </summary>
public static class ReportBuilder
{
    /// <summary>The matrix's verbs: <c>matrix</c>'s defaults, and the verbs that escalate privileges.</summary>
    public static IReadOnlyList<string> Verbs { get; } = [.. AccessMatrix.DefaultVerbs, "escalate", "bind", "impersonate"];

    /// <summary>The error findings that can lock people (or nodes) out of the cluster.</summary>
    private static readonly HashSet<string> LockoutRules = new(StringComparer.Ordinal)
    {
        "no-node-role", "human-in-node-group", "node-entry-nonstandard", "node-fargate-shared-role", "duplicate-arn",
        "access-entry-principal-recreated", "access-entry-shadows-aws-auth", "map-roles-empty", "group-list-swallowed",
    };

    /// <summary>Findings that say a mapping grants nothing.</summary>
    private static readonly HashSet<string> DeadRules = new(StringComparer.Ordinal) { "group-unbound", "username-missing", "sso-permission-set-no-role" };

    public static ReportModel Build(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = request.Rbac;
        var mode = request.Mode ?? AuthenticationMode.ConfigMap;
        var set = EksPrincipals.From(request.AwsAuth, request.AccessEntries, mode);
        var evaluated = set.Principals.Select((p, i) => (Principal: p, Index: i)).Where(x => NotEvaluated(x.Principal) is null).ToList();

        var namespaces = request.Namespaces is { Count: > 0 } given ? [.. given.Distinct(StringComparer.Ordinal)] : DefaultNamespaces(policy, set);
        var matrix = new MatrixBuilder(policy, namespaces, OtherNamespace(policy), Resources(policy));
        foreach (var (principal, index) in evaluated)
        {
            matrix.Add(index, principal);
        }

        var principals = set.Principals.Select((p, i) => Principal(policy, p, i)).ToList();
        var graph = GraphBuilder.Build(policy, set.Principals, principals);
        var findings = request.Lint?.Result.Findings.Select(Finding).ToList() ?? [];
        var shadowed = set.Shadowed.Select(s => new ReportShadowed(s.Principal.Arn, s.Principal.MatchedBy.Wire(), s.Why)).ToList();
        var matrixModel = matrix.Model();
        var summary = Summary(policy, set, principals, shadowed, findings, matrix.WithAccess);
        return new ReportModel(
            request.Inputs,
            mode.Wire(),
            summary,
            principals,
            shadowed,
            matrixModel,
            graph.Panels,
            graph.Roles,
            findings,
            request.Migration is { } migration ? Migration(migration) : null,
            NotModelled.Summary);
    }

    /// <summary>The model's name for "every namespace without a RoleBinding or access-policy scope of its own for the principal".</summary>
    public const string AnyOtherNamespace = "*";

    /// <summary>A namespace name no RoleBinding uses, to evaluate what a principal may do in any namespace of its own.</summary>
    private static string OtherNamespace(RbacPolicy policy)
    {
        var taken = policy.BindingNamespaces.ToHashSet(StringComparer.Ordinal);
        var name = "rolemap-any-other-namespace";
        while (taken.Contains(name))
        {
            name += "-x";
        }

        return name;
    }

    /// <summary>The anchor of principal <paramref name="index"/>.</summary>
    public static string PrincipalId(int index) => "p" + index.ToString(CultureInfo.InvariantCulture);

    private static string? NotEvaluated(EksPrincipal principal) =>
        principal.Principal.NeverMatches is { } never ? never
        : principal.Principal.Account is not null ? "an account mapping: every IAM user and role of the account, each with its own username"
        : null;

    /// <summary><c>matrix</c>'s default resources, and the subresource and pseudo-resources privilege escalation goes through.</summary>
    private static List<MatrixResource> Resources(RbacPolicy policy)
    {
        var resources = AccessMatrix.DefaultResources(policy).ToList();
        MatrixResource[] extra = [new(string.Empty, "pods/exec", ResourceScope.Namespaced), new(string.Empty, "users", ResourceScope.Cluster), new(string.Empty, "groups", ResourceScope.Cluster)];
        resources.AddRange(extra.Where(e => !resources.Any(r => r.Group == e.Group && r.Resource == e.Resource)));
        return resources;
    }

    /// <summary>Namespaces with an input RoleBinding, those named by access-policy scopes (without wildcards), and default.</summary>
    private static List<string> DefaultNamespaces(RbacPolicy policy, EksPrincipalSet set)
    {
        var fromScopes = set.Principals.SelectMany(p => p.Policies ?? []).SelectMany(a => a.Scope.Namespaces).Where(n => !n.Contains('*', StringComparison.Ordinal));
        return [.. policy.Objects.RoleBindings.Where(b => !b.Source.IsDefault).Select(b => b.Namespace).Concat(fromScopes).Append("default").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static ReportPrincipal Principal(RbacPolicy policy, EksPrincipal principal, int index)
    {
        var p = principal.Principal;
        var notEvaluated = NotEvaluated(principal);
        var admin = notEvaluated is null && EksAuthorizer.Authorize(policy, p.User, Attributes.ForResource("*", "*", "*"), principal.Policies, principal.PoliciesUnknown).Verdict == Verdict.Yes;
        var groups = p.Groups.Where(g => g != Identities.AllAuthenticated).ToList();
        return new ReportPrincipal(
            PrincipalId(index),
            p.Arn,
            p.MatchedBy.Wire(),
            p.Username,
            groups,
            [.. (principal.Policies ?? []).Select(a => a.ToString())],
            principal.PoliciesUnknown,
            notEvaluated,
            admin,
            p.Notes);
    }

    private static ReportFinding Finding(Diagnostic finding) => new(
        finding.Rule,
        finding.Severity,
        finding.Message,
        finding.Location?.ToString(),
        finding.Fix);

    private static ReportSummary Summary(RbacPolicy policy, EksPrincipalSet set, List<ReportPrincipal> principals, List<ReportShadowed> shadowed, List<ReportFinding> findings, HashSet<int> withAccess)
    {
        var objects = policy.Objects;
        var groups = set.Principals.SelectMany(p => p.Principal.Groups)
            .Concat(objects.RoleBindings.Cast<Binding>().Concat(objects.ClusterRoleBindings).Where(b => !b.Source.IsDefault).SelectMany(b => b.Subjects).Where(s => s.Kind == SubjectKinds.Group).Select(s => s.Name))
            .Where(g => g != Identities.AllAuthenticated)
            .Distinct(StringComparer.Ordinal)
            .Count();
        var bindings = objects.RoleBindings.Count(b => !b.Source.IsDefault) + objects.ClusterRoleBindings.Count(b => !b.Source.IsDefault);
        var roles = objects.Roles.Count(r => !r.Source.IsDefault) + objects.ClusterRoles.Count(r => !r.Source.IsDefault);

        var lookFirst = new List<ReportAttention>();
        lookFirst.AddRange(principals.Where(p => p.ClusterAdmin).Select(p => new ReportAttention("cluster-admin", p.Arn, "may do every verb on every resource in every namespace (as " + Quote(p.Username) + (p.Groups.Count > 0 ? ", groups " + string.Join(", ", p.Groups) : string.Empty) + ")", "#" + p.Id)));
        lookFirst.AddRange(findings.Select((f, i) => (Finding: f, Index: i))
            .Where(x => LockoutRules.Contains(x.Finding.Rule) || x.Finding.Severity == Severity.Error && !DeadRules.Contains(x.Finding.Rule))
            .Select(x => new ReportAttention(LockoutRules.Contains(x.Finding.Rule) ? "lockout" : "error", x.Finding.Rule + (x.Finding.Location is { } l ? " at " + l : string.Empty), x.Finding.Message, "#finding-" + x.Index.ToString(CultureInfo.InvariantCulture))));
        lookFirst.AddRange(findings.Select((f, i) => (Finding: f, Index: i))
            .Where(x => DeadRules.Contains(x.Finding.Rule))
            .Select(x => new ReportAttention("dead-mapping", x.Finding.Rule + (x.Finding.Location is { } l ? " at " + l : string.Empty), x.Finding.Message, "#finding-" + x.Index.ToString(CultureInfo.InvariantCulture))));
        lookFirst.AddRange(shadowed.Select(s => new ReportAttention("dead-mapping", s.Arn + " (" + s.Via + ")", s.Why, "#identities")));
        lookFirst.AddRange(principals.Select((p, i) => (Principal: p, Index: i))
            .Where(x => x.Principal.NotEvaluated is null
                ? !withAccess.Contains(x.Index) && NotModelled.For(set.Principals[x.Index].Principal.User) is null // nodes: the Node authorizer serves them
                : x.Principal.Via != "mapAccounts")
            .Select(x => new ReportAttention("dead-mapping", x.Principal.Arn, x.Principal.NotEvaluated ?? "no access to any resource shown beyond what every authenticated user gets", "#" + x.Principal.Id)));

        return new ReportSummary(set.Principals.Count, groups, bindings, roles, findings.Count(f => f.Severity == Severity.Error), findings.Count(f => f.Severity == Severity.Warning), findings.Count(f => f.Severity == Severity.Info), lookFirst);
    }

    private static string Quote(string username) => username.Length == 0 ? "no username" : "user " + username;

    private static ReportMigration Migration(MigrationReport report)
    {
        var plan = report.Plan;
        var entries = plan.Entries.Select((e, i) =>
        {
            var comparison = report.Proof?.Comparisons[i];
            return new ReportMigrationEntry(
                e.Label,
                e.Written,
                e.Status,
                e.Delete,
                comparison?.Verdict,
                [.. comparison?.Lost.Select(r => r.ToString()) ?? []],
                [.. comparison?.Gained.Select(r => r.ToString()) ?? []],
                [.. e.Findings.Select(f => f.Rule + ": " + f.Message)]);
        }).ToList();
        return new ReportMigration(plan.ApiMode.Possible, plan.ApiMode.Blockers, entries);
    }

    /// <summary>
    /// Collects each principal's matrix by what decides it: in a namespace, the bindings that apply to the principal
    /// there (with the subject that matched, which the chain names), system:masters, and its access policies. Each
    /// distinct one is evaluated once by <see cref="AccessQueries.Matrix"/>, its cells' reasons from the authorizer's
    /// decision, and the rows are kept once per distinct content.
    /// </summary>
    private sealed class MatrixBuilder
    {
        private readonly RbacPolicy policy;
        private readonly string other;
        private readonly List<MatrixResource> namespacedResources;
        private readonly List<MatrixResource> clusterResources;
        private readonly List<string> resources;
        private readonly Dictionary<string, int> resourceIndex = new(StringComparer.Ordinal);
        private readonly List<string> namespaceList;
        private readonly Dictionary<string, int> namespaceIndex = new(StringComparer.Ordinal);
        private readonly List<ReportAccess> access = [];
        private readonly List<ReportCellSet> sets = [];
        private readonly List<PendingEvaluation> pending = [];
        private readonly Dictionary<string, int> keyIndex = new(StringComparer.Ordinal);
        private readonly List<(int Principal, int Cluster, int Other, List<int> Own)> principalKeys = [];
        private readonly Dictionary<string, int> setByContent = new(StringComparer.Ordinal);
        private readonly List<ReportReason> reasons = [];
        private readonly Dictionary<string, int> reasonIndex = new(StringComparer.Ordinal);
        private readonly List<string> lines = [];
        private readonly Dictionary<string, int> lineIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<Binding, int> bindingIds = new(ReferenceEqualityComparer.Instance);

        /// <summary>The shown namespaces' RoleBindings by the subject key they name (what RbacPolicy's own index does, for every namespace at once).</summary>
        private readonly Dictionary<string, List<RoleBinding>> roleBindingsBySubject = new(StringComparer.Ordinal);

        public MatrixBuilder(RbacPolicy policy, IReadOnlyList<string> shown, string other, List<MatrixResource> resources)
        {
            this.policy = policy;
            this.other = other;
            namespacedResources = [.. resources.Where(r => r.Scope != ResourceScope.Cluster)];
            clusterResources = [.. resources.Where(r => r.Scope == ResourceScope.Cluster)];
            this.resources = [.. resources.Select(r => RuleText.Resource(r.Group, r.Resource))];
            for (var i = 0; i < this.resources.Count; i++)
            {
                resourceIndex.TryAdd(this.resources[i], i);
            }

            namespaceList = [AnyOtherNamespace, .. shown.Where(n => n.Length > 0 && n != AnyOtherNamespace), string.Empty];
            for (var i = 0; i < namespaceList.Count; i++)
            {
                namespaceIndex[namespaceList[i]] = i;
            }

            foreach (var ns in namespaceList)
            {
                foreach (var binding in ns.Length == 0 ? [] : policy.RoleBindingsIn(ns))
                {
                    foreach (var subject in binding.Subjects)
                    {
                        if (GraphBuilder.SubjectKey(subject, ns) is { } key)
                        {
                            if (!roleBindingsBySubject.TryGetValue(key, out var list))
                            {
                                roleBindingsBySubject[key] = list = [];
                            }

                            if (list.Count == 0 || !ReferenceEquals(list[^1], binding))
                            {
                                list.Add(binding);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>The principals with some access beyond the defaults every authenticated user gets (discovery, reviews of itself).</summary>
        public HashSet<int> WithAccess { get; } = [];

        /// <summary>Evaluates every distinct key (in parallel: each is independent), then stores the results in the order the keys were first seen, so the output does not depend on the scheduling.</summary>
        public ReportMatrix Model()
        {
            var evaluated = new List<EvaluatedRow>[pending.Count];
            Parallel.For(0, pending.Count, i => evaluated[i] = Evaluate(pending[i]));
            var setOfKey = new int[pending.Count];
            var beyondEveryone = new List<bool>();
            for (var i = 0; i < pending.Count; i++)
            {
                setOfKey[i] = Store(evaluated[i], beyondEveryone);
            }

            foreach (var (principalIndex, cluster, otherSet, own) in principalKeys)
            {
                var pairs = new List<int>(own.Count);
                for (var i = 0; i < own.Count; i += 2)
                {
                    pairs.Add(own[i]);
                    pairs.Add(setOfKey[own[i + 1]]);
                }

                access.Add(new ReportAccess(principalIndex, setOfKey[otherSet], setOfKey[cluster], pairs));
                if (beyondEveryone[setOfKey[cluster]] || beyondEveryone[setOfKey[otherSet]] || pairs.Where((_, i) => i % 2 == 1).Any(set => beyondEveryone[set]))
                {
                    WithAccess.Add(principalIndex);
                }
            }

            return new(Verbs, resources, namespaceList, access, sets, reasons, lines);
        }

        public void Add(int principalIndex, EksPrincipal principal)
        {
            var user = principal.Principal.User;
            var identity = new MatrixIdentity(principal.Principal.Arn, principal.Principal.Arn, user, string.Empty, [], null)
            {
                Policies = principal.AccessEntry is null ? IdentityPolicies.None : new IdentityPolicies(principal.Policies, principal.PoliciesUnknown),
            };

            // What decides every cell at cluster scope, and (with a namespace's own bindings) in a namespace.
            var clusterKey = new System.Text.StringBuilder(user.InGroup(Identities.Masters) ? "M" : "-");
            foreach (var binding in policy.BindingsFor(user, string.Empty))
            {
                AppendBinding(clusterKey, user, binding);
            }

            if (principal.AccessEntry is not null)
            {
                // Access policies, and the chain that names the entry, are the principal's own.
                clusterKey.Append("|entry ").Append(principalIndex);
            }

            var cluster = Evaluate("C" + clusterKey, principal, identity, other, clusterResources);
            var otherSet = Evaluate("N" + clusterKey, principal, identity, other, namespacedResources);
            var own = new List<int>();
            var scopes = (principal.Policies ?? []).Select(a => a.Scope).Where(s => !s.IsCluster && !Scopes.Applies(s, other)).ToList();
            foreach (var (ns, bindings) in OwnBindings(user))
            {
                var key = new System.Text.StringBuilder("N").Append(clusterKey).Append('|');
                foreach (var binding in bindings)
                {
                    AppendBinding(key, user, binding);
                }

                if (scopes.Any(s => Scopes.Applies(s, ns)))
                {
                    key.Append("|scope ").Append(ns);
                }

                own.Add(namespaceIndex[ns]);
                own.Add(Evaluate(key.ToString(), principal, identity, ns, namespacedResources));
            }

            foreach (var ns in namespaceList.Where(n => n.Length > 0 && n != AnyOtherNamespace && scopes.Any(s => Scopes.Applies(s, n))))
            {
                if (!OwnContains(own, namespaceIndex[ns]))
                {
                    own.Add(namespaceIndex[ns]);
                    own.Add(Evaluate("N" + clusterKey + "||scope " + ns, principal, identity, ns, namespacedResources));
                }
            }

            var pairs = Enumerable.Range(0, own.Count / 2).Select(i => (Ns: own[2 * i], Key: own[2 * i + 1])).OrderBy(x => x.Ns).SelectMany(x => new[] { x.Ns, x.Key }).ToList();
            principalKeys.Add((principalIndex, cluster, otherSet, pairs));
        }

        private static bool OwnContains(List<int> own, int ns)
        {
            for (var i = 0; i < own.Count; i += 2)
            {
                if (own[i] == ns)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The RoleBindings that apply to the user in each shown namespace that has one, in the namespaces' order.</summary>
        private IEnumerable<(string Namespace, List<RoleBinding> Bindings)> OwnBindings(UserInfo user)
        {
            var found = new HashSet<RoleBinding>(ReferenceEqualityComparer.Instance);
            foreach (var key in user.Groups.Select(g => "G:" + g).Prepend("U:" + user.Name))
            {
                if (roleBindingsBySubject.TryGetValue(key, out var list))
                {
                    found.UnionWith(list.Where(b => RbacPolicy.AppliesTo(user, b.Subjects, b.Namespace) >= 0));
                }
            }

            // In evaluation order within a namespace (RbacPolicy orders RoleBindings by name).
            return found.GroupBy(b => b.Namespace, StringComparer.Ordinal)
                .Select(g => (g.Key, g.OrderBy(b => b.Name, StringComparer.Ordinal).ToList()))
                .OrderBy(g => namespaceIndex[g.Key]);
        }

        private void AppendBinding(System.Text.StringBuilder key, UserInfo user, Binding binding)
        {
            if (!bindingIds.TryGetValue(binding, out var id))
            {
                id = bindingIds.Count;
                bindingIds[binding] = id;
            }

            key.Append(id).Append(':').Append(RbacPolicy.AppliesTo(user, binding.Subjects, binding.Namespace)).Append(',');
        }

        /// <summary>The key's number; the first principal and namespace it is seen for are the ones evaluated.</summary>
        private int Evaluate(string key, EksPrincipal principal, MatrixIdentity identity, string ns, List<MatrixResource> rowsAsked)
        {
            if (!keyIndex.TryGetValue(key, out var index))
            {
                index = pending.Count;
                pending.Add(new PendingEvaluation(principal, identity, ns, rowsAsked));
                keyIndex[key] = index;
            }

            return index;
        }

        /// <summary>One key's rows with some access, each cell's chain from the authorizer's decision.</summary>
        private List<EvaluatedRow> Evaluate(PendingEvaluation evaluation)
        {
            var (principal, identity, ns, rowsAsked) = evaluation;
            var user = identity.User!;
            var result = AccessQueries.Matrix(policy, [identity], [ns], rowsAsked, Verbs, showAll: false).Identities[0].Matrix!;
            var rows = new List<EvaluatedRow>();
            RulesForResult? rulesHere = null;
            foreach (var section in result.Sections)
            {
                foreach (var row in section.Rows.Where(r => r.Any))
                {
                    var chars = new char[row.Cells.Count];
                    var why = new CellReason?[row.Cells.Count];
                    for (var v = 0; v < row.Cells.Count; v++)
                    {
                        chars[v] = row.Cells[v] switch { Access.Full => 'Y', Access.Named => 'N', Access.Unknown => '?', _ => '.' };
                        if (row.Cells[v] != Access.None)
                        {
                            var request = Attributes.ForResource(result.Verbs[v], row.Group, row.Resource, ns: section.Namespace);
                            why[v] = Reason(principal, user, request, row.Cells[v], () => rulesHere ??= policy.RulesFor(user, section.Namespace));
                        }
                    }

                    rows.Add(new EvaluatedRow(resourceIndex[row.Display], new string(chars), why));
                }
            }

            return rows;
        }

        /// <summary>Stores one key's rows: its reasons and their lines once each, and the rows once per distinct content.</summary>
        private int Store(List<EvaluatedRow> rows, List<bool> beyondEveryone)
        {
            var rowResources = new List<int>(rows.Count);
            var rowAccess = new List<string>(rows.Count);
            var rowReasons = new List<int>(rows.Count * Verbs.Count);
            var beyond = false;
            var content = new System.Text.StringBuilder();
            foreach (var row in rows)
            {
                rowResources.Add(row.Resource);
                rowAccess.Add(row.Access);
                content.Append(row.Resource).Append(':').Append(row.Access).Append(':');
                foreach (var cell in row.Reasons)
                {
                    var reason = cell is null ? -1 : Intern(cell);
                    beyond |= cell is { Everyone: false };
                    rowReasons.Add(reason);
                    content.Append(reason).Append(',');
                }

                content.Append(';');
            }

            var contentKey = content.ToString();
            if (!setByContent.TryGetValue(contentKey, out var id))
            {
                id = sets.Count;
                sets.Add(new ReportCellSet(rowResources, rowAccess, rowReasons));
                beyondEveryone.Add(beyond);
                setByContent[contentKey] = id;
            }

            return id;
        }

        private int Intern(CellReason cell)
        {
            var ids = cell.Chain.Select(Line).ToList();
            var key = string.Join(",", ids) + (cell.Wildcard ? ",*" : string.Empty);
            if (!reasonIndex.TryGetValue(key, out var index))
            {
                index = reasons.Count;
                reasons.Add(new ReportReason(ids, cell.Wildcard));
                reasonIndex[key] = index;
            }

            return index;
        }

        /// <summary>The explain chain of one cell: the identity's way in, then the authorizer's reason (RBAC, then the access policies).</summary>
        /// <param name="rulesHere">The rules that apply to the user in the request's namespace (for cells allowed only for named objects).</param>
        private CellReason Reason(EksPrincipal principal, UserInfo user, Attributes request, Access cell, Func<RulesForResult> rulesHere)
        {
            var decision = policy.Authorize(user, request);
            var everyone = false;
            var chain = new List<string>();
            var wildcard = false;
            if (decision.ByPrivilegedGroup)
            {
                chain.Add("Group " + Identities.Masters);
                chain.Add(decision.Reason);
                wildcard = true;
            }
            else if (decision.AllowedBy is { } granted)
            {
                var subject = RbacPolicy.AppliesTo(user, granted.Binding.Subjects, granted.Binding.Namespace);
                chain.Add(subject < 0 ? "(subject not found)" : granted.Binding.Subjects[subject].ToString());
                everyone = granted.Binding.Source.IsDefault && subject >= 0 && granted.Binding.Subjects[subject] is { Kind: SubjectKinds.Group, Name: Identities.AllAuthenticated or Identities.AllUnauthenticated };
                chain.Add(granted.Binding.Display + (granted.Binding.Source.IsDefault ? " (Kubernetes default)" : " (" + granted.Binding.Source + ")"));
                chain.Add(granted.Role.Display + ", rule " + granted.Index.ToString(CultureInfo.InvariantCulture) + ": " + granted.Rule);
                wildcard = HasWildcard(granted.Rule);
            }
            else
            {
                var eks = EksAuthorizer.Authorize(decision, request, principal.Policies, principal.PoliciesUnknown);
                if (eks.AllowedByPolicy is { } grant)
                {
                    chain.Add("access entry " + principal.AccessEntry?.PrincipalArn);
                    chain.Add(grant.ToString());
                    wildcard = HasWildcard(grant.Rule);
                }
                else if (cell == Access.Named)
                {
                    chain.Add("only for the objects a rule names (resourceNames); a request without a name is denied");
                    chain.AddRange(rulesHere().Rules
                        .Where(g => g.Rule.ResourceNames.Count > 0 && RuleMatcher.VerbMatches(g.Rule, request.Verb) && RuleMatcher.ApiGroupMatches(g.Rule, request.ApiGroup)
                            && RuleMatcher.ResourceMatches(g.Rule, request.CombinedResource, request.Subresource))
                        .Take(3)
                        .Select(g => g + " allows " + request.Verb + " only on the objects it names"));
                }
                else
                {
                    chain.Add(eks.Reason);
                }
            }

            return new CellReason(chain, wildcard, everyone);
        }

        private int Line(string line)
        {
            if (!lineIndex.TryGetValue(line, out var index))
            {
                index = lines.Count;
                lines.Add(line);
                lineIndex[line] = index;
            }

            return index;
        }

        /// <summary>A key to evaluate: the principal and namespace it was first seen for, and the resources asked.</summary>
        private sealed record PendingEvaluation(EksPrincipal Principal, MatrixIdentity Identity, string Namespace, List<MatrixResource> Resources);

        /// <summary>A cell's chain; <paramref name="Everyone"/> when the grant is a default binding to every authenticated (or unauthenticated) user.</summary>
        private sealed record CellReason(List<string> Chain, bool Wildcard, bool Everyone);

        /// <summary>A row with some access: per verb the reason, null when denied.</summary>
        private sealed record EvaluatedRow(int Resource, string Access, CellReason?[] Reasons);

        private static bool HasWildcard(PolicyRule rule) =>
            rule.Verbs.Contains(RuleMatcher.All) || rule.Resources.Contains(RuleMatcher.All) || rule.ApiGroups.Contains(RuleMatcher.All);
    }
}
