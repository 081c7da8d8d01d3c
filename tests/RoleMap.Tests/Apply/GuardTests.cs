using RoleMap.Apply;
using RoleMap.AwsAuth;
using static RoleMap.Tests.Apply.MergeTests;

namespace RoleMap.Tests.Apply;

/// <summary>Every lockout guard, each with a case that trips it and one that must not.</summary>
public class GuardTests
{
    private sealed class AddRaw(MapEntry entry) : IAwsAuthEdit
    {
        public string Description => "raw";

        public EditResult Edit(LiveAwsAuth live) =>
            new([.. live.Document.MapRoles.Entries.Select(e => (PlannedItem)new KeepItem(e)), new AddItem(entry)], [], [], live.Owned, [], []);
    }

    [Fact]
    public void Roundtrip_an_entry_the_authenticator_would_drop_is_never_written_silently()
    {
        // No rolearn: the authenticator drops the entry, so the written aws-auth would not say what rolemap meant.
        var plan = Planner.Plan(Live(LiveRoles), new AddRaw(new MapEntry(null, "ghost", ["system:masters"])), AdminCaller);

        Assert.Contains(plan.Violations, v => v.Rule == "roundtrip");
    }

    [Fact]
    public void Node_role_removed()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Node, null, null), AdminCaller);

        var violation = Assert.Single(plan.Violations);
        Assert.Equal("node-role-removed", violation.Rule);
        Assert.Contains(Node, violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_role_losing_its_node_groups()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Node, null, "system:nodes"), AdminCaller);

        Assert.Equal("node-role-removed", Assert.Single(plan.Violations).Rule);
    }

    [Fact]
    public void Fargate_role_removed()
    {
        var fargate = "- rolearn: arn:aws:iam::111122223333:role/fargate\n  username: system:node:{{SessionName}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n  - system:node-proxier\n";
        var plan = Planner.Plan(Live(fargate + LiveRoles), new RemoveEdit("mapRoles", "arn:aws:iam::111122223333:role/fargate", null, null), AdminCaller);

        Assert.Contains("Fargate", Assert.Single(plan.Violations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapRoles_becoming_empty()
    {
        var live = "- rolearn: " + Admin + "\n  username: admin\n  groups: [system:masters]\n";
        var plan = Planner.Plan(Live(live), new RemoveEdit("mapRoles", Admin, null, null), new CallerIdentity("arn:aws:iam::111122223333:user/break-glass", "test"));

        Assert.Equal("maproles-empty", Assert.Single(plan.Violations).Rule);
    }

    [Fact]
    public void Caller_losing_its_mapping()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Admin, null, null), new CallerIdentity("arn:aws:sts::111122223333:assumed-role/Admin/me", "--as-arn"));

        var violation = Assert.Single(plan.Violations);
        Assert.Equal("caller-lockout", violation.Rule);
        Assert.Contains(Admin, violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Caller_losing_system_masters()
    {
        var plan = Planner.Plan(Live(LiveRoles), new UpsertEdit("mapRoles", new MapEntry(Admin, null, ["viewers"]), false, true), AdminCaller);

        var violation = Assert.Single(plan.Violations);
        Assert.Equal("caller-lockout", violation.Rule);
        Assert.Contains("system:masters (cluster admin)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Caller_not_mapped_by_aws_auth_cannot_be_locked_out_and_is_told_so()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Admin, null, null), new CallerIdentity("arn:aws:iam::111122223333:role/cluster-creator", "--as-arn"));

        Assert.Empty(plan.Violations);
        Assert.Contains(plan.GuardNotes, n => n.Contains("not mapped by aws-auth", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_caller_is_reported_not_guessed()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Admin, null, null), CallerIdentity.Unknown("no SelfSubjectReview"));

        Assert.Empty(plan.Violations);
        Assert.Contains(plan.GuardNotes, n => n.Contains("--as-arn", StringComparison.Ordinal));
    }

    [Fact]
    public void Unexpected_shape_a_live_list_that_does_not_parse()
    {
        var plan = Planner.Plan(Live("- rolearn: a\n username: broken\n  - x"), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["d"]), true, true), AdminCaller);

        Assert.Contains(plan.Violations, v => v.Rule == "unexpected-shape");
    }

    [Fact]
    public void Unexpected_shape_a_list_that_is_a_mapping()
    {
        var plan = Planner.Plan(Live("rolearn: " + Admin + "\n"), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["d"]), true, true), AdminCaller);

        Assert.Contains(plan.Violations, v => v.Rule == "unexpected-shape");
    }

    [Fact]
    public void Ordinary_changes_trip_no_guard()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Ops, null, null), AdminCaller);

        Assert.Empty(plan.Violations);
    }
}
