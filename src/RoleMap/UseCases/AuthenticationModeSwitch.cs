using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsApi;
using RoleMap.Rbac;

namespace RoleMap.UseCases;

/// <summary>How a mode switch ended.</summary>
public enum ModeSwitchStatus
{
    /// <summary>The cluster is in that mode already.</summary>
    AlreadyThere,

    /// <summary>EKS allows no way back: refused.</summary>
    NotAllowed,

    /// <summary>Switching to API would take access away: refused.</summary>
    Blocked,
    DryRun,
    Declined,
    Switched,

    /// <summary>The update failed, was cancelled, or did not finish while rolemap waited.</summary>
    Failed,
}

/// <summary>The outcome: the modes, what blocks API mode, and the cluster update EKS ran.</summary>
public sealed record ModeSwitchOutcome(ModeSwitchStatus Status, AuthenticationMode From, AuthenticationMode To, IReadOnlyList<string> Blockers, ClusterUpdate? Update, string? Error);

/// <summary>What a mode switch needs besides the EKS client.</summary>
/// <param name="Migration">For API: the migration of the cluster's aws-auth, planned against its live access entries (with RBAC: the proof).</param>
/// <param name="Confirm">The second, explicit confirmation; null means confirmed.</param>
/// <param name="Delay">Waits between DescribeUpdate polls (tests pass one that returns at once).</param>
public sealed record ModeSwitchRequest(AuthenticationMode Target, (MigrationReport Report, ExistingAccessEntries Live)? Migration, bool DryRun = false)
{
    public Func<AuthenticationMode, AuthenticationMode, CancellationToken, Task<bool>>? Confirm { get; init; }

    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Polls before giving up (EKS takes minutes; the default waits about half an hour).</summary>
    public int MaxPolls { get; init; } = 180;
}

/// <summary>
/// <c>access-entries mode</c>: one way only (CONFIG_MAP → API_AND_CONFIG_MAP → API, or CONFIG_MAP → API, as EKS
/// allows); API only when the migration verdicts show no principal losing access (no blocker in the plan and, with
/// RBAC, no principal with fewer, different or unknown permissions). UpdateClusterConfig, then DescribeUpdate until
/// the update is no longer InProgress.
/// </summary>
public static class AuthenticationModeSwitch
{
    /// <summary>Why EKS does not allow the move, or null.</summary>
    public static string? TransitionProblem(AuthenticationMode from, AuthenticationMode to) =>
        to < from
            ? "EKS cannot go back from " + from.Wire() + " to " + to.Wire() + ": once access entries are enabled they stay, and aws-auth cannot be enabled again once it is off"
            : null;

    /// <summary>
    /// What stops API mode: the plan's blockers, every planned access entry that does not exist yet on the cluster
    /// (its principal would lose the access aws-auth gives it), and with the proof every principal that would not keep
    /// the same access.
    /// </summary>
    public static IReadOnlyList<string> ApiBlockers(MigrationReport migration, ExistingAccessEntries live)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(live);
        var blockers = new List<string>(migration.Plan.ApiMode.Blockers);
        blockers.AddRange(migration.Plan.ToCreate.Where(e => live.Find(e.Target!.PrincipalArn) is null)
            .Select(e => e.Label + " " + e.Written + ": its access entry " + e.Target!.PrincipalArn + " does not exist yet; run 'rolemap access-entries apply' first"));
        if (migration.Proof is { } proof)
        {
            for (var i = 0; i < proof.Comparisons.Count; i++)
            {
                if (proof.Comparisons[i] is { Verdict: PermissionVerdict.Fewer or PermissionVerdict.Different or PermissionVerdict.Unknown } lost)
                {
                    var entry = migration.Plan.Entries[i];
                    blockers.Add(entry.Label + " " + entry.Written + ": its permissions in API mode would be " + lost.Verdict.ToString().ToLowerInvariant() + " ('rolemap access-entries plan --rbac' shows which requests)");
                }
            }
        }

        return blockers;
    }

    /// <summary>The migration of the cluster's aws-auth against its live entries: what API mode would lose.</summary>
    public static (MigrationReport Report, ExistingAccessEntries Live) Migration(PlanInput awsAuth, LiveAccessSnapshot live, IamDirectory iam, RbacPolicy? rbac)
    {
        ArgumentNullException.ThrowIfNull(awsAuth);
        ArgumentNullException.ThrowIfNull(live);
        var existing = live.ToExisting();
        var plan = MigrationPlanner.Plan(awsAuth, new PlanOptions(live.Cluster.Name, iam, existing));
        return (new MigrationReport(plan) { Proof = rbac is null ? null : MigrationProof.Prove(plan, awsAuth, existing, rbac) }, existing);
    }

    public static async Task<ModeSwitchOutcome> RunAsync(IEksApi eks, EksCluster cluster, ModeSwitchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eks);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        var from = cluster.AuthenticationMode;
        var to = request.Target;
        if (from == to)
        {
            return new ModeSwitchOutcome(ModeSwitchStatus.AlreadyThere, from, to, [], null, null);
        }

        if (TransitionProblem(from, to) is { } problem)
        {
            return new ModeSwitchOutcome(ModeSwitchStatus.NotAllowed, from, to, [], null, problem);
        }

        var blockers = to == AuthenticationMode.Api
            ? request.Migration is { } migration ? ApiBlockers(migration.Report, migration.Live) : ["the migration of aws-auth was not checked"]
            : [];
        if (blockers.Count > 0)
        {
            return new ModeSwitchOutcome(ModeSwitchStatus.Blocked, from, to, blockers, null, "switching to API would take access away from principals aws-auth maps today");
        }

        if (request.DryRun)
        {
            return new ModeSwitchOutcome(ModeSwitchStatus.DryRun, from, to, [], null, null);
        }

        if (request.Confirm is { } confirm && !await confirm(from, to, cancellationToken).ConfigureAwait(false))
        {
            return new ModeSwitchOutcome(ModeSwitchStatus.Declined, from, to, [], null, null);
        }

        var update = await eks.UpdateAuthenticationModeAsync(cluster.Name, to, cancellationToken).ConfigureAwait(false);
        for (var poll = 0; update.Status == "InProgress" && poll < request.MaxPolls; poll++)
        {
            await request.Delay(request.PollInterval, cancellationToken).ConfigureAwait(false);
            update = await eks.DescribeUpdateAsync(cluster.Name, update.Id, cancellationToken).ConfigureAwait(false);
        }

        return update.Status switch
        {
            "Successful" => new ModeSwitchOutcome(ModeSwitchStatus.Switched, from, to, [], update, null),
            "InProgress" => new ModeSwitchOutcome(ModeSwitchStatus.Failed, from, to, [], update, "update " + update.Id + " is still in progress; follow it with 'aws eks describe-update --name " + cluster.Name + " --update-id " + update.Id + "'"),
            _ => new ModeSwitchOutcome(ModeSwitchStatus.Failed, from, to, [], update, "update " + update.Id + " ended " + update.Status + (update.Errors.Count > 0 ? ": " + string.Join("; ", update.Errors) : string.Empty)),
        };
    }
}
