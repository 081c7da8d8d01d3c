using System.Diagnostics;
using System.Text.Json.Nodes;
using RoleMap.Apply;
using RoleMap.Cli;
using RoleMap.Cli.Cluster;
using RoleMap.Cluster;
using RoleMap.TestApiServer;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// The cluster the integration tests run against: the in-process Kubernetes API test server, or a real cluster when
/// ROLEMAP_TEST_KUBECONFIG names a kubeconfig (ROLEMAP_TEST_CONTEXT picks its context). The tests rewrite and delete
/// kube-system/aws-auth and its backups there, so use a disposable cluster (kind, k3d), never a real EKS cluster.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static string? RealKubeconfig => Environment.GetEnvironmentVariable("ROLEMAP_TEST_KUBECONFIG") is { Length: > 0 } path ? path : null;

    public KubeApiServer? Server { get; private set; }

    public string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rolemap-cluster-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public string Kubeconfig { get; private set; } = string.Empty;

    public string Context { get; private set; } = "test";

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (RealKubeconfig is { } real)
        {
            Kubeconfig = real;
            Context = Environment.GetEnvironmentVariable("ROLEMAP_TEST_CONTEXT") is { Length: > 0 } context ? context : CurrentContext(real);
        }
        else
        {
            Server = new KubeApiServer();
            Server.AddUser(new TestUser("reader-token", "reader", ["readers", "system:authenticated"], new Dictionary<string, string>(), ["get *", "list *"]));

            // An administrator the cluster knows by name only (a certificate user, as on kind): no IAM ARN to check.
            Server.AddUser(new TestUser("certadmin-token", "kubernetes-admin", ["system:masters", "system:authenticated"], new Dictionary<string, string>(), ["*"]));
            await Server.StartAsync();
            Kubeconfig = Path("kubeconfig");
            await File.WriteAllTextAsync(Kubeconfig, Server.Kubeconfig());
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>A client for the cluster, through the CLI's own connector.</summary>
    public IClusterClient Client() => ClusterConnector.Connect(Io(), Kubeconfig, [Context], false, TimeSpan.FromSeconds(30))[0];

    /// <summary>Removes aws-auth and every rolemap backup.</summary>
    public async Task ResetAsync()
    {
        var client = Client();
        foreach (var backup in await client.ListConfigMapsAsync("kube-system", Backups.Selector, default))
        {
            await client.DeleteConfigMapAsync("kube-system", backup.Name, null, default);
        }

        if (await client.GetConfigMapAsync("kube-system", "aws-auth", default) is not null)
        {
            await client.DeleteConfigMapAsync("kube-system", "aws-auth", null, default);
        }

        (client as IDisposable)?.Dispose();
    }

    public async Task<ConfigMapObject> SeedAsync(string mapRoles, string? mapUsers = null)
    {
        await ResetAsync();
        var data = new List<KeyValuePair<string, string>> { new("mapRoles", mapRoles) };
        if (mapUsers is not null)
        {
            data.Add(new("mapUsers", mapUsers));
        }

        var client = Client();
        var created = await client.CreateConfigMapAsync(new ConfigMapObject("aws-auth", "kube-system", data, [], []), WriteMode.Commit, default);
        (client as IDisposable)?.Dispose();
        return created;
    }

    public async Task<ConfigMapObject?> AwsAuthAsync()
    {
        var client = Client();
        var result = await client.GetConfigMapAsync("kube-system", "aws-auth", default);
        (client as IDisposable)?.Dispose();
        return result;
    }

    /// <summary>Runs the CLI in-process against this cluster.</summary>
    public CliRun Run(params string[] args) => RunWith(null, args);

    public CliRun RunWith(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        TestSupport.Cli.RunIn(Repo.Root, string.Empty, environment, [.. args, "--kubeconfig", Kubeconfig, "--context", Context]);

    /// <summary>Runs the built rolemap executable as a separate process.</summary>
    public static Process StartProcess(params string[] args)
    {
        var info = new ProcessStartInfo(System.IO.Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "rolemap.exe" : "rolemap"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private CliIO Io() => new() { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, WorkingDirectory = Directory };

    private static string CurrentContext(string kubeconfig) =>
        File.ReadAllLines(kubeconfig).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("current-context:", StringComparison.Ordinal))?["current-context:".Length..].Trim().Trim('"') ?? "default";
}

[CollectionDefinition("cluster")]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;

/// <summary>A test that needs the in-process test server (its extra users or its request log); skipped on a real cluster.</summary>
public sealed class TestServerFactAttribute : FactAttribute
{
    /// <param name="tools">Other tools the test needs (as <see cref="RequiresToolFactAttribute"/>): skipped with the reason where one is missing.</param>
    public TestServerFactAttribute(params string[] tools)
    {
        if (ClusterFixture.RealKubeconfig is not null)
        {
            Skip = "needs the in-process test API server (ROLEMAP_TEST_KUBECONFIG is set)";
        }
        else if (Tools.SkipFor(tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test of the test server's fidelity with the real kubectl; skipped when kubectl is not on PATH.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (ClusterFixture.RealKubeconfig is not null)
        {
            Skip = "checks the test API server, not a real cluster";
        }
        else if (Kubectl is null)
        {
            Skip = "kubectl is not on PATH";
        }
    }

    public static string? Kubectl { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => System.IO.Path.Combine(d, OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl"))
        .FirstOrDefault(File.Exists);
}

internal static class JsonNodes
{
    public static JsonObject Parse(string text) => (JsonObject)JsonNode.Parse(text)!;
}
