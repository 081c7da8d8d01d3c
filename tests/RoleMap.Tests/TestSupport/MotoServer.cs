using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace RoleMap.Tests.TestSupport;

/// <summary>
/// moto in server mode (<c>python3 -m moto.server -p PORT</c>) for IAM and STS, started once for the test
/// collection "moto" on a free loopback port and stopped at the end. <see cref="Environment"/> points rolemap
/// (CliIO.Environment) and boto3 at it. When python3 or moto is missing the fixture does not start and the tests
/// (marked <c>[RequiresToolFact("python3:moto")]</c>) are skipped with the reason, or fail under ROLEMAP_CI=1.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Account = "123456789012";
    private Process? process;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public bool Started => process is not null;

    /// <summary>Endpoints of IAM and STS at moto, fake credentials (moto does not check signatures) and no metadata service.</summary>
    public Dictionary<string, string> Environment => new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_IAM"] = Url.AbsoluteUri,
        ["AWS_ENDPOINT_URL_STS"] = Url.AbsoluteUri,
        ["AWS_ACCESS_KEY_ID"] = "AKIAMOTO000000000001",
        ["AWS_SECRET_ACCESS_KEY"] = "moto-secret",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
    };

    public async Task InitializeAsync()
    {
        if (Tools.MissingReason("python3:moto") is not null)
        {
            return;
        }

        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = new ProcessStartInfo(Tools.Find("python3")!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Url = new Uri("http://127.0.0.1:" + port + "/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 150; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "moto-api/"));
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("moto.server exited with code " + process.ExitCode);
                }

                await Task.Delay(200);
            }
        }

        throw new TimeoutException("moto.server did not answer on " + Url + " within 30 s");
    }

    public Task DisposeAsync()
    {
        if (process is not null && !process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs a boto3 script against moto (IAM and STS there), e.g. to create roles; fails the test on error.</summary>
    public void Boto3(string script)
    {
        var environment = Environment;
        environment["MOTO_URL"] = Url.AbsoluteUri;
        var (code, _, stderr) = Tools.Run(Tools.Require("python3:moto"), ["-c", "import os, boto3\niam = boto3.client('iam', endpoint_url=os.environ['MOTO_URL'], region_name='us-east-1')\n" + script], environment: environment);
        Assert.True(code == 0, "boto3 script failed: " + stderr);
    }
}

[CollectionDefinition("moto")]
public sealed class MotoCollection : ICollectionFixture<MotoServer>;
