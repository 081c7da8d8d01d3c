using RoleMap.Cluster;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// A backup is deleted with its UID as a precondition: when the first attempt of a delete removed it and lost its
/// answer, another writer may have created a backup under the same name (the second it was taken in), and the
/// retry must not remove that one. Found by FlakyServerWritersTests, which lost a writer's backup that way.
/// </summary>
[Collection("cluster")]
public sealed class DeletePreconditionTests(ClusterFixture cluster)
{
    [TestServerFact]
    public async Task A_delete_with_an_old_uid_leaves_the_object_now_holding_the_name()
    {
        var client = cluster.Client();
        var configMap = new ConfigMapObject("rolemap-delete-precondition", "kube-system", [new("k", "v")], [], []);
        var first = await client.CreateConfigMapAsync(configMap, WriteMode.Commit, default);
        await client.DeleteConfigMapAsync("kube-system", configMap.Name, first.Uid, default);
        Assert.Null(await client.GetConfigMapAsync("kube-system", configMap.Name, default));

        var second = await client.CreateConfigMapAsync(configMap, WriteMode.Commit, default);
        Assert.NotEqual(first.Uid, second.Uid);
        await client.DeleteConfigMapAsync("kube-system", configMap.Name, first.Uid, default);
        Assert.Equal(second.Uid, (await client.GetConfigMapAsync("kube-system", configMap.Name, default))?.Uid);

        await client.DeleteConfigMapAsync("kube-system", configMap.Name, second.Uid, default);
        Assert.Null(await client.GetConfigMapAsync("kube-system", configMap.Name, default));
        (client as IDisposable)?.Dispose();
    }
}
