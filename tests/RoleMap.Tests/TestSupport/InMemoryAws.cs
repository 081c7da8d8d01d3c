using RoleMap.AccessEntries;
using RoleMap.AwsApi;

namespace RoleMap.Tests.TestSupport;

/// <summary>
/// An in-memory EKS access API with EKS's rules as rolemap relies on them: one entry per principal (409 on a second),
/// usernames generated on create when none is given and kept by updates without one, associating a policy again
/// replaces its scope, no access-entry API in CONFIG_MAP mode, one-way mode changes. Lists are served in pages of
/// <see cref="PageSize"/> (the interface returns every page, so this counts the page requests). Failures are injected
/// per operation name (<see cref="FailOn"/>), e.g. a ThrottlingException that retries in the transport did not absorb.
/// </summary>
public sealed class InMemoryEks(string clusterName = "prod", AuthenticationMode mode = AuthenticationMode.ApiAndConfigMap) : IEksApi
{
    private readonly List<(LiveAccessEntry Entry, List<AssociatedPolicy> Policies)> entries = [];
    private int updates;

    public static readonly DateTimeOffset ClusterCreated = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public string Region => "eu-west-1";

    public EksCluster Cluster { get; set; } = new(clusterName, "arn:aws:eks:eu-west-1:111122223333:cluster/" + clusterName, mode, "ACTIVE", "1.33", true, null, ClusterCreated);

    /// <summary>Every call made, as "Operation principal".</summary>
    public List<string> Log { get; } = [];

    public int PageSize { get; set; } = 2;

    /// <summary>How many page requests the list calls made.</summary>
    public int PageRequests { get; private set; }

    /// <summary>Operation name → the exception to throw on the next call of it (once).</summary>
    public Dictionary<string, Exception> FailOn { get; } = [];

    /// <summary>Status DescribeUpdate returns after this many InProgress answers.</summary>
    public string FinalUpdateStatus { get; set; } = "Successful";

    public int InProgressPolls { get; set; } = 2;

    /// <summary>AssociateAccessPolicy answers success and changes nothing (for the read-back check).</summary>
    public bool SwallowAssociations { get; set; }

    public DateTimeOffset Now { get; set; } = ClusterCreated.AddDays(30);

    public IReadOnlyList<LiveAccessEntry> Entries => [.. entries.Select(e => e.Entry)];

    public IReadOnlyList<AssociatedPolicy> PoliciesOf(string principal) => Find(principal).Policies;

    public static AwsApiException Throttling(string operation) =>
        new("Rate exceeded (ThrottlingException) on eks:" + operation, "eks", operation, "ThrottlingException", 429);

    /// <summary>Adds an entry as another tool (or EKS) would.</summary>
    public LiveAccessEntry Put(string principal, AccessEntryType type, IReadOnlyList<string>? groups = null, string? username = null, IReadOnlyDictionary<string, string>? tags = null, DateTimeOffset? createdAt = null, params PolicyAssociation[] policies)
    {
        var entry = new LiveAccessEntry(principal, type.Wire(), groups ?? [], username ?? AccessEntryRules.GeneratedUsername(principal, type), tags ?? new Dictionary<string, string>(), "arn:aws:eks:eu-west-1:111122223333:access-entry/" + Cluster.Name + "/" + entries.Count, createdAt ?? Now, createdAt ?? Now);
        entries.Add((entry, [.. policies.Select(p => new AssociatedPolicy(p.PolicyArn, p.Scope, Now, Now))]));
        return entry;
    }

    public Task<EksCluster> DescribeClusterAsync(string clusterName, CancellationToken cancellationToken)
    {
        Call("DescribeCluster", clusterName);
        return Task.FromResult(Cluster);
    }

    public Task<IReadOnlyList<string>> ListAccessEntriesAsync(string clusterName, CancellationToken cancellationToken)
    {
        Call("ListAccessEntries", clusterName, entriesApi: true);
        PageRequests += Math.Max(1, (entries.Count + PageSize - 1) / PageSize);
        return Task.FromResult<IReadOnlyList<string>>([.. entries.Select(e => e.Entry.PrincipalArn)]);
    }

