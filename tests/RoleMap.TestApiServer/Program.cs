using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RoleMap.TestApiServer;

// rolemap-test-apiserver [--port N] [--kubeconfig-out FILE] [--seed-example]
// Serves until interrupted; prints the URL and writes a kubeconfig whose current context "test" is cluster admin.
var port = 0;
string? kubeconfigOut = null;
var seed = false;
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
        default:
            await Console.Error.WriteLineAsync("usage: rolemap-test-apiserver [--port N] [--kubeconfig-out FILE] [--seed-example]").ConfigureAwait(false);
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

if (kubeconfigOut is not null)
{
    await File.WriteAllTextAsync(kubeconfigOut, server.Kubeconfig()).ConfigureAwait(false);
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
