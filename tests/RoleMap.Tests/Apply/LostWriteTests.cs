using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cluster;
using RoleMap.Tests.TestSupport;
using static RoleMap.Tests.Apply.MergeTests;

namespace RoleMap.Tests.Apply;

/// <summary>
/// Writes whose answer was lost: the applier re-reads aws-auth and decides from what is there (present: success
/// confirmed by re-reading; absent: written again; changed by someone else: merged again), never reports a success
/// it has not seen, never loses another writer's change, and leaves one backup per write that happened.
/// </summary>
public class LostWriteTests
{
    private static readonly MapEntry Dev = new("arn:aws:iam::111122223333:role/dev", "dev", ["developers"]);
    private const string Other = "arn:aws:iam::111122223333:role/other";

    private static ApplyOptions Options(int attempts = 8) => new()
    {
        MaxAttempts = attempts,
        CallerArn = Admin,
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero)),
        Random = () => 0.5,
        Delay = (_, _) => Task.CompletedTask,
    };

    private static IAwsAuthEdit Upsert(MapEntry entry) => new UpsertEdit("mapRoles", entry, true, true);

    private static List<string?> Roles(FakeClusterClient client) => [.. AwsAuthParser.ParseData(client["kube-system", "aws-auth"]!.Data, null, "x").Effective.Roles.Select(r => r.Arn)];

    private static List<ConfigMapObject> BackupsIn(FakeClusterClient client) => [.. client.All.Where(c => c.Name.StartsWith(Backups.Prefix, StringComparison.Ordinal))];

    private static void AddOther(FakeClusterClient c)
    {
        var current = c["kube-system", "aws-auth"]!;
        c.Put(current with { Data = [new("mapRoles", current.Data[0].Value + "- rolearn: " + Other + "\n  username: other\n  groups: [x]\n")] });
    }

    [Fact]
    public async Task A_write_that_landed_but_whose_answer_was_lost_is_confirmed_by_re_reading()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("replace aws-auth", applied: true);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.True(outcome.ConfirmedByRereading);
        Assert.Equal(1, outcome.Attempts);
        Assert.Contains(Dev.Arn, Roles(fake));
        Assert.Single(BackupsIn(fake));
        Assert.Equal(outcome.BackupName, BackupsIn(fake)[0].Name);
        Assert.Contains(outcome.Notes, n => n.Contains("the change is there: confirmed by re-reading", StringComparison.Ordinal));
        Assert.Single(fake.Log, l => l == "replace aws-auth"); // not written twice
    }

    [Fact]
    public async Task A_write_that_did_not_land_is_written_again_from_a_fresh_read_with_one_backup()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("replace aws-auth", applied: false);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.False(outcome.ConfirmedByRereading);
        Assert.Equal(2, outcome.Attempts);
        Assert.Contains(Dev.Arn, Roles(fake));
        Assert.Single(BackupsIn(fake)); // the first attempt's backup was dropped
        Assert.Contains(outcome.Notes, n => n.Contains("the change is not there: written again", StringComparison.Ordinal));
        Assert.Equal(["replace aws-auth (lost before it arrived)", "replace aws-auth"], fake.Log.Where(l => l.StartsWith("replace aws-auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_lost_answer_while_someone_else_changed_aws_auth_is_merged_again_and_loses_nothing()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("replace aws-auth", applied: false, meanwhile: AddOther);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.Contains(Dev.Arn, Roles(fake));
        Assert.Contains(Other, Roles(fake));
        Assert.Single(BackupsIn(fake));
        Assert.Contains("rolearn: " + Other, BackupsIn(fake)[0].Data[0].Value, StringComparison.Ordinal); // the backup is of what was replaced
        Assert.Contains(outcome.Notes, n => n.Contains("someone else changed aws-auth meanwhile: merged again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_landed_write_followed_by_another_writer_is_still_confirmed_and_keeps_both()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("replace aws-auth", applied: true, meanwhile: AddOther);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.True(outcome.ConfirmedByRereading);
        Assert.Contains(Dev.Arn, Roles(fake));
        Assert.Contains(Other, Roles(fake));
        Assert.Single(fake.Log, l => l == "replace aws-auth");
    }

    [Fact]
    public async Task Giving_up_on_an_unconfirmed_write_fails_with_one_message_and_leaves_no_backup()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("replace aws-auth", applied: false, exhausted: true);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Failed, outcome.Status);
        Assert.Contains("no answer confirmed the write", outcome.Error, StringComparison.Ordinal);
        Assert.EndsWith("re-reading aws-auth shows the change is not there: nothing was written", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Dev.Arn, Roles(fake));
        Assert.Empty(BackupsIn(fake));
    }

    [Fact]
    public async Task Giving_up_on_a_write_that_landed_still_reports_the_success_seen_on_the_server()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("replace aws-auth", applied: true, exhausted: true);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.True(outcome.ConfirmedByRereading);
        Assert.Single(BackupsIn(fake));
    }

    [Fact]
    public async Task When_the_re_read_fails_too_the_outcome_is_called_unknown_never_a_success()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("replace aws-auth", applied: true, meanwhile: c => c.FailReads = new ClusterUnreachableException("fake: cannot reach the API server"));

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Failed, outcome.Status);
        Assert.Contains("re-reading aws-auth to check failed too: fake: cannot reach the API server", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("may or may not have been applied", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_aws_auth_with_a_lost_answer_is_confirmed_by_re_reading()
    {
        var fake = new FakeClusterClient();
        var client = new LossyClient(fake);
        client.Lose("create aws-auth", applied: true);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.True(outcome.ConfirmedByRereading);
        Assert.Equal([Dev.Arn], Roles(fake));
    }

    [Fact]
    public async Task A_backup_whose_answer_was_lost_is_not_stored_twice()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("create " + Backups.Prefix, applied: true);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        var backup = Assert.Single(BackupsIn(fake));
        Assert.Equal(outcome.BackupName, backup.Name);
        Assert.Equal(Backups.Name(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero)), backup.Name); // no "-1" suffix
    }

    [Fact]
    public async Task A_backup_whose_create_did_not_land_is_created_once_under_its_name()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("create " + Backups.Prefix, applied: false);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.Single(BackupsIn(fake));
    }

    [Fact]
    public async Task A_backup_name_taken_by_another_writer_while_the_answer_was_lost_takes_the_next_suffix()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var name = Backups.Name(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var client = new LossyClient(fake);
        client.Lose("create " + Backups.Prefix, applied: false, exhausted: true, meanwhile: c => c.Put(new ConfigMapObject(name, "kube-system", [new("other", "writer")], [new(Backups.Label, "aws-auth")], [])));

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.Equal(name + "-1", outcome.BackupName);
        Assert.Equal(2, BackupsIn(fake).Count);
    }

    [Fact]
    public async Task A_backup_never_stored_after_the_client_gave_up_stops_the_write()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake);
        client.Lose("create " + Backups.Prefix, applied: false, exhausted: true);

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Failed, outcome.Status);
        Assert.StartsWith("fake: cannot store the backup ConfigMap kube-system/" + Backups.Prefix, outcome.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Dev.Arn, Roles(fake));
        Assert.Empty(BackupsIn(fake));
    }

    [Fact]
    public async Task A_write_refused_by_the_server_leaves_no_backup()
    {
        var fake = new FakeClusterClient();
        fake.PutAwsAuth(LiveRoles);
        var client = new LossyClient(fake) { Refuse = new ClusterException("fake: 422 Invalid: too long", 422) };

        var outcome = await new Applier(client, Options()).RunAsync(Upsert(Dev), default);

        Assert.Equal(ApplyStatus.Failed, outcome.Status);
        Assert.Equal("fake: 422 Invalid: too long", outcome.Error);
        Assert.Empty(BackupsIn(fake));
    }

    /// <summary>A fake cluster whose next matching write loses its answer (applied or not), optionally while another writer acts.</summary>
    private sealed class LossyClient(FakeClusterClient inner) : IClusterClient
    {
        private readonly Queue<(string Prefix, bool Applied, bool Exhausted, Action<FakeClusterClient>? Meanwhile)> losses = [];

        public string Name => inner.Name;

        /// <summary>Every replace of aws-auth fails with this.</summary>
        public ClusterException? Refuse { get; init; }

        public void Lose(string operationPrefix, bool applied, bool exhausted = false, Action<FakeClusterClient>? meanwhile = null) =>
            losses.Enqueue((operationPrefix, applied, exhausted, meanwhile));

        public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => inner.GetConfigMapAsync(ns, name, cancellationToken);

        public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) => inner.ListConfigMapsAsync(ns, labelSelector, cancellationToken);

        public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) =>
            WriteAsync("create " + configMap.Name, () => inner.CreateConfigMapAsync(configMap, mode, cancellationToken));

        public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) =>
            Refuse is not null && configMap.Name == "aws-auth" ? Task.FromException<ConfigMapObject>(Refuse) : WriteAsync("replace " + configMap.Name, () => inner.ReplaceConfigMapAsync(configMap, mode, cancellationToken));

        public Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken) => inner.DeleteConfigMapAsync(ns, name, uid, cancellationToken);

        public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) => inner.ListRbacJsonAsync(kind, cancellationToken);

        public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) => inner.WhoAmIAsync(cancellationToken);

        private async Task<ConfigMapObject> WriteAsync(string operation, Func<Task<ConfigMapObject>> write)
        {
            if (!losses.TryPeek(out var loss) || !operation.StartsWith(loss.Prefix, StringComparison.Ordinal))
            {
                return await write();
            }

            losses.Dequeue();
            if (loss.Applied)
            {
                await write();
            }
            else
            {
                inner.Log.Add(operation + " (lost before it arrived)");
            }

            loss.Meanwhile?.Invoke(inner);
            throw new ClusterWriteUnconfirmedException("fake: no answer confirmed the write (connection reset)", loss.Exhausted);
        }
    }
}
