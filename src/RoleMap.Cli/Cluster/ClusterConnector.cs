using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.KubeConfigModels;
using RoleMap.Cluster;
using RoleMap.Diagnostics;

namespace RoleMap.Cli.Cluster;

/// <summary>
/// The connection options every cluster command takes: <c>--kubeconfig FILE</c>, <c>--context NAME</c> (repeatable:
/// fleet mode), <c>--all-contexts</c>, <c>--request-timeout SECONDS</c>, and for fleets <c>--parallel N</c> and
/// <c>--quiet</c>. Add them with <see cref="AddTo"/>, then <see cref="ClusterConnector.Connect"/> turns a parse result
/// into one client per cluster.
/// </summary>
internal sealed class ClusterOptions
{
    public const int DefaultParallel = 8;

    private ClusterOptions(Option<bool> quiet)
    {
        Quiet = quiet;
        Parallel.Validators.Add(result =>
        {
            // A word that is not a number is System.CommandLine's own error; asking for its value would throw.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parallel) && parallel < 1)
            {
                result.AddError("--parallel must be 1 or more");
            }
        });
    }

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config, then the in-cluster service account).", HelpName = "FILE" };

    public Option<string[]> Contexts { get; } = new("--context") { Description = "kubeconfig context to use; repeat it to work on several clusters, each handled on its own with a summary at the end (default: the current context).", HelpName = "NAME", AllowMultipleArgumentsPerToken = false };

    public Option<bool> AllContexts { get; } = new("--all-contexts") { Description = "Every context in the kubeconfig." };

    public Option<int> Timeout { get; } = new("--request-timeout") { Description = "Seconds to wait for each API request (each attempt, when a transient failure is retried).", DefaultValueFactory = _ => 30, HelpName = "SECONDS" };

    public Option<int> Parallel { get; } = new("--parallel") { Description = "Clusters worked on at once with several contexts; 1 works on one after another. Output stays in the order of the contexts.", DefaultValueFactory = _ => DefaultParallel, HelpName = "N" };

    /// <summary>--quiet: the command's own when it has one (can-i's prints nothing, which also keeps stderr quiet).</summary>
    public Option<bool> Quiet { get; }

    /// <summary>Adds the connection options to <paramref name="command"/>; the instance reads their values.</summary>
    public static ClusterOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var own = command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--quiet");
        var options = new ClusterOptions(own ?? new Option<bool>("--quiet", "-q") { Description = "No progress line and no notes about retried requests on stderr (errors are still reported)." });
        command.Options.Add(options.Kubeconfig);
        command.Options.Add(options.Contexts);
        command.Options.Add(options.AllContexts);
        command.Options.Add(options.Timeout);
        command.Options.Add(options.Parallel);
        if (own is null)
        {
            command.Options.Add(options.Quiet);
        }

        return options;
    }
}

