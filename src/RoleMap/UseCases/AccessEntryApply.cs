using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsApi;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.UseCases;

/// <summary>Whether the caller keeps admin access: before and after, as EKS would decide for <c>* * *</c> cluster-wide.</summary>
/// <param name="Violation">Why the change is refused without --force, or null.</param>
public sealed record SelfAccessCheck(string CallerArn, bool AdminBefore, bool AdminAfter, string? Violation, string Before, string After);

/// <summary>
/// The guard of access-entry writes: the caller (STS GetCallerIdentity, canonicalised as the authenticator does) must
/// not lose its own admin access. Admin means EKS allows the caller every verb on every resource cluster-wide:
/// system:masters or a matching RBAC rule (the bootstrap roles, or the given RBAC), or an access policy such as
/// AmazonEKSClusterAdminPolicy at cluster scope, evaluated with <see cref="EksAuthorizer"/>.
/// </summary>
public static class SelfAccessGuard
{
    private static readonly Attributes Everything = Attributes.ForResource("*", "*", "*");

    /// <param name="recreated">Principals whose entries the plan deletes and creates again (a type change).</param>
    public static SelfAccessCheck Check(string callerArn, AwsAuthData? awsAuth, AuthenticationMode mode, ExistingAccessEntries before, ExistingAccessEntries after, RbacPolicy? rbac, IReadOnlyCollection<string>? recreated = null)
    {
        ArgumentNullException.ThrowIfNull(callerArn);
        var policy = rbac ?? RbacPolicy.Build(RbacObjects.Empty);
        var resolvedBefore = new MixedResolver(awsAuth, before, mode).Resolve(callerArn);
        var resolvedAfter = new MixedResolver(awsAuth, after, mode).Resolve(callerArn);
        var (adminBefore, whyBefore) = Admin(resolvedBefore, policy);
        var (adminAfter, whyAfter) = Admin(resolvedAfter, policy);
        var violation = adminBefore && !adminAfter
            ? "you (" + callerArn + ") would lose your admin access to the cluster: today " + whyBefore + "; after the change " + whyAfter
            : null;

        // aws-auth not read: a new access entry for the caller replaces whatever aws-auth gives it today.
        if (violation is null && awsAuth is null && mode == AuthenticationMode.ApiAndConfigMap && resolvedBefore.AccessEntry is null && resolvedAfter.AccessEntry is not null && !adminAfter)
        {
            violation = "you (" + callerArn + ") may lose your admin access: the new access entry " + resolvedAfter.AccessEntry.Entry.PrincipalArn
                + " does not make you admin and replaces your aws-auth entry, which rolemap did not read (apply from --aws-auth FILE or live to check it)";
        }
        // Same access at the end, but a gap on the way: if the create after the delete fails, it stays lost.
        if (violation is null && adminBefore && resolvedBefore.AccessEntry is { } own && (recreated ?? []).Contains(own.Entry.PrincipalArn, StringComparer.Ordinal))
        {
            violation = "your own access entry " + own.Entry.PrincipalArn + " (" + whyBefore + ") would be deleted and created again: you have no access entry in between, and none at all if the create fails";
        }

        return new SelfAccessCheck(callerArn, adminBefore, adminAfter, violation, whyBefore, whyAfter);
    }

    private static (bool Admin, string Why) Admin(MixedResolution resolution, RbacPolicy rbac)
    {
        if (resolution.Failure is not null)
        {
            return (false, "EKS rejects you: " + resolution.Failure);
        }

        if (resolution.AccessEntry is { } identity)
        {
            var user = Identities.Authenticated(identity.Username ?? string.Empty, identity.Groups ?? []);
            var decision = EksAuthorizer.Authorize(rbac, user, Everything, identity.Policies, identity.Policies is null);
            return (decision.Verdict == Verdict.Yes, "the access entry " + identity.Entry.PrincipalArn + (decision.Verdict == Verdict.Yes ? " makes you admin (" + decision.Reason + ")" : " does not make you admin"));
        }

        if (resolution.AwsAuth?.Mapping is { } mapping)
        {
            var decision = EksAuthorizer.Authorize(rbac, Identities.Authenticated(mapping.Username, mapping.Groups), Everything, null);
            return (decision.Verdict == Verdict.Yes, "aws-auth " + (decision.Verdict == Verdict.Yes ? "makes you admin" : "maps you without admin access"));
        }

        return (false, "no access entry " + (resolution.Mode == AuthenticationMode.Api ? string.Empty : "and no aws-auth entry ") + "maps you");
    }
}

/// <summary>How an access-entry apply ended.</summary>
public enum SyncStatus
{
    /// <summary>Nothing to do: the cluster matches the plan.</summary>
    Unchanged,
    DryRun,

    /// <summary>The guard objected and --force was not given; nothing changed.</summary>
    Refused,

    /// <summary>The user did not confirm; nothing changed.</summary>
    Declined,

    /// <summary>Every call succeeded and re-reading confirmed the result.</summary>
    Applied,

    /// <summary>A call failed, or re-reading found a difference: <see cref="SyncOutcome.Done"/> says what was done.</summary>
    Failed,
}

/// <summary>The outcome of an apply: the plan, the guard, which calls were made and which not.</summary>
/// <param name="Mismatches">After the calls, what re-reading the entries found different from the plan.</param>
public sealed record SyncOutcome(SyncStatus Status, SyncPlan Plan, SelfAccessCheck? Guard, IReadOnlyList<SyncOperation> Done, IReadOnlyList<SyncOperation> NotDone, string? Error, IReadOnlyList<string> Mismatches);

