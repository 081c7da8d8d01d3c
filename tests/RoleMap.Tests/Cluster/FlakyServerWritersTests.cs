using System.Text.Json.Nodes;
using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.TestApiServer;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// Several rolemap processes and a foreign writer change aws-auth at once on an API server that answers 429 and 503
/// with Retry-After, 500 without, and drops connections after handling writes (seeded faults). Nothing is lost,
/// every success is on the server, every failure is one clear message, and each write leaves at most one backup.
/// </summary>
public sealed class FlakyServerWritersTests : IAsyncLifetime
{
    private const string Admin = "arn:aws:iam::111122223333:role/Admin";
    private KubeApiServer Server { get; } = new();
    private readonly string directory = Path.Combine(Path.GetTempPath(), "rolemap-flaky-" + Guid.NewGuid().ToString("N")[..8]);
    private string kubeconfig = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        await Server.StartAsync();
        kubeconfig = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, Server.Kubeconfig());
        Server.Put("configmaps", "kube-system", "aws-auth", new JsonObject { ["data"] = new JsonObject { ["mapRoles"] = "- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n" } });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [TestServerFact]
    public async Task Concurrent_writers_under_faults_lose_nothing_and_claim_only_what_is_on_the_server()
    {
        Server.Faults = new FaultOptions { Seed = 16, TooManyRequests = 0.08, Unavailable = 0.06, InternalError = 0.06, DropAfterWrite = 0.15, RetryAfterSeconds = 0 };
        const int writers = 6;
        var processes = Enumerable.Range(0, writers)
            .Select(i => ClusterFixture.StartProcess("upsert", "role", "arn:aws:iam::111122223333:role/team-" + i, "--group", "team-" + i, "--yes", "--as-arn", Admin, "--kubeconfig", kubeconfig, "--context", "test"))
            .ToList();

        // Another controller adds its own entries meanwhile, each change in one step (as its own guarded update would).
        var foreign = new List<string>();
        using var stop = new CancellationTokenSource();
        var foreignWriter = Task.Run(async () =>
        {
            for (var k = 0; !stop.IsCancellationRequested && k < 40; k++)
            {
                var arn = "arn:aws:iam::111122223333:role/foreign-" + k;
                Server.Update("configmaps", "kube-system", "aws-auth", cm =>
                {
                    cm["data"]!["mapRoles"] = cm["data"]!["mapRoles"]!.GetValue<string>() + "- rolearn: " + arn + "\n  username: foreign\n  groups:\n  - foreign\n";
                    return cm;
                });
                foreign.Add(arn);
                await Task.Delay(15);
            }
        });

        var results = await Task.WhenAll(processes.Select(async (p, i) =>
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await p.WaitForExitAsync(timeout.Token);
            return (Index: i, p.ExitCode, Stdout: await stdout, Stderr: await stderr);
        }));
        await stop.CancelAsync();
        await foreignWriter;
        foreach (var process in processes)
        {
            process.Dispose();
        }

        Server.ClearFaults();
        var live = Server.Get("configmaps", "kube-system", "aws-auth")!;
        var arns = AwsAuthParser.ParseData([new("mapRoles", live["data"]!["mapRoles"]!.GetValue<string>())], null, "live").Effective.Roles.Select(r => r.Arn).ToList();

        // Nothing lost: the administrator and every foreign entry are still there.
        Assert.Contains(Admin, arns);
        Assert.All(foreign, arn => Assert.Contains(arn, arns));
        foreach (var result in results)
        {
            var arn = "arn:aws:iam::111122223333:role/team-" + result.Index;
            var messages = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("rolemap: note: ", StringComparison.Ordinal)).ToList();
            if (result.ExitCode == 0)
            {
                // Every success is on the Server.
                Assert.True(arns.Contains(arn), "writer " + result.Index + " reported success but its entry is not there:\n" + result.Stdout + result.Stderr);
                Assert.True(messages.Count == 0, "writer " + result.Index + " succeeded with messages:\n" + result.Stderr);
            }
            else
            {
                // Every failure is one clear message.
                Assert.True(result.ExitCode == 2 && messages.Count == 1 && messages[0].StartsWith("rolemap: test: ", StringComparison.Ordinal), "writer " + result.Index + " failed without one clear message:\n" + result.Stdout + result.Stderr);
            }
        }

        Assert.Equal(arns.Count, arns.Distinct(StringComparer.Ordinal).Count());
        var backups = Backups.Describe(ListBackups());
        var report = string.Join("\n----\n", results.Select(r => "writer " + r.Index + ": exit " + r.ExitCode + "\n" + r.Stdout + r.Stderr)) + "\nbackups: " + string.Join(", ", backups.Select(b => b.Name));
        Assert.True(backups.Count >= results.Count(r => r.ExitCode == 0) && backups.Count <= writers, "one backup per successful write, none per failed one:\n" + report);
        Assert.True(Server.Requests.Any(r => r.Fault is not null), "no fault was injected");
    }

    private List<RoleMap.Cluster.ConfigMapObject> ListBackups()
    {
        var io = new RoleMap.Cli.CliIO { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, WorkingDirectory = directory };
        var client = RoleMap.Cli.Cluster.ClusterConnector.Connect(io, kubeconfig, ["test"], false, TimeSpan.FromSeconds(30))[0];
        try
        {
            return [.. client.ListConfigMapsAsync("kube-system", Backups.Selector, default).GetAwaiter().GetResult()];
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }
    }
}
