using RoleMap.Cluster;
using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

public class LiveRbacTests
{
    private sealed class FakeCluster : IClusterClient
    {
        public string Name => "test-cluster";

        public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) => Task.FromResult(kind switch
        {
            RbacKind.ClusterRoles => """{"kind":"ClusterRoleList","apiVersion":"rbac.authorization.k8s.io/v1","items":[{"metadata":{"name":"view","labels":{"rbac.authorization.k8s.io/aggregate-to-edit":"true"}},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}}]},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}]}""",
            RbacKind.ClusterRoleBindings => """{"kind":"ClusterRoleBindingList","apiVersion":"rbac.authorization.k8s.io/v1","items":[]}""",
            RbacKind.Roles => """{"kind":"RoleList","apiVersion":"rbac.authorization.k8s.io/v1","items":[]}""",
            _ => """{"kind":"RoleBindingList","apiVersion":"rbac.authorization.k8s.io/v1","items":[{"metadata":{"name":"v","namespace":"app"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"readers"}]}]}""",
        });

        public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) => Task.FromResult<ClusterIdentity?>(null);
    }

    [Fact]
    public async Task Live_lists_are_read_with_the_same_loader_and_live_objects_win_over_defaults()
    {
        var policy = await LiveRbac.BuildPolicyAsync(new FakeCluster(), includeDefaults: true, CancellationToken.None);
        var reader = Identities.Authenticated("u", ["readers"]);

        // The live view is re-aggregated: its stale rule (get pods) is replaced by the default system:aggregate-to-view rules.
        Assert.True(policy.Authorize(reader, Attributes.ForResource("list", "apps", "deployments", ns: "app")).Allowed);
        Assert.False(policy.Authorize(reader, Attributes.ForResource("get", "", "secrets", ns: "app")).Allowed);
        Assert.Equal("test-cluster/clusterroles", policy.FindClusterRole("view")!.Source.Origin);
        Assert.Equal("test-cluster/rolebindings", policy.RoleBindingsIn("app").Single().Source.Origin);
    }
}
