using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.Cli;

/// <summary>
/// aws-auth read from the one cluster the kubeconfig options select (<c>--kubeconfig</c>, <c>--context</c>), as the
/// authenticator reads it: <c>access-entries plan live</c>, <c>access-entries mode API</c>, <c>report --aws-auth cluster</c>.
/// </summary>
/// <param name="Context">The kubeconfig context read.</param>
/// <param name="SourceName">The name findings and plans give it: <c>CONTEXT:kube-system/aws-auth</c>.</param>
/// <param name="Live">The object (null when it does not exist) and its parsed data.</param>
internal sealed record ClusterAwsAuth(string Context, string SourceName, Apply.LiveAwsAuth Live)
{
    /// <param name="option">The option or word that asked for it, for messages (<c>live</c>, <c>--aws-auth</c>).</param>
    /// <param name="purpose">What reads it, for the message when several contexts are given ("'live' plans", "--aws-auth cluster reads").</param>
    public static ClusterAwsAuth Read(CliIO io, ParseResult parse, Cluster.ClusterOptions cluster, string option, string purpose)
    {
        var clients = Cluster.ClusterConnector.Connect(io, parse, cluster);
        if (clients.Count != 1)
        {
            throw new InputException(purpose + " one cluster at a time; give a single --context", new SourceLocation(option));
        }

        var client = clients[0];
        var configMap = client.GetConfigMapAsync(ConfigMapDocument.KubeSystem, ConfigMapDocument.AwsAuthName, CancellationToken.None).GetAwaiter().GetResult();
        var name = client.Name + ":" + ConfigMapDocument.KubeSystem + "/" + ConfigMapDocument.AwsAuthName;
        return new ClusterAwsAuth(client.Name, name, Apply.LiveAwsAuth.From(configMap, name));
    }
}
