using RoleMap.Cli;
using RoleMap.Cli.Aws;
using RoleMap.Cli.Cluster;
using RoleMap.FakeEks;

namespace RoleMap.Tests.TestSupport;

/// <summary>
/// The fake EKS endpoint for a test, in-process on a free port (tests/RoleMap.FakeEks), seeded with
/// testdata/aws/fake-eks-seed.json (cluster "prod" with five entries, cluster "legacy" in CONFIG_MAP mode), two
/// items per page so that every list crosses pages. <see cref="Environment"/> is what points rolemap at it:
/// AWS_ENDPOINT_URL_EKS, the fake's test key in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION and
/// AWS_EC2_METADATA_DISABLED (so that nothing falls through to the instance metadata service). Use it as an
/// IAsyncLifetime field's owner: <c>await using var eks = await FakeEksEndpoint.StartAsync();</c>.
/// </summary>
public sealed class FakeEksEndpoint : IAsyncDisposable
{
    private FakeEksEndpoint(FakeEksServer server)
    {
        Server = server;
    }

    public FakeEksServer Server { get; }

    public Uri Url => Server.Url;

    /// <summary>The environment that points rolemap (CliIO.Environment) or the aws CLI at the fake with valid credentials.</summary>
    public Dictionary<string, string> Environment => new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_EKS"] = Url.AbsoluteUri,
        ["AWS_ACCESS_KEY_ID"] = FakeEksServer.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = FakeEksServer.SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["HOME"] = System.IO.Path.GetTempPath(),
    };

    public static async Task<FakeEksEndpoint> StartAsync(int pageSize = 2, bool seed = true)
    {
        var server = new FakeEksServer { PageSize = pageSize };
        if (seed)
        {
            server.Seed(await File.ReadAllTextAsync(Repo.TestData("aws", "fake-eks-seed.json")));
        }

        await server.StartAsync();
        return new FakeEksEndpoint(server);
    }

    /// <summary>A retry policy that never waits (the delays asked for are recorded in <paramref name="delays"/>).</summary>
    internal static RetryPolicy NoWaitRetry(List<TimeSpan>? delays = null) => new()
    {
        Delay = (wait, _) =>
        {
            delays?.Add(wait);
            return Task.CompletedTask;
        },
        Random = () => 0.5,
    };

    /// <summary>CliIO with this environment (plus <paramref name="extra"/>; a null value removes a variable).</summary>
    public CliIO Io(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = Environment.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return new CliIO { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, Environment = name => environment.GetValueOrDefault(name) };
    }

    /// <summary>The CLI's own AWS clients for cluster "prod" (or <paramref name="cluster"/>) at the fake.</summary>
    internal AwsSession Session(string cluster = "prod", RetryPolicy? retry = null, IReadOnlyDictionary<string, string?>? extra = null) =>
        AwsConnector.Connect(Io(extra), new AwsTarget(cluster, "us-east-1", null, null), retry ?? NoWaitRetry());

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
