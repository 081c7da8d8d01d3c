using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RoleMap.TestApiServer;

// rolemap-test-apiserver [--port N] [--kubeconfig-out FILE] [--seed-example] [--contexts N] [fault options]
// Serves until interrupted; prints the URL and writes a kubeconfig whose current context "test" is cluster admin
// (with --contexts N, also contexts test-1 .. test-N, the same admin on the same server, to play a fleet).
// Fault options (each API request draws once, seeded): --fault-429 P, --fault-503 P, --fault-500 P,
// --fault-drop-after-write P (writes only: stored, then the connection dropped), --retry-after SECONDS (for 429/503),
// --fault-seed N, --latency-ms MS (added to every answer).
var port = 0;
string? kubeconfigOut = null;
var seed = false;
var contexts = 0;
var faults = FaultOptions.None;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--kubeconfig-out" when i + 1 < args.Length:
            kubeconfigOut = args[++i];
            break;
        case "--seed-example":
            seed = true;
            break;
        case "--contexts" when i + 1 < args.Length:
            contexts = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--fault-429" when i + 1 < args.Length:
            faults = faults with { TooManyRequests = double.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--fault-503" when i + 1 < args.Length:
            faults = faults with { Unavailable = double.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--fault-500" when i + 1 < args.Length:
            faults = faults with { InternalError = double.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--fault-drop-after-write" when i + 1 < args.Length:
            faults = faults with { DropAfterWrite = double.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--retry-after" when i + 1 < args.Length:
            faults = faults with { RetryAfterSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--fault-seed" when i + 1 < args.Length:
            faults = faults with { Seed = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--latency-ms" when i + 1 < args.Length:
            faults = faults with { Latency = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture)) };
            break;
        default:
            await Console.Error.WriteLineAsync("usage: rolemap-test-apiserver [--port N] [--kubeconfig-out FILE] [--seed-example] [--contexts N] [--fault-429 P] [--fault-503 P] [--fault-500 P] [--fault-drop-after-write P] [--retry-after SECONDS] [--fault-seed N] [--latency-ms MS]").ConfigureAwait(false);
            return 2;
    }
}

await using var server = new KubeApiServer();
server.AddUser(new TestUser("reader-token", "reader", ["readers", "system:authenticated"], new Dictionary<string, string>(), ["get *", "list *"]));
await server.StartAsync(port).ConfigureAwait(false);
if (seed)
{
    // What EKS writes for a managed node group, plus the admin role the "test" context presents.
    server.Put("configmaps", "kube-system", "aws-auth", new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["mapRoles"] = "- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: arn:aws:iam::111122223333:role/eks-node-group\n  username: system:node:{{EC2PrivateDNSName}}\n"
                + "- rolearn: " + KubeApiServer.AdminArn + "\n  username: admin\n  groups:\n  - system:masters\n",
        },
    });
}

server.Faults = faults;
if (kubeconfigOut is not null)
{
    await File.WriteAllTextAsync(kubeconfigOut, server.Kubeconfig(fleet: contexts)).ConfigureAwait(false);
}

Console.WriteLine("rolemap test API server listening on " + server.Url + (kubeconfigOut is null ? string.Empty : "; kubeconfig written to " + kubeconfigOut));
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

// Ctrl+C and kill (SIGTERM) both stop the server.
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
