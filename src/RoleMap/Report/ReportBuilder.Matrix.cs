using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Report;

/// <content>The matrix: each distinct evaluation once, its cells' reasons, and the rows kept once per distinct content.</content>
public static partial class ReportBuilder
{
    /// <summary>
    /// Collects each principal's matrix by what decides it: in a namespace, the bindings that apply to the principal
    /// there (with the subject that matched, which the chain names), system:masters, and its access policies. Each
    /// distinct one is evaluated once, its cells' reasons from the rule the authorizer stops at, and the rows are
    /// kept once per distinct content.
    /// </summary>
    /// <remarks>
    /// The authorizer visits the ClusterRoleBindings before a namespace's RoleBindings and stops at the first rule
    /// that allows, so a cell in a namespace is decided by the principal's cluster-wide rules when one of them allows
    /// it, else by the namespace's. The cluster-wide verdicts are worked out once per distinct set of
    /// ClusterRoleBindings (<see cref="ClusterPart"/>) and combined with each namespace's RoleBindings; a reason is
    /// built once per rule and subject and shared by every cell it decides. The exact path (<c>exactMatrix</c>) asks
    /// <see cref="AccessQueries.Matrix"/> and the authorizer cell by cell, as before; the tests compare the two.
    /// </remarks>
    private sealed class MatrixBuilder
    {
        /// <summary>RBAC's decision for a cell no RBAC rule allows, as the EKS authorizer reads it.</summary>
        private static readonly Decision NotAllowed = new(false, false, null, []);

        private readonly RbacPolicy policy;
        private readonly string other;
        private readonly bool exact;
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
        private readonly Dictionary<ReportCellSet, int> setByContent = new(CellSetContent.Instance);
        private readonly List<ReportReason> reasons = [];
        private readonly Dictionary<string, int> reasonIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<CellReason, int> reasonOfCell = new(ReferenceEqualityComparer.Instance);
        private readonly List<string> lines = [];
        private readonly Dictionary<string, int> lineIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<Binding, int> bindingIds = new(ReferenceEqualityComparer.Instance);
        private readonly List<ClusterPart> clusterParts = [];
        private readonly Dictionary<string, ClusterPart> clusterPartOfKey = new(StringComparer.Ordinal);

        /// <summary>The reason of every cell a rule allows, by binding, matched subject and rule (shared by every evaluation).</summary>
        private readonly ConcurrentDictionary<GrantKey, CellReason> grantReasons = new(GrantKey.Comparer);

        /// <summary>A reason's last line, by role and rule.</summary>
        private readonly ConcurrentDictionary<GrantKey, string> ruleLines = new(GrantKey.Comparer);

        /// <summary>The reason of every cell of a principal in system:masters.</summary>
        private readonly CellReason mastersReason;

        public MatrixBuilder(RbacPolicy policy, IReadOnlyList<string> shown, string other, List<MatrixResource> resources, bool exact)
        {
            this.policy = policy;
            this.other = other;
            this.exact = exact;
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

            mastersReason = PrivilegedReason(new Decision(true, true, null, []));
        }

        /// <summary>The principals with some access beyond the defaults every authenticated user gets (discovery, reviews of itself).</summary>
        public HashSet<int> WithAccess { get; } = [];

