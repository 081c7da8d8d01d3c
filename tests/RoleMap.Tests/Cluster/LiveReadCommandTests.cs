using System.Text.Json.Nodes;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cluster;

/// <summary>The read-only commands that take their input from the cluster: --rbac cluster, lint --rbac cluster, access-entries plan live.</summary>
[Collection("cluster")]
public sealed class LiveReadCommandTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string DevRole = "arn:aws:iam::111122223333:role/dev";

    public async Task InitializeAsync()
    {
        await cluster.SeedAsync(
            "- rolearn: arn:aws:iam::111122223333:role/eks-node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n"
            + "- rolearn: " + DevRole + "\n  username: dev\n  groups: [dev, typo-group]\n");
        if (cluster.Server is { } server)
        {
            server.Put("clusterroles", string.Empty, "pod-editor", Json("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","update"]}]}"""));
            server.Put("clusterrolebindings", string.Empty, "dev", Json("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"pod-editor"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"dev"}]}"""));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;

    private string Spec()
    {
        var path = cluster.Path("live-read-spec.yaml");
        File.WriteAllText(path, "roles:\n  - arn: " + DevRole + "\n    groups: [dev]\n");
        return path;
    }

    [TestServerFact]
    public void Can_i_and_who_can_read_rbac_from_the_cluster()
    {
        var yes = cluster.Run("can-i", "update", "pods", "-A", "--as-arn", "arn:aws:sts::111122223333:assumed-role/dev/jane", "--spec", Spec(), "--rbac", "cluster");
        Assert.Equal((0, "yes"), (yes.ExitCode, yes.Stdout.Split('\n')[0]));
        var no = cluster.Run("can-i", "create", "pods", "--as-arn", "arn:aws:sts::111122223333:assumed-role/dev/jane", "--spec", Spec(), "--rbac", "cluster");
        Assert.Equal((1, "no"), (no.ExitCode, no.Stdout.Split('\n')[0]));
        var who = cluster.Run("who-can", "update", "pods", "--rbac", "cluster", "-o", "json");
        Assert.Equal(0, who.ExitCode);
        Assert.Contains("\"dev\"", who.Stdout, StringComparison.Ordinal);
        Assert.Contains("pod-editor", who.Stdout, StringComparison.Ordinal);
    }

    [TestServerFact]
    public void Lint_checks_groups_against_live_bindings()
    {
        var awsAuth = cluster.Path("live-aws-auth.yaml");
        File.WriteAllText(awsAuth, "mapRoles: |\n  - rolearn: " + DevRole + "\n    username: dev\n    groups: [dev, typo-group]\n");
        var run = cluster.Run("lint", "--aws-auth", awsAuth, "--rbac", "cluster", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"rule\": \"group-unbound\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("typo-group", run.Stdout, StringComparison.Ordinal);
    }

    [TestServerFact]
    public void Access_entries_plan_reads_aws_auth_from_the_cluster()
    {
        var run = cluster.Run("access-entries", "plan", "live", "-o", "json");
        Assert.Contains(DevRole, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("EC2_LINUX", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(cluster.Context + ":kube-system/aws-auth", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_reports_lint_findings_not_only_parse_errors()
    {
        await cluster.SeedAsync("- rolearn: arn:aws:iam::111122223333:role/team/ops\n  username: ops\n  groups: [ops]\n");
        var run = cluster.Run("get");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("arn-role-path", run.Stdout, StringComparison.Ordinal);
    }

    [TestServerFact]
    public void Access_entries_plan_proves_the_migration_against_the_clusters_own_rbac()
    {
        // aws-auth and RBAC both from the cluster: dev keeps pod-editor through its group in API mode.
        var run = cluster.Run("access-entries", "plan", "live", "--rbac", "cluster");
        Assert.True(run.ExitCode is 0 or 1, run.Stdout + run.Stderr);
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(DevRole, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("same", run.Stdout, StringComparison.Ordinal);
    }
}
