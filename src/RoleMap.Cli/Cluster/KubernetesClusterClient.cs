using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using RoleMap.AwsAuth;
using RoleMap.Cluster;

namespace RoleMap.Cli.Cluster;

/// <summary>
/// <see cref="IClusterClient"/> over a <see cref="KubernetesConnection"/>: KubernetesClient reads the kubeconfig, runs
/// exec credential plugins, validates the cluster CA and supplies the credentials of each request. The seven REST
/// calls rolemap makes are sent as KubernetesClient's typed operations send them (same paths, query parameters, HTTP/2,
/// TLS server name, timeout), with the JSON read and written by System.Text.Json directly rather than through
/// KubernetesClient's models, whose serializer context of every Kubernetes type tripled the start-up of every command
/// (docs/benchmarks.md). Every API or connection failure becomes a <see cref="ClusterException"/> whose message says
/// what was attempted, with which identity, and what is missing.
/// </summary>
internal sealed class KubernetesClusterClient(string name, KubernetesConnection connection, string identity, RetryPolicy? retryPolicy = null) : IClusterClient, IRetryReport, IDisposable
{
    private readonly KubernetesClientConfiguration config = connection.Config;
    private readonly RetryPolicy policy = retryPolicy ?? RetryPolicy.Default;
    private readonly List<string> retries = [];
    private DateTimeOffset? firstCall;

    private static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    public string Name => name;

    /// <summary>How this client authenticates, for messages: the kubeconfig user and its credential source.</summary>
    public string Identity => identity;

    public IReadOnlyList<string> Retries
    {
        get
        {
            lock (retries)
            {
                return [.. retries];
            }
        }
    }

    public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        CallAsync(CallKind.Read, "get", "configmaps/" + name, ns, async () =>
        {
            try
            {
                using var document = await SendAsync(HttpMethod.Get, ConfigMapPath(ns, name), null, cancellationToken).ConfigureAwait(false);
                return ReadConfigMap(document.RootElement);
            }
            catch (ApiStatusException ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.Reason == "NotFound" && ex.DetailsKind == "configmaps")
            {
                // Only the API server's own "configmaps ... not found": a 404 page from a proxy or a wrong URL, or a
                // missing namespace, is an error rather than an aws-auth that does not exist.
                return null;
            }
        }, cancellationToken);