    public Task<LiveAccessEntry> DescribeAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        Call("DescribeAccessEntry", principalArn, entriesApi: true);
        return Task.FromResult(Find(principalArn).Entry);
    }

    public Task<IReadOnlyList<AssociatedPolicy>> ListAssociatedAccessPoliciesAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        Call("ListAssociatedAccessPolicies", principalArn, entriesApi: true);
        var policies = Find(principalArn).Policies;
        PageRequests += Math.Max(1, (policies.Count + PageSize - 1) / PageSize);
        return Task.FromResult<IReadOnlyList<AssociatedPolicy>>([.. policies]);
    }

    public Task<LiveAccessEntry> CreateAccessEntryAsync(string clusterName, NewAccessEntry entry, CancellationToken cancellationToken)
    {
        Call("CreateAccessEntry", entry.PrincipalArn, entriesApi: true);
        if (entries.Any(e => e.Entry.PrincipalArn == entry.PrincipalArn))
        {
            throw new AwsConflictException("The specified access entry resource is already in use on this cluster.", "eks", "CreateAccessEntry", "ResourceInUseException");
        }

        if (entry.Type != AccessEntryType.Standard && (entry.KubernetesGroups.Count > 0 || entry.Username is not null))
        {
            throw new AwsApiException("groups and username are not allowed for " + entry.Type.Wire(), "eks", "CreateAccessEntry", "InvalidParameterException", 400);
        }

        return Task.FromResult(Put(entry.PrincipalArn, entry.Type, entry.KubernetesGroups, entry.Username, entry.Tags));
    }

    public Task<LiveAccessEntry> UpdateAccessEntryAsync(string clusterName, string principalArn, IReadOnlyList<string> kubernetesGroups, string? username, CancellationToken cancellationToken)
    {
        Call("UpdateAccessEntry", principalArn, entriesApi: true);
        var index = IndexOf(principalArn);
        var (entry, policies) = entries[index];
        var updated = entry with { KubernetesGroups = [.. kubernetesGroups], Username = username ?? entry.Username, ModifiedAt = Now };
        entries[index] = (updated, policies);
        return Task.FromResult(updated);
    }

    public Task DeleteAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        Call("DeleteAccessEntry", principalArn, entriesApi: true);
        entries.RemoveAt(IndexOf(principalArn));
        return Task.CompletedTask;
    }

    public Task AssociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, AccessScope scope, CancellationToken cancellationToken)
    {
        Call("AssociateAccessPolicy", principalArn, entriesApi: true);
        if (SwallowAssociations)
        {
            return Task.CompletedTask;
        }

        var policies = Find(principalArn).Policies;
        policies.RemoveAll(p => p.PolicyArn == policyArn);
        policies.Add(new AssociatedPolicy(policyArn, scope, Now, Now));
        return Task.CompletedTask;
    }

    public Task DisassociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, CancellationToken cancellationToken)
    {
        Call("DisassociateAccessPolicy", principalArn, entriesApi: true);
        Find(principalArn).Policies.RemoveAll(p => p.PolicyArn == policyArn);
        return Task.CompletedTask;
    }

    public Task<ClusterUpdate> UpdateAuthenticationModeAsync(string clusterName, AuthenticationMode mode, CancellationToken cancellationToken)
    {
        Call("UpdateClusterConfig", mode.Wire());
        if (mode < Cluster.AuthenticationMode)
        {
            throw new AwsApiException("Unsupported authentication mode update from " + Cluster.AuthenticationMode.Wire() + " to " + mode.Wire(), "eks", "UpdateClusterConfig", "InvalidParameterException", 400);
        }

        updates++;
        polls = 0;
        target = mode;
        return Task.FromResult(new ClusterUpdate("update-" + updates, "InProgress", "AccessConfigUpdate", []));
    }

    private int polls;
    private AuthenticationMode target;

    public Task<ClusterUpdate> DescribeUpdateAsync(string clusterName, string updateId, CancellationToken cancellationToken)
    {
        Call("DescribeUpdate", updateId);
        if (++polls <= InProgressPolls)
        {
            return Task.FromResult(new ClusterUpdate(updateId, "InProgress", "AccessConfigUpdate", []));
        }

        if (FinalUpdateStatus == "Successful")
        {
            Cluster = Cluster with { AuthenticationMode = target };
        }

        return Task.FromResult(new ClusterUpdate(updateId, FinalUpdateStatus, "AccessConfigUpdate", FinalUpdateStatus == "Successful" ? [] : ["the update failed"]));
    }

    private void Call(string operation, string subject, bool entriesApi = false)
    {
        Log.Add(operation + " " + subject);
        if (FailOn.Remove(operation, out var failure))
        {
            throw failure;
        }

        if (entriesApi && Cluster.AuthenticationMode == AuthenticationMode.ConfigMap)
        {
            throw new AwsApiException("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", "eks", operation, "InvalidRequestException", 400);
        }
    }

    private int IndexOf(string principal)
    {
        var index = entries.FindIndex(e => e.Entry.PrincipalArn == principal);
        return index >= 0 ? index : throw new AwsNotFoundException("The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.", "eks", "DescribeAccessEntry", "ResourceNotFoundException");
    }

    private (LiveAccessEntry Entry, List<AssociatedPolicy> Policies) Find(string principal) => entries[IndexOf(principal)];
}

/// <summary>In-memory IAM (roles and users) and STS (a fixed caller).</summary>
public sealed class InMemoryIam : IIamApi, IStsApi
{
    public List<RoleMap.AwsApi.IamPrincipal> Roles { get; } = [];

    public List<RoleMap.AwsApi.IamPrincipal> Users { get; } = [];

    public string CallerArn { get; set; } = "arn:aws:sts::111122223333:assumed-role/admin/alice";

    public int StsCalls { get; private set; }

    public InMemoryIam AddRole(string arn, DateTimeOffset? created = null)
    {
        var name = arn[(arn.LastIndexOf('/') + 1)..];
        var path = arn[(arn.IndexOf(":role", StringComparison.Ordinal) + 5)..^name.Length];
        Roles.Add(new RoleMap.AwsApi.IamPrincipal(arn, name, path, "AROA" + name.ToUpperInvariant(), created ?? InMemoryEks.ClusterCreated));
        return this;
    }

    public Task<IReadOnlyList<RoleMap.AwsApi.IamPrincipal>> ListRolesAsync(string? pathPrefix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RoleMap.AwsApi.IamPrincipal>>([.. Roles.Where(r => pathPrefix is null || r.Path.StartsWith(pathPrefix, StringComparison.Ordinal))]);

    public Task<IReadOnlyList<RoleMap.AwsApi.IamPrincipal>> ListUsersAsync(string? pathPrefix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RoleMap.AwsApi.IamPrincipal>>([.. Users]);

    public Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken)
    {
        StsCalls++;
        return Task.FromResult(new CallerIdentity("111122223333", CallerArn, "AROAADMIN:alice"));
    }
}
