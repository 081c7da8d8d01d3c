using RoleMap.Cluster;

namespace RoleMap.Rbac;

/// <summary>Reads RBAC from a live cluster through <see cref="IClusterClient"/>, with the same loader as files.</summary>
public static class LiveRbac
{
    private static readonly (RbacKind Kind, string Name)[] Kinds =
    [
        (RbacKind.ClusterRoles, "clusterroles"),
        (RbacKind.ClusterRoleBindings, "clusterrolebindings"),
        (RbacKind.Roles, "roles"),
        (RbacKind.RoleBindings, "rolebindings"),
    ];

    /// <summary>
    /// Lists the four RBAC kinds in every namespace and reads them. Each list is named
    /// <c>CLUSTER/clusterroles</c> etc. in messages. Aggregated ClusterRoles come already filled in by the controller;
    /// rolemap recomputes them the same way.
    /// </summary>
    public static async Task<RbacObjects> LoadAsync(IClusterClient client, CancellationToken cancellationToken) =>
        RbacLoader.Load(await ReadSourcesAsync(client, cancellationToken).ConfigureAwait(false));

    /// <summary>The four list responses as loader sources, so they can be combined with files.</summary>
    public static async Task<IReadOnlyList<RbacSource>> ReadSourcesAsync(IClusterClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var sources = new List<RbacSource>(Kinds.Length);
        foreach (var (kind, name) in Kinds)
        {
            var json = await client.ListRbacJsonAsync(kind, cancellationToken).ConfigureAwait(false);
            sources.Add(new RbacSource(client.Name + "/" + name, json));
        }

        return sources;
    }

    /// <summary>The policy of a live cluster: its objects, with the defaults added only where the cluster lacks them.</summary>
    public static async Task<RbacPolicy> BuildPolicyAsync(IClusterClient client, bool includeDefaults, CancellationToken cancellationToken)
    {
        var objects = await LoadAsync(client, cancellationToken).ConfigureAwait(false);
        return RbacPolicy.Build(objects, includeDefaults);
    }
}
