using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;

namespace RoleMap.Tests.Lint;

/// <summary>
/// Rules reported from more than one place are implemented once: every caller gives the same id, the severity from
/// <see cref="LintRules"/> for its context, and the same message where the situation is the same.
/// </summary>
public class SharedRuleTests
{
    private const string Role = "arn:aws:iam::111122223333:role/ops";
    private const string Node = "arn:aws:iam::111122223333:role/node";

    private static LintResult LintAwsAuth(string mapRoles, string mapUsers = "[]") =>
        Linter.LintAwsAuth(AwsAuthParser.Parse("mapRoles: |\n" + Indent(mapRoles) + "mapUsers: |\n" + Indent(mapUsers), "aws-auth.yaml"));

    private static LintResult LintSpec(string spec) => Linter.LintSpec(SpecCompiler.Compile(SpecLoader.Load(spec, "spec.yaml")));

    private static string Indent(string text) => string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => "  " + l + "\n"));

    private static (string Rule, Severity Severity, string Message, string? Fix) Shape(Diagnostic d) => (d.Rule, d.Severity, d.Message, d.Fix);

    [Theory]
    [InlineData("ops{{SessionName}}", "access entries require a ':' before {{SessionName}} in a username ('ops{{SessionName}}')", "ops:{{SessionName}}")]
    [InlineData("ops-{{SessionNameRaw}}", "access entries require a ':' before {{SessionNameRaw}} in a username ('ops-{{SessionNameRaw}}')", "ops-:{{SessionNameRaw}}")]
    [InlineData("eks:ops", "access entries reject usernames starting with eks: ('eks:ops')", null)]
    [InlineData("amazon:{{SessionName}}", "access entries reject usernames starting with amazon: ('amazon:{{SessionName}}')", null)]
    public void A_username_access_entries_reject_is_one_finding_from_aws_auth_and_from_a_spec(string username, string message, string? fix)
    {
        var fromAwsAuth = Assert.Single(LintAwsAuth("- rolearn: " + Role + "\n  username: \"" + username + "\"\n").Findings, f => f.Rule == "access-entry-username");
        var fromSpec = Assert.Single(LintSpec("roles:\n- arn: " + Role + "\n  username: \"" + username + "\"\n").Findings, f => f.Rule == "access-entry-username");
        Assert.Equal(("access-entry-username", LintRules.Get("access-entry-username").Severity, message, fix), Shape(fromAwsAuth));
        Assert.Equal(Shape(fromAwsAuth), Shape(fromSpec));

        // The migration planner reads the same rule.
        Assert.True(AccessEntryRules.ReservedPrefix(username) is not null || AccessEntryRules.LacksColonBeforeSessionName(username));
    }

    [Theory]
    [InlineData("system:")]
    [InlineData("eks:")]
    [InlineData("aws:")]
    [InlineData("amazon:")]
    [InlineData("iam:")]
    public void Every_reserved_prefix_flags_a_group_in_lint_and_in_the_migration_rules(string prefix)
    {
        Assert.Equal(prefix, AccessEntryRules.ReservedPrefix(prefix + "team"));
        var finding = Assert.Single(LintAwsAuth("- rolearn: " + Role + "\n  username: ops\n  groups: [\"" + prefix + "team\"]\n").Findings, f => f.Rule == "access-entry-group");
        Assert.Equal(LintRules.Get("access-entry-group").Severity, finding.Severity);
        Assert.Null(AccessEntryRules.ReservedPrefix("team:" + prefix));
    }

    [Fact]
    public void A_duplicate_arn_has_one_id_and_severity_from_aws_auth_and_from_a_spec()
    {
        var fromAwsAuth = Assert.Single(LintAwsAuth("- rolearn: " + Role + "\n  username: a\n- rolearn: " + Role + "\n  username: b\n").Findings, f => f.Rule == "duplicate-arn");
        var fromSpec = Assert.Single(SpecCompiler.Compile(SpecLoader.Load("roles:\n- arn: " + Role + "\n- arn: " + Role + "\n", "spec.yaml")).Diagnostics, f => f.Rule == "duplicate-arn");
        Assert.Equal(LintRules.Get("duplicate-arn").SeverityIn(FindingContext.AwsAuth), fromAwsAuth.Severity);
        Assert.Equal(LintRules.Get("duplicate-arn").SeverityIn(FindingContext.Spec), fromSpec.Severity);

        // aws-auth: the earlier entry has no effect; a spec: the later declaration repeats the first.
        Assert.Equal("mapRoles[0]", fromAwsAuth.Location!.Path);
        Assert.Equal("the role '" + Role + "' is declared twice (also at spec.yaml:2:3: roles[0]); the authenticator would keep only the last entry, without merging groups.", fromSpec.Message);
        Assert.Equal("spec.yaml:3:3: roles[1]", fromSpec.Location!.ToString());
    }

    [Fact]
    public void Users_spelled_alike_keep_the_last_and_users_differing_in_case_are_random_in_both()
    {
        const string User = "arn:aws:iam::111122223333:user/bob";
        var same = LintAwsAuth(string.Empty, "- userarn: " + User + "\n  username: a\n- userarn: " + User + "\n  username: b\n");
        Assert.Contains("keeps only that last entry", Assert.Single(same.Findings, f => f.Rule == "duplicate-arn").Message, StringComparison.Ordinal);
        var sameInSpec = Assert.Single(SpecCompiler.Compile(SpecLoader.Load("users:\n- arn: " + User + "\n- arn: " + User + "\n", "spec.yaml")).Diagnostics, f => f.Rule == "duplicate-arn");
        Assert.EndsWith("the authenticator would keep only the last entry.", sameInSpec.Message, StringComparison.Ordinal);

        var cased = LintAwsAuth(string.Empty, "- userarn: " + User + "\n  username: a\n- userarn: " + User.Replace("bob", "Bob", StringComparison.Ordinal) + "\n  username: b\n");
        Assert.Contains("picks one at random", Assert.Single(cased.Findings, f => f.Rule == "duplicate-arn").Message, StringComparison.Ordinal);
        var casedInSpec = Assert.Single(SpecCompiler.Compile(SpecLoader.Load("users:\n- arn: " + User + "\n- arn: " + User.Replace("bob", "Bob", StringComparison.Ordinal) + "\n", "spec.yaml")).Diagnostics, f => f.Rule == "duplicate-arn");
        Assert.EndsWith("the authenticator would keep only one of them, chosen at random.", casedInSpec.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_for_nodes_and_fargate_is_one_finding_from_aws_auth_and_from_a_spec()
    {
        var fromAwsAuth = LintAwsAuth(
            "- rolearn: " + Node + "\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n" +
            "- rolearn: " + Node + "\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n");
        var fromSpec = SpecCompiler.Compile(SpecLoader.Load("nodeRoles: [" + Node + "]\nfargateRoles: [" + Node + "]\n", "spec.yaml")).Diagnostics;
        foreach (var findings in new[] { fromAwsAuth.Findings, fromSpec })
        {
            var finding = Assert.Single(findings, f => f.Rule is "node-fargate-shared-role" or "duplicate-arn");
            Assert.Equal("node-fargate-shared-role", finding.Rule);
            Assert.Equal(LintRules.Get("node-fargate-shared-role").Severity, finding.Severity);
            Assert.Equal("give the Fargate profile its own pod execution role", finding.Fix);
        }
    }

    [Fact]
    public void Three_declarations_of_one_role_give_two_findings_each_way()
    {
        var entries = Enumerable.Range(0, 3)
            .Select(i => new ArnEntry(new MapEntry(i == 1 ? Role.ToUpperInvariant() : Role, "u" + i, ["g" + i]), false, EntryKind.Custom, new SourceLocation("f", i + 1, 1, "mapRoles[" + i + "]")))
            .ToList();
        Assert.Equal(["mapRoles[0]", "mapRoles[1]"], DuplicateArns.Check(entries, FindingContext.AwsAuth).Select(f => f.Location!.Path));
        Assert.Equal(["mapRoles[1]", "mapRoles[2]"], DuplicateArns.Check(entries, FindingContext.Spec).Select(f => f.Location!.Path));
        Assert.Empty(DuplicateArns.Check([entries[0], entries[0] with { IsUser = true }], FindingContext.AwsAuth));
    }

    [Fact]
    public void Every_spec_finding_takes_its_severity_from_the_catalogue()
    {
        var compiled = SpecCompiler.Compile(SpecLoader.Load(
            "nodeRoles: [arn:aws:iam::111122223333:role/team/node, arn:aws:iam::111122223333:user/u, not-an-arn]\n" +
            "fargateRoles: [arn:aws:iam::111122223333:role/team/node]\n" +
            "roles:\n- {arn: \"arn:aws:sts::111122223333:assumed-role/ops/jane\", groups: [\"\"]}\n- {arn: " + Role + "}\n- {arn: " + Role + "}\n" +
            "users:\n- {arn: " + Role + "x}\n" +
            "accounts: [\"1\", \"111122223333\", \"111122223333\"]\nlabels: {\"bad key\": x}\n",
            "spec.yaml"));
        Assert.Equal(
            ["account-invalid", "arn-assumed-role", "arn-malformed", "arn-role-path", "arn-wrong-list", "duplicate-account", "duplicate-arn", "group-empty", "label-invalid", "node-fargate-shared-role"],
            compiled.Diagnostics.Select(d => d.Rule).Distinct().Order(StringComparer.Ordinal));
        Assert.All(compiled.Diagnostics, d => Assert.Equal(LintRules.Get(d.Rule).SeverityIn(FindingContext.Spec), d.Severity));
        Assert.Equal(Severity.Warning, compiled.Diagnostics.First(d => d.Rule == "arn-role-path").Severity); // corrected in a spec
        Assert.Equal(Severity.Error, compiled.Diagnostics.First(d => d.Rule == "arn-wrong-list").Severity); // refused in a spec
    }

    [Fact]
    public void Every_aws_auth_finding_takes_its_severity_from_the_catalogue()
    {
        var text = File.ReadAllText(TestSupport.Repo.Path("tests", "RoleMap.Tests", "testdata", "aws-auth", "quirks.yaml"));
        var findings = Linter.LintAwsAuth(AwsAuthParser.Parse(text, "quirks.yaml"), new LintOptions(ExpectNodes: true)).Findings;
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal(LintRules.Get(f.Rule).SeverityIn(f.Rule == "no-node-role" ? FindingContext.Certain : FindingContext.AwsAuth), f.Severity));
    }

    [Fact]
    public void No_node_role_is_an_error_only_when_the_cluster_is_known_to_have_nodes()
    {
        const string Roles = "- rolearn: " + Role + "\n  username: ops\n";
        Assert.Equal(Severity.Warning, Assert.Single(LintAwsAuth(Roles).Findings, f => f.Rule == "no-node-role").Severity);
        var certain = Linter.LintAwsAuth(AwsAuthParser.Parse("mapRoles: |\n" + Indent(Roles), "a.yaml"), new LintOptions(ExpectNodes: true));
        Assert.Equal(LintRules.Get("no-node-role").WhenCertain, Assert.Single(certain.Findings, f => f.Rule == "no-node-role").Severity);
    }
}
