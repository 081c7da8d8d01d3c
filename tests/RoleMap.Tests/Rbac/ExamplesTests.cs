using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Rbac;

/// <summary>End to end on the original module's documented scenarios (examples/ops-dev, examples/api-backend), through the CLI.</summary>
public class ExamplesTests
{
    private const string Dev = "arn:aws:sts::111122223333:assumed-role/dev/alice";
    private const string Ops = "arn:aws:sts::111122223333:assumed-role/ops/bob";
    private const string ApiDeveloper = "arn:aws:sts::111122223333:assumed-role/ApiDeveloper/carol";
    private const string BackendDeveloper = "arn:aws:iam::111122223333:role/BackendDeveloper";

    private static int CanI(string example, string arn, params string[] question) =>
        TestSupport.Cli.Run(["can-i", .. question, "--as-arn", arn, "--spec", "examples/" + example + "/spec.yaml", "--rbac", "examples/" + example + "/rbac", "-q"]).ExitCode;

    [Theory]
    [InlineData("list", "pods", "default")]
    [InlineData("list", "pods", "kube-system")]
    [InlineData("list", "pods", null)]
    [InlineData("update", "pods/web", "apiteam")]
    [InlineData("get", "pods/web", "backendteam")]
    public void Dev_can_read_and_update_pods_everywhere(string verb, string target, string? ns)
    {
        Assert.Equal(0, CanI("ops-dev", Dev, [verb, target, .. ns is null ? new[] { "-A" } : ["-n", ns]]));
    }

    [Theory]
    [InlineData("create", "pods")]
    [InlineData("delete", "pods/web")]
    [InlineData("get", "secrets/db")]
    [InlineData("list", "secrets")]
    [InlineData("create", "pods/web", "--subresource", "exec")]
    [InlineData("get", "pods/web", "--subresource", "log")]
    [InlineData("list", "deployments")]
    public void Dev_cannot_create_pods_or_read_secrets(params string[] question)
    {
        Assert.Equal(1, CanI("ops-dev", Dev, question));
        Assert.Equal(1, CanI("ops-dev", Dev, [.. question, "--sar"]));
    }

    [Theory]
    [InlineData("*", "*.*")]
    [InlineData("delete", "nodes/n1")]
    [InlineData("get", "secrets", "-A")]
    [InlineData("escalate", "clusterroles.rbac.authorization.k8s.io")]
    [InlineData("post", "/anything")]
    public void Ops_in_system_masters_can_do_everything(params string[] question)
    {
        Assert.Equal(0, CanI("ops-dev", Ops, question));
    }

    public static TheoryData<string[]> Everything() => new()
    {
        new[] { "create", "deployments" },
        new[] { "delete", "secrets/db" },
        new[] { "get", "pods/web", "--subresource", "log" },
        new[] { "create", "pods/web", "--subresource", "exec" },
        new[] { "create", "rolebindings.rbac.authorization.k8s.io" },
        new[] { "deletecollection", "configmaps" },
        new[] { "*", "*.*" },
        new[] { "patch", "widgets.example.com/w" },
    };

    [Theory]
    [MemberData(nameof(Everything))]
    public void ApiDeveloper_can_do_everything_in_apiteam_and_nothing_in_backendteam(string[] question)
    {
        Assert.Equal(0, CanI("api-backend", ApiDeveloper, [.. question, "-n", "apiteam"]));
        Assert.Equal(1, CanI("api-backend", ApiDeveloper, [.. question, "-n", "backendteam"]));
        Assert.Equal(1, CanI("api-backend", ApiDeveloper, [.. question, "-A"]));
        Assert.Equal(0, CanI("api-backend", BackendDeveloper, [.. question, "-n", "backendteam"]));
        Assert.Equal(1, CanI("api-backend", BackendDeveloper, [.. question, "-n", "apiteam"]));
    }

    [Fact]
    public void A_team_can_read_its_own_namespace_object_but_not_list_namespaces()
    {
        Assert.Equal(0, CanI("api-backend", ApiDeveloper, "get", "namespaces/apiteam"));
        Assert.Equal(1, CanI("api-backend", ApiDeveloper, "get", "namespaces/backendteam"));
        Assert.Equal(1, CanI("api-backend", ApiDeveloper, "list", "namespaces"));
    }

    [Fact]
    public void Who_can_exec_in_apiteam_names_the_api_developer()
    {
        var run = TestSupport.Cli.Run("who-can", "create", "pods", "--subresource", "exec", "-n", "apiteam", "--rbac", "examples/api-backend/rbac", "--spec", "examples/api-backend/spec.yaml", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"arn\": \"arn:aws:iam::111122223333:role/ApiDeveloper\"", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("BackendDeveloper", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_says_what_comes_close_to_a_denied_request()
    {
        var dev = TestSupport.Cli.Run("explain", Dev, "--spec", "examples/ops-dev/spec.yaml", "--rbac", "examples/ops-dev/rbac", "create", "pods");
        Assert.Equal(1, dev.ExitCode);
        Assert.Contains("close:     ClusterRoleBinding dev -> ClusterRole dev, rule 0: get,list,update pods covers pods, but not the verb create\n", dev.Stdout, StringComparison.Ordinal);

        var api = TestSupport.Cli.Run("explain", ApiDeveloper, "--spec", "examples/api-backend/spec.yaml", "--rbac", "examples/api-backend/rbac", "delete", "pods/web", "-n", "backendteam");
        Assert.Equal(1, api.ExitCode);
        Assert.Contains("close:     RoleBinding apiteam/apiteam-full-access -> Role apiteam/apiteam-full-access allows this in namespace apiteam only\n", api.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Who_can_says_what_sar_mode_would_add()
    {
        var run = TestSupport.Cli.Run("who-can", "get", "nodes", "-n", "team", "--rbac", "tests/RoleMap.Tests/testdata/rbac/team.yaml", "--no-bootstrap");
        Assert.Contains("note: SAR mode (what 'kubectl auth can-i' asks: get nodes in namespace team) also allows Group team, ServiceAccount team/ci; run with --sar for details\n", run.Stdout, StringComparison.Ordinal);
        var sar = TestSupport.Cli.Run("who-can", "get", "nodes", "-n", "team", "--sar", "--rbac", "tests/RoleMap.Tests/testdata/rbac/team.yaml", "--no-bootstrap");
        Assert.Contains("does not allow Group team, ServiceAccount team/ci", sar.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_of_the_dev_role_golden()
    {
        var run = TestSupport.Cli.Run("matrix", "--as-arn", Dev, "--spec", "examples/ops-dev/spec.yaml", "--rbac", "examples/ops-dev/rbac", "-n", "default");
        Assert.Equal(0, run.ExitCode);
        Golden.Assert("matrix/ops-dev-dev.txt", run.Stdout);
    }
}
