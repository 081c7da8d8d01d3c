namespace RoleMap.Report;

/// <summary>
/// Everything the report page shows, as plain data: the HTML writer draws it and <c>report -o json</c> writes it as
/// it is. Lists are in a stable order, so the same inputs give the same bytes.
/// </summary>
/// <param name="Inputs">The input files (or sources) as they were named on the command line.</param>
/// <param name="AuthenticationMode">The mode the principals were resolved under.</param>
/// <param name="Shadowed">aws-auth entries an access entry replaces, or that API mode ignores.</param>
/// <param name="Roles">The roles the graph draws, with their rules (the targets of the graph's role and binding links).</param>
/// <param name="Migration">The move to access entries, when it was planned.</param>
/// <param name="NotModelled">What rolemap does not evaluate (said on the page as in every answer).</param>
public sealed record ReportModel(
    IReadOnlyList<string> Inputs,
    string AuthenticationMode,
    ReportSummary Summary,
    IReadOnlyList<ReportPrincipal> Principals,
    IReadOnlyList<ReportShadowed> Shadowed,
    ReportMatrix Matrix,
    IReadOnlyList<ReportGraphPanel> Graph,
    IReadOnlyList<ReportRole> Roles,
    IReadOnlyList<ReportFinding> Findings,
    ReportMigration? Migration,
    string NotModelled);

/// <summary>The counts at the top of the page and what to look at first.</summary>
/// <param name="Groups">Distinct groups: mapped to principals or named by an input binding (system:authenticated left out).</param>
/// <param name="Bindings">RoleBindings and ClusterRoleBindings of the input (the Kubernetes defaults left out).</param>
/// <param name="Roles">Roles and ClusterRoles of the input (the Kubernetes defaults left out).</param>
public sealed record ReportSummary(int Principals, int Groups, int Bindings, int Roles, int Errors, int Warnings, int Infos, IReadOnlyList<ReportAttention> LookFirst);

/// <summary>One item of "what to look at first".</summary>
/// <param name="Kind"><c>cluster-admin</c>, <c>lockout</c> (a finding that can lock people or nodes out), <c>error</c> (another lint error) or <c>dead-mapping</c>.</param>
/// <param name="Subject">The principal, entry or finding concerned.</param>
/// <param name="Link">An anchor on the page with the details.</param>
public sealed record ReportAttention(string Kind, string Subject, string Detail, string Link);

/// <summary>An IAM principal EKS authenticates, and how.</summary>
/// <param name="Id">The page anchor and the key the matrix uses.</param>
/// <param name="Via">How it authenticates: <c>mapRoles</c>, <c>mapUsers</c>, <c>mapAccounts</c> or <c>accessEntry</c>.</param>
/// <param name="Policies">The access entry's access policies with their scopes.</param>
/// <param name="PoliciesUnknown">It has an access entry whose policies (or username and groups) the input does not give.</param>
/// <param name="NotEvaluated">Why its access is not in the matrix (an account mapping, an entry no caller can use), or null.</param>
/// <param name="ClusterAdmin">May do every verb on every resource cluster-wide (<c>can-i '*' '*' -A</c> answers yes).</param>
public sealed record ReportPrincipal(
    string Id,
    string Arn,
    string Via,
    string Username,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Policies,
    bool PoliciesUnknown,
    string? NotEvaluated,
    bool ClusterAdmin,
    IReadOnlyList<string> Notes);

/// <summary>An aws-auth entry that no longer applies, and why.</summary>
public sealed record ReportShadowed(string Arn, string Via, string Why);

/// <summary>
/// The access matrix of every principal, as the <c>matrix --all-mapped</c> command evaluates it, stored by what
/// decides it: a principal's access in a namespace depends only on the bindings that apply to it there (and its
/// access policies), so each distinct set of those is evaluated once and its rows (<see cref="Sets"/>) are shared by
/// every principal and namespace it stands for. Each row is a character per verb (<c>Y</c> allowed, <c>N</c> only
/// for named objects, <c>?</c> unknown, <c>.</c> denied); only rows with some access are kept.
/// </summary>
/// <param name="Resources">Every resource the matrix asks about; rows point at them by index.</param>
/// <param name="Namespaces">
/// The namespaces shown: first <c>"*"</c>, any namespace where the principal has no RoleBinding or access-policy scope
/// of its own (its rows stand for every such namespace), then the namespaces asked for, and last <c>""</c>, cluster
/// scope (for cluster-scoped resources). A principal's rows in a namespace are complete: they include what "*" allows.
/// </param>
/// <param name="Access">Per evaluated principal, which set holds its rows where.</param>
/// <param name="Sets">The distinct sets of rows.</param>
/// <param name="Reasons">The explain chains the cells point at, each once.</param>
/// <param name="Lines">The lines the chains are made of, each once.</param>
public sealed record ReportMatrix(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Namespaces,
    IReadOnlyList<ReportAccess> Access,
    IReadOnlyList<ReportCellSet> Sets,
    IReadOnlyList<ReportReason> Reasons,
    IReadOnlyList<string> Lines);

