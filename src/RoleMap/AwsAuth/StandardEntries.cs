namespace RoleMap.AwsAuth;

/// <summary>
/// The usernames and groups EKS expects for its own principals (EKS User Guide: auth-configmap, windows-support,
/// pod-execution-role, hybrid-nodes-cluster-prep; eksctl's RoleNodeGroupUsername/Groups).
/// </summary>
public static class StandardEntries
{
    public const string NodeUsername = "system:node:{{EC2PrivateDNSName}}";
    public const string SessionNodeUsername = "system:node:{{SessionName}}";
    public const string Bootstrappers = "system:bootstrappers";
    public const string Nodes = "system:nodes";
    public const string NodeProxier = "system:node-proxier";
    public const string KubeProxyWindows = "eks:kube-proxy-windows";
    public const string Masters = "system:masters";

    public static string Username(EntryKind kind) => kind switch
    {
        EntryKind.LinuxNode or EntryKind.WindowsNode => NodeUsername,
        EntryKind.Fargate or EntryKind.HybridNode => SessionNodeUsername,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "custom entries have no standard username"),
    };

    public static IReadOnlyList<string> Groups(EntryKind kind) => kind switch
    {
        EntryKind.LinuxNode or EntryKind.HybridNode => [Bootstrappers, Nodes],
        EntryKind.WindowsNode => [Bootstrappers, Nodes, KubeProxyWindows],
        EntryKind.Fargate => [Bootstrappers, Nodes, NodeProxier],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "custom entries have no standard groups"),
    };

    /// <summary>Human name of a kind for messages.</summary>
    public static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.LinuxNode => "Linux node role",
        EntryKind.WindowsNode => "Windows node role",
        EntryKind.Fargate => "Fargate pod execution role",
        EntryKind.HybridNode => "hybrid node role",
        _ => "role",
    };

    /// <summary>Recognises a standard principal from an existing entry, as eksctl's migrator does.</summary>
    public static EntryKind Classify(MapEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Username == NodeUsername)
        {
            return entry.Groups.Contains(KubeProxyWindows, StringComparer.Ordinal) ? EntryKind.WindowsNode : EntryKind.LinuxNode;
        }

        if (entry.Username == SessionNodeUsername && entry.Groups.Contains(Nodes, StringComparer.Ordinal))
        {
            return entry.Groups.Contains(NodeProxier, StringComparer.Ordinal) ? EntryKind.Fargate : EntryKind.HybridNode;
        }

        return EntryKind.Custom;
    }
}
