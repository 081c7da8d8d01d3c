using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

public class GenerateCliTests
{
    [Theory]
    [InlineData("ops-dev", "plain", "yaml", false)]
    [InlineData("ops-dev", "terraform", "yaml", false)]
    [InlineData("ops-dev", "plain", "json", false)]
    [InlineData("api-backend", "plain", "yaml", false)]
    [InlineData("api-backend", "terraform", "yaml", false)]
    [InlineData("api-backend", "terraform", "yaml", true)]
    [InlineData("api-backend", "plain", "json", true)]
    [InlineData("quickstart", "plain", "yaml", false)]
    public void Documented_scenarios_render_byte_stable(string example, string style, string format, bool dataOnly)
    {
        var args = new List<string> { "generate", "examples/" + example + "/spec.yaml", "--style", style, "-o", format };
        if (dataOnly)
        {
            args.Add("--data-only");
        }

        var run = TestSupport.Cli.Run([.. args]);
        Assert.Equal(0, run.ExitCode);
        Golden.Assert("generate/" + example + "." + style + (dataOnly ? ".data" : string.Empty) + "." + format, run.Stdout);
        Assert.Equal(run.Stdout, TestSupport.Cli.Run([.. args]).Stdout);
    }

    [Fact]
    public void Path_warning_goes_to_stderr_naming_both_arns()
    {
        var run = TestSupport.Cli.Run("generate", "examples/quickstart/spec.yaml");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning[arn-role-path]", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'arn:aws:iam::111122223333:role/platform/ops'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'arn:aws:iam::111122223333:role/ops'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_exit_2_with_nothing_on_stdout()
    {
        var run = TestSupport.Cli.RunWithInput("roles:\n  - arn: arn:aws:iam::111122223333:user/alice\n    groups: [x]\n", "generate", "-");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("<stdin>:2:5: error[arn-wrong-list]", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_bad_input()
    {
        var run = TestSupport.Cli.Run("generate", "no/such/spec.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rolemap: no/such/spec.yaml: file not found\n", run.Stderr);
    }

    [Fact]
    public void Unknown_option_is_bad_input()
    {
        var run = TestSupport.Cli.Run("generate", "examples/ops-dev/spec.yaml", "--style", "fancy");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Hostile_strings_round_trip_through_the_cli()
    {
        var spec = "roles:\n  - arn: arn:aws:iam::111122223333:role/x\n    username: \"a\\n- rolearn: arn:aws:iam::111122223333:role/evil\\n  groups: [system:masters]\"\n    groups: [\"'\\\"\", \"{{x}}\", \"yes\", \"- rolearn: y\"]\n";
        var run = TestSupport.Cli.RunWithInput(spec, "generate", "-", "--data-only");
        Assert.Equal(0, run.ExitCode);
        var parsed = RoleMap.AwsAuth.AwsAuthParser.Parse(run.Stdout, "out");
        var role = Assert.Single(parsed.Effective.Roles);
        Assert.Equal("a\n- rolearn: arn:aws:iam::111122223333:role/evil\n  groups: [system:masters]", role.Username);
        Assert.Equal(["'\"", "{{x}}", "yes", "- rolearn: y"], role.Groups);
    }
}

public class ResolveCliTests
{
    private const string AwsAuth = "tests/RoleMap.Tests/testdata/aws-auth/kubectl-get.json";

    [Fact]
    public void Mapped_text()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/ops/jane", "--aws-auth", AwsAuth);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "arn:           arn:aws:sts::111122223333:assumed-role/ops/jane\ncanonical arn: arn:aws:iam::111122223333:role/ops\nmatched by:    mapRoles (arn:aws:iam::111122223333:role/ops)\nusername:      ops\ngroups:        system:masters\n",
            run.Stdout);
    }

    [Fact]
    public void Mapped_json()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:iam::111122223333:user/alice", "--aws-auth", AwsAuth, "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "{\n  \"arn\": \"arn:aws:iam::111122223333:user/alice\",\n  \"canonicalArn\": \"arn:aws:iam::111122223333:user/alice\",\n  \"username\": \"alice\",\n  \"groups\": [\n    \"dev\"\n  ],\n  \"matchedBy\": \"mapUsers\",\n  \"notes\": []\n}\n",
            run.Stdout);
    }

    [Fact]
    public void Not_mapped_exits_1()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::999999999999:assumed-role/x/y", "--aws-auth", AwsAuth, "-o", "json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"matchedBy\": null", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_role_with_dns_name()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/eks-node/i-0123456789abcdef0", "--aws-auth", AwsAuth, "--ec2-private-dns-name", "ip-10-0-0-1.ec2.internal");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("username:      system:node:ip-10-0-0-1.ec2.internal\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_arn_exits_2()
    {
        var run = TestSupport.Cli.Run("resolve", "not-an-arn", "--aws-auth", AwsAuth);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("arn 'not-an-arn' is invalid", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolves_against_a_spec_too()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/ApiDeveloper/s", "--spec", "examples/api-backend/spec.yaml", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"apiteam\"", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dropped_key_is_reported_and_changes_the_answer()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/eks-node/i-0123456789abcdef0", "--aws-auth", "tests/RoleMap.Tests/testdata/aws-auth/unquoted-session-name.yaml");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("yaml-invalid", run.Stderr, StringComparison.Ordinal);
    }
}

public class TerraformExternalCliTests
{
    [Fact]
    public void Reads_jsonencoded_inputs_as_terraform_sends_them()
    {
        var query = "{\"eks_worker_iam_role_arns\":\"[\\\"arn:aws:iam::111122223333:role/eks-worker-nodes\\\"]\",\"eks_fargate_profile_executor_iam_role_arns\":\"[]\",\"iam_role_to_rbac_group_mappings\":\"{\\\"arn:aws:iam::111122223333:role/ApiDeveloper\\\":[\\\"apiteam\\\"],\\\"arn:aws:iam::111122223333:role/BackendDeveloper\\\":[\\\"backendteam\\\"]}\",\"iam_user_to_rbac_group_mappings\":\"{}\",\"config_map_labels\":\"{}\",\"style\":\"terraform\"}";
        var run = TestSupport.Cli.RunWithInput(query, "terraform-external");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        Golden.Assert("terraform-external/api-backend.json", run.Stdout);
    }

    [Fact]
    public void Errors_go_to_stderr_with_nothing_on_stdout()
    {
        var run = TestSupport.Cli.RunWithInput("{\"iam_role_to_rbac_group_mappings\":\"{\\\"arn:aws:iam::111122223333:user/x\\\":[\\\"a\\\"]}\"}", "terraform-external");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("arn-wrong-list", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "the query on stdin is not JSON")]
    [InlineData("[1]", "expected a JSON object of strings on stdin")]
    [InlineData("{\"iam_role_to_rbac_group_mappings\":\"{oops\"}", "iam_role_to_rbac_group_mappings: expected a jsonencode()d list or map")]
    [InlineData("{\"eks_worker_iam_role_arn\":\"\",\"style\":\"fancy\"}", "unknown style 'fancy'")]
    [InlineData("{\"worker_arns\":\"[]\"}", "unknown spec key 'worker_arns'")]
    [InlineData("{\"map_roles\":\"\\ud800\"}", "rolemap: <terraform query>: map_roles: the query on stdin is not JSON rolemap can read: a string escapes half of a character")]
    [InlineData("{\"\\udc00\":\"[]\"}", "rolemap: <terraform query>: the query on stdin is not JSON rolemap can read: a string escapes half of a character")]
    public void Bad_queries(string query, string message)
    {
        var run = TestSupport.Cli.RunWithInput(query, "terraform-external");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }
}
