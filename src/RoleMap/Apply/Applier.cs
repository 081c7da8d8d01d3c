using RoleMap.AwsAuth;
using RoleMap.Cluster;

namespace RoleMap.Apply;

/// <summary>How a write is carried out.</summary>
public enum DryRun
{
    /// <summary>Write for real.</summary>
    None,

    /// <summary>Compute and show the changes; send nothing.</summary>
    Client,

    /// <summary>Send the write with dryRun=All: the API server validates and admits it, stores nothing.</summary>
    Server,
}

/// <summary>What happened on one cluster.</summary>
public enum ApplyStatus
{
    /// <summary>aws-auth already was as desired; nothing was written.</summary>
    Unchanged,

    /// <summary>The change was written.</summary>
    Applied,

    /// <summary>A dry run: the change was computed (and validated by the server for --dry-run=server), not stored.</summary>
    DryRun,

    /// <summary>A lockout guard refused the change and it was not forced.</summary>
    Refused,

    /// <summary>The change was not confirmed.</summary>
    Declined,

    /// <summary>An API or connection error.</summary>
    Failed,
}

/// <summary>The outcome of one edit on one cluster.</summary>
public sealed record ApplyOutcome(string Cluster, ApplyStatus Status, Plan? Plan, int Attempts, string? BackupName, string? Error, IReadOnlyList<string> Notes)
{
    /// <summary>The resourceVersion after the write, when there was one.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>The answer to the write was lost, and re-reading aws-auth showed the change there.</summary>
    public bool ConfirmedByRereading { get; init; }
}

/// <summary>Settings for <see cref="Applier"/>. Time, delays and randomness are injected so retries test deterministically.</summary>
public sealed class ApplyOptions
{
    public DryRun DryRun { get; init; }

    /// <summary>Write even when lockout guards object (they are still reported).</summary>
    public bool Force { get; init; }

    /// <summary>How many backup ConfigMaps to keep; 0 stores none.</summary>
    public int KeepBackups { get; init; } = 10;

    /// <summary>
    /// Attempts in all, the first included, before giving up on repeated 409 Conflicts. Each round of contention lets
    /// one writer through, so ten writers at once need about ten attempts for the last of them.
    /// </summary>
    public int MaxAttempts { get; init; } = 20;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The caller's IAM ARN (<c>--as-arn</c>); when null, the cluster is asked (SelfSubjectReview).</summary>
    public string? CallerArn { get; init; }

    /// <summary>Style for lists that do not exist yet; existing lists keep theirs.</summary>
    public RenderStyle? Style { get; init; }

    /// <summary>Asked before a real write with the plan; false declines. Asked again only when a retry changes the plan.</summary>
    public Func<Plan, CancellationToken, Task<bool>> Confirm { get; init; } = (_, _) => Task.FromResult(true);

    /// <summary>Called with each backup before it is stored in the cluster (e.g. to keep a local copy).</summary>
    public Func<ConfigMapObject, CancellationToken, Task>? LocalBackup { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>A number in [0, 1) for backoff jitter.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;
}

/// <summary>
/// Writes aws-auth the careful way: read, compute the change from what is there, check the guards, confirm, store a
/// backup, then replace with the resourceVersion that was read. On 409 Conflict (another writer got there first, or
/// EKS created the ConfigMap meanwhile) it drops its backup, waits with bounded exponential backoff and jitter,
/// re-reads, re-merges and tries again. Never last-writer-wins.
/// </summary>
public sealed class Applier(IClusterClient client, ApplyOptions options)
{
    private const string Namespace = ConfigMapDocument.KubeSystem;
    private const string Name = ConfigMapDocument.AwsAuthName;

