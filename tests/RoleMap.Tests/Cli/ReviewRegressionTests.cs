using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Tests.Lint;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>Behaviours fixed after a review of the whole tool; each test fails on the earlier behaviour.</summary>
public class ReviewRegressionTests
{
    [Fact]
    public void No_node_role_warns_for_a_spec_and_is_an_error_when_nodes_are_expected()
    {
        const string Spec = "spec:roles: [{arn: \"arn:aws:iam::111122223333:role/ops\", groups: [ops]}]";
        var warning = Assert.Single(LintRuleTests.Lint(Spec).Findings, f => f.Rule == "no-node-role");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("spec.yaml", warning.Location!.File);
        Assert.Equal(Severity.Error, Assert.Single(LintRuleTests.Lint(Spec, new LintOptions(ExpectNodes: true)).Findings, f => f.Rule == "no-node-role").Severity);
    }

    [Fact]
    public void Masters_broad_counts_only_entries_that_take_effect()
    {
        const string Node = "- rolearn: arn:aws:iam::111122223333:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n";
        static string Admin(string arn) => "- rolearn: " + arn + "\n  username: a\n  groups: [system:masters]\n";
        var yaml = "mapRoles: |\n" + string.Concat((Node
            + Admin("arn:aws:iam::111122223333:role/a1") + Admin("arn:aws:iam::111122223333:role/a2") + Admin("arn:aws:iam::111122223333:role/a3")
            + Admin("arn:aws:iam::111122223333:role/team/a4") // a path: never matches
            + Admin("arn:aws:iam::111122223333:role/a5") + "- rolearn: arn:aws:iam::111122223333:role/A5\n  username: a\n  groups: [viewers]\n") // shadowed
            .Split('\n').Where(l => l.Length > 0).Select(l => "  " + l + "\n"));
        Assert.DoesNotContain(LintRuleTests.Lint(yaml).Findings, f => f.Rule == "masters-broad");
    }

    [Fact]
    public void A_node_entry_with_a_broken_username_is_a_node_problem_not_a_human_in_node_groups()
    {
        var findings = LintRuleTests.Lint("mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/node\n    username: 5\n    groups: [system:bootstrappers, system:nodes]\n").Findings;
        Assert.DoesNotContain(findings, f => f.Rule == "human-in-node-group");
        Assert.Contains(findings, f => f.Rule == "node-entry-nonstandard" && f.Fix == "username: \"system:node:{{EC2PrivateDNSName}}\"");
    }

    [Fact]
    public void Dropped_key_is_an_error_in_resolve_and_blocks_the_access_entry_plan()
    {
        const string File = "tests/RoleMap.Tests/testdata/aws-auth/unquoted-session-name.yaml";
        var resolve = TestSupport.Cli.Run("resolve", "arn:aws:iam::111122223333:user/alice", "--aws-auth", File);
        Assert.Equal(0, resolve.ExitCode);
        Assert.Contains("error[yaml-invalid]", resolve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning: ", resolve.Stderr, StringComparison.Ordinal);

        var plan = TestSupport.Cli.Run("access-entries", "plan", "--aws-auth", File);
        Assert.Equal(1, plan.ExitCode);
        Assert.Contains("the entries in it are not in this plan", plan.Stdout, StringComparison.Ordinal);
        var export = TestSupport.Cli.Run("access-entries", "export", "--aws-auth", File);
        Assert.Equal(1, export.ExitCode);
        Assert.Contains("its entries are not exported", export.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_errors_are_readable()
    {
        var run = TestSupport.Cli.RunWithInput("garbage", "terraform-external");
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("ExpectedStartOfValueNotFound", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'g' is an invalid start of a value", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_gives_one_message()
    {
        var run = TestSupport.Cli.Run("bogus");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rolemap: Unrecognized command or argument 'bogus'.\nRun 'rolemap --help' for usage.\n", run.Stderr);
    }

    [Fact]
    public void Duplicate_message_points_at_the_other_declaration()
    {
        var run = TestSupport.Cli.RunWithInput("users:\n  - arn: arn:aws:iam::111122223333:user/b\n  - arn: arn:aws:iam::111122223333:user/a\n  - arn: arn:aws:iam::111122223333:user/B\n", "generate", "-");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("declared twice (also at <stdin>:", run.Stderr, StringComparison.Ordinal);
    }
}
