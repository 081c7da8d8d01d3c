using k8s;
using RoleMap.Apply;
using RoleMap.Cli.Cluster;
using RoleMap.Cluster;
using RoleMap.TestApiServer;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// The retry policy of the cluster client, over HTTPS against the test API server's injected faults: what is retried
/// (429 and 5xx with Retry-After, 500/502/503/504, resets, answers that end early), how long it waits (as told,
/// capped; exponential backoff with jitter), when it gives up (attempts, deadline) and with what message, and how a
/// write whose answer was lost is handed to the applier instead of being reported as a conflict. Delays are recorded,
/// not slept.
/// </summary>
[Collection("cluster")]
public sealed class RetryTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string Admin = "arn:aws:iam::111122223333:role/Admin";
    private const string Roles = "- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n";
    private static readonly string[] AsAdmin = ["--as-arn", Admin];

    private readonly List<TimeSpan> delays = [];
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));

    private KubeApiServer Server => cluster.Server!;

    public Task InitializeAsync() => cluster.SeedAsync(Roles);

    public Task DisposeAsync()
    {
        cluster.Server?.ClearFaults();
        return Task.CompletedTask;
    }

    private RetryPolicy Policy(TimeSpan? deadline = null) => new()
    {
        Time = time,
        Random = () => 0.5,
        Deadline = deadline ?? TimeSpan.FromSeconds(90),
        Delay = (delay, _) =>
        {
            delays.Add(delay);
            time.Advance(delay);
            return Task.CompletedTask;
        },
    };

    private KubernetesClusterClient Client(RetryPolicy policy, string? kubeconfig = null, string context = "test")
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig ?? cluster.Kubeconfig, context);
        config.HttpClientTimeout = TimeSpan.FromSeconds(30);
        return new KubernetesClusterClient("test", KubernetesConnection.Create(config), "kubeconfig user 'test'", policy);
    }

    private int Requests(string method, string pathEnd, int since = 0) => Server.Requests.Skip(since).Count(r => r.Method == method && r.Path.EndsWith(pathEnd, StringComparison.Ordinal));

    [TestServerFact]
    public async Task Too_many_requests_waits_as_the_server_says_and_retries()
    {
        Server.Inject(new Fault(FaultKind.TooManyRequests, "GET", "aws-auth", RetryAfterSeconds: 3));
        using var client = Client(Policy());

        var configMap = await client.GetConfigMapAsync("kube-system", "aws-auth", default);

        Assert.NotNull(configMap);
        Assert.Equal([TimeSpan.FromSeconds(3)], delays);
        var retried = Assert.Single(client.Retries);
        Assert.Equal("get configmaps/aws-auth in namespace kube-system: attempt 1: 429 TooManyRequests (Too many requests, please try again later.), retried after 3.0 s (Retry-After); attempt 2 succeeded", retried);
    }

    [TestServerFact]
    public async Task A_retry_after_beyond_the_cap_waits_only_the_cap()
    {
        Server.Inject(new Fault(FaultKind.Unavailable, "GET", "aws-auth", RetryAfterSeconds: 600));
        var policy = Policy();
        using var client = Client(policy);

        Assert.NotNull(await client.GetConfigMapAsync("kube-system", "aws-auth", default));

        Assert.Equal([policy.MaxRetryAfter], delays);
    }

    [TestServerFact]
    public async Task Unavailable_with_retry_after_is_retried_after_that_time()
    {
        Server.Inject(new Fault(FaultKind.Unavailable, "GET", "aws-auth", RetryAfterSeconds: 1), new Fault(FaultKind.Unavailable, "GET", "aws-auth", RetryAfterSeconds: 2));
        using var client = Client(Policy());

        Assert.NotNull(await client.GetConfigMapAsync("kube-system", "aws-auth", default));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], delays);
        Assert.Contains("attempt 2: 503 ServiceUnavailable", Assert.Single(client.Retries), StringComparison.Ordinal);
    }

    [TestServerFact]
    public async Task Internal_errors_without_retry_after_back_off_exponentially_with_jitter()
    {
        Server.Inject([.. Enumerable.Repeat(new Fault(FaultKind.InternalError, "GET", "aws-auth"), 3)]);
        var policy = Policy();
        using var client = Client(policy);

        Assert.NotNull(await client.GetConfigMapAsync("kube-system", "aws-auth", default));

        // 250 ms doubling, jitter at 0.5 gives 75 %.
        Assert.Equal([187.5, 375, 750], delays.Select(d => d.TotalMilliseconds));
        Assert.Contains("attempt 1: 500 InternalError (Internal error occurred: etcdserver: request timed out), retried after 0.19 s", Assert.Single(client.Retries), StringComparison.Ordinal);
    }

    [TestServerFact]
    public async Task A_reset_connection_and_an_answer_that_ends_early_are_retried()
    {
        Server.Inject(new Fault(FaultKind.Reset, "GET", "aws-auth"), new Fault(FaultKind.EndEarly, "GET", "aws-auth"));
        using var client = Client(Policy());
        var since = Server.Requests.Count;

        Assert.NotNull(await client.GetConfigMapAsync("kube-system", "aws-auth", default));

        Assert.Equal(2, delays.Count);
        Assert.Equal(3, Requests("GET", "/aws-auth", since));
        Assert.Equal(0, Server.PendingFaults);
    }

    [TestServerFact]
    public async Task Giving_up_says_every_attempt_in_one_message()
    {
        Server.Inject([.. Enumerable.Repeat(new Fault(FaultKind.Unavailable, "GET", "aws-auth", RetryAfterSeconds: 0), 8)]);
        using var client = Client(Policy());

        var ex = await Assert.ThrowsAsync<ClusterException>(() => client.GetConfigMapAsync("kube-system", "aws-auth", default));

        Assert.Equal(503, ex.StatusCode);
        Assert.StartsWith("test: 503 ServiceUnavailable: the server is currently unable to handle the request (while trying to get configmaps/aws-auth in namespace kube-system); gave up after 8 attempts (attempt 1: 503 ServiceUnavailable", ex.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 7: 503 ServiceUnavailable (the server is currently unable to handle the request), retried after 0.0 s (Retry-After); attempt 8: 503", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [TestServerFact]
    public async Task The_deadline_stops_retries_that_would_start_after_it()
    {
        Server.Inject([.. Enumerable.Repeat(new Fault(FaultKind.TooManyRequests, "GET", "aws-auth", RetryAfterSeconds: 3), 3)]);
        using var client = Client(Policy(deadline: TimeSpan.FromSeconds(5)));

        var ex = await Assert.ThrowsAsync<ClusterException>(() => client.GetConfigMapAsync("kube-system", "aws-auth", default));

        Assert.Contains("gave up after 2 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(3)], delays);
    }

    [TestServerFact]
    public async Task Client_errors_are_not_retried()
    {
        using var client = Client(Policy(), context: "reader");
        var since = Server.Requests.Count;

        await Assert.ThrowsAsync<ClusterForbiddenException>(() => client.CreateConfigMapAsync(new ConfigMapObject("x", "kube-system", [], [], []), WriteMode.Commit, default));

        Assert.Equal(1, Requests("POST", "/configmaps", since));
        Assert.Empty(delays);
        Assert.Empty(client.Retries);
    }

    [TestServerFact]
    public async Task A_refused_connection_is_retried_then_reported_with_every_attempt()
    {
        var down = cluster.Path("refused.kubeconfig");
        File.WriteAllText(down, "apiVersion: v1\nkind: Config\nclusters:\n- name: down\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: test\n  context:\n    cluster: down\n    user: down\nusers:\n- name: down\n  user:\n    token: x\n");
        using var client = Client(Policy(), down);

        var ex = await Assert.ThrowsAsync<ClusterUnreachableException>(() => client.GetConfigMapAsync("kube-system", "aws-auth", default));

        Assert.StartsWith("test: cannot reach the API server at https://127.0.0.1:1/: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("; gave up after 3 attempts (attempt 1: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, delays.Count);
    }

    [TestServerFact]
    public async Task A_write_turned_away_with_429_is_retried_as_it_was_not_applied()
    {
        using var client = Client(Policy());
        var current = (await client.GetConfigMapAsync("kube-system", "aws-auth", default))!;
        Server.Inject(new Fault(FaultKind.TooManyRequests, "PUT", "aws-auth", RetryAfterSeconds: 1));

        var written = await client.ReplaceConfigMapAsync(current with { Data = [new("mapRoles", Roles + "# changed\n")] }, WriteMode.Commit, default);

        Assert.NotEqual(current.ResourceVersion, written.ResourceVersion);
        Assert.Equal([TimeSpan.FromSeconds(1)], delays);
    }

    [TestServerFact]
    public async Task A_write_whose_answer_was_lost_is_reported_unconfirmed_not_as_a_conflict()
    {
        using var client = Client(Policy());
        var current = (await client.GetConfigMapAsync("kube-system", "aws-auth", default))!;
        Server.Inject(new Fault(FaultKind.DropAfterWrite, "PUT", "aws-auth"));

        var ex = await Assert.ThrowsAsync<ClusterWriteUnconfirmedException>(() => client.ReplaceConfigMapAsync(current with { Data = [new("mapRoles", Roles + "# changed\n")] }, WriteMode.Commit, default));

        Assert.False(ex.RetriesExhausted);
        Assert.StartsWith("test: no answer confirmed the update configmaps/aws-auth in namespace kube-system (attempt 1: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 2 found the object already changed", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("# changed\n", (await cluster.AwsAuthAsync())!.Data[0].Value, StringComparison.Ordinal); // it had landed
    }

    [TestServerFact]
    public async Task A_write_that_failed_with_500_and_did_not_land_succeeds_on_retry()
    {
        using var client = Client(Policy());
        var current = (await client.GetConfigMapAsync("kube-system", "aws-auth", default))!;
        Server.Inject(new Fault(FaultKind.InternalError, "PUT", "aws-auth"));

        var written = await client.ReplaceConfigMapAsync(current with { Data = [new("mapRoles", Roles + "# changed\n")] }, WriteMode.Commit, default);

        Assert.EndsWith("# changed\n", written.Data[0].Value, StringComparison.Ordinal);
        Assert.Single(delays);
    }

    [TestServerFact]
    public async Task A_delete_whose_answer_was_lost_and_whose_retry_finds_it_gone_succeeded()
    {
        using var client = Client(Policy());
        await client.CreateConfigMapAsync(new ConfigMapObject("to-delete", "kube-system", [], [], []), WriteMode.Commit, default);
        Server.Inject(new Fault(FaultKind.DropAfterWrite, "DELETE", "to-delete"));

        await client.DeleteConfigMapAsync("kube-system", "to-delete", null, default);

        Assert.Null(Server.Get("configmaps", "kube-system", "to-delete"));
        Assert.Contains("found it already deleted", Assert.Single(client.Retries), StringComparison.Ordinal);
    }

    [TestServerFact]
    public void Upsert_whose_answer_was_lost_confirms_by_re_reading_and_keeps_one_backup()
    {
        Server.Inject(new Fault(FaultKind.DropAfterWrite, "PUT", "aws-auth"));
        var since = Server.Requests.Count;

        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", .. AsAdmin]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("the change is there: confirmed by re-reading", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("applied: 1 added, 0 changed, 0 removed; backup aws-auth-backup-", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("; confirmed by re-reading", run.Stdout, StringComparison.Ordinal);
        Assert.Single(Server.Requests.Skip(since), r => r.Method == "PUT" && r.Path.EndsWith("/aws-auth", StringComparison.Ordinal) && r.Status == 200);
        Assert.Contains("arn:aws:iam::111122223333:role/dev", (Live()).Data[0].Value, StringComparison.Ordinal);
        Assert.Single(Server.Requests.Skip(since), r => r.Method == "POST" && r.Path.EndsWith("/configmaps", StringComparison.Ordinal) && r.Status == 201); // one backup
    }

    [TestServerFact]
    public void A_backup_whose_answer_was_lost_is_not_left_twice()
    {
        Server.Inject(new Fault(FaultKind.DropAfterWrite, "POST", "/configmaps"));

        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", .. AsAdmin]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var backups = cluster.Run("backups", "-o", "json").Stdout;
        Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(backups)!.AsArray());
    }

    [TestServerFact]
    public void A_backup_create_given_up_on_after_it_landed_is_found_and_used()
    {
        Server.Inject([.. Enumerable.Repeat(new Fault(FaultKind.DropAfterWrite, "POST", "/configmaps"), 7), new Fault(FaultKind.InternalError, "POST", "/configmaps")]);

        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", .. AsAdmin]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(cluster.Run("backups", "-o", "json").Stdout)!.AsArray());
    }

    [TestServerFact]
    public void A_read_that_succeeds_after_retries_says_so_on_stderr_unless_quiet()
    {
        Server.Inject(new Fault(FaultKind.Unavailable, "GET", "aws-auth", RetryAfterSeconds: 0));
        var run = cluster.Run("get");
        Assert.NotEqual(2, run.ExitCode);
        Assert.StartsWith("rolemap: note: test: retried after transient failures: get configmaps/aws-auth in namespace kube-system: attempt 1: 503 ServiceUnavailable", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("; attempt 2 succeeded\n", run.Stderr, StringComparison.Ordinal);

        Server.Inject(new Fault(FaultKind.Unavailable, "GET", "aws-auth", RetryAfterSeconds: 0));
        var quiet = cluster.Run("get", "--quiet");
        Assert.Equal(run.ExitCode, quiet.ExitCode);
        Assert.Equal(string.Empty, quiet.Stderr);
        Assert.Equal(run.Stdout, quiet.Stdout);
    }

    [TestServerFact]
    public void A_command_that_gives_up_fails_with_one_message()
    {
        Server.Inject([.. Enumerable.Repeat(new Fault(FaultKind.Unavailable, "GET", "aws-auth", RetryAfterSeconds: 0), 8)]);

        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", .. AsAdmin]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("rolemap: test: 503 ServiceUnavailable: ", line, StringComparison.Ordinal);
        Assert.Contains("gave up after 8 attempts", line, StringComparison.Ordinal);
        Assert.DoesNotContain("arn:aws:iam::111122223333:role/dev", (Live()).Data[0].Value, StringComparison.Ordinal);
    }

    private ConfigMapObject Live() => cluster.AwsAuthAsync().GetAwaiter().GetResult()!;
}