    public async Task<ApplyOutcome> RunAsync(IAwsAuthEdit edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var notes = new List<string>();
        Plan? plan = null;
        string? confirmed = null;
        var attempt = 0;

        // A write sent whose answer never came: what it was, the backup taken for it and the version it was based on.
        ClusterWriteUnconfirmedException? unconfirmed = null;
        Plan? sentPlan = null;
        string? sentBackup = null;
        string? sentOver = null;
        try
        {
            CallerIdentity? caller = null;
            while (true)
            {
                attempt++;
                ConfigMapObject? current;
                try
                {
                    current = await client.GetConfigMapAsync(Namespace, Name, cancellationToken).ConfigureAwait(false);
                }
                catch (ClusterException ex) when (unconfirmed is not null)
                {
                    return Outcome(ApplyStatus.Failed, sentBackup, Unknown(unconfirmed, "re-reading aws-auth to check failed too: " + ex.Message));
                }

                caller ??= await CallerAsync(cancellationToken).ConfigureAwait(false);
                plan = Planner.Plan(LiveAwsAuth.From(current, client.Name + ":" + Namespace + "/" + Name), edit, caller, options.Style);
                if (unconfirmed is not null)
                {
                    if (plan.IsNoOp)
                    {
                        // The change is on the server: the lost answer was to a write that landed (or another writer made the same change).
                        notes.Add("attempt " + (attempt - 1) + ": the answer to the write was lost (" + unconfirmed.Message + "); re-reading aws-auth shows the change is there: confirmed by re-reading");
                        plan = sentPlan;
                        await RotateAsync(cancellationToken).ConfigureAwait(false);
                        return Outcome(ApplyStatus.Applied, sentBackup) with { Attempts = attempt - 1, ResourceVersion = current?.ResourceVersion, ConfirmedByRereading = true };
                    }

                    // Not there: the backup copies a state that is about to be written over again from a fresh read.
                    if (sentBackup is not null)
                    {
                        await DeleteQuietlyAsync(sentBackup, cancellationToken).ConfigureAwait(false);
                    }

                    var changedByOthers = current?.ResourceVersion != sentOver;
                    if (unconfirmed.RetriesExhausted || attempt > options.MaxAttempts)
                    {
                        return Outcome(ApplyStatus.Failed, error: unconfirmed.Message + "; re-reading aws-auth shows the change is not there"
                            + (changedByOthers ? " (someone else changed aws-auth meanwhile)" : string.Empty) + ": nothing was written");
                    }

                    notes.Add("attempt " + (attempt - 1) + ": the answer to the write was lost (" + unconfirmed.Message + "); re-reading aws-auth shows the change is not there"
                        + (changedByOthers ? " and someone else changed aws-auth meanwhile: merged again" : ": written again"));
                    unconfirmed = null;
                    sentPlan = null;
                    sentBackup = null;
                }

                if (plan.IsNoOp)
                {
                    return Outcome(ApplyStatus.Unchanged);
                }

                if (plan.Violations.Count > 0 && !options.Force)
                {
                    return Outcome(ApplyStatus.Refused);
                }

                if (options.DryRun == DryRun.Client)
                {
                    return Outcome(ApplyStatus.DryRun);
                }

                var signature = Signature(plan);
                if (options.DryRun == DryRun.None && confirmed != signature)
                {
                    if (!await options.Confirm(plan, cancellationToken).ConfigureAwait(false))
                    {
                        return Outcome(ApplyStatus.Declined);
                    }

                    confirmed = signature;
                }

                string? backup = null;
                if (options.DryRun == DryRun.None && current is not null && options.KeepBackups > 0)
                {
                    backup = await BackupAsync(current, edit.Description, cancellationToken).ConfigureAwait(false);
                }
                else if (options.DryRun == DryRun.None && current is not null && options.LocalBackup is not null)
                {
                    await options.LocalBackup(Backups.Create(current, Backups.Name(options.Time.GetUtcNow()), options.Time.GetUtcNow(), edit.Description), cancellationToken).ConfigureAwait(false);
                }

                var mode = options.DryRun == DryRun.Server ? WriteMode.ServerDryRun : WriteMode.Commit;
                try
                {
                    var written = current is null
                        ? await client.CreateConfigMapAsync(plan.Desired, mode, cancellationToken).ConfigureAwait(false)
                        : await client.ReplaceConfigMapAsync(plan.Desired, mode, cancellationToken).ConfigureAwait(false);
                    if (options.DryRun == DryRun.Server)
                    {
                        return Outcome(ApplyStatus.DryRun);
                    }

                    await RotateAsync(cancellationToken).ConfigureAwait(false);
                    return Outcome(ApplyStatus.Applied, backup) with { ResourceVersion = written.ResourceVersion };
                }
                catch (ClusterWriteUnconfirmedException ex)
                {
                    // Never assume either way: the next round re-reads aws-auth and decides from what is there.
                    unconfirmed = ex;
                    sentPlan = plan;
                    sentBackup = backup;
                    sentOver = current?.ResourceVersion;
                }
                catch (ClusterConflictException ex)
                {
                    if (backup is not null)
                    {
                        await DeleteQuietlyAsync(backup, cancellationToken).ConfigureAwait(false);
                    }

                    if (attempt >= options.MaxAttempts)
                    {
                        return Outcome(ApplyStatus.Failed, error: client.Name + ": aws-auth kept changing while rolemap wrote it: gave up after " + attempt + " attempts (last: " + ex.Message + "); nothing was written");
                    }

                    notes.Add("attempt " + attempt + ": " + (current is null ? "aws-auth was created by someone else meanwhile" : "aws-auth changed since it was read (resourceVersion " + current.ResourceVersion + ")") + "; re-read and merged again");
                    await options.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                }
                catch (ClusterException) when (backup is not null)
                {
                    // The write was refused or never arrived: a backup of a state that was not replaced is not kept.
                    await DeleteQuietlyAsync(backup, cancellationToken).ConfigureAwait(false);
                    throw;
                }
            }
        }
        catch (ClusterException ex)
        {
            return Outcome(ApplyStatus.Failed, error: ex.Message);
        }

        ApplyOutcome Outcome(ApplyStatus status, string? backup = null, string? error = null) =>
            new(client.Name, status, plan, attempt, backup, error, notes);
    }

