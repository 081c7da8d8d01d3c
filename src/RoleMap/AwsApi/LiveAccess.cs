using RoleMap.AccessEntries;
using RoleMap.Arns;
using RoleMap.Diagnostics;

namespace RoleMap.AwsApi;

/// <summary>One access entry of a live cluster, with its policy associations and whether EKS created it.</summary>
/// <param name="EksCreated">Why rolemap takes the entry to be EKS's own (never changed or deleted by apply), or null.</param>
public sealed record LiveEntry(LiveAccessEntry Entry, IReadOnlyList<AssociatedPolicy> Policies, string? EksCreated)
{
    public string PrincipalArn => Entry.PrincipalArn;

    /// <summary>True when rolemap created the entry (it carries <see cref="LiveAccess.ManagedByTag"/>).</summary>
    public bool ManagedByRolemap => Entry.Tags.TryGetValue(LiveAccess.ManagedByTag, out var value) && value == LiveAccess.ManagedByValue;

    public IReadOnlyList<PolicyAssociation> Associations => [.. Policies.Select(p => new PolicyAssociation(p.PolicyArn, p.Scope))];

    /// <summary>The entry as the offline model knows access entries (described, policies known).</summary>
    public KnownAccessEntry ToKnown(string clusterName) =>
        new(Entry.PrincipalArn, Entry.KnownType, Entry.KubernetesGroups, Entry.Username, Associations, clusterName, new SourceLocation(clusterName + ":" + Entry.PrincipalArn))
        {
            CreatedAt = Entry.CreatedAt,
            AccessEntryArn = Entry.AccessEntryArn,
        };
}

/// <summary>A cluster's access state as read through the EKS API: its mode and every access entry.</summary>
public sealed record LiveAccessSnapshot(EksCluster Cluster, IReadOnlyList<LiveEntry> Entries)
{
    /// <summary>The entries as <c>--access-entries</c> files would give them.</summary>
    public ExistingAccessEntries ToExisting() => ExistingAccessEntries.Of(Entries.Select(e => e.ToKnown(Cluster.Name)));

    /// <summary>The entry for a principal, matched as the authenticator matches (role path removed, case ignored).</summary>
    public LiveEntry? Find(string principalArn)
    {
        var key = ExistingAccessEntries.MatchKey(principalArn);
        return Entries.FirstOrDefault(e => ExistingAccessEntries.MatchKey(e.PrincipalArn) == key);
    }
}

/// <summary>
/// Reads a cluster's access state through <see cref="IEksApi"/> and IAM listings through <see cref="IIamApi"/>, and
/// tells which entries EKS created itself. Entries are read one after another in the order ListAccessEntries gives.
/// </summary>
public static class LiveAccess
{
    /// <summary>The tag rolemap puts on every access entry it creates; apply deletes (without --prune) only entries carrying it.</summary>
    public const string ManagedByTag = "rolemap.io/managed-by";

    public const string ManagedByValue = "rolemap";

    /// <summary>Access policies EKS associates with the entries it creates for Auto Mode and its service-linked roles.</summary>
    private static readonly HashSet<string> EksOwnPolicies = new(StringComparer.Ordinal)
    {
        "AmazonEKSAutoNodePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSBlockStorageClusterPolicy", "AmazonEKSComputePolicy",
        "AmazonEKSComputeClusterPolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSLoadBalancingClusterPolicy", "AmazonEKSNetworkingPolicy",
        "AmazonEKSNetworkingClusterPolicy", "AmazonEKSClusterInsightsPolicy",
    };

    /// <summary>How long after the cluster's creation an admin entry counts as the cluster creator's (EKS makes it while creating the cluster).</summary>
    private static readonly TimeSpan CreatorWindow = TimeSpan.FromMinutes(30);

    public static async Task<LiveAccessSnapshot> ReadAsync(IEksApi eks, string clusterName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eks);
        var cluster = await eks.DescribeClusterAsync(clusterName, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(eks, cluster, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries of a cluster already described (a caller that decided by DescribeCluster does not ask twice).</summary>
    public static async Task<LiveAccessSnapshot> ReadAsync(IEksApi eks, EksCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eks);
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.AuthenticationMode == AuthenticationMode.ConfigMap)
        {
            // The access-entry API is not enabled in CONFIG_MAP mode: there are no entries to read.
            return new LiveAccessSnapshot(cluster, []);
        }

        var principals = await eks.ListAccessEntriesAsync(cluster.Name, cancellationToken).ConfigureAwait(false);
        var read = new List<(LiveAccessEntry Entry, IReadOnlyList<AssociatedPolicy> Policies)>();
        foreach (var principal in principals)
        {
            if (await ReadOneAsync(eks, cluster.Name, principal, cancellationToken).ConfigureAwait(false) is { } one)
            {
                read.Add(one);
            }
        }

        return new LiveAccessSnapshot(cluster, Classify(cluster, read));
    }