/// <summary>What an apply needs besides the EKS client.</summary>
/// <param name="Desired">The entries the plan wants.</param>
/// <param name="CallerArn">The caller for the guard; null skips it (with a note from the caller).</param>
/// <param name="AwsAuth">The cluster's aws-auth when known, for the guard in API_AND_CONFIG_MAP mode.</param>
/// <param name="Confirm">Asked with the plan before any change; null means yes.</param>
public sealed record SyncRequest(IReadOnlyList<AccessEntry> Desired, bool Prune = false, bool DryRun = false, bool Force = false, string? CallerArn = null, AwsAuthData? AwsAuth = null, RbacPolicy? Rbac = null)
{
    public Func<SyncPlan, SelfAccessCheck?, CancellationToken, Task<bool>>? Confirm { get; init; }
}

/// <summary>
/// <c>access-entries apply</c>: reads the cluster's access entries, plans the sync, checks the guard, asks, makes the
/// calls in the plan's order, then re-reads every entry it touched and confirms it matches the plan before
/// reporting success. A failing call stops the run; the outcome says what was done and what not.
/// </summary>
public static class AccessEntryApplier
{
    public static async Task<SyncOutcome> RunAsync(IEksApi eks, string clusterName, SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eks);
        ArgumentNullException.ThrowIfNull(request);
        var live = await LiveAccess.ReadAsync(eks, clusterName, cancellationToken).ConfigureAwait(false);
        if (live.Cluster.AuthenticationMode == AuthenticationMode.ConfigMap)
        {
            throw new InputException("cluster " + clusterName + " is in CONFIG_MAP mode, where EKS has no access entries: switch it first with 'rolemap access-entries mode API_AND_CONFIG_MAP'");
        }

        var plan = AccessEntrySync.Plan(request.Desired, live, request.Prune);
        if (plan.IsEmpty)
        {
            return new SyncOutcome(SyncStatus.Unchanged, plan, null, [], [], null, []);
        }

        var guard = request.CallerArn is { } caller
            ? SelfAccessGuard.Check(caller, request.AwsAuth, live.Cluster.AuthenticationMode, live.ToExisting(), AccessEntrySync.After(live, plan), request.Rbac, [.. plan.Changes.Where(c => c.Kind == EntryChangeKind.Recreate).Select(c => c.PrincipalArn)])
            : null;
        if (request.DryRun)
        {
            return new SyncOutcome(SyncStatus.DryRun, plan, guard, [], plan.Operations, null, []);
        }

        if (guard?.Violation is not null && !request.Force)
        {
            return new SyncOutcome(SyncStatus.Refused, plan, guard, [], plan.Operations, guard.Violation, []);
        }

        if (request.Confirm is { } confirm && !await confirm(plan, guard, cancellationToken).ConfigureAwait(false))
        {
            return new SyncOutcome(SyncStatus.Declined, plan, guard, [], plan.Operations, null, []);
        }

        var done = new List<SyncOperation>();
        foreach (var operation in plan.Operations)
        {
            try
            {
                await CallAsync(eks, clusterName, operation, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsApiException ex)
            {
                return new SyncOutcome(SyncStatus.Failed, plan, guard, done, [.. plan.Operations.Skip(done.Count)], operation + " failed: " + ex.Message, []);
            }

            done.Add(operation);
        }

        var reread = await LiveAccess.RereadAsync(eks, live, plan.Touched, cancellationToken).ConfigureAwait(false);
        var touched = plan.Touched.Select(ExistingAccessEntries.MatchKey).ToHashSet(StringComparer.Ordinal);
        var mismatches = AccessEntrySync.Plan(request.Desired, reread, request.Prune).Operations
            .Where(o => touched.Contains(ExistingAccessEntries.MatchKey(o.PrincipalArn)))
            .Select(o => "re-reading shows it still needs: " + o)
            .ToList();
        return new SyncOutcome(mismatches.Count == 0 ? SyncStatus.Applied : SyncStatus.Failed, plan, guard, done, [], mismatches.Count == 0 ? null : "the calls succeeded but the entries read back differ from the plan", mismatches);
    }

    private static Task CallAsync(IEksApi eks, string cluster, SyncOperation operation, CancellationToken cancellationToken)
    {
        switch (operation.Kind)
        {
            case SyncOperationKind.CreateEntry:
                var entry = operation.Entry!;
                var standard = entry.Type == AccessEntryType.Standard;
                var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [LiveAccess.ManagedByTag] = LiveAccess.ManagedByValue };
                return eks.CreateAccessEntryAsync(cluster, new NewAccessEntry(entry.PrincipalArn, entry.Type, standard ? entry.KubernetesGroups : [], standard ? entry.Username : null, tags), cancellationToken);
            case SyncOperationKind.UpdateEntry:
                return eks.UpdateAccessEntryAsync(cluster, operation.PrincipalArn, operation.Entry!.KubernetesGroups, operation.Entry.Username, cancellationToken);
            case SyncOperationKind.DeleteEntry:
                return eks.DeleteAccessEntryAsync(cluster, operation.PrincipalArn, cancellationToken);
            case SyncOperationKind.AssociatePolicy:
                return eks.AssociateAccessPolicyAsync(cluster, operation.PrincipalArn, operation.Policy!.PolicyArn, operation.Policy.Scope, cancellationToken);
            default:
                return eks.DisassociateAccessPolicyAsync(cluster, operation.PrincipalArn, operation.Policy!.PolicyArn, cancellationToken);
        }
    }
}
