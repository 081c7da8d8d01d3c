using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RoleMap.AccessEntries;
using RoleMap.AwsApi;

namespace RoleMap.Cli.Aws;

/// <summary>
/// The EKS access API over REST-JSON (reference §1): URI labels percent-encoded with only <c>-._~</c> kept, every list
/// followed through <c>nextToken</c>, timestamps as epoch seconds (or ISO strings), errors from
/// <c>x-amzn-ErrorType</c> or the body. Writes are safe to retry: CreateAccessEntry and UpdateClusterConfig carry a
/// clientRequestToken kept across attempts, updates are declarative, and a retried delete that finds nothing is done.
/// </summary>
internal sealed class EksHttpApi(AwsTransport transport) : IEksApi
{
    private const string Service = "eks";
    private const string Json = "application/json";

    public string Region => transport.Region;

    /// <summary>The page size asked for (EKS allows 1..100); null leaves it to EKS (100).</summary>
    public int? PageSize { get; init; }

    public async Task<EksCluster> DescribeClusterAsync(string clusterName, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "DescribeCluster", clusterName);
        var response = await GetAsync(call, "/clusters/" + Label(clusterName), EksJsonContext.Default.EksDescribeClusterResponse, cancellationToken).ConfigureAwait(false);
        var cluster = response.Cluster ?? throw Malformed(call, "no cluster");
        var mode = cluster.AccessConfig?.AuthenticationMode is { } wire
            ? AccessEntryNames.ParseMode(wire) ?? throw Malformed(call, "unknown authenticationMode '" + wire + "'")
            : AuthenticationMode.ConfigMap;
        return new EksCluster(
            cluster.Name ?? clusterName,
            cluster.Arn,
            mode,
            cluster.Status,
            cluster.Version,
            cluster.AccessConfig?.BootstrapClusterCreatorAdminPermissions,
            cluster.ComputeConfig is { Enabled: true } compute ? compute.NodeRoleArn : null,
            cluster.CreatedAt);
    }

    public async Task<IReadOnlyList<string>> ListAccessEntriesAsync(string clusterName, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "ListAccessEntries", clusterName);
        var all = new List<string>();
        string? next = null;
        do
        {
            var page = await GetAsync(call, "/clusters/" + Label(clusterName) + "/access-entries" + PageQuery(next), EksJsonContext.Default.EksListAccessEntriesResponse, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.AccessEntries ?? []);
            next = NextToken(call, next, page.NextToken);
        }
        while (next is not null);
        return all;
    }

    public async Task<LiveAccessEntry> DescribeAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "DescribeAccessEntry", clusterName, principalArn);
        var response = await GetAsync(call, EntryPath(clusterName, principalArn), EksJsonContext.Default.EksAccessEntryResponse, cancellationToken).ConfigureAwait(false);
        return ToEntry(call, response.AccessEntry, principalArn);
    }

    public async Task<IReadOnlyList<AssociatedPolicy>> ListAssociatedAccessPoliciesAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "ListAssociatedAccessPolicies", clusterName, principalArn);
        var all = new List<AssociatedPolicy>();
        string? next = null;
        do
        {
            var page = await GetAsync(call, EntryPath(clusterName, principalArn) + "/access-policies" + PageQuery(next), EksJsonContext.Default.EksListAssociatedPoliciesResponse, cancellationToken).ConfigureAwait(false);
            foreach (var policy in page.AssociatedAccessPolicies ?? [])
            {
                all.Add(new AssociatedPolicy(policy.PolicyArn ?? throw Malformed(call, "an associated policy without policyArn"), ToScope(call, policy.AccessScope), policy.AssociatedAt, policy.ModifiedAt));
            }

            next = NextToken(call, next, page.NextToken);
        }
        while (next is not null);
        return all;
    }

    public async Task<LiveAccessEntry> CreateAccessEntryAsync(string clusterName, NewAccessEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var call = new AwsCallContext(Service, "CreateAccessEntry", clusterName, entry.PrincipalArn);

        // One token for every attempt: EKS answers a repeat of a create it already applied with the same entry.
        var body = new EksCreateAccessEntryRequest(
            entry.PrincipalArn,
            entry.KubernetesGroups.Count == 0 ? null : [.. entry.KubernetesGroups],
            entry.Tags.Count == 0 ? null : new Dictionary<string, string>(entry.Tags),
            Guid.NewGuid().ToString(),
            entry.Username,
            entry.Type.Wire());
        var response = await SendAsync(call, HttpMethod.Post, "/clusters/" + Label(clusterName) + "/access-entries", body, EksJsonContext.Default.EksCreateAccessEntryRequest, EksJsonContext.Default.EksAccessEntryResponse, cancellationToken).ConfigureAwait(false);
        return ToEntry(call, response.AccessEntry, entry.PrincipalArn);
    }

    public async Task<LiveAccessEntry> UpdateAccessEntryAsync(string clusterName, string principalArn, IReadOnlyList<string> kubernetesGroups, string? username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubernetesGroups);
        var call = new AwsCallContext(Service, "UpdateAccessEntry", clusterName, principalArn);
        var body = new EksUpdateAccessEntryRequest([.. kubernetesGroups], Guid.NewGuid().ToString(), username);
        var response = await SendAsync(call, HttpMethod.Post, EntryPath(clusterName, principalArn), body, EksJsonContext.Default.EksUpdateAccessEntryRequest, EksJsonContext.Default.EksAccessEntryResponse, cancellationToken).ConfigureAwait(false);
        return ToEntry(call, response.AccessEntry, principalArn);
    }

    public Task DeleteAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "DeleteAccessEntry", clusterName, principalArn);
        return transport.SendAsync(call, HttpMethod.Delete, EntryPath(clusterName, principalArn), null, null, ParseError, cancellationToken, retriedNotFoundIsDone: true);
    }

    public async Task AssociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, AccessScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var call = new AwsCallContext(Service, "AssociateAccessPolicy", clusterName, principalArn);
        var body = new EksAssociateAccessPolicyRequest(policyArn, new EksAccessScopeWire(scope.Type, scope.IsCluster ? null : [.. scope.Namespaces]));
        await SendAsync(call, HttpMethod.Post, EntryPath(clusterName, principalArn) + "/access-policies", body, EksJsonContext.Default.EksAssociateAccessPolicyRequest, EksJsonContext.Default.EksListAssociatedPoliciesResponse, cancellationToken).ConfigureAwait(false);
    }

    public Task DisassociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "DisassociateAccessPolicy", clusterName, principalArn);
        return transport.SendAsync(call, HttpMethod.Delete, EntryPath(clusterName, principalArn) + "/access-policies/" + Label(policyArn), null, null, ParseError, cancellationToken, retriedNotFoundIsDone: true);
    }

    public async Task<ClusterUpdate> UpdateAuthenticationModeAsync(string clusterName, AuthenticationMode mode, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "UpdateClusterConfig", clusterName);
        var body = new EksUpdateClusterConfigRequest(new EksAccessConfigWire(null, mode.Wire()), Guid.NewGuid().ToString());
        var response = await SendAsync(call, HttpMethod.Post, "/clusters/" + Label(clusterName) + "/update-config", body, EksJsonContext.Default.EksUpdateClusterConfigRequest, EksJsonContext.Default.EksUpdateResponse, cancellationToken).ConfigureAwait(false);
        return ToUpdate(call, response.Update);
    }

    public async Task<ClusterUpdate> DescribeUpdateAsync(string clusterName, string updateId, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, "DescribeUpdate", clusterName);
        var response = await GetAsync(call, "/clusters/" + Label(clusterName) + "/updates/" + Label(updateId), EksJsonContext.Default.EksUpdateResponse, cancellationToken).ConfigureAwait(false);
        return ToUpdate(call, response.Update);
    }

    /// <summary>A URI label as botocore encodes it: everything but unreserved characters (A-Z a-z 0-9 - . _ ~) percent-encoded, so ':' is %3A and '/' is %2F.</summary>
    public static string Label(string value) => Uri.EscapeDataString(value);

    /// <summary>An error answer's code (x-amzn-ErrorType before ':', else the body's code or __type after '#') and message.</summary>
    public static AwsServiceError ParseError(int status, HttpResponseHeaders headers, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? code = null;
        if (headers.TryGetValues("x-amzn-ErrorType", out var values) && values.FirstOrDefault() is { Length: > 0 } header)
        {
            code = header.Split(':')[0];
        }

        EksErrorWire? wire = null;
        try
        {
            wire = body.Length == 0 ? null : JsonSerializer.Deserialize(body, EksJsonContext.Default.EksErrorWire);
        }
        catch (JsonException)
        {
        }

        code ??= (wire?.Code ?? wire?.CodeUpper ?? wire?.Type)?.Split('#')[^1];
        var message = wire?.Message ?? wire?.MessageUpper ?? (wire is null && body.Length > 0 ? System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)) : string.Empty);
        return new AwsServiceError(status, string.IsNullOrEmpty(code) ? null : code, message);
    }

    private static string EntryPath(string clusterName, string principalArn) => "/clusters/" + Label(clusterName) + "/access-entries/" + Label(principalArn);

    private string PageQuery(string? next)
    {
        var query = new List<string>();
        if (PageSize is { } size)
        {
            query.Add("maxResults=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (next is not null)
        {
            query.Add("nextToken=" + Uri.EscapeDataString(next));
        }

        return query.Count == 0 ? string.Empty : "?" + string.Join('&', query);
    }

    /// <summary>The token of the next page, or null at the end; a token that repeats the last one would loop forever.</summary>
    private static string? NextToken(AwsCallContext call, string? previous, string? next)
    {
        if (string.IsNullOrEmpty(next))
        {
            return null;
        }

        return next == previous ? throw Malformed(call, "the same nextToken twice") : next;
    }

    private async Task<T> GetAsync<T>(AwsCallContext call, string pathAndQuery, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var bytes = await transport.SendAsync(call, HttpMethod.Get, pathAndQuery, null, null, ParseError, cancellationToken).ConfigureAwait(false);
        return Parse(call, bytes, typeInfo);
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(AwsCallContext call, HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
    {
        var bytes = await transport.SendAsync(call, method, path, JsonSerializer.SerializeToUtf8Bytes(body, requestInfo), Json, ParseError, cancellationToken).ConfigureAwait(false);
        return Parse(call, bytes, responseInfo);
    }

    private static T Parse<T>(AwsCallContext call, byte[] bytes, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes.Length == 0 ? "{}"u8 : bytes, typeInfo) ?? throw Malformed(call, "null");
        }
        catch (JsonException ex)
        {
            throw Malformed(call, ex.Message);
        }
    }

    private static LiveAccessEntry ToEntry(AwsCallContext call, EksAccessEntryWire? entry, string principalArn)
    {
        if (entry is null)
        {
            throw Malformed(call, "no accessEntry");
        }

        return new LiveAccessEntry(
            entry.PrincipalArn ?? principalArn,
            entry.Type ?? "STANDARD",
            entry.KubernetesGroups ?? [],
            entry.Username,
            entry.Tags ?? [],
            entry.AccessEntryArn,
            entry.CreatedAt,
            entry.ModifiedAt);
    }

    private static AccessScope ToScope(AwsCallContext call, EksAccessScopeWire? scope) => scope?.Type switch
    {
        null or "cluster" => AccessScope.Cluster,
        "namespace" => new AccessScope(scope.Namespaces ?? []),
        var other => throw Malformed(call, "unknown accessScope type '" + other + "'"),
    };

    private static ClusterUpdate ToUpdate(AwsCallContext call, EksUpdateWire? update)
    {
        if (update?.Id is null)
        {
            throw Malformed(call, "no update id");
        }

        return new ClusterUpdate(update.Id, update.Status ?? "InProgress", update.Type, [.. (update.Errors ?? []).Select(e => (e.ErrorCode ?? "Error") + ": " + e.ErrorMessage)]);
    }

    private static AwsApiException Malformed(AwsCallContext call, string detail) =>
        new("EKS answered " + call.Operation + " with a response rolemap cannot read (" + detail + ")", call.Service, call.Operation, "MalformedResponse");
}
