using System.Globalization;
using System.Runtime.InteropServices;
using RoleMap.FakeEks;

// rolemap-fake-eks [--port N] [--region R] [--page-size N] [--seed FILE] [--url-out FILE] [--deny ACTION]...
//   [--credentials ACCESS_KEY:SECRET]... [--no-verify-signatures] [--fault-throttle N] [--fault-500 N] [--fault-503 N]
//   [--fault-drop N] [--retry-after SECONDS]
// Serves until interrupted; prints the URL (and writes it to --url-out). The test key FakeEksServer.AccessKey /
// SecretKey always signs valid requests. Faults: the first N requests get 429 ThrottlingException, 500, 503 or a
// dropped connection, in that order.
var region = "us-east-1";
var port = 0;
var pageSize = 100;
string? seed = null;
string? urlOut = null;
var denied = new List<string>();
var credentials = new List<(string, string)>();
var verify = true;
var faults = new List<EksFault>();
int? retryAfter = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
    int Count() => int.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--port": port = Count(); break;
        case "--region": region = Next(); break;
        case "--page-size": pageSize = Count(); break;
        case "--seed": seed = Next(); break;
        case "--url-out": urlOut = Next(); break;
        case "--deny": denied.Add(Next()); break;
        case "--credentials":
            var pair = Next().Split(':', 2);
            credentials.Add((pair[0], pair.Length > 1 ? pair[1] : string.Empty));
            break;
        case "--no-verify-signatures": verify = false; break;
        case "--fault-throttle": faults.AddRange(Enumerable.Repeat(new EksFault(EksFaultKind.Throttle), Count())); break;
        case "--fault-500": faults.AddRange(Enumerable.Repeat(new EksFault(EksFaultKind.ServerError), Count())); break;
        case "--fault-503": faults.AddRange(Enumerable.Repeat(new EksFault(EksFaultKind.Unavailable), Count())); break;
        case "--fault-drop": faults.AddRange(Enumerable.Repeat(new EksFault(EksFaultKind.Drop), Count())); break;
        case "--retry-after": retryAfter = Count(); break;
        default:
            await Console.Error.WriteLineAsync("usage: rolemap-fake-eks [--port N] [--region R] [--page-size N] [--seed FILE] [--url-out FILE] [--deny eks:ACTION]... [--credentials KEY:SECRET]... [--no-verify-signatures] [--fault-throttle N] [--fault-500 N] [--fault-503 N] [--fault-drop N] [--retry-after SECONDS]").ConfigureAwait(false);
            return 2;
    }
}

await using var server = new FakeEksServer { Region = region, PageSize = pageSize, VerifySignatures = verify };
foreach (var (key, secret) in credentials)
{
    server.Credentials[key] = secret;
}

foreach (var action in denied)
{
    server.Denied.Add(action);
}

if (seed is not null)
{
    server.Seed(await File.ReadAllTextAsync(seed).ConfigureAwait(false));
}

server.Inject([.. faults.Select(f => f with { RetryAfterSeconds = f.Kind == EksFaultKind.Drop ? null : retryAfter })]);
await server.StartAsync(port).ConfigureAwait(false);
if (urlOut is not null)
{
    await File.WriteAllTextAsync(urlOut, server.Url.AbsoluteUri).ConfigureAwait(false);
}

Console.WriteLine("rolemap fake EKS listening on " + server.Url + " (region " + region + ", access key " + FakeEksServer.AccessKey + ")");
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
}

return 0;
