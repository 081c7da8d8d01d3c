using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.AccessEntries;

/// <summary>What happens to one aws-auth mapping in the move to access entries.</summary>
public enum PlanStatus
{
    /// <summary>It becomes the planned access entry; exported.</summary>
    Convertible,

    /// <summary>Something must be decided or looked up first; the findings say what. Not exported.</summary>
    NeedsAttention,

    /// <summary>No access entry is created for it; the findings say why.</summary>
    Skip,
}

/// <summary>Where the planned entry's principal ARN (role path included) comes from.</summary>
public enum PrincipalSource
{
    /// <summary>No ARN: nothing to create.</summary>
    None,

    /// <summary>The ARN as written (users keep their path in aws-auth; role ARNs with a path).</summary>
    AsWritten,

    /// <summary>The spec wrote the role's path.</summary>
    Spec,

    /// <summary>Looked up in <c>--iam-arns</c>.</summary>
    IamList,

    /// <summary>An existing access entry for the principal.</summary>
    AccessEntry,

    /// <summary>A role ARN without a path, not confirmed: the role may have a path.</summary>
    Unconfirmed,
}

/// <summary>When the aws-auth entry can be deleted.</summary>
public enum DeleteWhen
{
    /// <summary>Keep it: deleting it would take access away.</summary>
    Keep,

    /// <summary>Once the planned access entry exists (the access entry then replaces it).</summary>
    AfterCreate,

    /// <summary>Now: it grants nothing today, or an access entry already replaces it.</summary>
    Now,
}

/// <summary>How an entry bears on switching the cluster to <c>API</c> mode, where aws-auth is ignored.</summary>
public enum ApiModeImpact
{
    /// <summary>Nothing is lost once the plan is carried out.</summary>
    None,

    /// <summary>Switching would take access away: resolve this first.</summary>
    Blocks,

    /// <summary>Fine if EKS created the access entry it manages; confirm first.</summary>
    Verify,
}

/// <summary>A reason, with a stable rule id: for a skip, why; for attention, what is wrong and what to do.</summary>
public sealed record PlanFinding(string Rule, string Message, string? Fix = null);

/// <summary>The plan for one aws-auth mapping (or mapped account).</summary>
/// <param name="Label">Which mapping: <c>mapRoles[2]</c>, <c>mapAccounts[0]</c>, or the spec's key.</param>
/// <param name="Location">Where it is written.</param>
/// <param name="Written">The ARN (or account) as written.</param>
/// <param name="Mapping">The aws-auth entry (null for an account).</param>
/// <param name="Kind">Node, Fargate, hybrid or custom.</param>
/// <param name="Status">Convertible, needs attention, or skip.</param>
/// <param name="Findings">Why it is skipped, or what needs attention.</param>
/// <param name="Notes">What changes and what to know, for convertible entries too.</param>
/// <param name="Target">The access entry it becomes (or, for a skip, the one that exists or that EKS creates); null when none.</param>
/// <param name="PrincipalSource">Where the principal ARN comes from.</param>
/// <param name="Delete">When the aws-auth entry can be deleted.</param>
/// <param name="ApiMode">How it bears on switching to API mode.</param>
public sealed record PlanEntry(
    string Label,
    SourceLocation? Location,
    string Written,
    MapEntry? Mapping,
    EntryKind Kind,
    PlanStatus Status,
    IReadOnlyList<PlanFinding> Findings,
    IReadOnlyList<string> Notes,
    AccessEntry? Target,
    PrincipalSource PrincipalSource,
    DeleteWhen Delete,
    ApiModeImpact ApiMode);

/// <summary>Whether the cluster can move to <c>API</c> mode (aws-auth ignored) once the plan is carried out.</summary>
public sealed record ApiModeReadiness(IReadOnlyList<string> Blockers, IReadOnlyList<string> Checks)
{
    public bool Possible => Blockers.Count == 0;
}

/// <summary>The move of one aws-auth (or spec) to access entries, entry by entry.</summary>
public sealed record MigrationPlan(
    string Source,
    string? ClusterName,
    string Partition,
    IReadOnlyList<PlanEntry> Entries,
    IReadOnlyList<Diagnostic> Notes,
    ApiModeReadiness ApiMode)
{
    /// <summary>The entries whose access entries are created (and exported).</summary>
    public IEnumerable<PlanEntry> ToCreate => Entries.Where(e => e.Status == PlanStatus.Convertible && e.Target is not null);

    public bool NeedsAttention => Entries.Any(e => e.Status == PlanStatus.NeedsAttention);

    public int Count(PlanStatus status) => Entries.Count(e => e.Status == status);
}
