using RoleMap.Cluster;

namespace RoleMap.Tests.TestSupport;

/// <summary>
/// An in-memory <see cref="IClusterClient"/> with the API server's concurrency rules (resourceVersion preconditions,
/// AlreadyExists), a write log, and hooks to play another writer or inject failures.
/// </summary>
public sealed class FakeClusterClient(string name = "fake") : IClusterClient
{
    private readonly Dictionary<(string, string), ConfigMapObject> store = [];
    private long version = 100;

    public string Name => name;

    public List<string> Log { get; } = [];

    /// <summary>Called before each replace or create of aws-auth is applied (e.g. to write concurrently, as another process would).</summary>
    public Action<FakeClusterClient>? BeforeWrite { get; set; }

    public ClusterIdentity? Identity { get; set; }

    public Exception? FailReads { get; set; }

    public ConfigMapObject? this[string ns, string name] => store.GetValueOrDefault((ns, name));

    public IEnumerable<ConfigMapObject> All => store.Values;

    /// <summary>Stores an object directly, bumping its resourceVersion, as another writer would.</summary>
    public ConfigMapObject Put(ConfigMapObject configMap)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        var stored = configMap with { ResourceVersion = (++version).ToString(System.Globalization.CultureInfo.InvariantCulture), Uid = configMap.Uid ?? "uid-" + configMap.Name, CreationTimestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) };
        store[(configMap.Namespace, configMap.Name)] = stored;
        return stored;
    }

    public ConfigMapObject PutAwsAuth(string mapRoles, string? mapUsers = null, IReadOnlyList<KeyValuePair<string, string>>? annotations = null)
    {
        var data = new List<KeyValuePair<string, string>> { new("mapRoles", mapRoles) };
        if (mapUsers is not null)
        {
            data.Add(new("mapUsers", mapUsers));
        }

        return Put(new ConfigMapObject("aws-auth", "kube-system", data, [], annotations ?? []));
    }

    public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken)
    {
        Log.Add("get " + name);
        return FailReads is not null ? Task.FromException<ConfigMapObject?>(FailReads) : Task.FromResult(store.GetValueOrDefault((ns, name)));
    }

    public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken)
    {
        Log.Add("list " + labelSelector);
        var (key, value) = labelSelector is null ? (null, null) : (labelSelector.Split('=')[0], labelSelector.Split('=')[1]);
        return Task.FromResult<IReadOnlyList<ConfigMapObject>>([.. store.Values.Where(c => c.Namespace == ns && (key is null || c.Labels.Any(l => l.Key == key && l.Value == value)))]);
    }

    public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        Log.Add("create " + configMap.Name + (mode == WriteMode.ServerDryRun ? " dryRun" : string.Empty));
        if (configMap.Name == "aws-auth")
        {
            BeforeWrite?.Invoke(this);
        }

        if (store.ContainsKey((configMap.Namespace, configMap.Name)))
        {
            throw new ClusterConflictException("configmaps \"" + configMap.Name + "\" already exists");
        }

        return Task.FromResult(mode == WriteMode.ServerDryRun ? configMap : Put(configMap with { ResourceVersion = null }));
    }

    public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        Log.Add("replace " + configMap.Name + (mode == WriteMode.ServerDryRun ? " dryRun" : string.Empty));
        BeforeWrite?.Invoke(this);
        var current = store.GetValueOrDefault((configMap.Namespace, configMap.Name)) ?? throw new ClusterException("not found", 404);
        if (configMap.ResourceVersion is not null && configMap.ResourceVersion != current.ResourceVersion)
        {
            throw new ClusterConflictException("Operation cannot be fulfilled on configmaps \"" + configMap.Name + "\": the object has been modified");
        }

        return Task.FromResult(mode == WriteMode.ServerDryRun ? configMap : Put(configMap));
    }

    public Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken)
    {
        Log.Add("delete " + name);
        if (uid is not null && store.TryGetValue((ns, name), out var current) && current.Uid != uid)
        {
            return Task.CompletedTask; // another object holds the name now: the one asked for is gone
        }

        return store.Remove((ns, name)) ? Task.CompletedTask : Task.FromException(new ClusterException("not found", 404));
    }

    public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) => Task.FromResult("{\"items\":[]}");

    public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) => Task.FromResult(Identity);
}

/// <summary>A clock that stands still until told to move.</summary>
public sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
