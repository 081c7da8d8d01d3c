using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RoleMap.TestApiServer;

/// <summary>A bearer token's identity and what it may do ("verb resource", "*" for everything).</summary>
public sealed record TestUser(string Token, string Username, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, string> Extra, IReadOnlyList<string> Allowed)
{
    public bool May(string verb, string resource) =>
        Allowed.Any(a => a == "*" || a == verb + " " + resource || a == verb + " *" || a == "* " + resource);
}

/// <summary>What a fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>429 TooManyRequests with Retry-After; the request is not handled.</summary>
    TooManyRequests,

    /// <summary>503 ServiceUnavailable with Retry-After; the request is not handled.</summary>
    Unavailable,

    /// <summary>500 InternalError without Retry-After; the request is not handled.</summary>
    InternalError,

    /// <summary>The connection (HTTP/2: the stream) is reset before the request is handled.</summary>
    Reset,

    /// <summary>The request is handled (a write is stored), then the connection is dropped before the answer.</summary>
    DropAfterWrite,

    /// <summary>The request is handled and half of the answer is sent, then the connection is dropped.</summary>
    EndEarly,
}

/// <summary>One injected fault, for the next request with this method (any when null) whose path contains <paramref name="PathContains"/>.</summary>
public sealed record Fault(FaultKind Kind, string? Method = null, string? PathContains = null, int? RetryAfterSeconds = 0);

/// <summary>Random faults (probabilities per API request, seeded), and a latency added to every answer.</summary>
public sealed record FaultOptions
{
    public static FaultOptions None { get; } = new();

    public int Seed { get; init; } = 1;

    public double TooManyRequests { get; init; }

    public double Unavailable { get; init; }

    public double InternalError { get; init; }

    /// <summary>Of writes only: handled, then the connection dropped before the answer.</summary>
    public double DropAfterWrite { get; init; }

    /// <summary>The Retry-After of the 429 and 503 answers; null sends none.</summary>
    public int? RetryAfterSeconds { get; init; }

    public TimeSpan Latency { get; init; }
}

/// <summary>One request the server answered, for tests that check what a client sent.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, int Status, FaultKind? Fault = null);

/// <summary>
/// A Kubernetes API server in memory, speaking the real REST protocol for what rolemap (and kubectl get, create,
/// replace, delete) uses: discovery (/version, /api, /apis and the group versions), ConfigMaps (get, list with label
/// selectors, create, replace with resourceVersion preconditions, delete), the four RBAC kinds, SelfSubjectReview,
/// dryRun=All, and errors as Status objects (401, 403, 404, 409 Conflict and AlreadyExists, 422 Invalid). Bound to
/// 127.0.0.1 on a free port; HTTPS with a certificate authority made at start (clients such as kubectl send bearer
/// tokens only over TLS), and bearer tokens.
/// </summary>
public sealed partial class KubeApiServer : IAsyncDisposable
{
    public const string AdminToken = "admin-token";
    public const string AdminArn = "arn:aws:iam::111122223333:role/Admin";

    /// <summary>A path prefix the server also answers under, as the API server behind Rancher's proxy (/k8s/clusters/ID).</summary>
    public const string ProxyPrefix = "/k8s/clusters/c-test";

    /// <summary>Under this prefix every request gets 200 and an HTML page, as from an authenticating proxy's login page.</summary>
    public const string LoginPagePrefix = "/login";

    private static readonly Resource[] Resources =
    [
        new(string.Empty, "v1", "configmaps", "ConfigMap", true),
        new(string.Empty, "v1", "namespaces", "Namespace", false),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
    ];

    private readonly object gate = new();
    private readonly Queue<Fault> scripted = [];
    private FaultOptions faults = FaultOptions.None;
    private Random faultRandom = new(1);
    private readonly Dictionary<(string Resource, string Namespace, string Name), JsonObject> store = [];
    private readonly List<RecordedRequest> requests = [];
    private readonly List<TestUser> users = [];
    private WebApplication? app;
    private string caPem = string.Empty;
    private X509Certificate2? caWithKey;
    private long resourceVersion = 1000;

