using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RoleMap.FakeEks;

/// <summary>What an injected fault does to the next matching request.</summary>
public enum EksFaultKind
{
    /// <summary>429 ThrottlingException (with Retry-After when given); the request is not handled.</summary>
    Throttle,

    /// <summary>500 ServerException; not handled.</summary>
    ServerError,

    /// <summary>503 ServiceUnavailableException; not handled.</summary>
    Unavailable,

    /// <summary>The connection is dropped before the request is handled.</summary>
    Drop,

    /// <summary>The request is handled (a write is applied), then the connection is dropped before the answer.</summary>
    DropAfterWrite,
}

/// <summary>One injected fault, for the next request of <paramref name="Operation"/> (any when null).</summary>
public sealed record EksFault(EksFaultKind Kind, string? Operation = null, int? RetryAfterSeconds = null);

/// <summary>One request the server saw.</summary>
public sealed record EksRequest(string Method, string RawTarget, string Operation, int Status, string? AccessKey, string Body, EksFaultKind? Fault);

/// <summary>An access policy associated with an entry.</summary>
public sealed record FakePolicy(string PolicyArn, string ScopeType, IReadOnlyList<string> Namespaces, DateTimeOffset AssociatedAt, DateTimeOffset ModifiedAt);

/// <summary>An access entry held by the fake.</summary>
public sealed class FakeAccessEntry
{
    public required string PrincipalArn { get; init; }

    public string Type { get; set; } = "STANDARD";

    public List<string> KubernetesGroups { get; set; } = [];

    public string? Username { get; set; }

    public Dictionary<string, string> Tags { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset ModifiedAt { get; set; } = DateTimeOffset.UtcNow;

    public string? ClientRequestToken { get; set; }

    public Dictionary<string, FakePolicy> Policies { get; } = new(StringComparer.Ordinal);
}

/// <summary>An update of a cluster's configuration, completed after <see cref="FakeEksServer.UpdateSteps"/> DescribeUpdate calls.</summary>
public sealed class FakeUpdate
{
    public required string Id { get; init; }

    public required string Mode { get; init; }

    public required string? ClientRequestToken { get; init; }

    public string Status { get; set; } = "InProgress";

    public int Described { get; set; }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;
}

/// <summary>A cluster held by the fake.</summary>
public sealed class FakeCluster
{
    public required string Name { get; init; }

    public string AuthenticationMode { get; set; } = "API_AND_CONFIG_MAP";

    public string Status { get; set; } = "ACTIVE";

    public string Version { get; set; } = "1.31";

    public bool BootstrapClusterCreatorAdminPermissions { get; set; } = true;

    /// <summary>Auto Mode's node role, when Auto Mode is on.</summary>
    public string? AutoModeNodeRoleArn { get; set; }