/// <summary>One principal's rows: sets by namespace.</summary>
/// <param name="P">Index of the principal.</param>
/// <param name="Other">The set for namespace <c>"*"</c>, and every shown namespace not in <paramref name="Own"/>.</param>
/// <param name="Cluster">The set for cluster scope (<c>""</c>).</param>
/// <param name="Own">Pairs of namespace index and set, for the namespaces where the principal has a binding or access-policy scope of its own.</param>
public sealed record ReportAccess(int P, int Other, int Cluster, IReadOnlyList<int> Own);

/// <summary>The rows of one distinct evaluation, column by column (compact: large clusters have a hundred thousand rows).</summary>
/// <param name="R">Per row, the index of the resource.</param>
/// <param name="A">Per row, one character per verb: <c>Y</c>, <c>N</c>, <c>?</c> or <c>.</c>.</param>
/// <param name="W">Per row and verb (row-major), the index of the reason, or -1 for a denied cell.</param>
public sealed record ReportCellSet(IReadOnlyList<int> R, IReadOnlyList<string> A, IReadOnlyList<int> W);

/// <summary>Why a cell is what it is: the chain from the principal's identity to the rule, or the authorizer's reason.</summary>
/// <param name="Chain">Indexes into <see cref="ReportMatrix.Lines"/>.</param>
/// <param name="Wildcard">The grant comes from a rule with <c>*</c> (verbs, resources or groups) or from system:masters.</param>
public sealed record ReportReason(IReadOnlyList<int> Chain, bool Wildcard);

/// <summary>One drawing of the access graph: cluster-wide, or one namespace's RoleBindings.</summary>
/// <param name="Namespace"><c>""</c> for the cluster-wide panel.</param>
public sealed record ReportGraphPanel(string Namespace, int Width, int Height, IReadOnlyList<ReportNode> Nodes, IReadOnlyList<ReportEdge> Edges);

/// <summary>A node at its place in the layout.</summary>
/// <param name="Kind"><c>principal</c>, <c>user</c>, <c>group</c>, <c>binding</c>, <c>role</c> or <c>policy</c>.</param>
/// <param name="Link">An anchor on the page with the node's details.</param>
public sealed record ReportNode(string Id, string Kind, string Label, string Link, int X, int Y);

/// <summary>An edge between two nodes of the same panel.</summary>
public sealed record ReportEdge(string From, string To);

/// <summary>A role the graph reaches, with its rules and where it was read.</summary>
public sealed record ReportRole(string Id, string Display, string Source, IReadOnlyList<string> Rules, string? Error);

/// <summary>A lint finding (its severity written as lint's outputs write it).</summary>
public sealed record ReportFinding(string Rule, RoleMap.Diagnostics.Severity Severity, string Message, string? Location, string? Fix);

/// <summary>The migration plan: whether API mode is possible, and each aws-auth entry's fate and verdict.</summary>
public sealed record ReportMigration(bool ApiModePossible, IReadOnlyList<string> Blockers, IReadOnlyList<ReportMigrationEntry> Entries);

/// <summary>One aws-auth entry in the move to access entries (status, delete and verdict written as <c>access-entries plan -o json</c> writes them).</summary>
/// <param name="Verdict">With RBAC: how the principal's access after compares with before (same, fewer, ...).</param>
public sealed record ReportMigrationEntry(string Label, string Written, RoleMap.AccessEntries.PlanStatus Status, RoleMap.AccessEntries.DeleteWhen Delete, RoleMap.AccessPolicies.PermissionVerdict? Verdict, IReadOnlyList<string> Lost, IReadOnlyList<string> Gained, IReadOnlyList<string> Findings);