    public KubeApiServer()
    {
        users.Add(new TestUser(
            AdminToken,
            "kubernetes-admin",
            ["system:masters", "system:authenticated"],
            new Dictionary<string, string> { ["arn"] = "arn:aws:sts::111122223333:assumed-role/Admin/admin-session", ["canonicalArn"] = AdminArn, ["sessionName"] = "admin-session" },
            ["*"]));
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Put("namespaces", string.Empty, ns, new JsonObject { ["status"] = new JsonObject { ["phase"] = "Active" } });
        }
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:38123.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Faults injected at random (seeded) from now on, and the latency of every answer.</summary>
    public FaultOptions Faults
    {
        get
        {
            lock (gate)
            {
                return faults;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (gate)
            {
                faults = value;
                faultRandom = new Random(value.Seed);
            }
        }
    }

    /// <summary>Faults for the next matching requests, in order, before any random ones.</summary>
    public void Inject(params Fault[] next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (gate)
        {
            foreach (var fault in next)
            {
                scripted.Enqueue(fault);
            }
        }
    }

    /// <summary>How many scripted faults have not been used yet.</summary>
    public int PendingFaults
    {
        get
        {
            lock (gate)
            {
                return scripted.Count;
            }
        }
    }

    public void AddUser(TestUser user)
    {
        lock (gate)
        {
            users.RemoveAll(u => u.Token == user.Token);
            users.Add(user);
        }
    }

    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        var certificate = CreateCertificates();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            // Client certificates are optional (most users send bearer tokens) and checked in Authenticate.
            ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        builder.Services.AddRoutingCore();
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>The PEM of the certificate authority that signed the server's certificate.</summary>
    public string CertificateAuthorityPem => caPem;

    /// <summary>
    /// A client certificate signed by the server's CA for an existing user, as kubeadm issues the admin's: the API
    /// server authenticates a request that carries it (and no bearer token) as the user whose token is the CN.
    /// </summary>
    public (string CertificatePem, string KeyPem) IssueClientCertificate(string token)
    {
        var ca = caWithKey ?? throw new InvalidOperationException("start the server first");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + token, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddDays(29), serial);
        return (signed.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        caWithKey?.Dispose();
    }

    /// <summary>
    /// A kubeconfig with one context per user (named after the token without "-token"), current context "test"; with
    /// <paramref name="fleet"/> &gt; 0 also contexts test-1 .. test-N for the administrator, as a fleet of clusters.
    /// </summary>
    public string Kubeconfig(string currentContext = "test", int fleet = 0)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: ").Append(Url.ToString().TrimEnd('/')).Append('\n');
        sb.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))).Append('\n');
        sb.Append("contexts:\n");
        List<TestUser> all;
        lock (gate)
        {
            all = [.. users];
        }

        foreach (var user in all)
        {
            var name = user.Token == AdminToken ? "test" : user.Token.Replace("-token", string.Empty, StringComparison.Ordinal);
            sb.Append("- name: ").Append(name).Append("\n  context:\n    cluster: test\n    user: ").Append(name).Append("\n    namespace: default\n");
        }

        for (var i = 1; i <= fleet; i++)
        {
            sb.Append("- name: test-").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\n  context:\n    cluster: test\n    user: test\n");
        }

        sb.Append("current-context: ").Append(currentContext).Append("\nusers:\n");
        foreach (var user in all)
        {
            var name = user.Token == AdminToken ? "test" : user.Token.Replace("-token", string.Empty, StringComparison.Ordinal);
            sb.Append("- name: ").Append(name).Append("\n  user:\n    token: ").Append(user.Token).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Stores an object directly (seeding), as if created through the API.</summary>
    public JsonObject Put(string resource, string ns, string name, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        lock (gate)
        {
            var metadata = body["metadata"] as JsonObject ?? [];
            body["metadata"] = metadata;
            metadata["name"] = name;
            if (ns.Length > 0)
            {
                metadata["namespace"] = ns;
            }

            metadata["uid"] ??= Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= Now();
            metadata["resourceVersion"] = NextVersion();
            store[(resource, ns, name)] = body;
            return (JsonObject)body.DeepClone();
        }
    }

    /// <summary>
    /// Changes a stored object in one step, as another writer whose update won the race would (the resourceVersion
    /// moves on); <paramref name="change"/> gets a copy and returns the new object.
    /// </summary>
    public JsonObject? Update(string resource, string ns, string name, Func<JsonObject, JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (gate)
        {
            if (!store.TryGetValue((resource, ns, name), out var found))
            {
                return null;
            }

            var changed = change((JsonObject)found.DeepClone());
            ((JsonObject)changed["metadata"]!)["resourceVersion"] = NextVersion();
            store[(resource, ns, name)] = changed;
            return (JsonObject)changed.DeepClone();
        }
    }

    /// <summary>Drops scripted faults not used yet and turns random faults and latency off.</summary>
    public void ClearFaults()
    {
        lock (gate)
        {
            scripted.Clear();
            faults = FaultOptions.None;
        }
    }

    /// <summary>A stored object, or null.</summary>
    public JsonObject? Get(string resource, string ns, string name)
    {
        lock (gate)
        {
            return store.TryGetValue((resource, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost signed by it.</summary>
    private X509Certificate2 CreateCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=rolemap-test-apiserver-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        caWithKey = ca;
        caPem = ca.ExportCertificatePem() + "\n";

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddDays(29), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private string NextVersion() => (++resourceVersion).ToString(CultureInfo.InvariantCulture);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(LoginPagePrefix))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>Sign in</body></html>", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (request.Path.StartsWithSegments(ProxyPrefix, out var rest))
        {
            request.Path = rest;
        }

        var (fault, latency) = NextFault(request);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
        }

        if (fault is { Kind: FaultKind.TooManyRequests or FaultKind.Unavailable or FaultKind.InternalError or FaultKind.Reset })
        {
            await RespondWithFaultAsync(context, fault).ConfigureAwait(false);
            return;
        }

        var (status, body) = await RouteAsync(context).ConfigureAwait(false);
        lock (gate)
        {
            requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty, status, fault?.Kind));
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        if (fault is { Kind: FaultKind.DropAfterWrite })
        {
            // The request was handled (a write is stored); the client never hears about it.
            context.Abort();
            return;
        }

        if (fault is { Kind: FaultKind.EndEarly })
        {
            // Headers and half the answer, then the connection goes.
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The fault for this request: the next scripted one that matches, else a random one from <see cref="Faults"/>; and the latency.</summary>
    private (Fault? Fault, TimeSpan Latency) NextFault(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var isApi = path.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) || path.StartsWith("/apis/rbac.authorization.k8s.io/", StringComparison.Ordinal) || path.StartsWith("/apis/authentication.k8s.io/v1/selfsubjectreviews", StringComparison.Ordinal);
        var isWrite = request.Method is "POST" or "PUT" or "DELETE";
        lock (gate)
        {
            if (!isApi)
            {
                return (null, faults.Latency);
            }

            if (scripted.TryPeek(out var next) && (next.Method is null || next.Method == request.Method) && (next.PathContains is null || path.Contains(next.PathContains, StringComparison.Ordinal)))
            {
                return (scripted.Dequeue(), faults.Latency);
            }

            var roll = faultRandom.NextDouble();
            Fault? random = null;
            foreach (var (kind, probability) in new[] { (FaultKind.TooManyRequests, faults.TooManyRequests), (FaultKind.Unavailable, faults.Unavailable), (FaultKind.InternalError, faults.InternalError), (FaultKind.DropAfterWrite, isWrite ? faults.DropAfterWrite : 0) })
            {
                if (roll < probability)
                {
                    random = new Fault(kind, RetryAfterSeconds: faults.RetryAfterSeconds);
                    break;
                }

                roll -= probability;
            }

            return (random, faults.Latency);
        }
    }

    private async Task RespondWithFaultAsync(HttpContext context, Fault fault)
    {
        var request = context.Request;
        var (status, body) = fault.Kind switch
        {
            FaultKind.TooManyRequests => Status(429, "TooManyRequests", "Too many requests, please try again later."),
            FaultKind.Unavailable => Status(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
            FaultKind.InternalError => Status(500, "InternalError", "Internal error occurred: etcdserver: request timed out"),
            _ => (0, (JsonNode)new JsonObject()),
        };
        lock (gate)
        {
            requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty, fault.Kind == FaultKind.Reset ? 0 : status, fault.Kind));
        }

        if (fault.Kind == FaultKind.Reset)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (fault.Kind != FaultKind.InternalError && fault.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<(int Status, JsonNode Body)> RouteAsync(HttpContext context)
    {
        var request = context.Request;
        var path = (request.Path.Value ?? "/").TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        var user = Authenticate(request);
        if (user is null)
        {
            return Status(401, "Unauthorized", "Unauthorized");
        }

        if (request.Method == "GET" && path == "/version")
        {
            return (200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-rolemap-test", ["platform"] = "linux/amd64" });
        }

        if (request.Method == "GET" && path == "/api")
        {
            return (200, new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = Url.Authority }),
            });
        }

        if (request.Method == "GET" && path == "/apis")
        {
            var groups = new JsonArray();
            foreach (var group in new[] { "rbac.authorization.k8s.io", "authentication.k8s.io" })
            {
                var version = new JsonObject { ["groupVersion"] = group + "/v1", ["version"] = "v1" };
                groups.Add(new JsonObject { ["name"] = group, ["versions"] = new JsonArray(version), ["preferredVersion"] = version.DeepClone() });
            }

            return (200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups });
        }

        if (request.Method == "GET" && (path == "/api/v1" || path == "/apis/rbac.authorization.k8s.io/v1" || path == "/apis/authentication.k8s.io/v1"))
        {
            return (200, Discovery(path));
        }

        if (request.Method == "GET" && path == "/openapi/v3")
        {
            var paths = new JsonObject();
            foreach (var groupVersion in Resources.Select(r => r.Group.Length == 0 ? "api/v1" : "apis/" + r.Group + "/" + r.Version).Distinct())
            {
                paths[groupVersion] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + groupVersion + "?hash=0" };
            }

            return (200, new JsonObject { ["paths"] = paths });
        }

        if (request.Method == "GET" && path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            return OpenApi(path["/openapi/v3/".Length..]);
        }

        if (path == "/apis/authentication.k8s.io/v1/selfsubjectreviews")
        {
            return request.Method == "POST" ? (201, SelfSubjectReview(user)) : Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }

        if (!TryParseResourcePath(segments, out var target))
        {
            return Status(404, "NotFound", "the server could not find the requested resource");
        }

        var dryRun = request.Query["dryRun"].ToString();
        if (dryRun.Length > 0 && dryRun != "All")
        {
            return Status(400, "BadRequest", "dryRun: Unsupported value: \"" + dryRun + "\": supported values: \"All\"");
        }

        var verb = request.Method switch
        {
            "GET" => target.Name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "DELETE" => "delete",
            _ => null,
        };
        if (verb is null || (verb == "create" && target.Name is not null) || (verb is "update" or "delete" && target.Name is null))
        {
            return Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }

        if (!user.May(verb, target.Resource.Plural))
        {
            var what = target.Resource.Plural + (target.Name is null ? string.Empty : " \"" + target.Name + "\"");
            var where = target.Namespace is null ? " at the cluster scope" : " in the namespace \"" + target.Namespace + "\"";
            return Status(403, "Forbidden", what + " is forbidden: User \"" + user.Username + "\" cannot " + verb + " resource \"" + target.Resource.Plural + "\" in API group \"" + target.Resource.Group + "\"" + where, target.Name, target.Resource.Plural);
        }

        JsonObject? body = null;
        if (verb is "create" or "update" && !(request.ContentType ?? "application/json").StartsWith("application/json", StringComparison.Ordinal))
        {
            return Status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json");
        }

        if (verb is "create" or "update")
        {
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
            }
            catch (JsonException ex)
            {
                return Status(400, "BadRequest", "the body of the request was in an unknown format: " + ex.Message);
            }

            if (body is null)
            {
                return Status(400, "BadRequest", "the body of the request was in an unknown format");
            }
        }

        if (verb == "delete" && request.ContentLength is > 0)
        {
            // DeleteOptions: only preconditions.uid is honoured (what kubectl and rolemap send).
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
            }
            catch (JsonException ex)
            {
                return Status(400, "BadRequest", "the body of the request was in an unknown format: " + ex.Message);
            }
        }

        if (body is not null && verb != "delete" && request.Query["fieldValidation"].ToString() == "Strict" && UnknownField(target.Resource, body) is { } unknown)
        {
            return Status(400, "BadRequest", "strict decoding error: unknown field \"" + unknown + "\"");
        }

        lock (gate)
        {
            return verb switch
            {
                "get" => GetOne(target),
                "list" => List(target, request.Query["labelSelector"].ToString()),
                "create" => Create(target, body!, dryRun.Length > 0),
                "update" => Update(target, body!, dryRun.Length > 0),
                _ => Delete(target, body?["preconditions"]?["uid"]?.GetValue<string>(), dryRun.Length > 0),
            };
        }
    }

    private TestUser? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        string token;
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (request.HttpContext.Connection.ClientCertificate is { } certificate && IssuedByCa(certificate))
        {
            token = certificate.GetNameInfo(X509NameType.SimpleName, false);
        }
        else
        {
            return null;
        }

        lock (gate)
        {
            return users.FirstOrDefault(u => u.Token == token);
        }
    }

    private bool IssuedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caWithKey!);
        return chain.Build(certificate);
    }

    private static JsonObject SelfSubjectReview(TestUser user)
    {
        var extra = new JsonObject();
        foreach (var (key, value) in user.Extra)
        {
            extra[key] = new JsonArray(value);
        }

        return new JsonObject
        {
            ["kind"] = "SelfSubjectReview",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["status"] = new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = user.Username,
                    ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)JsonValue.Create(g))]),
                    ["extra"] = extra,
                },
            },
        };
    }

    private static JsonObject Discovery(string path)
    {
        var groupVersion = path == "/api/v1" ? "v1" : path["/apis/".Length..];
        var resources = new JsonArray();
        var verbs = new JsonArray("create", "delete", "get", "list", "update");
        foreach (var resource in Resources.Where(r => (r.Group.Length == 0 ? "v1" : r.Group + "/" + r.Version) == groupVersion))
        {
            resources.Add(new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Kind.ToLowerInvariant(),
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = verbs.DeepClone(),
                ["shortNames"] = resource.Plural == "configmaps" ? new JsonArray("cm") : null,
            });
        }

        if (groupVersion == "authentication.k8s.io/v1")
        {
            resources.Add(new JsonObject { ["name"] = "selfsubjectreviews", ["singularName"] = "selfsubjectreview", ["namespaced"] = false, ["kind"] = "SelfSubjectReview", ["verbs"] = new JsonArray("create") });
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = resources };
    }

    /// <summary>
    /// Just enough OpenAPI v3 for kubectl to see that every kind takes the fieldValidation parameter, so it validates on
    /// the server (fieldValidation=Strict) instead of downloading schemas.
    /// </summary>
    private static (int, JsonNode) OpenApi(string groupVersionPath)
    {
        var paths = new JsonObject();
        foreach (var resource in Resources.Where(r => (r.Group.Length == 0 ? "api/v1" : "apis/" + r.Group + "/" + r.Version) == groupVersionPath))
        {
            var prefix = "/" + groupVersionPath + (resource.Namespaced ? "/namespaces/{namespace}/" : "/") + resource.Plural + "/{name}";
            paths[prefix] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = resource.Group, ["kind"] = resource.Kind, ["version"] = resource.Version },
                    ["parameters"] = new JsonArray(new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                },
            };
        }

        return paths.Count == 0
            ? Status(404, "NotFound", "the server could not find the requested resource")
            : (200, new JsonObject { ["openapi"] = "3.0.0", ["info"] = new JsonObject { ["title"] = "rolemap test API server", ["version"] = "v1.32.0" }, ["paths"] = paths });
    }

    private static bool TryParseResourcePath(string[] segments, out Target target)
    {
        target = default;
        int rest;
        string group;
        if (segments.Length >= 2 && segments[0] == "api" && segments[1] == "v1")
        {
            group = string.Empty;
            rest = 2;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            group = segments[1];
            if (segments[2] != "v1")
            {
                return false;
            }

            rest = 3;
        }
        else
        {
            return false;
        }

        string? ns = null;
        if (segments.Length > rest + 1 && segments[rest] == "namespaces")
        {
            ns = segments[rest + 1];
            rest += 2;
        }

        if (ns is not null && segments.Length == rest && group.Length == 0)
        {
            // /api/v1/namespaces/NAME is the namespace itself.
            target = new Target(Resources.First(r => r.Plural == "namespaces"), null, ns);
            return true;
        }

        if (segments.Length <= rest || segments.Length > rest + 2)
        {
            return false;
        }

        var resource = Resources.FirstOrDefault(r => r.Group == group && r.Plural == segments[rest]);
        if (resource is null || (ns is not null && !resource.Namespaced))
        {
            return false;
        }

        var name = segments.Length == rest + 2 ? segments[rest + 1] : null;
        if (name is not null && resource.Namespaced && ns is null)
        {
            return false;
        }

        target = new Target(resource, ns, name);
        return true;
    }

    private (int, JsonNode) GetOne(Target target)
    {
        if (!store.TryGetValue(Key(target), out var found))
        {
            return NotFound(target);
        }

        return (200, WithType(found, target.Resource));
    }

    private (int, JsonNode) List(Target target, string selector)
    {
        var items = new JsonArray();
        foreach (var ((resource, ns, _), value) in store.OrderBy(e => e.Key.Namespace, StringComparer.Ordinal).ThenBy(e => e.Key.Name, StringComparer.Ordinal))
        {
            if (resource == target.Resource.Plural && (target.Namespace is null || ns == target.Namespace) && Selects(selector, value))
            {
                items.Add(value.DeepClone());
            }
        }

        return (200, new JsonObject
        {
            ["kind"] = target.Resource.Kind + "List",
            ["apiVersion"] = target.Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        });
    }

    private (int, JsonNode) Create(Target target, JsonObject body, bool dryRun)
    {
        var metadata = body["metadata"] as JsonObject;
        var name = metadata?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            return Invalid(target.Resource, name ?? string.Empty, "metadata.name", "Required value", "name or generateName is required");
        }

        var bodyNamespace = metadata!["namespace"]?.GetValue<string>();
        if (target.Resource.Namespaced && bodyNamespace is not null && bodyNamespace != target.Namespace)
        {
            return Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }

        if (Validate(target.Resource, name, body) is { } invalid)
        {
            return invalid;
        }

        if (target.Namespace is not null && !store.ContainsKey(("namespaces", string.Empty, target.Namespace)))
        {
            return Status(404, "NotFound", "namespaces \"" + target.Namespace + "\" not found", target.Namespace, "namespaces");
        }

        var key = (target.Resource.Plural, target.Namespace ?? string.Empty, name);
        if (store.ContainsKey(key))
        {
            return Status(409, "AlreadyExists", target.Resource.Plural + " \"" + name + "\" already exists", name, target.Resource.Plural);
        }

        var stored = (JsonObject)body.DeepClone();
        var meta = (JsonObject)stored["metadata"]!;
        if (target.Namespace is not null)
        {
            meta["namespace"] = target.Namespace;
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta.Remove("resourceVersion");
        if (!dryRun)
        {
            meta["resourceVersion"] = NextVersion();
            store[key] = WithType(stored, target.Resource);
        }

        return (201, WithType(stored, target.Resource));
    }

    private (int, JsonNode) Update(Target target, JsonObject body, bool dryRun)
    {
        var metadata = body["metadata"] as JsonObject;
        var name = metadata?["name"]?.GetValue<string>();
        if (name != target.Name)
        {
            return Status(400, "BadRequest", "the name of the object (" + name + ") does not match the name on the URL (" + target.Name + ")");
        }

        if (!store.TryGetValue(Key(target), out var current))
        {
            return NotFound(target);
        }

        var currentMeta = (JsonObject)current["metadata"]!;
        var sentVersion = metadata!["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(sentVersion) && sentVersion != currentMeta["resourceVersion"]!.GetValue<string>())
        {
            return Status(409, "Conflict", "Operation cannot be fulfilled on " + target.Resource.Plural + " \"" + name + "\": the object has been modified; please apply your changes to the latest version and try again", name, target.Resource.Plural);
        }

        var sentUid = metadata["uid"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(sentUid) && sentUid != currentMeta["uid"]!.GetValue<string>())
        {
            return Status(409, "Conflict", "Operation cannot be fulfilled on " + target.Resource.Plural + " \"" + name + "\": Precondition failed: UID in precondition: " + sentUid + ", UID in object meta: " + currentMeta["uid"], name, target.Resource.Plural);
        }

        if (Validate(target.Resource, name!, body) is { } invalid)
        {
            return invalid;
        }

        var stored = (JsonObject)body.DeepClone();
        var meta = (JsonObject)stored["metadata"]!;
        meta["uid"] = currentMeta["uid"]!.DeepClone();
        meta["creationTimestamp"] = currentMeta["creationTimestamp"]!.DeepClone();
        if (target.Namespace is not null)
        {
            meta["namespace"] = target.Namespace;
        }

        var unchanged = JsonNode.DeepEquals(Comparable(stored), Comparable(current));
        meta["resourceVersion"] = currentMeta["resourceVersion"]!.DeepClone();
        if (!dryRun && !unchanged)
        {
            // Like the API server, a no-op update keeps the resourceVersion.
            meta["resourceVersion"] = NextVersion();
            store[Key(target)] = WithType(stored, target.Resource);
        }

        return (200, WithType(stored, target.Resource));
    }

    private (int, JsonNode) Delete(Target target, string? preconditionUid, bool dryRun)
    {
        if (!store.TryGetValue(Key(target), out var current))
        {
            return NotFound(target);
        }

        var uid = current["metadata"]?["uid"]?.GetValue<string>();
        if (preconditionUid is not null && preconditionUid != uid)
        {
            return Status(409, "Conflict", "Operation cannot be fulfilled on " + target.Resource.Plural + " \"" + target.Name + "\": Precondition failed: UID in precondition: " + preconditionUid + ", UID in object meta: " + uid, target.Name, target.Resource.Plural);
        }

        if (!dryRun)
        {
            store.Remove(Key(target));
        }

        return (200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = new JsonObject { ["name"] = target.Name, ["kind"] = target.Resource.Plural, ["uid"] = Guid.NewGuid().ToString() },
        });
    }

    private static JsonObject Comparable(JsonObject value)
    {
        var copy = (JsonObject)value.DeepClone();
        copy.Remove("kind");
        copy.Remove("apiVersion");
        ((JsonObject)copy["metadata"]!).Remove("resourceVersion");
        return copy;
    }

    /// <summary>What the API server's validation says about a ConfigMap (names, keys, values, size, labels, annotations).</summary>
    private static (int, JsonNode)? Validate(Resource resource, string name, JsonObject body)
    {
        if (!Subdomain().IsMatch(name) || name.Length > 253)
        {
            return Invalid(resource, name, "metadata.name", "Invalid value: \"" + name + "\"", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }

        var metadata = (JsonObject)body["metadata"]!;
        if (metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (!QualifiedName(key))
                {
                    return Invalid(resource, name, "metadata.labels", "Invalid value: \"" + key + "\"", "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
                }

                var text = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
                if (text is null || text.Length > 63 || (text.Length > 0 && !LabelValue().IsMatch(text)))
                {
                    return Invalid(resource, name, "metadata.labels", "Invalid value: \"" + text + "\"", "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
                }
            }
        }

        if (metadata["annotations"] is JsonObject annotations)
        {
            var size = 0;
            foreach (var (key, value) in annotations)
            {
                if (!QualifiedName(key) || value?.GetValueKind() != JsonValueKind.String)
                {
                    return Invalid(resource, name, "metadata.annotations", "Invalid value: \"" + key + "\"", "annotation keys must be qualified names and values strings");
                }

                size += key.Length + value.GetValue<string>().Length;
            }

            if (size > 256 * 1024)
            {
                return Invalid(resource, name, "metadata.annotations", "Too long", "must have at most 262144 bytes");
            }
        }

        if (resource.Plural != "configmaps")
        {
            return null;
        }

        var total = 0;
        if (body["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                if (!ConfigMapKey().IsMatch(key) || key.Length > 253)
                {
                    return Invalid(resource, name, "data[" + key + "]", "Invalid value: \"" + key + "\"", "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
                }

                if (value is not null && value.GetValueKind() != JsonValueKind.String)
                {
                    return Status(400, "BadRequest", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal " + value.GetValueKind().ToString().ToLowerInvariant() + " into Go struct field ConfigMap.data of type string");
                }

                total += key.Length + (value?.GetValue<string>().Length ?? 0);
            }
        }
        else if (body["data"] is not null)
        {
            return Status(400, "BadRequest", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal into Go struct field ConfigMap.data of type map[string]string");
        }

        return total > 1024 * 1024 ? Invalid(resource, name, "[]", "Too long", "must have at most 1048576 bytes") : null;
    }

    private static readonly string[] MetadataFields = ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields"];

    /// <summary>The first field a strict decoder would not know (ConfigMaps only; other kinds are taken as they are).</summary>
    private static string? UnknownField(Resource resource, JsonObject body)
    {
        if (resource.Plural != "configmaps")
        {
            return null;
        }

        var top = body.Select(p => p.Key).FirstOrDefault(k => k is not ("apiVersion" or "kind" or "metadata" or "data" or "binaryData" or "immutable"));
        if (top is not null)
        {
            return top;
        }

        return (body["metadata"] as JsonObject)?.Select(p => p.Key).Where(k => !MetadataFields.Contains(k)).Select(k => "metadata." + k).FirstOrDefault();
    }

    private static bool QualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash >= 0 ? key[..slash] : null;
        var local = slash >= 0 ? key[(slash + 1)..] : key;
        return (prefix is null || (prefix.Length <= 253 && Subdomain().IsMatch(prefix))) && local.Length is > 0 and <= 63 && LabelValue().IsMatch(local);
    }

    private static bool Selects(string selector, JsonObject value)
    {
        if (selector.Length == 0)
        {
            return true;
        }

        var labels = value["metadata"]?["labels"] as JsonObject;
        string? Label(string key) => labels?[key]?.GetValue<string>();
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ok = term switch
            {
                _ when term.Contains("!=", StringComparison.Ordinal) => Label(term[..term.IndexOf("!=", StringComparison.Ordinal)]) != term[(term.IndexOf("!=", StringComparison.Ordinal) + 2)..],
                _ when term.Contains("==", StringComparison.Ordinal) => Label(term[..term.IndexOf("==", StringComparison.Ordinal)]) == term[(term.IndexOf("==", StringComparison.Ordinal) + 2)..],
                _ when term.Contains('=', StringComparison.Ordinal) => Label(term[..term.IndexOf('=', StringComparison.Ordinal)]) == term[(term.IndexOf('=', StringComparison.Ordinal) + 1)..],
                _ when term.StartsWith('!') => Label(term[1..]) is null,
                _ => Label(term) is not null,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonObject WithType(JsonObject value, Resource resource)
    {
        var copy = new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.ApiVersion };
        foreach (var (key, node) in value)
        {
            if (key is not "kind" and not "apiVersion")
            {
                copy[key] = node?.DeepClone();
            }
        }

        return copy;
    }

    private static (int, JsonNode) NotFound(Target target) =>
        Status(404, "NotFound", target.Resource.Plural + " \"" + target.Name + "\" not found", target.Name, target.Resource.Plural);

    private static (int, JsonNode) Invalid(Resource resource, string name, string field, string what, string detail) =>
        (422, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = resource.Kind + " \"" + name + "\" is invalid: " + field + ": " + what + ": " + detail,
            ["reason"] = "Invalid",
            ["details"] = new JsonObject
            {
                ["name"] = name,
                ["kind"] = resource.Kind,
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = what + ": " + detail, ["field"] = field }),
            },
            ["code"] = 422,
        });

    private static (int, JsonNode) Status(int code, string reason, string message, string? name = null, string? kind = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (name is not null || kind is not null)
        {
            status["details"] = new JsonObject { ["name"] = name, ["kind"] = kind };
        }

        status["code"] = code;
        return (code, status);
    }

    private static (string, string, string) Key(Target target) => (target.Resource.Plural, target.Namespace ?? string.Empty, target.Name!);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigMapKey();

    private sealed record Resource(string Group, string Version, string Plural, string Kind, bool Namespaced)
    {
        public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;
    }

    private readonly record struct Target(Resource Resource, string? Namespace, string? Name);
}