    /// <summary>Re-reads some entries (after changes) into a snapshot that keeps the other entries as they were.</summary>
    public static async Task<LiveAccessSnapshot> RereadAsync(IEksApi eks, LiveAccessSnapshot snapshot, IEnumerable<string> principals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eks);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(principals);
        var keys = principals.Select(ExistingAccessEntries.MatchKey).ToHashSet(StringComparer.Ordinal);
        var read = snapshot.Entries.Where(e => !keys.Contains(ExistingAccessEntries.MatchKey(e.PrincipalArn))).Select(e => (e.Entry, e.Policies)).ToList();
        foreach (var principal in principals.Distinct(StringComparer.Ordinal))
        {
            if (await ReadOneAsync(eks, snapshot.Cluster.Name, principal, cancellationToken).ConfigureAwait(false) is { } one)
            {
                read.Add(one);
            }
        }

        return new LiveAccessSnapshot(snapshot.Cluster, Classify(snapshot.Cluster, read));
    }

    /// <summary>Every IAM role and user, with paths and creation dates, as a complete listing.</summary>
    public static async Task<IamDirectory> ReadIamAsync(IIamApi iam, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(iam);
        var roles = await iam.ListRolesAsync(null, cancellationToken).ConfigureAwait(false);
        var users = await iam.ListUsersAsync(null, cancellationToken).ConfigureAwait(false);
        return IamDirectory.FromListing([.. roles.Concat(users).Select(p => (p.Arn, p.CreateDate))], "iam");
    }

    /// <summary>
    /// Why EKS is taken to have created an entry, or null. Entries rolemap tagged are rolemap's. Otherwise: the node,
    /// Fargate and hybrid types (EKS creates them for managed node groups and Fargate profiles, and deleting one
    /// breaks nodes), the Auto Mode node role's EC2 entry, entries of service-linked roles or carrying the policies
    /// EKS keeps for Auto Mode, and the cluster creator's admin entry (made with the cluster).
    /// </summary>
    public static string? EksCreatedReason(EksCluster cluster, LiveAccessEntry entry, IReadOnlyList<AssociatedPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(policies);
        if (entry.Tags.TryGetValue(ManagedByTag, out var tag) && tag == ManagedByValue)
        {
            return null;
        }

        switch (entry.KnownType)
        {
            case AccessEntryType.Ec2Linux or AccessEntryType.Ec2Windows:
                return "node entry (" + entry.Type + "): EKS creates these for managed node groups";
            case AccessEntryType.FargateLinux:
                return "Fargate entry: EKS creates these for Fargate profiles";
            case AccessEntryType.HybridLinux:
                return "hybrid node entry (HYBRID_LINUX)";
            case AccessEntryType.Ec2 when cluster.AutoModeNodeRoleArn is { } nodeRole && SamePrincipal(nodeRole, entry.PrincipalArn):
                return "Auto Mode node role: EKS creates this entry with the cluster";
        }

        if (IamArn.Parse(entry.PrincipalArn, out _) is { } arn && AccessEntryRules.IsServiceLinkedRole(arn))
        {
            return "service-linked role: only EKS creates entries for these";
        }

        if (policies.Any(p => AccessPolicyNames.NameFromArn(p.PolicyArn) is { } name && EksOwnPolicies.Contains(name)))
        {
            return "carries an access policy EKS manages for Auto Mode";
        }

        if (cluster.BootstrapClusterCreatorAdminPermissions != false && cluster.CreatedAt is { } born && entry.CreatedAt is { } made
            && made >= born && made - born <= CreatorWindow
            && policies.Any(p => AccessPolicyNames.NameFromArn(p.PolicyArn) == AccessPolicyNames.ClusterAdmin && p.Scope.IsCluster))
        {
            return "cluster creator: EKS created this admin entry with the cluster";
        }

        return null;
    }

    private static bool SamePrincipal(string a, string b) => ExistingAccessEntries.MatchKey(a) == ExistingAccessEntries.MatchKey(b);

    private static List<LiveEntry> Classify(EksCluster cluster, IEnumerable<(LiveAccessEntry Entry, IReadOnlyList<AssociatedPolicy> Policies)> read)
    {
        var entries = read.Select(r => new LiveEntry(r.Entry, r.Policies, EksCreatedReason(cluster, r.Entry, r.Policies))).ToList();

        // Only one principal created the cluster: of several candidates, the earliest.
        var creators = entries.Where(e => e.EksCreated?.StartsWith("cluster creator", StringComparison.Ordinal) == true).OrderBy(e => e.Entry.CreatedAt).Skip(1).ToList();
        foreach (var extra in creators)
        {
            entries[entries.IndexOf(extra)] = extra with { EksCreated = null };
        }

        return entries;
    }

    private static async Task<(LiveAccessEntry, IReadOnlyList<AssociatedPolicy>)?> ReadOneAsync(IEksApi eks, string clusterName, string principal, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await eks.DescribeAccessEntryAsync(clusterName, principal, cancellationToken).ConfigureAwait(false);
            var policies = await eks.ListAssociatedAccessPoliciesAsync(clusterName, principal, cancellationToken).ConfigureAwait(false);
            return (entry, policies);
        }
        catch (AwsNotFoundException)
        {
            // Deleted between the listing and the read (or by the change being confirmed).
            return null;
        }
    }
}