    private static string Unknown(ClusterWriteUnconfirmedException unconfirmed, string why) =>
        unconfirmed.Message + "; " + why + ". The write may or may not have been applied: check with 'rolemap get' or 'rolemap diff' before running it again";

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1: exponential, capped, with jitter in [50%, 100%].</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (options.Random() / 2)));
    }

    private async Task<CallerIdentity> CallerAsync(CancellationToken cancellationToken)
    {
        if (options.CallerArn is not null)
        {
            return new CallerIdentity(options.CallerArn, "--as-arn");
        }

        try
        {
            var identity = await client.WhoAmIAsync(cancellationToken).ConfigureAwait(false);
            return identity switch
            {
                null => CallerIdentity.Unknown("the API server offers no SelfSubjectReview"),
                { Arn: { } arn } => new CallerIdentity(arn, "SelfSubjectReview", identity.Username),
                _ => CallerIdentity.Unknown("the cluster's SelfSubjectReview reports the user '" + Text.Printable.Escape(identity.Username) + "' but no IAM ARN", identity.Username),
            };
        }
        catch (ClusterForbiddenException ex)
        {
            return CallerIdentity.Unknown("SelfSubjectReview refused: " + ex.Message);
        }
    }

    /// <summary>The UIDs of the backups this apply created, so that it deletes only those very objects.</summary>
    private readonly Dictionary<string, string?> backupUids = new(StringComparer.Ordinal);

    private async Task<string> BackupAsync(ConfigMapObject current, string reason, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        var writer = ((long)(options.Random() * (1L << 52))).ToString("x13", System.Globalization.CultureInfo.InvariantCulture);
        var collision = 0;
        for (var round = 0; ; round++)
        {
            var backup = Backups.Create(current, Backups.Name(now, collision), now, reason, writer);
            if (round == 0 && options.LocalBackup is not null)
            {
                await options.LocalBackup(backup, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var created = await client.CreateConfigMapAsync(backup, WriteMode.Commit, cancellationToken).ConfigureAwait(false);
                backupUids[backup.Name] = created.Uid;
                return backup.Name;
            }
            catch (ClusterConflictException) when (round < 20)
            {
                // Another backup took this name in the same second; take the next suffix.
                collision++;
            }
            catch (ClusterWriteUnconfirmedException ex) when (round < 20)
            {
                // The answer to the create was lost: if the backup is there it is this one (a second copy would be an
                // extra backup); if the name is free it is tried again; if someone else has it, the next suffix.
                var found = await client.GetConfigMapAsync(Namespace, backup.Name, cancellationToken).ConfigureAwait(false);
                if (found is not null && Backups.SameBackup(found, backup))
                {
                    backupUids[backup.Name] = found.Uid;
                    return backup.Name;
                }

                if (found is null && ex.RetriesExhausted)
                {
                    throw new ClusterException(client.Name + ": cannot store the backup ConfigMap " + Namespace + "/" + backup.Name + " before writing, so nothing was written: " + ex.Message, null, ex);
                }

                // Someone else's backup holds the name (their create won the second); the lost answer was a conflict.
                collision += found is null ? 0 : 1;
            }
            catch (ClusterForbiddenException ex)
            {
                throw new ClusterForbiddenException(
                    client.Name + ": cannot store the backup ConfigMap " + Namespace + "/" + backup.Name + " before writing, so nothing was written: " + ex.Message
                    + " (grant 'create' and 'delete' on configmaps in " + Namespace + ", or pass --keep-backups 0 --backup-dir DIR to keep the backup as a local file instead)",
                    ex.StatusCode ?? 403,
                    ex);
            }
        }
    }

    private async Task RotateAsync(CancellationToken cancellationToken)
    {
        if (options.KeepBackups <= 0)
        {
            return;
        }

        try
        {
            var backups = Backups.Describe(await client.ListConfigMapsAsync(Namespace, Backups.Selector, cancellationToken).ConfigureAwait(false));
            foreach (var name in Backups.ToDelete(backups, options.KeepBackups))
            {
                await client.DeleteConfigMapAsync(Namespace, name, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClusterException)
        {
            // Old backups staying around is harmless; the write itself succeeded.
        }
    }

    private async Task DeleteQuietlyAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            // Only our own backup: if a retried delete's first attempt already removed it, another writer may have
            // created a backup under the same name since (the name is the second it was taken in).
            await client.DeleteConfigMapAsync(Namespace, name, backupUids.GetValueOrDefault(name), cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException)
        {
            // The stale backup stays; rotation removes it later.
        }
    }

    private static string Signature(Plan plan) => string.Join('\n', plan.Changes.Select(c =>
        c.Section + "|" + c.Kind + "|" + c.Key + "|" + string.Join(';', c.Fields.Select(f => f.Field + "=" + f.Before + ">" + f.After))));
}
