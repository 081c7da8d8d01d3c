using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

public class LintCliTests
{
    private const string Quirks = "tests/RoleMap.Tests/testdata/aws-auth/quirks.yaml";

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Output_formats_are_stable(string format)
    {
        var run = TestSupport.Cli.Run("lint", "--aws-auth", Quirks, "-o", format);
        Assert.Equal(1, run.ExitCode);
        Golden.Assert("lint/quirks." + format, run.Stdout);
    }

    private const string AccessEntries = "tests/RoleMap.Tests/testdata/access-entries/lint.json";

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Access_entry_findings_in_every_output_format(string format)
    {
        var run = TestSupport.Cli.Run(
            "lint", "--access-entries", AccessEntries, "--aws-auth", "examples/eks-access/aws-auth.yaml", "--rbac", "examples/eks-access/rbac",
            "--iam-arns", "tests/RoleMap.Tests/testdata/access-entries/lint-iam.json", "-o", format);
        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stderr);
        Golden.Assert("lint/access-entries." + format, run.Stdout);
    }

    [Fact]
    public void Access_entries_alone_and_the_mode()
    {
        var alone = TestSupport.Cli.Run("lint", "--access-entries", "examples/eks-access/access-entries.json");
        Assert.Equal(0, alone.ExitCode);
        Assert.EndsWith("0 errors, 0 warnings, 1 info\n", alone.Stdout, StringComparison.Ordinal);
        var mixed = TestSupport.Cli.Run("lint", "--access-entries", "examples/eks-access/access-entries.json", "--aws-auth", "examples/eks-access/aws-auth.yaml");
        Assert.Contains("access-entry-shadows-aws-auth", mixed.Stdout, StringComparison.Ordinal);
        var api = TestSupport.Cli.Run("lint", "--access-entries", "examples/eks-access/access-entries.json", "--aws-auth", "examples/eks-access/aws-auth.yaml", "--authentication-mode", "API");
        Assert.DoesNotContain("access-entry-shadows-aws-auth", api.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Cli.Run("lint", "--access-entries", "examples/eks-access/access-entries.json", "--aws-auth", "examples/eks-access/aws-auth.yaml", "--strict").ExitCode);
    }

    [Theory]
    [InlineData("{\"accessEntry\": {\"principalArn\": \"arn:aws:iam::111122223333:role/a\", \"type\": \"NODE\"}}", "type")]
    [InlineData("{\"accessEntry\": {\"principalArn\": \"arn:aws:iam::111122223333:role/a\", \"createdAt\": \"soon\"}}", "createdAt")]
    [InlineData("{\"principalArn\": \"arn:aws:iam::111122223333:role/a\", \"associatedAccessPolicies\": [{\"policyArn\": \"AmazonEKSViewPolicy\", \"accessScope\": {\"type\": \"cluster\"}}]}", "policyArn")]
    [InlineData("not json", "not valid JSON")]
    public void Bad_access_entries_exit_2_with_nothing_on_stdout(string json, string named)
    {
        var run = TestSupport.Cli.RunWithInput(json, "lint", "--access-entries", "-");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Access_entry_options_need_the_access_entries()
    {
        foreach (var args in new[] { new[] { "lint", "--aws-auth", Quirks, "--iam-arns", "x.json" }, ["lint", "--aws-auth", Quirks, "--authentication-mode", "API"], ["lint", "examples/api-backend/spec.yaml", "--aws-auth", Quirks, "--access-entries", AccessEntries] })
        {
            var run = TestSupport.Cli.Run(args);
            Assert.Equal(2, run.ExitCode);
            Assert.Empty(run.Stdout);
        }

        var badIam = TestSupport.Cli.RunWithInput("{\"Roles\": [{\"Arn\": \"arn:aws:iam::111122223333:role/a\", \"CreateDate\": \"never\"}]}", "lint", "--access-entries", AccessEntries, "--iam-arns", "-");
        Assert.Equal(2, badIam.ExitCode);
        Assert.Contains("CreateDate", badIam.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_input_exits_0_and_strict_counts_warnings()
    {
        var clean = TestSupport.Cli.Run("lint", "examples/api-backend/spec.yaml");
        Assert.Equal(0, clean.ExitCode);
        Assert.EndsWith("0 errors, 0 warnings, 0 infos\n", clean.Stdout, StringComparison.Ordinal);
        var warned = TestSupport.Cli.Run("lint", "examples/quickstart/spec.yaml");
        Assert.Equal(0, warned.ExitCode);
        Assert.Contains("arn-role-path", warned.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, TestSupport.Cli.Run("lint", "examples/quickstart/spec.yaml", "--strict").ExitCode);
    }

    [Fact]
    public void Unreadable_input_exits_2()
    {
        Assert.Equal(2, TestSupport.Cli.Run("lint", "--aws-auth", "missing.yaml").ExitCode);
        Assert.Equal(2, TestSupport.Cli.RunWithInput("kind: Secret\n", "lint", "--aws-auth", "-").ExitCode);
        Assert.Equal(2, TestSupport.Cli.Run("lint").ExitCode);
    }

    [Fact]
    public void Generate_refuses_what_lint_calls_an_error()
    {
        var run = TestSupport.Cli.RunWithInput("users:\n  - arn: arn:aws:iam::111122223333:user/alice\n    username: \"alice-{{EC2PrivateDNSName}}\"\n", "generate", "-");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("template-ec2-non-node", run.Stderr, StringComparison.Ordinal);
    }
}
