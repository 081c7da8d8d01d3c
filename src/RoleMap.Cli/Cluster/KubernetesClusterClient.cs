using System.Net;
using System.Net.Http;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RoleMap.Cluster;

namespace RoleMap.Cli.Cluster;

/// <summary>
/// <see cref="IClusterClient"/> over KubernetesClient (the NativeAOT build). Every API or connection failure becomes a
/// <see cref="ClusterException"/> whose message says what was attempted, with which identity, and what is missing.
/// </summary>
internal sealed class KubernetesClusterClient(string name, Kubernetes client, string identity) : IClusterClient, IDisposable
{
    public string Name => name;

    /// <summary>How this client authenticates, for messages: the kubeconfig user and its credential source.</summary>
    public string Identity => identity;

    public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        CallAsync("get", "configmaps/" + name, ns, async () =>
        {
            try
            {
                return From(await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound && !NamespaceMissing(ex))
            {
                return null;
            }
        });

    public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) =>
        CallAsync("list", "configmaps", ns, async () =>
        {
            var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<ConfigMapObject>)[.. list.Items.Select(From)];
        });

    public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) =>
        CallAsync("create", "configmaps", configMap.Namespace, async () =>
            From(await client.CoreV1.CreateNamespacedConfigMapAsync(To(configMap), configMap.Namespace, DryRun(mode), cancellationToken: cancellationToken).ConfigureAwait(false)));

    public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) =>
        CallAsync("update", "configmaps/" + configMap.Name, configMap.Namespace, async () =>
            From(await client.CoreV1.ReplaceNamespacedConfigMapAsync(To(configMap), configMap.Name, configMap.Namespace, DryRun(mode), cancellationToken: cancellationToken).ConfigureAwait(false)));

    public Task DeleteConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        CallAsync("delete", "configmaps/" + name, ns, async () =>
        {
            await client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) =>
        CallAsync("list", Plural(kind), null, async () => kind switch
        {
            RbacKind.ClusterRoles => KubernetesJson.Serialize(await client.RbacAuthorizationV1.ListClusterRoleAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            RbacKind.ClusterRoleBindings => KubernetesJson.Serialize(await client.RbacAuthorizationV1.ListClusterRoleBindingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            RbacKind.Roles => KubernetesJson.Serialize(await client.RbacAuthorizationV1.ListRoleForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
            _ => KubernetesJson.Serialize(await client.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)),
        });

    public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) =>
        CallAsync("create", "selfsubjectreviews.authentication.k8s.io", null, async () =>
        {
            try
            {
                var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview(), cancellationToken: cancellationToken).ConfigureAwait(false);
                var user = review.Status?.UserInfo;
                return user is null ? null : new ClusterIdentity(
                    user.Username ?? string.Empty,
                    [.. user.Groups ?? []],
                    [.. (user.Extra ?? new Dictionary<string, IList<string>>()).Select(e => new KeyValuePair<string, IReadOnlyList<string>>(e.Key, [.. e.Value]))]);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                return (ClusterIdentity?)null; // before Kubernetes 1.28
            }
        });

    public void Dispose() => client.Dispose();

    private static string? DryRun(WriteMode mode) => mode == WriteMode.ServerDryRun ? "All" : null;

    private static string Plural(RbacKind kind) => kind switch
    {
        RbacKind.ClusterRoles => "clusterroles",
        RbacKind.ClusterRoleBindings => "clusterrolebindings",
        RbacKind.Roles => "roles",
        _ => "rolebindings",
    };

    private async Task<T> CallAsync<T>(string verb, string resource, string? ns, Func<Task<T>> call)
    {
        var what = verb + " " + resource + (ns is null ? string.Empty : " in namespace " + ns);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            var (reason, message) = Status(ex);
            var code = (int)ex.Response.StatusCode;
            throw code switch
            {
                401 => new ClusterForbiddenException(
                    name + ": 401 Unauthorized: the API server did not accept the credentials of " + identity
                    + " (an expired token, the wrong AWS profile or role, or an IAM identity that is mapped neither in aws-auth nor by an access entry)",
                    401,
                    ex),
                403 => new ClusterForbiddenException(
                    name + ": 403 Forbidden: " + message + " (identity: " + identity + "; missing RBAC permission: " + what
                    + "; on EKS, map this IAM identity to a group bound to that permission, in aws-auth or with an access entry)",
                    403,
                    ex),
                409 => new ClusterConflictException(name + ": " + (reason == "AlreadyExists" ? "already exists: " : "conflict: ") + message, ex),
                _ => new ClusterException(name + ": " + code + " " + (reason ?? ex.Response.ReasonPhrase) + ": " + message + " (while trying to " + what + ")", code, ex),
            };
        }
        catch (ClusterException)
        {
            throw;
        }
        catch (HttpRequestException ex)
        {
            throw new ClusterUnreachableException(name + ": cannot reach the API server at " + client.BaseUri + ": " + Innermost(ex) + " (while trying to " + what + ")", ex);
        }
        catch (TaskCanceledException ex) when (!ex.CancellationToken.IsCancellationRequested)
        {
            throw new ClusterUnreachableException(name + ": the API server at " + client.BaseUri + " did not answer in time (while trying to " + what + ")", ex);
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            throw new ClusterUnreachableException(name + ": cannot get credentials for " + identity + ": " + ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or KubernetesException)
        {
            // Exec credential plugins fail this way (command missing, non-zero exit, bad output).
            throw new ClusterUnreachableException(name + ": cannot get credentials for " + identity + ": " + Innermost(ex), ex);
        }
    }

    private static string Innermost(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message, StringComparer.Ordinal))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(": ", messages);
    }

    private static bool NamespaceMissing(HttpOperationException ex) => Status(ex).Message.StartsWith("namespaces ", StringComparison.Ordinal);

    private static (string? Reason, string Message) Status(HttpOperationException ex)
    {
        var content = ex.Response.Content;
        if (!string.IsNullOrWhiteSpace(content))
        {
            try
            {
                using var document = JsonDocument.Parse(content);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                    return (reason, message.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Not a Status object (a proxy or load balancer answered); show the text.
            }

            return (null, content.Length > 300 ? content[..300] + "..." : content);
        }

        return (null, ex.Response.ReasonPhrase ?? ex.Message);
    }

    private static ConfigMapObject From(V1ConfigMap configMap) => new(
        configMap.Metadata?.Name ?? string.Empty,
        configMap.Metadata?.NamespaceProperty ?? string.Empty,
        [.. (configMap.Data ?? new Dictionary<string, string>()).Select(d => new KeyValuePair<string, string>(d.Key, d.Value ?? string.Empty))],
        [.. (configMap.Metadata?.Labels ?? new Dictionary<string, string>())],
        [.. (configMap.Metadata?.Annotations ?? new Dictionary<string, string>())],
        configMap.Metadata?.ResourceVersion,
        configMap.Metadata?.Uid,
        configMap.Metadata?.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null);

    private static V1ConfigMap To(ConfigMapObject configMap) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = configMap.Name,
            NamespaceProperty = configMap.Namespace,
            ResourceVersion = configMap.ResourceVersion,
            Uid = configMap.Uid,
            Labels = configMap.Labels.Count == 0 ? null : configMap.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            Annotations = configMap.Annotations.Count == 0 ? null : configMap.Annotations.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
        },
        Data = configMap.Data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
    };
}

/// <summary>A cluster that could not even be configured (bad kubeconfig entry): every call fails with the reason.</summary>
internal sealed class UnavailableClusterClient(string name, string reason) : IClusterClient
{
    public string Name => name;

    public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => Fail<ConfigMapObject?>();

    public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) => Fail<IReadOnlyList<ConfigMapObject>>();

    public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => Fail<ConfigMapObject>();

    public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => Fail<ConfigMapObject>();

    public Task DeleteConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => Fail<bool>();

    public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) => Fail<string>();

    public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) => Fail<ClusterIdentity?>();

    private Task<T> Fail<T>() => Task.FromException<T>(new ClusterUnreachableException(name + ": " + reason));
}
