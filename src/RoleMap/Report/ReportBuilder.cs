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
public static partial class ReportBuilder
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

    public static ReportModel Build(ReportRequest request) => Build(request, exactMatrix: false);

    /// <param name="exactMatrix">Evaluate the matrix cell by cell as <c>matrix</c> and the authorizer do (the reference the tests compare the split evaluation with).</param>
    internal static ReportModel Build(ReportRequest request, bool exactMatrix)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = request.Rbac;
        var mode = request.Mode ?? AuthenticationMode.ConfigMap;
        var set = EksPrincipals.From(request.AwsAuth, request.AccessEntries, mode);
        var evaluated = set.Principals.Select((p, i) => (Principal: p, Index: i)).Where(x => NotEvaluated(x.Principal) is null).ToList();

        var namespaces = request.Namespaces is { Count: > 0 } given ? [.. given.Distinct(StringComparer.Ordinal)] : DefaultNamespaces(policy, set);
        var matrix = new MatrixBuilder(policy, namespaces, OtherNamespace(policy), Resources(policy), exactMatrix);
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
}
