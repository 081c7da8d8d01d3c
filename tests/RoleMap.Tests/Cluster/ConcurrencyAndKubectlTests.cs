using System.Diagnostics;
using RoleMap.Apply;
using RoleMap.AwsAuth;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// Several rolemap processes writing at once lose nothing; and the test API server answers the real kubectl the way
/// a Kubernetes API server does (get, create, replace, their errors), so the other tests can trust it.
/// </summary>
[Collection("cluster")]
public sealed class ConcurrencyAndKubectlTests(ClusterFixture cluster)
{
    private const string Admin = "arn:aws:iam::111122223333:role/Admin";

    [Fact]
    public async Task Concurrent_processes_upserting_different_entries_lose_nothing()
    {
        await cluster.SeedAsync("- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n");
        const int writers = 6;
        var processes = Enumerable.Range(0, writers)
            .Select(i => ClusterFixture.StartProcess("upsert", "role", "arn:aws:iam::111122223333:role/team-" + i, "--group", "team-" + i, "--yes", "--as-arn", Admin, "--kubeconfig", cluster.Kubeconfig, "--context", cluster.Context))
            .ToList();
        var results = await Task.WhenAll(processes.Select(async p =>
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(timeout.Token);
            return (p.ExitCode, Stdout: await stdout, Stderr: await stderr);
        }));
        foreach (var process in processes)
        {
            process.Dispose();
        }

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr));
        var live = (await cluster.AwsAuthAsync())!;
        var arns = AwsAuthParser.ParseData(live.Data, null, "live").Effective.Roles.Select(r => r.Arn).ToList();
        Assert.Equal(writers + 1, arns.Count);
        Assert.All(Enumerable.Range(0, writers), i => Assert.Contains("arn:aws:iam::111122223333:role/team-" + i, arns));

        // One backup per successful write: the backups of attempts that lost a conflict were removed again.
        var client = cluster.Client();
        Assert.Equal(writers, Backups.Describe(await client.ListConfigMapsAsync("kube-system", Backups.Selector, default)).Count);
        (client as IDisposable)?.Dispose();
    }

    [KubectlFact]
    public async Task Kubectl_gets_creates_and_replaces_against_the_test_server()
    {
        await cluster.SeedAsync("- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n");

        var get = Kubectl("get", "configmap", "aws-auth", "-n", "kube-system", "-o", "json");
        Assert.Equal(0, get.ExitCode);
        var json = JsonNodes.Parse(get.Stdout);
        Assert.Equal("ConfigMap", json["kind"]!.GetValue<string>());
        Assert.StartsWith("- rolearn: " + Admin, json["data"]!["mapRoles"]!.GetValue<string>(), StringComparison.Ordinal);

        var manifest = cluster.Path("kubectl-cm.yaml");
        File.WriteAllText(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth-backup-from-kubectl\n  namespace: kube-system\n  labels:\n    rolemap/backup-of: aws-auth\ndata:\n  a: b\n");
        Assert.Equal(0, Kubectl("create", "-f", manifest).ExitCode);
        var again = Kubectl("create", "-f", manifest);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Error from server (AlreadyExists): error when creating", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("configmaps \"aws-auth-backup-from-kubectl\" already exists", again.Stderr, StringComparison.Ordinal);

        // rolemap sees what kubectl created (the label makes it look like a backup).
        Assert.Contains("aws-auth-backup-from-kubectl", cluster.Run("backups").Stdout, StringComparison.Ordinal);

        var stale = cluster.Path("kubectl-stale.yaml");
        File.WriteAllText(stale, Kubectl("get", "configmap", "aws-auth", "-n", "kube-system", "-o", "yaml").Stdout.Replace("username: admin", "username: admin2", StringComparison.Ordinal));
        Assert.Equal(0, cluster.Run("upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", "--as-arn", Admin).ExitCode);
        var conflict = Kubectl("replace", "-f", stale);
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("Error from server (Conflict): error when replacing", conflict.Stderr, StringComparison.Ordinal);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", conflict.Stderr, StringComparison.Ordinal);

        var fresh = Kubectl("get", "configmap", "aws-auth", "-n", "kube-system", "-o", "yaml").Stdout.Replace("username: admin\n", "username: admin2\n", StringComparison.Ordinal);
        File.WriteAllText(stale, fresh);
        Assert.Equal(0, Kubectl("replace", "-f", stale).ExitCode);
        Assert.Contains("admin2", (await cluster.AwsAuthAsync())!.Data[0].Value, StringComparison.Ordinal);

        var missing = Kubectl("get", "configmap", "nope", "-n", "kube-system");
        Assert.Contains("Error from server (NotFound): configmaps \"nope\" not found", missing.Stderr, StringComparison.Ordinal);

        var invalid = cluster.Path("kubectl-invalid.yaml");
        File.WriteAllText(invalid, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  namespace: kube-system\ndata:\n  a: b\n");
        Assert.Contains("The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"", Kubectl("create", "-f", invalid).Stderr, StringComparison.Ordinal);

        var forbidden = Kubectl("--context", "reader", "delete", "configmap", "aws-auth-backup-from-kubectl", "-n", "kube-system");
        Assert.Contains("Error from server (Forbidden): configmaps \"aws-auth-backup-from-kubectl\" is forbidden: User \"reader\" cannot delete resource \"configmaps\"", forbidden.Stderr, StringComparison.Ordinal);

        Assert.NotNull(JsonNodes.Parse(Kubectl("get", "clusterroles", "-o", "json").Stdout)["items"]!.AsArray());
        Assert.Contains(Admin, Kubectl("auth", "whoami", "-o", "json").Stdout, StringComparison.Ordinal);
    }

    private (int ExitCode, string Stdout, string Stderr) Kubectl(params string[] args)
    {
        var info = new ProcessStartInfo(KubectlFactAttribute.Kubectl!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["KUBECONFIG"] = cluster.Kubeconfig;
        info.Environment["HOME"] = cluster.Directory;
        foreach (var arg in args.Append("--cache-dir").Append(cluster.Path("kube-cache")))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit(60_000);
        return (process.ExitCode, stdout.Result, stderr);
    }
}