/// <summary>Turns the connection options into clients: kubeconfig (several files merged like kubectl), exec credential plugins, in-cluster config.</summary>
internal static class ClusterConnector
{
    private const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// One client per selected context, with the fleet settings (<c>--parallel</c>, <c>--quiet</c>). A context that
    /// cannot be configured gives a client that fails with the reason, so a fleet run reports it and goes on.
    /// </summary>
    public static IReadOnlyList<IClusterClient> Connect(CliIO io, ParseResult parse, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        var clients = Connect(
            io,
            parse.GetValue(options.Kubeconfig),
            parse.GetValue(options.Contexts) ?? [],
            parse.GetValue(options.AllContexts),
            TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(options.Timeout))));
        return new ConnectedClusters(clients, Math.Max(1, parse.GetValue(options.Parallel)), parse.GetValue(options.Quiet));
    }

    /// <summary>The same from plain values: a kubeconfig file (null: KUBECONFIG, ~/.kube/config, in-cluster), contexts (empty: the current one).</summary>
    public static IReadOnlyList<IClusterClient> Connect(CliIO io, string? explicitFile, IReadOnlyList<string> contexts, bool all, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(contexts);
        if (all && contexts.Count > 0)
        {
            throw new InputException("give either --context or --all-contexts, not both");
        }

        var files = KubeconfigFiles(io, explicitFile);
        if (files.Count == 0)
        {
            if (InCluster(io) is { } inCluster && contexts.Count == 0 && !all)
            {
                return [inCluster(timeout)];
            }

            throw new InputException("no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config (e.g. 'aws eks update-kubeconfig --name CLUSTER')");
        }

        K8SConfiguration config;
        try
        {
            config = Merge([.. files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f)))]);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new InputException("cannot read the kubeconfig: " + ex.Message, new SourceLocation(string.Join(Path.PathSeparator, files)));
        }

        var known = (config.Contexts ?? []).Select(c => c.Name).ToList();
        IReadOnlyList<string> selected = all ? known
            : contexts.Count > 0 ? contexts
            : string.IsNullOrEmpty(config.CurrentContext) ? throw new InputException("the kubeconfig has no current-context: pass --context NAME (contexts: " + string.Join(", ", known) + ")", new SourceLocation(files[0]))
            : [config.CurrentContext];
        foreach (var name in selected.Where(n => !known.Contains(n, StringComparer.Ordinal)))
        {
            var close = Text.Suggest.Closest(name, known);
            throw new InputException("no context '" + name + "' in the kubeconfig" + (close is null ? string.Empty : " (did you mean '" + close + "'?)") + "; contexts: " + string.Join(", ", known), new SourceLocation(string.Join(Path.PathSeparator, files)));
        }

        if (selected.Count == 0)
        {
            throw new InputException("the kubeconfig has no contexts", new SourceLocation(files[0]));
        }

        // Built on first use, inside the fleet's concurrent work: exec credential plugins (about a second each for
        // 'aws eks get-token') run while the configuration is built, so they run concurrently too.
        return [.. selected.Distinct(StringComparer.Ordinal).Select(name => new LazyClusterClient(name, () => Build(config, name, timeout)))];
    }

    /// <summary>--kubeconfig, else every existing file in KUBECONFIG (first wins on conflicts, as in kubectl), else ~/.kube/config.</summary>
    internal static List<string> KubeconfigFiles(CliIO io, string? explicitFile)
    {
        if (explicitFile is not null)
        {
            var full = io.FullPath(explicitFile);
            return File.Exists(full) ? [full] : throw new InputException("kubeconfig not found", new SourceLocation(explicitFile));
        }

        if (io.Environment("KUBECONFIG") is { Length: > 0 } list)
        {
            var files = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(io.FullPath).Where(File.Exists).Distinct(StringComparer.Ordinal).ToList();
            if (files.Count > 0)
            {
                return files;
            }
        }

        var home = io.Environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var fallback = Path.Combine(home, ".kube", "config");
        return home.Length > 0 && File.Exists(fallback) ? [fallback] : [];
    }

    /// <summary>kubectl's merge of several kubeconfig files: the first file to name a cluster, context or user wins, and the first current-context set wins.</summary>
    internal static K8SConfiguration Merge(List<K8SConfiguration> configs)
    {
        if (configs.Count == 1)
        {
            return configs[0];
        }

        var merged = configs[0];
        merged.Clusters = [.. configs.SelectMany(c => c.Clusters ?? []).DistinctBy(c => c.Name, StringComparer.Ordinal)];
        merged.Contexts = [.. configs.SelectMany(c => c.Contexts ?? []).DistinctBy(c => c.Name, StringComparer.Ordinal)];
        merged.Users = [.. configs.SelectMany(c => c.Users ?? []).DistinctBy(c => c.Name, StringComparer.Ordinal)];
        merged.CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        return merged;
    }

    private static IClusterClient Build(K8SConfiguration config, string contextName, TimeSpan timeout)
    {
        var identity = Describe(config, contextName);
        try
        {
            var clientConfig = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, contextName);
            clientConfig.HttpClientTimeout = timeout;
            return new KubernetesClusterClient(contextName, KubernetesConnection.Create(clientConfig), identity);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // KubernetesClient runs exec credential plugins while building the configuration; their errors land here.
            var firstLine = ex.Message.Split('\n')[0].Trim();
            return new UnavailableClusterClient(contextName, identity.Contains("exec credential plugin", StringComparison.Ordinal)
                ? "cannot get credentials for " + identity + ": " + firstLine
                : "the kubeconfig entry for " + identity + " cannot be used: " + firstLine);
        }
    }

    /// <summary>The kubeconfig user of a context and how it authenticates, for error messages.</summary>
    private static string Describe(K8SConfiguration config, string contextName)
    {
        var context = config.Contexts?.FirstOrDefault(c => c.Name == contextName)?.ContextDetails;
        var user = config.Users?.FirstOrDefault(u => u.Name == context?.User);
        var credentials = user?.UserCredentials;
        var how = credentials switch
        {
            null => "no credentials",
            { ExternalExecution: { } exec } => "exec credential plugin '" + string.Join(' ', new[] { exec.Command }.Concat(exec.Arguments ?? [])) + "'"
                + string.Concat((exec.EnvironmentVariables ?? []).Where(e => e.TryGetValue("name", out var n) && n is "AWS_PROFILE" or "AWS_ROLE_ARN").Select(e => ", " + e["name"] + "=" + e.GetValueOrDefault("value"))),
            { Token.Length: > 0 } => "a bearer token",
            { ClientCertificateData.Length: > 0 } or { ClientCertificate.Length: > 0 } => "a client certificate",
            { AuthProvider: { } provider } => "auth provider '" + provider.Name + "'",
            { UserName.Length: > 0 } => "basic auth as '" + credentials.UserName + "'",
            _ => "no credentials",
        };
        return "kubeconfig user '" + (context?.User ?? "?") + "' of context '" + contextName + "' (" + how + ")";
    }

    /// <summary>The pod's service account, when rolemap runs inside a cluster and no kubeconfig exists.</summary>
    private static Func<TimeSpan, IClusterClient>? InCluster(CliIO io)
    {
        var host = io.Environment("KUBERNETES_SERVICE_HOST");
        var port = io.Environment("KUBERNETES_SERVICE_PORT");
        var tokenFile = Path.Combine(ServiceAccountDirectory, "token");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port) || !File.Exists(tokenFile))
        {
            return null;
        }

        return timeout =>
        {
            const string name = "in-cluster";
            const string identity = "the pod's service account (" + ServiceAccountDirectory + ")";
            try
            {
                var ca = new X509Certificate2Collection();
                ca.ImportFromPemFile(Path.Combine(ServiceAccountDirectory, "ca.crt"));
                var config = new KubernetesClientConfiguration
                {
                    Host = "https://" + (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + port,
                    AccessToken = File.ReadAllText(tokenFile).Trim(),
                    SslCaCerts = ca,
                    HttpClientTimeout = timeout,
                };
                return new KubernetesClusterClient(name, KubernetesConnection.Create(config), identity);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                return new UnavailableClusterClient(name, "cannot read the service account: " + ex.Message);
            }
        };
    }
}