    public Dictionary<string, string> Tags { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.FromUnixTimeMilliseconds(1714430631181);

    /// <summary>Entries in creation order (ListAccessEntries pages through them in this order).</summary>
    public List<FakeAccessEntry> Entries { get; } = [];

    public Dictionary<string, FakeUpdate> Updates { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A fake Amazon EKS endpoint in memory, speaking the EKS REST-JSON protocol for every operation rolemap's IEksApi
/// uses plus ListClusters and ListAccessPolicies: access entries, associated access policies, DescribeCluster,
/// UpdateClusterConfig (authentication mode, one way only: CONFIG_MAP → API_AND_CONFIG_MAP → API) and DescribeUpdate.
/// Lists are paged (<see cref="PageSize"/>, small in tests) with opaque nextTokens; every request must be SigV4-signed
/// for service eks by a key in <see cref="Credentials"/> (else 403 as AWS answers); actions in <see cref="Denied"/>
/// answer 403 AccessDeniedException; injected faults answer 429/500/503 or drop the connection. Writes honour
/// clientRequestToken. Binds 127.0.0.1 on a free port, plain HTTP (the aws CLI and rolemap take http:// endpoints).
/// </summary>
public sealed class FakeEksServer : IAsyncDisposable
{
    public const string AccessKey = "AKIAFAKEEKS000000001";
    public const string SecretKey = "fake/eks/secret/key/0000000000000000000";
    public const string Account = "111122223333";

    /// <summary>The session token that the fake answers with ExpiredTokenException.</summary>
    public const string ExpiredSessionToken = "expired-session-token";

    public static readonly IReadOnlyList<string> AccessPolicies =
    [
        "AmazonEKSAdminPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSClusterAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy",
        "AmazonEKSAutoNodePolicy", "AmazonEKSHybridPolicy", "AmazonEKSNetworkingPolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy",
    ];

    private readonly object gate = new();
    private readonly Queue<EksFault> faults = [];
    private readonly List<EksRequest> requests = [];
    private readonly Dictionary<string, FakeCluster> clusters = new(StringComparer.Ordinal);
    private WebApplication? app;

    /// <summary>The region the fake pretends to be (ARNs and messages).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Items per page of every list (EKS: 100; tests use 2 to cross pages). A smaller maxResults wins.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>DescribeUpdate calls an update stays InProgress for.</summary>
    public int UpdateSteps { get; set; } = 1;

    /// <summary>Access keys and their secrets that sign valid requests.</summary>
    public Dictionary<string, string> Credentials { get; } = new(StringComparer.Ordinal) { [AccessKey] = SecretKey };

    /// <summary>Whether signatures are checked (off only for requests the test signs in no way).</summary>
    public bool VerifySignatures { get; set; } = true;

    /// <summary>IAM actions (e.g. eks:ListAccessEntries) refused with 403 AccessDeniedException.</summary>
    public HashSet<string> Denied { get; } = new(StringComparer.Ordinal);

    /// <summary>The base URL, e.g. http://127.0.0.1:38123/.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<EksRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    public int PendingFaults
    {
        get
        {
            lock (gate)
            {
                return faults.Count;
            }
        }
    }

    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Faults for the next matching requests, in order.</summary>
    public void Inject(params EksFault[] next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (gate)
        {
            foreach (var fault in next)
            {
                faults.Enqueue(fault);
            }
        }
    }

    public void ClearRequests()
    {
        lock (gate)
        {
            requests.Clear();
        }
    }

    /// <summary>Adds (or replaces) a cluster.</summary>
    public FakeCluster AddCluster(string name, string authenticationMode = "API_AND_CONFIG_MAP")
    {
        var cluster = new FakeCluster { Name = name, AuthenticationMode = authenticationMode };
        lock (gate)
        {
            clusters[name] = cluster;
        }

        return cluster;
    }

    /// <summary>A cluster, to inspect or change (lock-free: call between requests).</summary>
    public FakeCluster? Cluster(string name)
    {
        lock (gate)
        {
            return clusters.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Seeds clusters from JSON: {"clusters":[{"name","authenticationMode","version","status","autoModeNodeRoleArn",
    /// "tags",“entries”:[{"principalArn","type","kubernetesGroups","username","tags","policies":[{"policyArn",
    /// "accessScope":{"type","namespaces"}}]}]}]}.
    /// </summary>
    public void Seed(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new ArgumentException("seed: not a JSON object", nameof(json));
        foreach (var node in root["clusters"]?.AsArray() ?? [])
        {
            var c = node!.AsObject();
            var cluster = AddCluster((string)c["name"]!, (string?)c["authenticationMode"] ?? "API_AND_CONFIG_MAP");
            cluster.Version = (string?)c["version"] ?? cluster.Version;
            cluster.Status = (string?)c["status"] ?? cluster.Status;
            cluster.AutoModeNodeRoleArn = (string?)c["autoModeNodeRoleArn"];
            cluster.Tags = Strings(c["tags"]);
            foreach (var e in c["entries"]?.AsArray() ?? [])
            {
                var entry = new FakeAccessEntry
                {
                    PrincipalArn = (string)e!["principalArn"]!,
                    Type = (string?)e["type"] ?? "STANDARD",
                    KubernetesGroups = [.. (e["kubernetesGroups"]?.AsArray() ?? []).Select(g => (string)g!)],
                    Tags = Strings(e["tags"]),
                };
                entry.Username = (string?)e["username"] ?? DefaultUsername(entry.PrincipalArn, entry.Type);
                foreach (var p in e["policies"]?.AsArray() ?? [])
                {
                    var scope = p!["accessScope"];
                    var arn = (string)p["policyArn"]!;
                    entry.Policies[arn] = new FakePolicy(arn, (string?)scope?["type"] ?? "cluster", [.. (scope?["namespaces"]?.AsArray() ?? []).Select(n => (string)n!)], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
                }

                cluster.Entries.Add(entry);
            }
        }
    }

    public static string PolicyArn(string name) => "arn:aws:eks::aws:cluster-access-policy/" + name;

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(p => p.Key, p => (string?)p.Value ?? string.Empty, StringComparer.Ordinal) : [];

    /// <summary>The username EKS generates when none is given (eks-access-policies.md): the role's session form, the user's ARN, or the node name for node types.</summary>
    private static string DefaultUsername(string principalArn, string type)
    {
        if (type is "EC2_LINUX" or "EC2_WINDOWS" or "HYBRID_LINUX" or "EC2" or "HYPERPOD_LINUX")
        {
            return "system:node:{{EC2PrivateDNSName}}";
        }

        if (type == "FARGATE_LINUX")
        {
            return "system:node:{{SessionName}}";
        }

        var parts = principalArn.Split(':', 6);
        if (parts.Length == 6 && parts[5].StartsWith("role/", StringComparison.Ordinal))
        {
            return "arn:" + parts[1] + ":sts::" + parts[4] + ":assumed-role/" + parts[5][(parts[5].LastIndexOf('/') + 1)..] + "/{{SessionName}}";
        }

        return principalArn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString).ToString();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? rawTarget : rawTarget[..question];
        var query = ParseQuery(question < 0 ? string.Empty : rawTarget[(question + 1)..]);
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var operation = OperationOf(request.Method, segments);
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value.ToArray()), StringComparer.Ordinal);

        string? accessKey = null;
        (int Status, JsonObject Body, string? ErrorCode) answer;
        EksFault? fault = null;
        var rejection = VerifySignatures ? SigV4Verifier.Verify(request.Method, rawTarget, headers, body, "eks", Credentials, DateTimeOffset.UtcNow, out accessKey) : null;
        if (rejection is not null)
        {
            answer = (403, new JsonObject { ["message"] = rejection.Message }, rejection.Code);
        }
        else if (headers.TryGetValue("x-amz-security-token", out var token) && token == ExpiredSessionToken)
        {
            answer = (403, new JsonObject { ["message"] = "The security token included in the request is expired" }, "ExpiredTokenException");
        }
        else
        {
            fault = NextFault(operation);
            if (fault is { Kind: EksFaultKind.Drop })
            {
                Record(request.Method, rawTarget, operation, 0, accessKey, body, fault.Kind);
                context.Abort();
                return;
            }

            if (fault is { Kind: EksFaultKind.Throttle or EksFaultKind.ServerError or EksFaultKind.Unavailable })
            {
                var (status, code, message) = fault.Kind switch
                {
                    EksFaultKind.Throttle => (429, "ThrottlingException", "Rate exceeded"),
                    EksFaultKind.ServerError => (500, "ServerException", "An internal error occurred."),
                    _ => (503, "ServiceUnavailableException", "The service is unavailable. Back off and retry the operation."),
                };
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                answer = (status, new JsonObject { ["message"] = message }, code);
            }
            else if (operation == "Unknown")
            {
                answer = (404, new JsonObject { ["message"] = "Not Found" }, "UnknownOperationException");
            }
            else if (Denied.Contains("eks:" + operation))
            {
                var resource = segments.Length > 1 && segments[0] == "clusters" ? "arn:aws:eks:" + Region + ":" + Account + ":cluster/" + segments[1] : "*";
                answer = (403, new JsonObject { ["message"] = "User: arn:aws:iam::" + Account + ":user/rolemap-test is not authorized to perform: eks:" + operation + " on resource: " + resource }, "AccessDeniedException");
            }
            else
            {
                JsonObject? input = null;
                try
                {
                    input = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)?.AsObject() ?? new JsonObject();
                }
                catch (System.Text.Json.JsonException)
                {
                }

                answer = input is null ? Error(400, "SerializationException", "Could not parse the request body as JSON") : Route(operation, segments, query, input);
            }
        }

        Record(request.Method, rawTarget, operation, answer.Status, accessKey, body, fault?.Kind);
        if (fault is { Kind: EksFaultKind.DropAfterWrite })
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (answer.ErrorCode is { } errorCode)
        {
            context.Response.Headers["x-amzn-ErrorType"] = errorCode + ":http://internal.amazon.com/coral/com.amazonaws.eks/";
        }

        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer.Body.ToJsonString()), context.RequestAborted).ConfigureAwait(false);
    }

    private void Record(string method, string rawTarget, string operation, int status, string? accessKey, byte[] body, EksFaultKind? fault)
    {
        lock (gate)
        {
            requests.Add(new EksRequest(method, rawTarget, operation, status, accessKey, Encoding.UTF8.GetString(body), fault));
        }
    }

    private EksFault? NextFault(string operation)
    {
        lock (gate)
        {
            if (faults.TryPeek(out var next) && (next.Operation is null || next.Operation == operation))
            {
                return faults.Dequeue();
            }

            return null;
        }
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            result[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }

        return result;
    }

    /// <summary>The EKS operation a method and path name (reference §1.5).</summary>
    public static string OperationOf(string method, string[] s) => (method, s.Length) switch
    {
        ("GET", 1) when s[0] == "clusters" => "ListClusters",
        ("GET", 1) when s[0] == "access-policies" => "ListAccessPolicies",
        ("GET", 2) when s[0] == "clusters" => "DescribeCluster",
        ("POST", 3) when s[0] == "clusters" && s[2] == "update-config" => "UpdateClusterConfig",
        ("GET", 4) when s[0] == "clusters" && s[2] == "updates" => "DescribeUpdate",
        ("GET", 3) when s[0] == "clusters" && s[2] == "access-entries" => "ListAccessEntries",
        ("POST", 3) when s[0] == "clusters" && s[2] == "access-entries" => "CreateAccessEntry",
        ("GET", 4) when s[0] == "clusters" && s[2] == "access-entries" => "DescribeAccessEntry",
        ("POST", 4) when s[0] == "clusters" && s[2] == "access-entries" => "UpdateAccessEntry",
        ("DELETE", 4) when s[0] == "clusters" && s[2] == "access-entries" => "DeleteAccessEntry",
        ("GET", 5) when s[0] == "clusters" && s[2] == "access-entries" && s[4] == "access-policies" => "ListAssociatedAccessPolicies",
        ("POST", 5) when s[0] == "clusters" && s[2] == "access-entries" && s[4] == "access-policies" => "AssociateAccessPolicy",
        ("DELETE", 6) when s[0] == "clusters" && s[2] == "access-entries" && s[4] == "access-policies" => "DisassociateAccessPolicy",
        _ => "Unknown",
    };

    private (int, JsonObject, string?) Route(string operation, string[] s, Dictionary<string, string> query, JsonObject input)
    {
        lock (gate)
        {
            if (operation == "ListClusters")
            {
                var (page, next) = Page([.. clusters.Keys.Order(StringComparer.Ordinal)], query);
                return Ok(new JsonObject { ["clusters"] = Array(page), ["nextToken"] = next });
            }

            if (operation == "ListAccessPolicies")
            {
                var (page, next) = Page([.. AccessPolicies], query);
                return Ok(new JsonObject { ["accessPolicies"] = new JsonArray([.. page.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["arn"] = PolicyArn(n) })]), ["nextToken"] = next });
            }

            if (!clusters.TryGetValue(s[1], out var cluster))
            {
                return Error(404, "ResourceNotFoundException", "No cluster found for name: " + s[1] + ".", s[1]);
            }

            switch (operation)
            {
                case "DescribeCluster":
                    return Ok(new JsonObject { ["cluster"] = ClusterJson(cluster) });
                case "UpdateClusterConfig":
                    return UpdateClusterConfig(cluster, input);
                case "DescribeUpdate":
                    return DescribeUpdate(cluster, s[3]);
            }

            if (cluster.AuthenticationMode == "CONFIG_MAP")
            {
                return Error(400, "InvalidRequestException", "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", cluster.Name);
            }

            if (operation == "ListAccessEntries")
            {
                IEnumerable<FakeAccessEntry> entries = cluster.Entries;
                if (query.TryGetValue("associatedPolicyArn", out var filter))
                {
                    entries = entries.Where(e => e.Policies.ContainsKey(filter));
                }

                var (page, next) = Page([.. entries.Select(e => e.PrincipalArn)], query);
                return Ok(new JsonObject { ["accessEntries"] = Array(page), ["nextToken"] = next });
            }

            if (operation == "CreateAccessEntry")
            {
                return CreateAccessEntry(cluster, input);
            }

            var principal = s[3];
            var entry = cluster.Entries.FirstOrDefault(e => e.PrincipalArn == principal);
            if (entry is null)
            {
                return Error(404, "ResourceNotFoundException", "The specified access entry resource can't be found on this cluster.", cluster.Name);
            }

            switch (operation)
            {
                case "DescribeAccessEntry":
                    return Ok(new JsonObject { ["accessEntry"] = EntryJson(cluster, entry) });
                case "UpdateAccessEntry":
                    if (input["kubernetesGroups"] is JsonArray groups)
                    {
                        var list = groups.Select(g => (string)g!).ToList();
                        if (list.FirstOrDefault(g => g.StartsWith("system:", StringComparison.Ordinal)) is { } bad)
                        {
                            return Error(400, "InvalidParameterException", "The kubernetes group name " + bad + " is invalid, it cannot start with system:", cluster.Name);
                        }

                        entry.KubernetesGroups = list;
                    }

                    if ((string?)input["username"] is { } username)
                    {
                        entry.Username = username;
                    }

                    entry.ModifiedAt = DateTimeOffset.UtcNow;
                    return Ok(new JsonObject { ["accessEntry"] = EntryJson(cluster, entry) });
                case "DeleteAccessEntry":
                    cluster.Entries.Remove(entry);
                    return Ok(new JsonObject());
                case "ListAssociatedAccessPolicies":
                    {
                        var policies = entry.Policies.Values.ToList();
                        var (page, next) = Page([.. policies.Select(p => p.PolicyArn)], query);
                        return Ok(new JsonObject
                        {
                            ["clusterName"] = cluster.Name,
                            ["principalArn"] = entry.PrincipalArn,
                            ["nextToken"] = next,
                            ["associatedAccessPolicies"] = new JsonArray([.. page.Select(arn => (JsonNode)PolicyJson(entry.Policies[arn]))]),
                        });
                    }

                case "AssociateAccessPolicy":
                    return AssociateAccessPolicy(cluster, entry, input);
                case "DisassociateAccessPolicy":
                    return entry.Policies.Remove(s[5])
                        ? Ok(new JsonObject())
                        : Error(404, "ResourceNotFoundException", "The specified access policy association can't be found.", cluster.Name);
            }

            return Error(404, "UnknownOperationException", "Not Found");
        }
    }

    private (int, JsonObject, string?) CreateAccessEntry(FakeCluster cluster, JsonObject input)
    {
        var principal = (string?)input["principalArn"];
        if (string.IsNullOrEmpty(principal) || !principal.StartsWith("arn:", StringComparison.Ordinal))
        {
            return Error(400, "InvalidParameterException", "The principalArn parameter format is not valid", cluster.Name);
        }

        var token = (string?)input["clientRequestToken"];
        var existing = cluster.Entries.FirstOrDefault(e => e.PrincipalArn == principal);
        if (existing is not null)
        {
            // A repeat of a create already applied (same token) gets the entry, as the idempotency token promises.
            return token is not null && existing.ClientRequestToken == token
                ? Ok(new JsonObject { ["accessEntry"] = EntryJson(cluster, existing) })
                : Error(409, "ResourceInUseException", "The specified access entry resource is already in use on this cluster.", cluster.Name);
        }

        var type = (string?)input["type"] ?? "STANDARD";
        if (type is not ("STANDARD" or "EC2_LINUX" or "EC2_WINDOWS" or "FARGATE_LINUX" or "HYBRID_LINUX" or "EC2" or "HYPERPOD_LINUX"))
        {
            return Error(400, "InvalidParameterException", "The type " + type + " is not valid", cluster.Name);
        }

        var groups = (input["kubernetesGroups"]?.AsArray() ?? []).Select(g => (string)g!).ToList();
        if (groups.FirstOrDefault(g => g.StartsWith("system:", StringComparison.Ordinal)) is { } bad)
        {
            return Error(400, "InvalidParameterException", "The kubernetes group name " + bad + " is invalid, it cannot start with system:", cluster.Name);
        }

        if (type != "STANDARD" && (groups.Count > 0 || input["username"] is not null))
        {
            return Error(400, "InvalidParameterException", "Kubernetes groups and username cannot be specified for access entries of type " + type, cluster.Name);
        }

        var entry = new FakeAccessEntry
        {
            PrincipalArn = principal,
            Type = type,
            KubernetesGroups = groups,
            Username = (string?)input["username"] ?? DefaultUsername(principal, type),
            Tags = Strings(input["tags"]),
            ClientRequestToken = token,
        };
        cluster.Entries.Add(entry);
        return Ok(new JsonObject { ["accessEntry"] = EntryJson(cluster, entry) });
    }

    private static (int, JsonObject, string?) AssociateAccessPolicy(FakeCluster cluster, FakeAccessEntry entry, JsonObject input)
    {
        var arn = (string?)input["policyArn"];
        var scope = input["accessScope"];
        var type = (string?)scope?["type"];
        var namespaces = (scope?["namespaces"]?.AsArray() ?? []).Select(n => (string)n!).ToList();
        if (arn is null || !AccessPolicies.Any(p => PolicyArn(p) == arn))
        {
            return Error(400, "InvalidParameterException", "The policyArn " + arn + " is not valid", cluster.Name);
        }

        if (type is not ("cluster" or "namespace") || (type == "namespace" && namespaces.Count == 0))
        {
            return Error(400, "InvalidParameterException", "The accessScope is not valid: type must be cluster, or namespace with namespaces", cluster.Name);
        }

        var now = DateTimeOffset.UtcNow;
        var associatedAt = entry.Policies.TryGetValue(arn, out var old) ? old.AssociatedAt : now;
        var policy = new FakePolicy(arn, type, type == "namespace" ? namespaces : [], associatedAt, now);
        entry.Policies[arn] = policy;
        return Ok(new JsonObject { ["clusterName"] = cluster.Name, ["principalArn"] = entry.PrincipalArn, ["associatedAccessPolicy"] = PolicyJson(policy) });
    }

    private static readonly string[] ModeOrder = ["CONFIG_MAP", "API_AND_CONFIG_MAP", "API"];

    private (int, JsonObject, string?) UpdateClusterConfig(FakeCluster cluster, JsonObject input)
    {
        var token = (string?)input["clientRequestToken"];
        if (token is not null && cluster.Updates.Values.FirstOrDefault(u => u.ClientRequestToken == token) is { } repeat)
        {
            return Ok(new JsonObject { ["update"] = UpdateJson(repeat) });
        }

        var mode = (string?)input["accessConfig"]?["authenticationMode"];
        if (mode is null)
        {
            return Error(400, "InvalidParameterException", "The fake supports accessConfig.authenticationMode updates only", cluster.Name);
        }

        if (cluster.Updates.Values.Any(u => u.Status == "InProgress"))
        {
            return Error(409, "ResourceInUseException", "Cannot update cluster " + cluster.Name + " because an update is in progress.", cluster.Name);
        }

        var from = System.Array.IndexOf(ModeOrder, cluster.AuthenticationMode);
        var to = System.Array.IndexOf(ModeOrder, mode);
        if (to < 0)
        {
            return Error(400, "InvalidParameterException", "Unsupported authentication mode: " + mode, cluster.Name);
        }

        if (to <= from)
        {
            // EKS only moves towards API; the error code is unverified (reference §8), this is the documented meaning.
            return Error(400, "InvalidParameterException", "Unsupported authentication mode update from " + cluster.AuthenticationMode + " to " + mode, cluster.Name);
        }

        var update = new FakeUpdate { Id = Guid.NewGuid().ToString(), Mode = mode, ClientRequestToken = token };
        cluster.Updates[update.Id] = update;
        cluster.Status = "UPDATING";
        if (UpdateSteps <= 0)
        {
            Complete(cluster, update);
        }

        return Ok(new JsonObject { ["update"] = UpdateJson(update) });
    }

    private (int, JsonObject, string?) DescribeUpdate(FakeCluster cluster, string id)
    {
        if (!cluster.Updates.TryGetValue(id, out var update))
        {
            return Error(404, "ResourceNotFoundException", "No update found for ID: " + id + ".", cluster.Name);
        }

        if (update.Status == "InProgress" && ++update.Described > UpdateSteps - 1)
        {
            Complete(cluster, update);
        }

        return Ok(new JsonObject { ["update"] = UpdateJson(update) });
    }

    private static void Complete(FakeCluster cluster, FakeUpdate update)
    {
        update.Status = "Successful";
        cluster.AuthenticationMode = update.Mode;
        cluster.Status = "ACTIVE";
    }

    private (List<string> Page, string? Next) Page(List<string> all, Dictionary<string, string> query)
    {
        var size = PageSize;
        if (query.TryGetValue("maxResults", out var max) && int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var asked))
        {
            size = Math.Min(size, Math.Clamp(asked, 1, 100));
        }

        var offset = 0;
        if (query.TryGetValue("nextToken", out var token))
        {
            offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':')[1], CultureInfo.InvariantCulture);
        }

