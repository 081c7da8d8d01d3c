using RoleMap.Cli;
using RoleMap.Cli.Cluster;
using RoleMap.Cluster;
using RoleMap.TestApiServer;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// Fleets worked on concurrently print exactly what a run one cluster at a time prints: the per-cluster output, the
/// summary, the notes and errors, in the order of the contexts, whatever order the clusters finish in.
/// </summary>
[Collection("cluster")]
public sealed class FleetTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string Admin = "arn:aws:iam::111122223333:role/Admin";
    private const int Contexts = 6;

    private string fleetKubeconfig = string.Empty;

    public async Task InitializeAsync()
    {
        await cluster.SeedAsync("- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n");
        if (cluster.Server is { } server)
        {
            fleetKubeconfig = cluster.Path("fleet.kubeconfig");
            await File.WriteAllTextAsync(fleetKubeconfig, server.Kubeconfig(fleet: Contexts));
        }
    }

    public Task DisposeAsync()
    {
        cluster.Server?.ClearFaults();
        return Task.CompletedTask;
    }

    private static CliIO Io(StringWriter stdout, StringWriter stderr, bool terminal = false) =>
        new() { In = TextReader.Null, Out = stdout, Error = stderr, ErrorIsTerminal = terminal };

    /// <summary>Clusters that finish in the reverse of their order (the first is the slowest), counting how many ran at once.</summary>
    private static async Task<(int Code, string Stdout, string Stderr, int MostAtOnce)> RunFakeFleetAsync(int parallel, bool terminal = false)
    {
        var clients = new ConnectedClusters([.. Enumerable.Range(1, 5).Select(i => (IClusterClient)new FakeClusterClient("cluster-" + i))], parallel, quiet: false);
        var running = 0;
        var mostAtOnce = 0;
        var gate = new object();
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await Fleet.RunAsync(Io(stdout, stderr, terminal), clients, async (client, ct) =>
        {
            var i = int.Parse(client.Name["cluster-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            lock (gate)
            {
                running++;
                mostAtOnce = Math.Max(mostAtOnce, running);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(40 * (6 - i)), ct);
            lock (gate)
            {
                running--;
            }

            if (i == 4)
            {
                throw new ClusterUnreachableException(client.Name + ": cannot reach the API server");
            }

            return new ClusterResult(client.Name, i == 2 ? ExitCodes.No : ExitCodes.Ok, "output of " + client.Name + "\n", "ok", "detail " + i);
        }, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString(), mostAtOnce);
    }

    [Fact]
    public async Task Concurrent_clusters_print_in_the_order_of_the_contexts_as_one_at_a_time_would()
    {
        var sequential = await RunFakeFleetAsync(parallel: 1);
        var concurrent = await RunFakeFleetAsync(parallel: 5);

        Assert.Equal(1, sequential.MostAtOnce);
        Assert.True(concurrent.MostAtOnce > 1, "the clusters did not run concurrently");
        Assert.Equal(sequential.Stdout, concurrent.Stdout);
        Assert.Equal(sequential.Stderr, concurrent.Stderr);
        Assert.Equal(2, concurrent.Code);
        Assert.StartsWith("== cluster-1 ==\noutput of cluster-1\n== cluster-2 ==\noutput of cluster-2\n== cluster-3 ==\n", concurrent.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nsummary:\nCONTEXT    RESULT  DETAIL\ncluster-1  ok      detail 1\ncluster-2  ok      detail 2\ncluster-3  ok      detail 3\ncluster-4  failed  cluster-4: cannot reach the API server\ncluster-5  ok      detail 5\n", concurrent.Stdout, StringComparison.Ordinal);
        Assert.Equal("rolemap: cluster-4: cannot reach the API server\n", concurrent.Stderr);
    }

    [Fact]
    public async Task On_a_terminal_stderr_shows_progress_and_erases_it()
    {
        var run = await RunFakeFleetAsync(parallel: 3, terminal: true);

        Assert.Contains("\rrolemap: 0/5 clusters done\u001b[K", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("\rrolemap: 5/5 clusters done, 1 failed\u001b[K", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\r\u001b[K" + "rolemap: cluster-4: cannot reach the API server\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_errors_inside_a_cluster_stop_the_fleet_with_the_first_contexts_error()
    {
        var clients = new ConnectedClusters([.. Enumerable.Range(1, 4).Select(i => (IClusterClient)new FakeClusterClient("cluster-" + i))], 4, quiet: false);
        var stdout = new StringWriter();
        var ex = await Assert.ThrowsAsync<RoleMap.Diagnostics.InputException>(() => Fleet.RunAsync(Io(stdout, new StringWriter()), clients, async (client, ct) =>
        {
            await Task.Delay(client.Name == "cluster-2" ? 50 : 1, ct);
            throw new RoleMap.Diagnostics.InputException("bad input in " + client.Name);
        }, CancellationToken.None));

        Assert.Equal("bad input in cluster-1", ex.Message);
        Assert.Equal(string.Empty, stdout.ToString());
    }

    [TestServerFact]
    public void Fleet_commands_print_the_same_bytes_with_parallel_1_and_8()
    {
        var spec = cluster.Path("fleet-spec.yaml");
        File.WriteAllText(spec, "roles:\n- arn: " + Admin + "\n  username: admin\n  groups: [system:masters]\n- arn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups: [developers]\n");
        var contexts = Enumerable.Range(1, Contexts).SelectMany(i => new[] { "--context", "test-" + i }).ToArray();
        string[][] commands =
        [
            ["get"],
            ["get", "-o", "json"],
            ["backups"],
            ["diff", spec],
            ["apply", spec, "--dry-run", "--as-arn", Admin],
            ["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--as-arn", Admin], // not confirmed: each plan is shown
            ["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--as-arn", Admin, "-o", "json"],
        ];

        // Answers a little late, so that clusters overlap.
        cluster.Server!.Faults = new FaultOptions { Latency = TimeSpan.FromMilliseconds(5) };
        foreach (var command in commands)
        {
            var sequential = TestSupport.Cli.Run([.. command, "--kubeconfig", fleetKubeconfig, .. contexts, "--parallel", "1"]);
            var concurrent = TestSupport.Cli.Run([.. command, "--kubeconfig", fleetKubeconfig, .. contexts, "--parallel", "8"]);

            Assert.Equal(sequential.Stdout, concurrent.Stdout);
            Assert.Equal(sequential.Stderr, concurrent.Stderr);
            Assert.Equal(sequential.ExitCode, concurrent.ExitCode);
            Assert.Contains("test-" + Contexts, concurrent.Stdout, StringComparison.Ordinal);
        }
    }

    [TestServerFact]
    public void Credential_plugins_of_a_fleet_run_concurrently()
    {
        // Each context's exec plugin notes when it starts and ends; with --parallel 4 they overlap.
        var server = cluster.Server!;
        var log = cluster.Path("plugin-times.log");
        File.Delete(log);
        var plugin = cluster.Path("slow-plugin.sh");
        File.WriteAllText(plugin, "echo start >> " + log + "\nsleep 0.8\necho end >> " + log + "\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"admin-token\"}}'\n");
        var ca = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(server.CertificateAuthorityPem));
        var config = new System.Text.StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + server.Url.ToString().TrimEnd('/') + "\n    certificate-authority-data: " + ca + "\ncontexts:\n");
        for (var i = 1; i <= 4; i++)
        {
            config.Append("- name: eks-").Append(i).Append("\n  context:\n    cluster: c\n    user: u").Append(i).Append('\n');
        }

        config.Append("users:\n");
        for (var i = 1; i <= 4; i++)
        {
            config.Append("- name: u").Append(i).Append("\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: /bin/sh\n      args:\n      - ").Append(plugin).Append('\n');
        }

        var kubeconfig = cluster.Path("slow-plugins.kubeconfig");
        File.WriteAllText(kubeconfig, config.ToString());

        var run = TestSupport.Cli.Run("get", "--kubeconfig", kubeconfig, "--all-contexts", "--parallel", "4");

        Assert.NotEqual(2, run.ExitCode);
        var events = File.ReadAllLines(log);
        Assert.True(events.TakeWhile(e => e == "start").Count() > 1, "the plugins ran one after another: " + string.Join(' ', events));
        Assert.True(events.Count(e => e == "start") >= 4);
    }

    [TestServerFact]
    public void Parallel_must_be_at_least_one()
    {
        var run = cluster.Run("get", "--parallel", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--parallel must be 1 or more", run.Stderr, StringComparison.Ordinal);
    }

    [TestServerFact]
    public void Parallel_that_is_not_a_number_is_one_message()
    {
        var run = cluster.Run("get", "--parallel", "h");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'h'", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }
}