/// <summary>The clients of one command, in the order of the contexts, with how the fleet is to be run.</summary>
internal sealed class ConnectedClusters(IReadOnlyList<IClusterClient> clients, int parallel, bool quiet) : IReadOnlyList<IClusterClient>
{
    /// <summary>Clusters worked on at once (<c>--parallel</c>).</summary>
    public int Parallel => parallel;

    /// <summary>No progress line and no retry notes (<c>--quiet</c>).</summary>
    public bool Quiet => quiet;

    public int Count => clients.Count;

    public IClusterClient this[int index] => clients[index];

    public IEnumerator<IClusterClient> GetEnumerator() => clients.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A client configured on its first call (kubeconfig entry, credentials), so that configuring runs where the calls run.</summary>
internal sealed class LazyClusterClient(string name, Func<IClusterClient> build) : IClusterClient, IRetryReport, IDisposable
{
    private readonly object gate = new();
    private IClusterClient? client;

    public string Name => name;

    public IReadOnlyList<string> Retries => (Peek() as IRetryReport)?.Retries ?? [];

    public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => Client().GetConfigMapAsync(ns, name, cancellationToken);

    public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) => Client().ListConfigMapsAsync(ns, labelSelector, cancellationToken);

    public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => Client().CreateConfigMapAsync(configMap, mode, cancellationToken);

    public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => Client().ReplaceConfigMapAsync(configMap, mode, cancellationToken);

    public Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken) => Client().DeleteConfigMapAsync(ns, name, uid, cancellationToken);

    public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) => Client().ListRbacJsonAsync(kind, cancellationToken);

    public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) => Client().WhoAmIAsync(cancellationToken);

    public void Dispose() => (Peek() as IDisposable)?.Dispose();

    private IClusterClient? Peek()
    {
        lock (gate)
        {
            return client;
        }
    }

    private IClusterClient Client()
    {
        lock (gate)
        {
            return client ??= build();
        }
    }
}
