using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.UseCases;

/// <summary>A file's text and the name messages give it.</summary>
public sealed record NamedText(string Text, string Name);

/// <summary>What a migration plan is made from.</summary>
/// <param name="Input">The aws-auth mappings (from a spec, a ConfigMap file or the cluster).</param>
/// <param name="ClusterName">The cluster's name for the exports; null leaves a variable or parameter.</param>
/// <param name="IamArns">IAM listings that restore role paths (read and parsed in order, one at a time).</param>
/// <param name="AccessEntries">Access entries that already exist (read and parsed after the IAM listings).</param>
public sealed record MigrationRequest(PlanInput Input, string? ClusterName, IEnumerable<NamedText> IamArns, IEnumerable<NamedText> AccessEntries)
{
    /// <summary>The cluster's RBAC (<c>--rbac</c>): with it, the plan proves what each principal may do before and after.</summary>
    public RbacPolicy? Rbac { get; init; }

    /// <summary>IAM principals already read (from the IAM API: <c>--iam-arns live</c>), besides the listings.</summary>
    public IamDirectory? Iam { get; init; }

    /// <summary>Access entries already read (from the EKS API: <c>--access-entries live</c>), besides the files.</summary>
    public ExistingAccessEntries? Existing { get; init; }
}

/// <summary>
/// A migration plan and whether it is done: nothing needs attention, the cluster can switch to API mode, and (with
/// RBAC) every principal may do the same after as before.
/// </summary>
public sealed record MigrationReport(MigrationPlan Plan)
{
    /// <summary>The permission comparison, when RBAC was given.</summary>
    public MigrationProofResult? Proof { get; init; }

    public bool Failed => Plan.NeedsAttention || !Plan.ApiMode.Possible || Proof?.AllSame == false;
}

/// <summary>An export of a plan's convertible entries, and what it left out.</summary>
/// <param name="Plan">The plan exported.</param>
/// <param name="Text">The export in the format asked for.</param>
/// <param name="NotExported">How many entries need attention and were left out.</param>
/// <param name="Unreadable">aws-auth data that could not be read: its entries are not in the plan, so not exported.</param>
public sealed record MigrationExport(MigrationPlan Plan, string Text, int NotExported, IReadOnlyList<Diagnostic> Unreadable)
{
    public bool Failed => NotExported > 0 || Unreadable.Count > 0;
}

/// <summary>
/// <c>access-entries plan|export</c>: the move from aws-auth to EKS access entries, and the policies of when a plan
/// or an export is complete.
/// </summary>
public static class MigrationUseCase
{
    /// <summary>
    /// Whether a spec warning concerns the migration. Role paths are what access entries need, so the warnings
    /// about aws-auth dropping them do not apply.
    /// </summary>
    public static bool Applies(Diagnostic specWarning) =>
        specWarning?.Rule is not ("arn-role-path" or "arn-assumed-role");

    /// <summary>The plan input of an aws-auth ConfigMap (manifest or kubectl output), as the authenticator reads it.</summary>
    public static PlanInput FromAwsAuth(string text, string name) => PlanInput.FromAwsAuth(AwsAuthParser.Parse(text, name), name);

    public static MigrationReport Plan(MigrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (plan, existing) = MakePlan(request);
        return new MigrationReport(plan) { Proof = request.Rbac is { } rbac ? MigrationProof.Prove(plan, request.Input, existing, rbac) : null };
    }

    public static MigrationExport Export(MigrationRequest request, ExportFormat format)
    {
        var (plan, _) = MakePlan(request);
        var text = AccessEntryExport.Render(plan, format);
        var unreadable = plan.Notes.Where(n => n.Severity == Severity.Error && GoYamlFindings.KeyDropped.Contains(n.Rule, StringComparer.Ordinal)).ToList();
        return new MigrationExport(plan, text, plan.Count(PlanStatus.NeedsAttention), unreadable);
    }

    private static (MigrationPlan Plan, ExistingAccessEntries Existing) MakePlan(MigrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var iam = IamDirectory.Combine(request.IamArns.Select(f => IamDirectory.Parse(f.Text, f.Name)).Concat(request.Iam is null ? [] : [request.Iam]));
        var existing = ExistingAccessEntries.Combine(request.AccessEntries.Select(f => ExistingAccessEntries.Parse(f.Text, f.Name)).Concat(request.Existing is null ? [] : [request.Existing]));
        return (MigrationPlanner.Plan(request.Input, new PlanOptions(request.ClusterName, iam, existing)), existing);
    }
}
