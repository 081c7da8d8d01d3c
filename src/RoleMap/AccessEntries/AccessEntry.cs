using RoleMap.AwsAuth;

namespace RoleMap.AccessEntries;

/// <summary>The type of an EKS access entry (CreateAccessEntry <c>type</c>). It cannot be changed after creation.</summary>
public enum AccessEntryType
{
    Standard,
    Ec2Linux,
    Ec2Windows,
    FargateLinux,
    HybridLinux,

    /// <summary>EKS Auto Mode custom node classes.</summary>
    Ec2,

    /// <summary>SageMaker HyperPod nodes.</summary>
    HyperpodLinux,
}

/// <summary>The cluster's authentication mode (<c>accessConfig.authenticationMode</c>): which sources EKS consults.</summary>
public enum AuthenticationMode
{
    ConfigMap,
    ApiAndConfigMap,
    Api,
}

/// <summary>Wire names of access entry types and authentication modes, as the EKS API spells them.</summary>
public static class AccessEntryNames
{
    public static string Wire(this AccessEntryType type) => type switch
    {
        AccessEntryType.Standard => "STANDARD",
        AccessEntryType.Ec2Linux => "EC2_LINUX",
        AccessEntryType.Ec2Windows => "EC2_WINDOWS",
        AccessEntryType.FargateLinux => "FARGATE_LINUX",
        AccessEntryType.HybridLinux => "HYBRID_LINUX",
        AccessEntryType.Ec2 => "EC2",
        AccessEntryType.HyperpodLinux => "HYPERPOD_LINUX",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Wire(this AuthenticationMode mode) => mode switch
    {
        AuthenticationMode.ConfigMap => "CONFIG_MAP",
        AuthenticationMode.ApiAndConfigMap => "API_AND_CONFIG_MAP",
        AuthenticationMode.Api => "API",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static IReadOnlyList<string> TypeNames { get; } = [.. Enum.GetValues<AccessEntryType>().Select(t => t.Wire())];

    public static IReadOnlyList<string> ModeNames { get; } = [.. Enum.GetValues<AuthenticationMode>().Select(m => m.Wire())];

    /// <summary>Parses a type name. The EKS guide itself writes <c>EC2_Windows</c>, so case is ignored.</summary>
    public static AccessEntryType? ParseType(string text) =>
        Enum.GetValues<AccessEntryType>().Cast<AccessEntryType?>().FirstOrDefault(t => string.Equals(t!.Value.Wire(), text, StringComparison.OrdinalIgnoreCase));

    public static AuthenticationMode? ParseMode(string text) =>
        Enum.GetValues<AuthenticationMode>().Cast<AuthenticationMode?>().FirstOrDefault(m => string.Equals(m!.Value.Wire(), text, StringComparison.OrdinalIgnoreCase));

    /// <summary>The access entry type that replaces an aws-auth entry of this kind.</summary>
    public static AccessEntryType TypeFor(EntryKind kind) => kind switch
    {
        EntryKind.LinuxNode => AccessEntryType.Ec2Linux,
        EntryKind.WindowsNode => AccessEntryType.Ec2Windows,
        EntryKind.Fargate => AccessEntryType.FargateLinux,
        EntryKind.HybridNode => AccessEntryType.HybridLinux,
        _ => AccessEntryType.Standard,
    };
}

/// <summary>Where an access policy applies: the whole cluster, or the listed namespaces (wildcards such as <c>dev-*</c> allowed).</summary>
public sealed record AccessScope(IReadOnlyList<string> Namespaces)
{
    public static AccessScope Cluster { get; } = new([]);

    public bool IsCluster => Namespaces.Count == 0;

    /// <summary>The API's scope type: <c>cluster</c> or <c>namespace</c>.</summary>
    public string Type => IsCluster ? "cluster" : "namespace";

    public bool SameAs(AccessScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Namespaces.Order(StringComparer.Ordinal).SequenceEqual(other.Namespaces.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public override string ToString() => IsCluster ? "cluster scope" : "namespaces " + string.Join(", ", Namespaces);
}

/// <summary>An access policy associated with an access entry, with its scope.</summary>
public sealed record PolicyAssociation(string PolicyArn, AccessScope Scope)
{
    /// <summary>The policy's name: the text after the last <c>/</c> of its ARN.</summary>
    public string Name => PolicyArn[(PolicyArn.LastIndexOf('/') + 1)..];

    public bool SameAs(PolicyAssociation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return PolicyArn == other.PolicyArn && Scope.SameAs(other.Scope);
    }

    public override string ToString() => Name + " (" + Scope + ")";
}

/// <summary>
/// An EKS access entry as CreateAccessEntry takes it, with the AssociateAccessPolicy calls for it.
/// A null <see cref="Username"/> leaves the username to EKS (see <see cref="AccessEntryRules.GeneratedUsername"/>).
/// </summary>
public sealed record AccessEntry(string PrincipalArn, AccessEntryType Type, IReadOnlyList<string> KubernetesGroups, string? Username, IReadOnlyList<PolicyAssociation> Policies);

/// <summary>The AWS-managed access policies rolemap names (access-policy-reference), and their ARNs per partition.</summary>
public static class AccessPolicyNames
{
    public const string ClusterAdmin = "AmazonEKSClusterAdminPolicy";
    public const string Admin = "AmazonEKSAdminPolicy";
    public const string Edit = "AmazonEKSEditPolicy";
    public const string View = "AmazonEKSViewPolicy";
    public const string AdminView = "AmazonEKSAdminViewPolicy";

    private const string ArnInfix = ":eks::aws:cluster-access-policy/";

    /// <summary><c>arn:PARTITION:eks::aws:cluster-access-policy/NAME</c>: the account field is the literal <c>aws</c> in every partition.</summary>
    public static string Arn(string partition, string name) => "arn:" + partition + ArnInfix + name;

    /// <summary>The policy name an access policy ARN names, or null when the text is not such an ARN (in a known partition).</summary>
    public static string? NameFromArn(string policyArn)
    {
        ArgumentNullException.ThrowIfNull(policyArn);
        var at = policyArn.IndexOf(ArnInfix, StringComparison.Ordinal);
        if (!policyArn.StartsWith("arn:", StringComparison.Ordinal) || at < 5 || policyArn.IndexOf(':', 4) != at || !Arns.Partitions.IsKnown(policyArn[4..at]))
        {
            return null;
        }

        var name = policyArn[(at + ArnInfix.Length)..];
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? name : null;
    }

    /// <summary>
    /// Why a namespace pattern in an access scope cannot match as written, or null. EKS checks neither that namespaces
    /// exist nor how they are spelled; the one wildcard AWS documents is a trailing <c>*</c> after a prefix (<c>dev-*</c>).
    /// </summary>
    public static string? ScopeNamespaceProblem(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            return "an empty namespace";
        }

        return pattern.IndexOf('*', StringComparison.Ordinal) is var star && star >= 0 && star < pattern.Length - 1
            ? "'" + pattern + "' has '*' before its end: AWS documents only a trailing '*' after a prefix, such as dev-*"
            : null;
    }
}