        /// <summary>Evaluates every distinct key (in parallel: each is independent), then stores the results in the order the keys were first seen, so the output does not depend on the scheduling.</summary>
        public ReportMatrix Model()
        {
            if (!exact)
            {
                Parallel.For(0, clusterParts.Count, i => Compute(clusterParts[i]));
            }

            var evaluated = new EvaluatedSet[pending.Count];
            Parallel.For(0, pending.Count, i => evaluated[i] = exact ? EvaluateExact(pending[i]) : EvaluateSplit(pending[i]));
            var setOfKey = new int[pending.Count];
            var beyondEveryone = new List<bool>();
            for (var i = 0; i < pending.Count; i++)
            {
                setOfKey[i] = Store(evaluated[i], beyondEveryone);
                evaluated[i] = null!; // stored: its rows need not stay alive
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
            var clusterBindings = policy.BindingsFor(user, string.Empty).ToList();
            var keyBuilder = new StringBuilder(user.InGroup(Identities.Masters) ? "M" : "-");
            foreach (var binding in clusterBindings)
            {
                AppendBinding(keyBuilder, user, binding);
            }

            if (principal.AccessEntry is not null)
            {
                // Access policies, and the chain that names the entry, are the principal's own.
                keyBuilder.Append("|entry ").Append(principalIndex);
            }

            var clusterKey = keyBuilder.ToString();
            if (!clusterPartOfKey.TryGetValue(clusterKey, out var part))
            {
                part = new ClusterPart(user, clusterBindings);
                clusterParts.Add(part);
                clusterPartOfKey[clusterKey] = part;
            }

            var cluster = Evaluate("C" + clusterKey, new(principal, identity, part, other, [], ClusterScope: true));
            var otherSet = Evaluate("N" + clusterKey, new(principal, identity, part, other, [], ClusterScope: false));
            var own = new List<int>();
            var scopes = (principal.Policies ?? []).Select(a => a.Scope).Where(s => !s.IsCluster && !Scopes.Applies(s, other)).ToList();
            foreach (var (ns, bindings) in OwnBindings(user))
            {
                var key = new StringBuilder("N").Append(clusterKey).Append('|');
                foreach (var binding in bindings)
                {
                    AppendBinding(key, user, binding);
                }

                if (scopes.Any(s => Scopes.Applies(s, ns)))
                {
                    key.Append("|scope ").Append(ns);
                }

                own.Add(namespaceIndex[ns]);
                own.Add(Evaluate(key.ToString(), new(principal, identity, part, ns, bindings, ClusterScope: false)));
            }

            foreach (var ns in scopes.Count == 0 ? [] : namespaceList.Where(n => n.Length > 0 && n != AnyOtherNamespace && scopes.Any(s => Scopes.Applies(s, n))))
            {
                if (!OwnContains(own, namespaceIndex[ns]))
                {
                    own.Add(namespaceIndex[ns]);
                    own.Add(Evaluate("N" + clusterKey + "||scope " + ns, new(principal, identity, part, ns, [], ClusterScope: false)));
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

        private static bool HasWildcard(PolicyRule rule) =>
            rule.Verbs.Contains(RuleMatcher.All) || rule.Resources.Contains(RuleMatcher.All) || rule.ApiGroups.Contains(RuleMatcher.All);

        /// <summary>The RoleBindings that apply to the user in each shown namespace that has one, in the namespaces' order.</summary>
        private List<(string Namespace, IReadOnlyList<RoleBinding> Bindings)> OwnBindings(UserInfo user)
        {
            var own = policy.RoleBindingsFor(user).Where(x => x.Namespace.Length > 0 && namespaceIndex.ContainsKey(x.Namespace)).ToList();
            own.Sort((a, b) => namespaceIndex[a.Namespace].CompareTo(namespaceIndex[b.Namespace]));
            return own;
        }

        private void AppendBinding(StringBuilder key, UserInfo user, Binding binding)
        {
            if (!bindingIds.TryGetValue(binding, out var id))
            {
                id = bindingIds.Count;
                bindingIds[binding] = id;
            }

            key.Append(id).Append(':').Append(RbacPolicy.AppliesTo(user, binding.Subjects, binding.Namespace)).Append(',');
        }

        /// <summary>The key's number; the first principal and namespace it is seen for are the ones evaluated.</summary>
        private int Evaluate(string key, PendingEvaluation evaluation)
        {
            if (!keyIndex.TryGetValue(key, out var index))
            {
                index = pending.Count;
                pending.Add(evaluation);
                keyIndex[key] = index;
            }

            return index;
        }

        /// <summary>The verdicts of a principal's cluster-wide rules, for every row, and the reasons of the rules that decide a cell.</summary>
        private void Compute(ClusterPart part)
        {
            if (part.Masters)
            {
                return;
            }

            part.Granted = [.. policy.VisitRules(part.Bindings, [])];
            part.Rules = [.. part.Granted.Select(g => g.Rule)];
            part.Namespaced = Verdicts(part.Rules, namespacedResources);
            part.ClusterScoped = Verdicts(part.Rules, clusterResources);
            part.Reasons = new CellReason?[part.Granted.Count];
            foreach (var verdict in part.Namespaced.Concat(part.ClusterScoped).Where(v => v >= 0))
            {
                part.Reasons[verdict] ??= GrantReason(part.User, part.Granted[verdict]);
            }
        }

        /// <summary>Every row's <see cref="AccessMatrix.RowVerdicts"/>, row-major.</summary>
        private static int[] Verdicts(List<PolicyRule> rules, List<MatrixResource> rows)
        {
            var verdicts = new int[rows.Count * Verbs.Count];
            var scratch = new List<int>();
            for (var r = 0; r < rows.Count; r++)
            {
                AccessMatrix.RowVerdicts(rules, rows[r], Verbs, verdicts.AsSpan(r * Verbs.Count, Verbs.Count), scratch);
            }

            return verdicts;
        }

        /// <summary>
        /// One key's rows with some access: the cluster-wide verdicts of its <see cref="ClusterPart"/>, then the
        /// namespace's RoleBindings for the cells those leave open, then the access policies (as <c>matrix</c> asks
        /// them) for the cells RBAC does not fully allow.
        /// </summary>
        private EvaluatedSet EvaluateSplit(PendingEvaluation evaluation)
        {
            var (principal, identity, part, _, bindings, clusterScope) = evaluation;
            var user = identity.User!;
            var ns = clusterScope ? string.Empty : evaluation.Namespace;
            var rowsAsked = clusterScope ? clusterResources : namespacedResources;
            var clusterVerdicts = clusterScope ? part.ClusterScoped : part.Namespaced;
            var nsGranted = part.Masters || bindings.Count == 0 ? [] : policy.VisitRules(bindings, []).ToList();
            var nsRules = nsGranted.Select(g => g.Rule).ToList();
            var nsReasons = new CellReason?[nsGranted.Count];
            var withPolicies = identity.Policies.Policies is { Count: > 0 } || identity.Policies.Unknown;
            var verbs = Verbs.Count;
            var nsVerdicts = new int[verbs];
            var scratch = new List<int>();
            var chars = new char[verbs];
            var why = new CellReason?[verbs];
            var result = new EvaluatedSet([], [], []);
            Array.Fill(nsVerdicts, AccessMatrix.Denied);
            for (var r = 0; r < rowsAsked.Count; r++)
            {
                var row = rowsAsked[r];
                if (nsRules.Count > 0)
                {
                    AccessMatrix.RowVerdicts(nsRules, row, Verbs, nsVerdicts, scratch);
                }

                var any = false;
                for (var v = 0; v < verbs; v++)
                {
                    Access cell;
                    var inCluster = part.Masters ? AccessMatrix.Denied : clusterVerdicts[r * verbs + v];
                    if (part.Masters)
                    {
                        (cell, why[v]) = (Access.Full, mastersReason);
                    }
                    else if (inCluster >= 0)
                    {
                        (cell, why[v]) = (Access.Full, part.Reasons[inCluster]);
                    }
                    else if (nsVerdicts[v] >= 0)
                    {
                        (cell, why[v]) = (Access.Full, nsReasons[nsVerdicts[v]] ??= GrantReason(user, nsGranted[nsVerdicts[v]]));
                    }
                    else
                    {
                        cell = inCluster == AccessMatrix.NamedOnly || nsVerdicts[v] == AccessMatrix.NamedOnly ? Access.Named : Access.None;
                        var request = withPolicies || cell != Access.None ? Attributes.ForResource(Verbs[v], row.Group, row.Resource, ns: ns) : null;
                        if (withPolicies)
                        {
                            cell = WithPolicies(cell, request!, identity.Policies);
                        }

                        why[v] = cell == Access.None ? null : ReasonOf(NotAllowed, principal, request!, cell, () => part.Granted.Concat(nsGranted));
                    }

                    chars[v] = Letter(cell);
                    any |= cell != Access.None;
                }

                if (any)
                {
                    result.Resources.Add(resourceIndex[RuleText.Resource(row.Group, row.Resource)]);
                    result.Access.Add(new string(chars));
                    result.Reasons.AddRange(why);
                }
            }

            return result;
        }

        /// <summary>
        /// A cell RBAC does not fully allow, asked of the identity's access policies (what <c>matrix</c> does for an
        /// identity with an access entry): allowed, or unknown.
        /// </summary>
        private static Access WithPolicies(Access cell, Attributes request, IdentityPolicies policies) =>
            EksAuthorizer.Authorize(NotAllowed, request, policies.Policies, policies.Unknown).Verdict switch
            {
                Verdict.Yes => Access.Full,
                Verdict.Unknown => cell == Access.Named ? Access.Named : Access.Unknown,
                _ => cell,
            };

        private static char Letter(Access cell) => cell switch { Access.Full => 'Y', Access.Named => 'N', Access.Unknown => '?', _ => '.' };

        /// <summary>One key's rows with some access, evaluated by <see cref="AccessQueries.Matrix"/>, each cell's chain from the authorizer's decision.</summary>
        private EvaluatedSet EvaluateExact(PendingEvaluation evaluation)
        {
            var (principal, identity, _, ns, _, clusterScope) = evaluation;
            var user = identity.User!;
            var result = AccessQueries.Matrix(policy, [identity], [ns], clusterScope ? clusterResources : namespacedResources, Verbs, showAll: false).Identities[0].Matrix!;
            var rows = new EvaluatedSet([], [], []);
            RulesForResult? rulesHere = null;
            foreach (var section in result.Sections)
            {
                foreach (var row in section.Rows.Where(r => r.Any))
                {
                    var chars = new char[row.Cells.Count];
                    for (var v = 0; v < row.Cells.Count; v++)
                    {
                        chars[v] = Letter(row.Cells[v]);
                        CellReason? why = null;
                        if (row.Cells[v] != Access.None)
                        {
                            var request = Attributes.ForResource(result.Verbs[v], row.Group, row.Resource, ns: section.Namespace);
                            why = ReasonOf(policy.Authorize(user, request), principal, request, row.Cells[v], () => (rulesHere ??= policy.RulesFor(user, section.Namespace)).Rules);
                        }

                        rows.Reasons.Add(why);
                    }

                    rows.Resources.Add(resourceIndex[row.Display]);
                    rows.Access.Add(new string(chars));
                }
            }

            return rows;
        }

        /// <summary>Stores one key's rows: its reasons and their lines once each, and the rows once per distinct content.</summary>
        private int Store(EvaluatedSet rows, List<bool> beyondEveryone)
        {
            var rowReasons = new List<int>(rows.Reasons.Count);
            var beyond = false;
            foreach (var cell in rows.Reasons)
            {
                beyond |= cell is { Everyone: false };
                rowReasons.Add(cell is null ? -1 : ReasonId(cell));
            }

            var set = new ReportCellSet(rows.Resources, rows.Access, rowReasons);
            if (!setByContent.TryGetValue(set, out var id))
            {
                id = sets.Count;
                sets.Add(set);
                beyondEveryone.Add(beyond);
                setByContent[set] = id;
            }

            return id;
        }

        /// <summary>A cell's reason number: a reason shared by many cells is interned once.</summary>
        private int ReasonId(CellReason cell)
        {
            if (!reasonOfCell.TryGetValue(cell, out var id))
            {
                id = Intern(cell);
                reasonOfCell[cell] = id;
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

        /// <summary>The reason of a cell <paramref name="granted"/> allows, built once per binding, subject and rule.</summary>
        private CellReason GrantReason(UserInfo user, GrantedRule granted)
        {
            var subject = RbacPolicy.AppliesTo(user, granted.Binding.Subjects, granted.Binding.Namespace);
            return grantReasons.GetOrAdd(new GrantKey(granted.Binding, subject, granted.Index), static (_, x) => x.Builder.NewGrantReason(x.Granted, x.Subject), (Builder: this, Granted: granted, Subject: subject));
        }

        private CellReason NewGrantReason(GrantedRule granted, int subject)
        {
            var binding = granted.Binding;
            var everyone = binding.Source.IsDefault && subject >= 0 && binding.Subjects[subject] is { Kind: SubjectKinds.Group, Name: Identities.AllAuthenticated or Identities.AllUnauthenticated };

            // A role's rule is granted through many bindings (view in every namespace): its line is written once.
            var ruleLine = ruleLines.GetOrAdd(new GrantKey(granted.Role, 0, granted.Index), static (_, g) => g.Role.Display + ", rule " + g.Index.ToString(CultureInfo.InvariantCulture) + ": " + g.Rule, granted);
            List<string> chain =
            [
                subject < 0 ? "(subject not found)" : binding.Subjects[subject].ToString(),
                binding.Display + (binding.Source.IsDefault ? " (Kubernetes default)" : " (" + binding.Source + ")"),
                ruleLine,
            ];
            return new CellReason(chain, HasWildcard(granted.Rule), everyone);
        }

        /// <summary>The explain chain of one cell: the identity's way in, then the authorizer's reason (RBAC, then the access policies).</summary>
        /// <param name="decision">RBAC's decision of the cell's request.</param>
        /// <param name="rulesHere">The rules that apply to the user in the request's namespace, in the authorizer's order (for cells allowed only for named objects).</param>
        private CellReason ReasonOf(Decision decision, EksPrincipal principal, Attributes request, Access cell, Func<IEnumerable<GrantedRule>> rulesHere)
        {
            if (decision.ByPrivilegedGroup)
            {
                return PrivilegedReason(decision);
            }

            if (decision.AllowedBy is { } granted)
            {
                return GrantReason(principal.Principal.User, granted);
            }

            var chain = new List<string>();
            var wildcard = false;
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
                chain.AddRange(rulesHere()
                    .Where(g => g.Rule.ResourceNames.Count > 0 && RuleMatcher.VerbMatches(g.Rule, request.Verb) && RuleMatcher.ApiGroupMatches(g.Rule, request.ApiGroup)
                        && RuleMatcher.ResourceMatches(g.Rule, request.CombinedResource, request.Subresource))
                    .Take(3)
                    .Select(g => g + " allows " + request.Verb + " only on the objects it names"));
            }
            else
            {
                chain.Add(eks.Reason);
            }

            return new CellReason(chain, wildcard, false);
        }

        private static CellReason PrivilegedReason(Decision decision) => new(["Group " + Identities.Masters, decision.Reason], true, false);

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

        /// <summary>
        /// A key to evaluate: the principal and namespace it was first seen for, the cluster-wide part it shares with
        /// every principal of the same ClusterRoleBindings, and the namespace's RoleBindings that apply.
        /// </summary>
        /// <param name="ClusterScope">The cluster-scoped rows (at cluster scope), else the namespaced ones in <paramref name="Namespace"/>.</param>
        private sealed record PendingEvaluation(EksPrincipal Principal, MatrixIdentity Identity, ClusterPart Part, string Namespace, IReadOnlyList<RoleBinding> Bindings, bool ClusterScope);

        /// <summary>
        /// What a principal's ClusterRoleBindings decide, the same in every namespace: per row and verb the verdict
        /// of <see cref="AccessMatrix.RowVerdicts"/> over the rules they grant, and the reason of each rule that decides a cell.
        /// </summary>
        private sealed class ClusterPart(UserInfo user, List<Binding> bindings)
        {
            public UserInfo User { get; } = user;

            public List<Binding> Bindings { get; } = bindings;

            public bool Masters { get; } = user.InGroup(Identities.Masters);

            public List<GrantedRule> Granted { get; set; } = [];

            public List<PolicyRule> Rules { get; set; } = [];

            public int[] Namespaced { get; set; } = [];

            public int[] ClusterScoped { get; set; } = [];

            public CellReason?[] Reasons { get; set; } = [];
        }

        /// <summary>A cell's chain; <paramref name="Everyone"/> when the grant is a default binding to every authenticated (or unauthenticated) user.</summary>
        private sealed record CellReason(List<string> Chain, bool Wildcard, bool Everyone);

        /// <summary>One key's rows with some access: per row the resource and a letter per verb, and per cell (row-major) the reason, null when denied.</summary>
        private sealed record EvaluatedSet(List<int> Resources, List<string> Access, List<CellReason?> Reasons);

        /// <summary>A rule as a binding (or role) grants it to a subject: what a grant's reason says.</summary>
        private readonly record struct GrantKey(RbacObject Grantor, int Subject, int Rule)
        {
            public static IEqualityComparer<GrantKey> Comparer { get; } = new ByReference();

            private sealed class ByReference : IEqualityComparer<GrantKey>
            {
                public bool Equals(GrantKey x, GrantKey y) => ReferenceEquals(x.Grantor, y.Grantor) && x.Subject == y.Subject && x.Rule == y.Rule;

                public int GetHashCode(GrantKey obj) => HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Grantor), obj.Subject, obj.Rule);
            }
        }

        /// <summary>Sets with the same rows, letters and reasons.</summary>
        private sealed class CellSetContent : IEqualityComparer<ReportCellSet>
        {
            public static CellSetContent Instance { get; } = new();

            public bool Equals(ReportCellSet? x, ReportCellSet? y) =>
                ReferenceEquals(x, y) || x is not null && y is not null && x.R.SequenceEqual(y.R) && x.A.SequenceEqual(y.A, StringComparer.Ordinal) && x.W.SequenceEqual(y.W);

            public int GetHashCode(ReportCellSet obj)
            {
                var hash = default(HashCode);
                foreach (var r in obj.R)
                {
                    hash.Add(r);
                }

                foreach (var a in obj.A)
                {
                    hash.Add(a, StringComparer.Ordinal);
                }

                foreach (var w in obj.W)
                {
                    hash.Add(w);
                }

                return hash.ToHashCode();
            }
        }
    }
}
