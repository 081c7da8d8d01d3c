using RoleMap.AccessEntries;

namespace RoleMap.AwsApi;

/// <summary>What DescribeCluster says about access: the cluster's identity and its authentication mode.</summary>
/// <param name="AuthenticationMode">accessConfig.authenticationMode; CONFIG_MAP when the response has no accessConfig.</param>
/// <param name="AutoModeNodeRoleArn">computeConfig.nodeRoleArn when Auto Mode is on (its node role's entry is EKS's own).</param>
public sealed record EksCluster(
    string Name,
    string? Arn,
    AuthenticationMode AuthenticationMode,
    string? Status,
    string? Version,
    bool? BootstrapClusterCreatorAdminPermissions,
    string? AutoModeNodeRoleArn,
    DateTimeOffset? CreatedAt);

/// <summary>An access entry as DescribeAccessEntry returns it. <see cref="Type"/> is the wire string (the model does not make it an enum).</summary>
public sealed record LiveAccessEntry(
    string PrincipalArn,
    string Type,
    IReadOnlyList<string> KubernetesGroups,
    string? Username,
    IReadOnlyDictionary<string, string> Tags,
    string? AccessEntryArn,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? ModifiedAt)
{
    /// <summary>The type, or null for a type this version of rolemap does not know.</summary>
    public AccessEntryType? KnownType => AccessEntryNames.ParseType(Type);
}

/// <summary>An access policy associated with an entry (ListAssociatedAccessPolicies).</summary>
public sealed record AssociatedPolicy(string PolicyArn, AccessScope Scope, DateTimeOffset? AssociatedAt, DateTimeOffset? ModifiedAt);

/// <summary>The body of CreateAccessEntry. A null username leaves it to EKS.</summary>
public sealed record NewAccessEntry(
    string PrincipalArn,
    AccessEntryType Type,
    IReadOnlyList<string> KubernetesGroups,
    string? Username,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>An update of the cluster's configuration (UpdateClusterConfig / DescribeUpdate).</summary>
/// <param name="Status">InProgress, Failed, Cancelled or Successful.</param>
public sealed record ClusterUpdate(string Id, string Status, string? Type, IReadOnlyList<string> Errors);

/// <summary>Who STS says the caller is.</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>An IAM role or user as ListRoles/ListUsers give it.</summary>
public sealed record IamPrincipal(string Arn, string Name, string Path, string? UniqueId, DateTimeOffset? CreateDate);

/// <summary>
/// The EKS access API calls rolemap makes, and nothing more: small enough to fake in tests, implemented over HTTP
/// with SigV4 in the CLI. List calls return every page. Errors are <see cref="AwsApiException"/>s.
/// </summary>
public interface IEksApi
{
    /// <summary>The region the client talks to, for messages.</summary>
    string Region { get; }

    Task<EksCluster> DescribeClusterAsync(string clusterName, CancellationToken cancellationToken);

    /// <summary>The principal ARNs of every access entry (all pages).</summary>
    Task<IReadOnlyList<string>> ListAccessEntriesAsync(string clusterName, CancellationToken cancellationToken);

    Task<LiveAccessEntry> DescribeAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken);

    /// <summary>Every policy associated with the entry (all pages).</summary>
    Task<IReadOnlyList<AssociatedPolicy>> ListAssociatedAccessPoliciesAsync(string clusterName, string principalArn, CancellationToken cancellationToken);

    Task<LiveAccessEntry> CreateAccessEntryAsync(string clusterName, NewAccessEntry entry, CancellationToken cancellationToken);

    /// <summary>Sets the entry's groups (the full list) and username; type and tags cannot change here.</summary>
    Task<LiveAccessEntry> UpdateAccessEntryAsync(string clusterName, string principalArn, IReadOnlyList<string> kubernetesGroups, string? username, CancellationToken cancellationToken);

    Task DeleteAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken);

    /// <summary>Associates a policy, or replaces the scope of one already associated.</summary>
    Task AssociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, AccessScope scope, CancellationToken cancellationToken);

    Task DisassociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, CancellationToken cancellationToken);

    /// <summary>UpdateClusterConfig with accessConfig.authenticationMode only.</summary>
    Task<ClusterUpdate> UpdateAuthenticationModeAsync(string clusterName, AuthenticationMode mode, CancellationToken cancellationToken);

    Task<ClusterUpdate> DescribeUpdateAsync(string clusterName, string updateId, CancellationToken cancellationToken);
}

/// <summary>The IAM calls rolemap makes: every role and user (all pages), for paths and re-created principals.</summary>
public interface IIamApi
{
    Task<IReadOnlyList<IamPrincipal>> ListRolesAsync(string? pathPrefix, CancellationToken cancellationToken);

    Task<IReadOnlyList<IamPrincipal>> ListUsersAsync(string? pathPrefix, CancellationToken cancellationToken);
}

/// <summary>STS GetCallerIdentity with the credentials in use.</summary>
public interface IStsApi
{
    Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken);
}

/// <summary>An error from an AWS API or from reaching it; the message says what to do and is shown as is.</summary>
public class AwsApiException : Exception
{
    public AwsApiException(string message, string service, string operation, string? errorCode = null, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Service = service;
        Operation = operation;
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>eks, iam or sts.</summary>
    public string Service { get; }

    /// <summary>The API operation, e.g. ListAccessEntries (the IAM action is Service:Operation).</summary>
    public string Operation { get; }

    /// <summary>The error code the service returned (e.g. ResourceNotFoundException), or null when none came back.</summary>
    public string? ErrorCode { get; }

    public int? StatusCode { get; }

    /// <summary>The IAM action the call needs, e.g. <c>eks:ListAccessEntries</c>.</summary>
    public string Action => Service + ":" + Operation;
}

/// <summary>The resource does not exist (ResourceNotFoundException, NoSuchEntity).</summary>
public sealed class AwsNotFoundException(string message, string service, string operation, string? errorCode, Exception? inner = null)
    : AwsApiException(message, service, operation, errorCode, 404, inner);

/// <summary>The resource exists already or is busy (ResourceInUseException, 409).</summary>
public sealed class AwsConflictException(string message, string service, string operation, string? errorCode, Exception? inner = null)
    : AwsApiException(message, service, operation, errorCode, 409, inner);
