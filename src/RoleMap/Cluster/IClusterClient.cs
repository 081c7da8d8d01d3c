namespace RoleMap.Cluster;

/// <summary>A ConfigMap as the cluster holds it: identity, optimistic-concurrency version, labels, annotations, data.</summary>
public sealed record ConfigMapObject(
    string Name,
    string Namespace,
    IReadOnlyList<KeyValuePair<string, string>> Data,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations,
    string? ResourceVersion = null,
    string? Uid = null,
    DateTimeOffset? CreationTimestamp = null);

/// <summary>
/// Who the API server says the caller is (a SelfSubjectReview): username, groups and the authenticator's extra
/// fields. On EKS, aws-iam-authenticator sets <c>arn</c> (the session ARN) and <c>canonicalArn</c> (its role or user).
/// </summary>
public sealed record ClusterIdentity(string Username, IReadOnlyList<string> Groups, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Extra)
{
    /// <summary>The caller's IAM ARN as EKS saw it (canonical when the authenticator reported it), or null.</summary>
    public string? Arn => ExtraValue("canonicalArn") ?? ExtraValue("arn");

    private string? ExtraValue(string key) =>
        Extra.Where(e => string.Equals(e.Key, key, StringComparison.Ordinal)).SelectMany(e => e.Value).FirstOrDefault(v => v.Length > 0);
}

/// <summary>The RBAC kinds rolemap reads from a cluster.</summary>
public enum RbacKind
{
    ClusterRoles,
    ClusterRoleBindings,
    Roles,
    RoleBindings,
}

/// <summary>How a write is carried out.</summary>
public enum WriteMode
{
    /// <summary>Persist the change.</summary>
    Commit,

    /// <summary>Send it with dryRun=All: the API server validates and admits it but stores nothing.</summary>
    ServerDryRun,
}

/// <summary>
/// Everything rolemap does with a cluster, and nothing more: small enough to fake in tests, implemented for real
/// with KubernetesClient in the CLI. All methods throw <see cref="ClusterException"/> subclasses on API errors.
/// </summary>
public interface IClusterClient
{
    /// <summary>A name for this cluster in messages and summaries (the kubeconfig context).</summary>
    string Name { get; }

    /// <summary>Reads a ConfigMap; null when it does not exist.</summary>
    Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Lists ConfigMaps in a namespace, optionally by label selector.</summary>
    Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken);

    /// <summary>Creates a ConfigMap. Throws <see cref="ClusterConflictException"/> when it already exists.</summary>
    Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a ConfigMap, sending <see cref="ConfigMapObject.ResourceVersion"/> as the precondition.
    /// Throws <see cref="ClusterConflictException"/> on 409 (someone else wrote it since it was read).
    /// </summary>
    Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a ConfigMap (backups). With <paramref name="uid"/>, only that very object (a delete precondition): a
    /// retried delete whose first answer was lost must not remove another writer's ConfigMap created since under the
    /// same name; a mismatch counts as already deleted.
    /// </summary>
    Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken);

    /// <summary>
    /// Lists every object of an RBAC kind in all namespaces, as the JSON of the API server's list response
    /// (<c>{"kind":"ClusterRoleList","items":[...]}</c>), so the same loader reads live RBAC and files.
    /// </summary>
    Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken);

    /// <summary>
    /// Who the cluster says the caller is (authentication.k8s.io/v1 SelfSubjectReview, Kubernetes 1.28+); null when
    /// the API server does not offer it. Used by the lockout guard to find the caller's own aws-auth entry.
    /// </summary>
    Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken);
}

/// <summary>An error from the Kubernetes API or the connection to it.</summary>
public class ClusterException : Exception
{
    public ClusterException(string message, int? statusCode = null, Exception? inner = null)
        : base(message, inner) => StatusCode = statusCode;

    public int? StatusCode { get; }
}

/// <summary>409 Conflict: the object changed since it was read, or already exists.</summary>
public sealed class ClusterConflictException(string message, Exception? inner = null) : ClusterException(message, 409, inner);

/// <summary>401 or 403: the identity in use may not do this.</summary>
public sealed class ClusterForbiddenException(string message, int statusCode, Exception? inner = null) : ClusterException(message, statusCode, inner);

/// <summary>The API server could not be reached (DNS, TCP, TLS, timeout, credential plugin failure).</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : ClusterException(message, null, inner);

/// <summary>
/// A write was sent but no answer confirmed it: the connection dropped or the answer ended early after the request
/// went out, or the server failed (5xx) and a retry then found the object already changed. It may or may not have
/// been applied; only re-reading the object tells.
/// </summary>
public sealed class ClusterWriteUnconfirmedException(string message, bool retriesExhausted, Exception? inner = null) : ClusterException(message, null, inner)
{
    /// <summary>The client stopped retrying (attempts or deadline used up); without this, it stopped because the retry found the object changed.</summary>
    public bool RetriesExhausted => retriesExhausted;
}