        var page = all.Skip(offset).Take(size).ToList();
        var next = offset + size < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + (offset + size).ToString(CultureInfo.InvariantCulture) + ":" + Guid.NewGuid().ToString("N")[..8])) : null;
        return (page, next);
    }

    private JsonObject ClusterJson(FakeCluster cluster)
    {
        var json = new JsonObject
        {
            ["name"] = cluster.Name,
            ["arn"] = "arn:aws:eks:" + Region + ":" + Account + ":cluster/" + cluster.Name,
            ["createdAt"] = Epoch(cluster.CreatedAt),
            ["version"] = cluster.Version,
            ["endpoint"] = "https://EXAMPLE0123456789ABCDEF.gr7." + Region + ".eks.amazonaws.com",
            ["roleArn"] = "arn:aws:iam::" + Account + ":role/eks-cluster-role",
            ["status"] = cluster.Status,
            ["platformVersion"] = "eks.1",
            ["tags"] = new JsonObject([.. cluster.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
            ["accessConfig"] = new JsonObject { ["bootstrapClusterCreatorAdminPermissions"] = cluster.BootstrapClusterCreatorAdminPermissions, ["authenticationMode"] = cluster.AuthenticationMode },
        };
        if (cluster.AutoModeNodeRoleArn is { } nodeRole)
        {
            json["computeConfig"] = new JsonObject { ["enabled"] = true, ["nodePools"] = new JsonArray("general-purpose", "system"), ["nodeRoleArn"] = nodeRole };
        }

        return json;
    }

    private JsonObject EntryJson(FakeCluster cluster, FakeAccessEntry entry)
    {
        var json = new JsonObject
        {
            ["clusterName"] = cluster.Name,
            ["principalArn"] = entry.PrincipalArn,
            ["kubernetesGroups"] = Array(entry.KubernetesGroups),
            ["accessEntryArn"] = "arn:aws:eks:" + Region + ":" + Account + ":access-entry/" + cluster.Name + "/" + entry.PrincipalArn.Split(':').Last().Split('/')[0] + "/" + Account + "/" + entry.PrincipalArn.Split('/').Last() + "/" + Math.Abs(entry.PrincipalArn.GetHashCode(StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture),
            ["createdAt"] = Epoch(entry.CreatedAt),
            ["modifiedAt"] = Epoch(entry.ModifiedAt),
            ["tags"] = new JsonObject([.. entry.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
            ["type"] = entry.Type,
        };
        if (entry.Username is not null)
        {
            json["username"] = entry.Username;
        }

        return json;
    }

    private static JsonObject PolicyJson(FakePolicy policy)
    {
        var scope = new JsonObject { ["type"] = policy.ScopeType };
        if (policy.ScopeType == "namespace")
        {
            scope["namespaces"] = Array(policy.Namespaces);
        }

        return new JsonObject { ["policyArn"] = policy.PolicyArn, ["accessScope"] = scope, ["associatedAt"] = Epoch(policy.AssociatedAt), ["modifiedAt"] = Epoch(policy.ModifiedAt) };
    }

    private static JsonObject UpdateJson(FakeUpdate update) => new()
    {
        ["id"] = update.Id,
        ["status"] = update.Status,
        ["type"] = "AccessConfigUpdate",
        ["params"] = new JsonArray(new JsonObject { ["type"] = "AuthenticationMode", ["value"] = update.Mode }),
        ["createdAt"] = Epoch(update.CreatedAt),
        ["errors"] = new JsonArray(),
    };

    /// <summary>Epoch seconds with milliseconds, as EKS sends timestamps.</summary>
    private static decimal Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000m;

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static (int, JsonObject, string?) Ok(JsonObject body) => (200, body, null);

    private static (int, JsonObject, string?) Error(int status, string code, string message, string? clusterName = null)
    {
        var body = new JsonObject { ["message"] = message };
        if (clusterName is not null)
        {
            body["clusterName"] = clusterName;
        }

        return (status, body, code);
    }
}
