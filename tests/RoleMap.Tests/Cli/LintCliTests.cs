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
