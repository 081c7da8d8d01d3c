using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cluster;
using RoleMap.Tests.TestSupport;
using static RoleMap.Tests.Apply.MergeTests;

namespace RoleMap.Tests.Apply;

/// <summary>The guarded write: optimistic concurrency with retry, dry runs, confirmation, backups and their rotation.</summary>
public class ApplierTests
{
    private static readonly MapEntry Dev = new("arn:aws:iam::111122223333:role/dev", "dev", ["developers"]);

    private readonly List<TimeSpan> delays = [];

    private ApplyOptions Options(DryRun dryRun = DryRun.None, bool force = false, int keep = 10, int attempts = 8) => new()
    {
        DryRun = dryRun,
        Force = force,
        KeepBackups = keep,
        MaxAttempts = attempts,
        CallerArn = Admin,
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero)),
        Random = () => 0.5,
        Delay = (delay, _) =>
        {
            delays.Add(delay);
            return Task.CompletedTask;
        },
    };

    private static IAwsAuthEdit Upsert(MapEntry entry) => new UpsertEdit("mapRoles", entry, true, true);

    private static AwsAuthData Effective(FakeClusterClient client) => AwsAuthParser.ParseData(client["kube-system", "aws-auth"]!.Data, null, "x").Effective;

    [Fact]
    public async Task A_conflict_is_retried_after_re_reading_and_nothing_written_meanwhile_is_lost()
    {
        var client = new FakeClusterClient();
        client.PutAwsAuth(LiveRoles);
        var interfered = false;
        client.BeforeWrite = c =>
        {
            if (!interfered)
            {
                interfered = true; // another writer adds its entry between our read and our write
                var current = c["kube-system", "aws-auth"]!;
                c.Put(current with { Data = [new("mapRoles", current.Data[0].Value + "- rolearn: arn:aws:iam::111122223333:role/other\n  username: other\n  groups: [x]\n")] });
            }
        };

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(["arn:aws:iam::111122223333:role/eks-node", Ops, Admin, "arn:aws:iam::111122223333:role/other", Dev.Arn], Effective(client).Roles.Select(r => r.Arn));
        Assert.Equal([TimeSpan.FromMilliseconds(75)], delays); // 100 ms base, jitter at 0.5 gives 75%
        Assert.Single(client.All, c => c.Name.StartsWith(Backups.Prefix, StringComparison.Ordinal)); // the stale backup was dropped
        Assert.Contains(outcome.Notes, n => n.Contains("changed since it was read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Endless_conflicts_give_up_after_the_bound_with_growing_capped_delays()
    {
        var client = new FakeClusterClient();
        client.PutAwsAuth(LiveRoles);
        client.BeforeWrite = c => c.Put(c["kube-system", "aws-auth"]!);

        var outcome = await new Applier(client, Options(attempts: 7)).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Failed, outcome.Status);
        Assert.Contains("gave up after 7 attempts", outcome.Error, StringComparison.Ordinal);
        Assert.Equal([75, 150, 300, 600, 1200, 2250], delays.Select(d => (int)d.TotalMilliseconds));
        Assert.DoesNotContain(Dev.Arn!, client["kube-system", "aws-auth"]!.Data[0].Value, StringComparison.Ordinal);
        Assert.DoesNotContain(client.All, c => c.Name.StartsWith(Backups.Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_dry_run_sends_no_write()
    {
        var client = new FakeClusterClient();
        client.PutAwsAuth(LiveRoles);

        var outcome = await new Applier(client, Options(DryRun.Client)).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.DryRun, outcome.Status);
        Assert.Single(outcome.Plan!.Changes);
        Assert.DoesNotContain(client.Log, l => l.StartsWith("create", StringComparison.Ordinal) || l.StartsWith("replace", StringComparison.Ordinal) || l.StartsWith("delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_dry_run_sends_the_write_as_a_dry_run_and_stores_no_backup()
    {
        var client = new FakeClusterClient();
        var before = client.PutAwsAuth(LiveRoles);

        var outcome = await new Applier(client, Options(DryRun.Server)).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.DryRun, outcome.Status);
        Assert.Contains("replace aws-auth dryRun", client.Log);
        Assert.DoesNotContain(client.Log, l => l.StartsWith("create", StringComparison.Ordinal));
        Assert.Equal(before, client["kube-system", "aws-auth"]);
    }

    [Fact]
    public async Task Guards_refuse_unless_forced()
    {
        var client = new FakeClusterClient();
        client.PutAwsAuth(LiveRoles);

        var refused = await new Applier(client, Options()).RunAsync(new RemoveEdit("mapRoles", Node, null, null), default);
        Assert.Equal(ApplyStatus.Refused, refused.Status);
        Assert.DoesNotContain(client.Log, l => l.StartsWith("replace", StringComparison.Ordinal));

        var forced = await new Applier(client, Options(force: true)).RunAsync(new RemoveEdit("mapRoles", Node, null, null), default);
        Assert.Equal(ApplyStatus.Applied, forced.Status);
        Assert.DoesNotContain(Effective(client).Roles, r => r.Arn == Node);
    }

    [Fact]
    public async Task Declined_confirmation_writes_nothing()
    {
        var client = new FakeClusterClient();
        client.PutAwsAuth(LiveRoles);
        Plan? asked = null;
        var options = Options();
        options = new ApplyOptions { CallerArn = options.CallerArn, Time = options.Time, Confirm = (plan, _) => { asked = plan; return Task.FromResult(false); } };

        var outcome = await new Applier(client, options).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Declined, outcome.Status);
        Assert.NotNull(asked);
        Assert.DoesNotContain(client.Log, l => l.StartsWith("create", StringComparison.Ordinal) || l.StartsWith("replace", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Creates_aws_auth_and_falls_back_to_replace_when_EKS_creates_it_first()
    {
        var client = new FakeClusterClient();
        client.BeforeWrite = c =>
        {
            if (c["kube-system", "aws-auth"] is null)
            {
                c.PutAwsAuth("- rolearn: " + Node + "\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n");
            }
        };

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.Equal([Node, Dev.Arn], Effective(client).Roles.Select(r => r.Arn));
        Assert.Equal(["create aws-auth", "create aws-auth-backup-20260304-050607", "replace aws-auth"], client.Log.Where(l => l.StartsWith("create", StringComparison.Ordinal) || l.StartsWith("replace", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_write_keeps_a_backup_and_only_the_newest_are_kept()
    {
        var client = new FakeClusterClient();
        client.PutAwsAuth(LiveRoles);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        for (var i = 0; i < 4; i++)
        {
            var options = new ApplyOptions { CallerArn = Admin, KeepBackups = 2, Time = time };
            var outcome = await new Applier(client, options).RunAsync(Upsert(Dev with { Groups = ["g" + i] }), default);
            Assert.Equal(Backups.Name(time.GetUtcNow()), outcome.BackupName);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var backups = Backups.Describe(client.All);
        Assert.Equal(["aws-auth-backup-20260304-050907", "aws-auth-backup-20260304-050807"], backups.Select(b => b.Name));
        Assert.Equal("upsert role " + Dev.Arn, backups[0].Reason);
        Assert.Contains("- g2", backups[0].Object.Data[0].Value, StringComparison.Ordinal); // the state before the last write
    }

    [Fact]
    public async Task Backup_names_taken_in_the_same_second_get_a_suffix()
    {
        var client = new FakeClusterClient();
        client.PutAwsAuth(LiveRoles);
        var options = Options();

        var first = await new Applier(client, options).RunAsync(Upsert(Dev), default);
        var second = await new Applier(client, options).RunAsync(Upsert(Dev with { Groups = ["other"] }), default);

        Assert.Equal("aws-auth-backup-20260304-050607", first.BackupName);
        Assert.Equal("aws-auth-backup-20260304-050607-1", second.BackupName);
    }

    [Fact]
    public async Task Restore_brings_back_the_data_and_the_ownership_of_the_backup()
    {
        var client = new FakeClusterClient();
        var original = client.PutAwsAuth(LiveRoles, null, [new(Ownership.Annotation, "{\"mapRoles\":[\"" + Ops + "\"]}")]);
        var applied = await new Applier(client, Options()).RunAsync(new SpecEdit(MergeTests.Spec("roles:\n- arn: " + Dev.Arn + "\n  groups: [developers]\n"), false, "spec"), default);
        Assert.Equal(ApplyStatus.Applied, applied.Status);

        var backup = Assert.Single(Backups.Describe(client.All));
        var restored = await new Applier(client, Options()).RunAsync(backup.Restore(), default);

        Assert.Equal(ApplyStatus.Applied, restored.Status);
        var now = client["kube-system", "aws-auth"]!;
        Assert.Equal(original.Data, now.Data);
        Assert.Equal(original.Annotations, now.Annotations);
    }

    [Fact]
    public async Task The_caller_is_asked_from_the_cluster_when_not_given()
    {
        var client = new FakeClusterClient { Identity = new ClusterIdentity("admin", ["system:masters"], [new("arn", ["arn:aws:sts::111122223333:assumed-role/Admin/s"]), new("canonicalArn", [Admin])]) };
        client.PutAwsAuth(LiveRoles);

        var outcome = await new Applier(client, new ApplyOptions()).RunAsync(new RemoveEdit("mapRoles", Admin, null, null), default);

        Assert.Equal(ApplyStatus.Refused, outcome.Status);
        Assert.Contains("SelfSubjectReview", Assert.Single(outcome.Plan!.Violations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_errors_become_a_failed_outcome()
    {
        var client = new FakeClusterClient { FailReads = new ClusterUnreachableException("fake: connection refused") };

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal((ApplyStatus.Failed, "fake: connection refused"), (outcome.Status, outcome.Error));
    }
}
