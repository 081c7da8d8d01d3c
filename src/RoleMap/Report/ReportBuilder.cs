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
        var other = OtherNamespace(policy);
        var resources = Resources(policy);
        var matrix = new MatrixBuilder(policy, namespaces, other);
        foreach (var (principal, index) in evaluated)
        {
            // One evaluation in a namespace no RoleBinding names stands for every namespace that adds nothing of its own
            // for this principal; only the namespaces that do are evaluated apart (a large cluster has thousands).
            var own = OwnNamespaces(policy, principal, namespaces, other);
            var identity = new MatrixIdentity(principal.Principal.Arn, principal.Principal.Arn, principal.Principal.User, string.Empty, [], null)
            {
                Policies = principal.AccessEntry is null ? IdentityPolicies.None : new IdentityPolicies(principal.Policies, principal.PoliciesUnknown),
            };
            var report = AccessQueries.Matrix(policy, [identity], [other, .. own], resources, Verbs, showAll: false);
            matrix.Add(index, principal, report.Identities[0].Matrix!);
        }

        var principals = set.Principals.Select((p, i) => Principal(policy, p, i)).ToList();
        var graph = GraphBuilder.Build(policy, set.Principals, principals);
        var findings = request.Lint?.Result.Findings.Select(Finding).ToList() ?? [];
        var shadowed = set.Shadowed.Select(s => new ReportShadowed(s.Principal.Arn, s.Principal.MatchedBy.Wire(), s.Why)).ToList();
        var matrixModel = matrix.Model(Verbs);
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

    /// <summary>
    /// The namespaces of <paramref name="shown"/> where the principal's access differs from any other namespace: a
    /// RoleBinding there applies to it, or an access policy is scoped to it (and not to every namespace).
    /// </summary>
    private static List<string> OwnNamespaces(RbacPolicy policy, EksPrincipal principal, IReadOnlyList<string> shown, string other)
    {
        var bound = policy.BindingsFor(principal.Principal.User, null).OfType<RoleBinding>().Select(b => b.Namespace).ToHashSet(StringComparer.Ordinal);
        var scopes = (principal.Policies ?? []).Select(a => a.Scope).Where(s => !s.IsCluster && !Scopes.Applies(s, other)).ToList();
        return [.. shown.Where(ns => bound.Contains(ns) || scopes.Any(s => Scopes.Applies(s, ns)))];
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
        SeverityName(finding.Severity),
        finding.Message,
        finding.Location?.ToString(),
        finding.Fix);

    /// <summary>The severity as lint's outputs write it.</summary>
    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

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
            .Where(x => x.Finding.Severity == "error" || LockoutRules.Contains(x.Finding.Rule))
            .Select(x => new ReportAttention("lockout", x.Finding.Rule + (x.Finding.Location is { } l ? " at " + l : string.Empty), x.Finding.Message, "#finding-" + x.Index.ToString(CultureInfo.InvariantCulture))));
        lookFirst.AddRange(findings.Select((f, i) => (Finding: f, Index: i))
            .Where(x => DeadRules.Contains(x.Finding.Rule))
            .Select(x => new ReportAttention("dead-mapping", x.Finding.Rule + (x.Finding.Location is { } l ? " at " + l : string.Empty), x.Finding.Message, "#finding-" + x.Index.ToString(CultureInfo.InvariantCulture))));
        lookFirst.AddRange(shadowed.Select(s => new ReportAttention("dead-mapping", s.Arn + " (" + s.Via + ")", s.Why, "#identities")));
        lookFirst.AddRange(principals.Select((p, i) => (Principal: p, Index: i))
            .Where(x => x.Principal.NotEvaluated is null
                ? !withAccess.Contains(x.Index) && NotModelled.For(set.Principals[x.Index].Principal.User) is null // nodes: the Node authorizer serves them
                : x.Principal.Via != "mapAccounts")
            .Select(x => new ReportAttention("dead-mapping", x.Principal.Arn, x.Principal.NotEvaluated ?? "no access to any resource shown beyond what every authenticated user gets", "#" + x.Principal.Id)));

        return new ReportSummary(set.Principals.Count, groups, bindings, roles, findings.Count(f => f.Severity == "error"), findings.Count(f => f.Severity == "warning"), findings.Count(f => f.Severity == "info"), lookFirst);
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
                e.Status switch { PlanStatus.Convertible => "convertible", PlanStatus.NeedsAttention => "needs-attention", _ => "skip" },
                e.Delete switch { DeleteWhen.Keep => "keep", DeleteWhen.AfterCreate => "after-create", _ => "now" },
                comparison is null ? null : VerdictName(comparison.Verdict),
                [.. comparison?.Lost.Select(r => r.ToString()) ?? []],
                [.. comparison?.Gained.Select(r => r.ToString()) ?? []],
                [.. e.Findings.Select(f => f.Rule + ": " + f.Message)]);
        }).ToList();
        return new ReportMigration(plan.ApiMode.Possible, plan.ApiMode.Blockers, entries);
    }

    private static string VerdictName(PermissionVerdict verdict) => verdict switch
    {
        PermissionVerdict.Same => "same",
        PermissionVerdict.Fewer => "fewer",
        PermissionVerdict.More => "more",
        PermissionVerdict.Different => "different",
        _ => "unknown",
    };

    /// <summary>Collects the matrix rows with some access, and each cell's reason from the authorizer's decision.</summary>
    private sealed class MatrixBuilder(RbacPolicy policy, IReadOnlyList<string> namespaces, string other)
    {
        private readonly List<ReportMatrixRow> rows = [];
        private readonly List<ReportReason> reasons = [];
        private readonly Dictionary<string, int> reasonIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> resourceIndex = new(StringComparer.Ordinal);
        private readonly List<string> resources = [];
        private readonly List<string> namespaceList = [AnyOtherNamespace, .. namespaces];

        public void Add(int principalIndex, EksPrincipal principal, AccessMatrixResult result)
        {
            var user = principal.Principal.User;
            foreach (var section in result.Sections)
            {
                var ns = NamespaceIndex(section.Namespace == other ? AnyOtherNamespace : section.Namespace);
                foreach (var row in section.Rows.Where(r => r.Any))
                {
                    var chars = new char[row.Cells.Count];
                    var why = new int[row.Cells.Count];
                    for (var v = 0; v < row.Cells.Count; v++)
                    {
                        chars[v] = row.Cells[v] switch { Access.Full => 'Y', Access.Named => 'N', Access.Unknown => '?', _ => '.' };
                        var everyone = true;
                        why[v] = row.Cells[v] == Access.None ? -1 : Reason(principal, user, Attributes.ForResource(result.Verbs[v], row.Group, row.Resource, ns: section.Namespace), row.Cells[v], out everyone);
                        if (!everyone)
                        {
                            WithAccess.Add(principalIndex);
                        }
                    }

                    rows.Add(new ReportMatrixRow(principalIndex, ns, ResourceIndex(row.Display), new string(chars), why));
                }
            }
        }

        /// <summary>The principals with some access beyond the defaults every authenticated user gets (discovery, reviews of itself).</summary>
        public HashSet<int> WithAccess { get; } = [];

        public ReportMatrix Model(IReadOnlyList<string> verbs) => new(verbs, resources, namespaceList, rows, reasons);

        private int NamespaceIndex(string ns)
        {
            var index = namespaceList.IndexOf(ns);
            if (index < 0)
            {
                namespaceList.Add(ns);
                index = namespaceList.Count - 1;
            }

            return index;
        }

        private int ResourceIndex(string display)
        {
            if (!resourceIndex.TryGetValue(display, out var index))
            {
                index = resources.Count;
                resources.Add(display);
                resourceIndex[display] = index;
            }

            return index;
        }

        /// <summary>The explain chain of one cell: the identity's way in, then the authorizer's reason (RBAC, then the access policies).</summary>
        /// <param name="everyone">Set when the grant is a default binding to every authenticated (or unauthenticated) user.</param>
        private int Reason(EksPrincipal principal, UserInfo user, Attributes request, Access access, out bool everyone)
        {
            var decision = policy.Authorize(user, request);
            everyone = false;
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
                else if (access == Access.Named)
                {
                    chain.Add("only for the objects a rule names (resourceNames); a request without a name is denied");
                    chain.AddRange(Explainer.Hints(policy, user, request).Take(3));
                }
                else
                {
                    chain.Add(eks.Reason);
                }
            }

            var key = string.Join("\n", chain) + (wildcard ? "\n*" : string.Empty);
            if (!reasonIndex.TryGetValue(key, out var index))
            {
                index = reasons.Count;
                reasons.Add(new ReportReason(chain, wildcard));
                reasonIndex[key] = index;
            }

            return index;
        }

        private static bool HasWildcard(PolicyRule rule) =>
            rule.Verbs.Contains(RuleMatcher.All) || rule.Resources.Contains(RuleMatcher.All) || rule.ApiGroups.Contains(RuleMatcher.All);
    }
}