    public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) =>
        CallAsync(CallKind.Read, "list", "configmaps", ns, async () =>
        {
            var query = labelSelector is null ? string.Empty : "?labelSelector=" + Uri.EscapeDataString(labelSelector);
            using var document = await SendAsync(HttpMethod.Get, ConfigMapPath(ns, null) + query, null, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<ConfigMapObject>)[.. Items(document.RootElement).Select(ReadConfigMap)];
        }, cancellationToken);

    public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) =>
        CallAsync(Kind(mode), "create", "configmaps", configMap.Namespace, async () =>
        {
            using var document = await SendAsync(HttpMethod.Post, ConfigMapPath(configMap.Namespace, null) + DryRun(mode), WriteConfigMap(configMap), cancellationToken).ConfigureAwait(false);
            return ReadConfigMap(document.RootElement);
        }, cancellationToken);

    public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) =>
        CallAsync(Kind(mode), "update", "configmaps/" + configMap.Name, configMap.Namespace, async () =>
        {
            using var document = await SendAsync(HttpMethod.Put, ConfigMapPath(configMap.Namespace, configMap.Name) + DryRun(mode), WriteConfigMap(configMap), cancellationToken).ConfigureAwait(false);
            return ReadConfigMap(document.RootElement);
        }, cancellationToken);

    public Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken) =>
        CallAsync(CallKind.Delete, "delete", "configmaps/" + name, ns, async () =>
        {
            var options = uid is null ? null : JsonBody(writer =>
            {
                writer.WriteString("kind", "DeleteOptions");
                writer.WriteString("apiVersion", "v1");
                writer.WriteStartObject("preconditions");
                writer.WriteString("uid", uid);
                writer.WriteEndObject();
            });
            try
            {
                using var document = await SendAsync(HttpMethod.Delete, ConfigMapPath(ns, name), options, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiStatusException ex) when (uid is not null && ex.StatusCode == HttpStatusCode.Conflict)
            {
                // The name now belongs to another object: the one asked for is gone already.
            }

            return true;
        }, cancellationToken);

    public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) =>
        CallAsync(CallKind.Read, "list", Plural(kind), null, async () =>
        {
            // The API server's own list JSON (ClusterRoleList, ...) is what the RBAC loader reads; no need to decode it here.
            using var response = await SendRawAsync(HttpMethod.Get, "apis/rbac.authorization.k8s.io/v1/" + Plural(kind), null, cancellationToken).ConfigureAwait(false);
            var json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            RequireList(json, ListKind(kind));
            return Encoding.UTF8.GetString(json);
        }, cancellationToken);

    public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) =>
        CallAsync(CallKind.Read, "create", "selfsubjectreviews.authentication.k8s.io", null, async () =>
        {
            try
            {
                var body = JsonBody(writer =>
                {
                    writer.WriteString("apiVersion", "authentication.k8s.io/v1");
                    writer.WriteString("kind", "SelfSubjectReview");
                });
                using var document = await SendAsync(HttpMethod.Post, "apis/authentication.k8s.io/v1/selfsubjectreviews", body, cancellationToken).ConfigureAwait(false);
                return ReadIdentity(document.RootElement);
            }
            catch (ApiStatusException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                return (ClusterIdentity?)null; // before Kubernetes 1.28
            }
        }, cancellationToken);

    public void Dispose() => connection.Dispose();

    private static string ConfigMapPath(string ns, string? name) =>
        "api/v1/namespaces/" + Uri.EscapeDataString(ns) + "/configmaps" + (name is null ? string.Empty : "/" + Uri.EscapeDataString(name));

    /// <summary>A dry-run write stores nothing, so it is retried like a read.</summary>
    private static CallKind Kind(WriteMode mode) => mode == WriteMode.ServerDryRun ? CallKind.Read : CallKind.Write;

    private static string DryRun(WriteMode mode) => mode == WriteMode.ServerDryRun ? "?dryRun=All" : string.Empty;

    private static string ListKind(RbacKind kind) => kind switch
    {
        RbacKind.ClusterRoles => "ClusterRoleList",
        RbacKind.ClusterRoleBindings => "ClusterRoleBindingList",
        RbacKind.Roles => "RoleList",
        _ => "RoleBindingList",
    };

    /// <summary>
    /// The RBAC loader skips what it does not recognise, so a 200 that is not the expected list (a proxy's login page)
    /// would read as a cluster without RBAC objects: refuse it here. Only the top-level keys are looked at; the items
    /// are skipped, not decoded, as the loader reads them next.
    /// </summary>
    private static void RequireList(ReadOnlySpan<byte> json, string kind)
    {
        string? found = null;
        var hasItems = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isKind = reader.ValueTextEquals("kind"u8);
                    var isItems = reader.ValueTextEquals("items"u8);
                    reader.Read();
                    if (isKind && reader.TokenType == JsonTokenType.String)
                    {
                        found = reader.GetString();
                    }
                    else if (isItems)
                    {
                        hasItems = reader.TokenType is JsonTokenType.StartArray or JsonTokenType.Null;
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            throw NotJson(ex);
        }

        if (found != kind || !hasItems)
        {
            throw new ApiResponseException("the API server did not answer with a " + kind);
        }
    }

    private static ApiResponseException NotJson(JsonException ex) => new("the API server's answer is not JSON: " + ex.Message, ex);

    private static string Plural(RbacKind kind) => kind switch
    {
        RbacKind.ClusterRoles => "clusterroles",
        RbacKind.ClusterRoleBindings => "clusterrolebindings",
        RbacKind.Roles => "roles",
        _ => "rolebindings",
    };

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw NotJson(ex);
            }
        }
    }

    /// <summary>
    /// One request as KubernetesClient's typed operations send it: HTTP/2 unless the kubeconfig disables it, the
    /// credentials (token, exec plugin, basic auth) on the request, the TLS server name as Host, and the configured
    /// timeout for the whole exchange. A status outside 2xx becomes an <see cref="ApiStatusException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(config.HttpClientTimeout);
        using var request = new HttpRequestMessage(method, new Uri(connection.BaseUri, path));
        if (!config.DisableHttp2)
        {
            request.Version = HttpVersion.Version20;
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = JsonContentType;
        }

        if (connection.Credentials is { } credentials)
        {
            try
            {
                await credentials.ProcessHttpRequestAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CredentialsException(new TimeoutException("no credentials within " + config.HttpClientTimeout.TotalSeconds + " s", ex));
            }
            catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception or KubernetesException)
            {
                // Exec credential plugins fail this way (command missing, non-zero exit, bad output).
                throw new CredentialsException(ex);
            }
        }

        if (!string.IsNullOrWhiteSpace(config.TlsServerName))
        {
            request.Headers.Host = config.TlsServerName;
        }

        HttpResponseMessage response;
        try
        {
            response = await connection.Client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no answer within " + config.HttpClientTimeout.TotalSeconds + " s", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var (reason, message, detailsKind) = Status(content, response.ReasonPhrase);
            throw new ApiStatusException(response.StatusCode, reason, message, detailsKind) { RetryAfter = response.Headers.RetryAfter };
        }
    }

    /// <summary>
    /// One API call under the retry policy (<see cref="RetryPolicy"/>). A write whose attempt may have been applied
    /// (its answer was lost, or a 5xx came back) is tried again only with its resourceVersion precondition or create
    /// semantics: if that retry finds the object changed (409), or the policy gives up, the caller gets a
    /// <see cref="ClusterWriteUnconfirmedException"/> and must re-read to know. Every failure becomes a
    /// <see cref="ClusterException"/> that says what was attempted, and, when retries were made, each of them.
    /// </summary>
    private async Task<T> CallAsync<T>(CallKind kind, string verb, string resource, string? ns, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var what = verb + " " + resource + (ns is null ? string.Empty : " in namespace " + ns);
        lock (retries)
        {
            firstCall ??= policy.Time.GetUtcNow();
        }

        var failures = new List<string>();
        var mayHaveApplied = false;
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            TimeSpan? asked = null;
            var refused = false;
            string cause;
            try
            {
                var result = await call().ConfigureAwait(false);
                if (failures.Count > 0)
                {
                    Record(what + ": " + string.Join("; ", failures) + "; attempt " + attempt + " succeeded");
                }

                return result;
            }
            catch (ApiStatusException ex) when (mayHaveApplied && kind == CallKind.Write && ex.StatusCode == HttpStatusCode.Conflict)
            {
                throw new ClusterWriteUnconfirmedException(
                    name + ": no answer confirmed the " + what + " (" + string.Join("; ", failures) + "), and attempt " + attempt + " found the object already changed ("
                    + ex.Message + "): the earlier attempt may have been applied",
                    retriesExhausted: false,
                    ex);
            }
            catch (ApiStatusException ex) when (mayHaveApplied && kind == CallKind.Delete && ex.StatusCode == HttpStatusCode.NotFound)
            {
                // The earlier attempt deleted it and its answer was lost.
                Record(what + ": " + string.Join("; ", failures) + "; attempt " + attempt + " found it already deleted");
                return default!;
            }
            catch (ApiStatusException ex) when (RetryPolicy.IsTransient(ex.StatusCode, ex.RetryAfter is not null))
            {
                failure = ex;
                asked = policy.RetryAfter(ex.RetryAfter);
                cause = (int)ex.StatusCode + " " + (ex.Reason ?? ex.StatusCode.ToString()) + (ex.Message.Length > 0 ? " (" + ex.Message + ")" : string.Empty);

                // A 429 was turned away before it was handled; any 5xx may have come after the write was applied.
                mayHaveApplied |= kind != CallKind.Read && ex.StatusCode != HttpStatusCode.TooManyRequests;
            }
            catch (Exception ex) when (RetryPolicy.IsTransient(ex))
            {
                failure = ex;
                cause = Innermost(ex);
                refused = RetryPolicy.NeverSent(ex);
                mayHaveApplied |= kind != CallKind.Read && !refused;
            }
            catch (TimeoutException ex) when (kind != CallKind.Read)
            {
                // Not retried (--request-timeout bounds each request, and a server that hangs once hangs again), but a
                // write that got no answer in time may have been applied: the caller must re-read to know.
                failures.Add("attempt " + attempt + ": " + ex.Message);
                throw new ClusterWriteUnconfirmedException(
                    name + ": no answer confirmed the " + what + " (" + string.Join("; ", failures) + "); it may or may not have been applied", retriesExhausted: true, ex);
            }
            catch (Exception ex) when (ex is ApiStatusException or ApiResponseException or ClusterException or HttpRequestException or InvalidOperationException or IOException or CredentialsException or TimeoutException)
            {
                throw Convert(ex, what);
            }

            var wait = asked ?? policy.Backoff(attempt);
            var elapsed = policy.Time.GetUtcNow() - firstCall!.Value;
            failures.Add("attempt " + attempt + ": " + cause);
            if (!policy.MayRetry(attempt, refused, elapsed, wait))
            {
                var gaveUp = "gave up after " + attempt + (attempt == 1 ? " attempt" : " attempts") + " (" + string.Join("; ", failures) + ")";
                if (mayHaveApplied)
                {
                    throw new ClusterWriteUnconfirmedException(name + ": no answer confirmed the " + what + ": " + gaveUp + "; it may or may not have been applied", retriesExhausted: true, failure);
                }

                var converted = Convert(failure, what);
                var message = converted.Message + "; " + gaveUp;
                throw converted is ClusterUnreachableException ? new ClusterUnreachableException(message, failure) : new ClusterException(message, converted.StatusCode, failure);
            }

            failures[^1] += ", retried after " + RetryPolicy.Seconds(wait) + (asked is null ? string.Empty : " (Retry-After)");
            await policy.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Record(string retried)
    {
        lock (retries)
        {
            retries.Add(retried);
        }
    }

    /// <summary>The <see cref="ClusterException"/> for a failure: what was attempted, with which identity, and what is missing.</summary>
    private ClusterException Convert(Exception failure, string what)
    {
        switch (failure)
        {
            case ApiStatusException ex:
                var code = (int)ex.StatusCode;
                return code switch
                {
                    401 => new ClusterForbiddenException(
                        name + ": 401 Unauthorized: the API server did not accept the credentials of " + identity
                        + " (an expired token, the wrong AWS profile or role, or an IAM identity that is mapped neither in aws-auth nor by an access entry)",
                        401,
                        ex),
                    403 => new ClusterForbiddenException(
                        name + ": 403 Forbidden: " + ex.Message + " (identity: " + identity + "; missing RBAC permission: " + what
                        + "; on EKS, map this IAM identity to a group bound to that permission, in aws-auth or with an access entry)",
                        403,
                        ex),
                    409 => new ClusterConflictException(name + ": " + (ex.Reason == "AlreadyExists" ? "already exists: " : "conflict: ") + ex.Message, ex),
                    _ => new ClusterException(name + ": " + code + " " + (ex.Reason ?? ex.StatusCode.ToString()) + ": " + ex.Message + " (while trying to " + what + ")", code, ex),
                };
            case ApiResponseException ex:
                return new ClusterException(name + ": " + ex.Message + " (while trying to " + what + ")", null, ex);
            case ClusterException ex:
                return ex;
            case TimeoutException ex:
                return new ClusterUnreachableException(name + ": the API server at " + connection.BaseUri + " did not answer in time: " + ex.Message + " (while trying to " + what + ")", ex);
            case CredentialsException ex:
                return new ClusterUnreachableException(name + ": cannot get credentials for " + identity + ": " + Innermost(ex.InnerException!), ex);
            default:
                return new ClusterUnreachableException(name + ": cannot reach the API server at " + connection.BaseUri + ": " + Innermost(failure) + " (while trying to " + what + ")", failure);
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

    /// <summary>The reason, message and details.kind of a metav1.Status body; the text itself when a proxy or load balancer answered.</summary>
    private static (string? Reason, string Message, string? DetailsKind) Status(string content, string? reasonPhrase)
    {
        if (!string.IsNullOrWhiteSpace(content))
        {
            try
            {
                using var document = JsonDocument.Parse(content);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    var details = root.TryGetProperty("details", out var d) ? d : default;
                    return (String(root, "reason"), message.GetString()!, String(details, "kind"));
                }
            }
            catch (JsonException)
            {
                // Not a Status object; show the text.
            }

            return (null, content.Length > 300 ? content[..300] + "..." : content, null);
        }

        return (null, reasonPhrase ?? string.Empty, null);
    }

    private static JsonElement.ArrayEnumerator Items(JsonElement list) =>
        list.ValueKind == JsonValueKind.Object && list.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray()
            : throw new ApiResponseException("the API server's list has no items");

    private static ConfigMapObject ReadConfigMap(JsonElement configMap)
    {
        if (configMap.ValueKind != JsonValueKind.Object)
        {
            throw new ApiResponseException("the API server did not answer with a ConfigMap");
        }

        var metadata = configMap.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return new ConfigMapObject(
            String(metadata, "name") ?? string.Empty,
            String(metadata, "namespace") ?? string.Empty,
            StringMap(configMap, "data"),
            StringMap(metadata, "labels"),
            StringMap(metadata, "annotations"),
            String(metadata, "resourceVersion"),
            String(metadata, "uid"),
            DateTimeOffset.TryParse(String(metadata, "creationTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created) ? created : null);
    }

    private static string? String(JsonElement o, string property) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<KeyValuePair<string, string>> StringMap(JsonElement o, string property) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(property, out var map) && map.ValueKind == JsonValueKind.Object
            ? [.. map.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : string.Empty))]
            : [];

    private static ClusterIdentity? ReadIdentity(JsonElement review)
    {
        if (review.ValueKind != JsonValueKind.Object || !review.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("userInfo", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        static List<string> Strings(JsonElement array) =>
            array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)] : [];

        var groups = user.TryGetProperty("groups", out var g) ? Strings(g) : [];
        var extra = user.TryGetProperty("extra", out var e) && e.ValueKind == JsonValueKind.Object
            ? e.EnumerateObject().Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Name, Strings(p.Value))).ToList()
            : [];
        return new ClusterIdentity(String(user, "username") ?? string.Empty, groups, extra);
    }

    /// <summary>The ConfigMap as the API expects it: the resourceVersion is the precondition of a replace.</summary>
    private static byte[] WriteConfigMap(ConfigMapObject configMap) => JsonBody(writer =>
    {
        writer.WriteString("apiVersion", "v1");
        writer.WriteString("kind", "ConfigMap");
        writer.WriteStartObject("metadata");
        writer.WriteString("name", configMap.Name);
        writer.WriteString("namespace", configMap.Namespace);
        if (configMap.ResourceVersion is not null)
        {
            writer.WriteString("resourceVersion", configMap.ResourceVersion);
        }

        if (configMap.Uid is not null)
        {
            writer.WriteString("uid", configMap.Uid);
        }

        ConfigMapWriter.WriteJsonMap(writer, "labels", configMap.Labels, skipEmpty: true);
        ConfigMapWriter.WriteJsonMap(writer, "annotations", configMap.Annotations, skipEmpty: true);
        writer.WriteEndObject();
        ConfigMapWriter.WriteJsonMap(writer, "data", configMap.Data, skipEmpty: false);
    });

    private static byte[] JsonBody(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A status outside 2xx, with the reason and message of the API server's Status body.</summary>
    private sealed class ApiStatusException(HttpStatusCode statusCode, string? reason, string message, string? detailsKind) : Exception(message)
    {
        public HttpStatusCode StatusCode => statusCode;

        /// <summary>The server's <c>Retry-After</c>, when it sent one.</summary>
        public RetryConditionHeaderValue? RetryAfter { get; init; }

        public string? Reason => reason;

        /// <summary>The resource a NotFound or Conflict is about (<c>configmaps</c>, <c>namespaces</c>), when the Status names it.</summary>
        public string? DetailsKind => detailsKind;
    }

    /// <summary>The credentials of a request could not be had (exec plugin failure, token file, timeout).</summary>
    private sealed class CredentialsException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>An answer that is not the JSON the API defines.</summary>
    private sealed class ApiResponseException(string message, Exception? inner = null) : Exception(message, inner);
}

/// <summary>How an API call may be retried: reads freely; writes so that an attempt that may have landed is never blindly repeated.</summary>
internal enum CallKind
{
    Read,
    Write,
    Delete,
}

/// <summary>A client that retries transient failures and tells which retries it made, for a note on stderr.</summary>
internal interface IRetryReport
{
    IReadOnlyList<string> Retries { get; }
}

/// <summary>A cluster that could not even be configured (bad kubeconfig entry): every call fails with the reason.</summary>
internal sealed class UnavailableClusterClient(string name, string reason) : IClusterClient
{
    public string Name => name;

    public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => Fail<ConfigMapObject?>();

    public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) => Fail<IReadOnlyList<ConfigMapObject>>();

    public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => Fail<ConfigMapObject>();

    public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => Fail<ConfigMapObject>();

    public Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken) => Fail<bool>();

    public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) => Fail<string>();

    public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) => Fail<ClusterIdentity?>();

    private Task<T> Fail<T>() => Task.FromException<T>(new ClusterUnreachableException(name + ": " + reason));
}
