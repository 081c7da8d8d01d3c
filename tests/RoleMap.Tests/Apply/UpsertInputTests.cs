using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Spec;
using static RoleMap.Tests.Apply.MergeTests;

namespace RoleMap.Tests.Apply;

/// <summary>What upsert checks in its input: the spec compiler's rules with upsert's own wording, and the linter on the entry it writes.</summary>
public class UpsertInputTests
{
    [Fact]
    public void A_user_arn_for_upsert_role_suggests_upsert_user_with_the_same_options()
    {
        var (entry, diagnostics) = UpsertEntry.Compile(role: true, "arn:aws:iam::111122223333:user/q", null, ["g", "two words"]);

        Assert.Null(entry);
        var wrong = Assert.Single(diagnostics);
        Assert.Equal("arn-wrong-list", wrong.Rule);
        Assert.Equal("rolemap upsert user arn:aws:iam::111122223333:user/q --group g --group 'two words'", wrong.Fix);
        Assert.DoesNotContain("iam_user_to_rbac_group_mappings", wrong.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_arn_for_upsert_user_suggests_upsert_role()
    {
        var (_, diagnostics) = UpsertEntry.Compile(role: false, "arn:aws:iam::111122223333:role/q", "it's", []);

        Assert.Equal("rolemap upsert role arn:aws:iam::111122223333:role/q --username 'it'\\''s'", Assert.Single(diagnostics).Fix);
    }

    [Fact]
    public void The_spec_compiler_keeps_its_own_wording_for_generate()
    {
        var spec = new MappingSpec([new SpecPrincipal("arn:aws:iam::111122223333:user/q", EntryKind.Custom, null, ["g"], new Diagnostics.SourceLocation("spec.yaml"))], [], [], [], null);

        Assert.Equal("move it to users (iam_user_to_rbac_group_mappings)", Assert.Single(SpecCompiler.Compile(spec).Diagnostics).Fix);
    }

    [Fact]
    public void An_arn_with_a_line_break_is_refused()
    {
        var (entry, diagnostics) = UpsertEntry.Compile(role: true, "arn:aws:iam::111122223333:role/q\nx", null, ["g"]);

        Assert.Null(entry);
        var error = Assert.Single(diagnostics);
        Assert.Equal("arn-malformed", error.Rule);
        Assert.Contains("\"arn:aws:iam::111122223333:role/q\\nx\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_in_what_upsert_writes_are_a_warning_in_the_plan()
    {
        var plan = Planner.Plan(Live(LiveRoles), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["a\n- rolearn: evil"]), true, true), AdminCaller);

        Assert.Empty(plan.Violations);
        Assert.Contains(plan.Notes, n => n.StartsWith("warning[control-characters]: ", StringComparison.Ordinal) && !n.Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void A_lint_error_in_what_upsert_writes_is_refused_unless_forced()
    {
        var plan = Planner.Plan(Live(LiveRoles), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", [StandardEntries.Nodes]), true, true), AdminCaller);

        Assert.Equal("human-in-node-group", Assert.Single(plan.Violations).Rule);
    }

    [Fact]
    public void The_entry_is_linted_as_written_with_the_username_kept_from_the_live_entry()
    {
        // Only the groups are given; the node username comes from the live entry, so this is a proper node entry.
        var groups = new[] { StandardEntries.Bootstrappers, StandardEntries.Nodes, "extra" };
        var plan = Planner.Plan(Live(LiveRoles), new UpsertEdit("mapRoles", new MapEntry(Node, "eks-node", groups), usernameGiven: false, groupsGiven: true), AdminCaller);

        Assert.Empty(plan.Violations);
        Assert.Equal("system:node:{{EC2PrivateDNSName}}", Assert.Single(plan.Changes).After!.Username);
    }
}
