using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cluster;
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

    [Theory]
    [InlineData("remove")]
    [InlineData("change")]
    [InlineData("restore")]
    public void Unknown_caller_refuses_a_write_that_changes_or_removes_existing_entries(string what)
    {
        IAwsAuthEdit edit = what switch
        {
            "remove" => new RemoveEdit("mapRoles", Ops, null, null),
            "change" => new UpsertEdit("mapRoles", new MapEntry(Admin, null, ["viewers"]), false, true),
            _ => new RestoreEdit("backup", [new("mapRoles", LiveRoles.Replace("- system:masters", "- viewers", StringComparison.Ordinal))], OwnedEntries.None),
        };

        var plan = Planner.Plan(Live(LiveRoles), edit, CallerIdentity.Unknown("the API server offers no SelfSubjectReview"));

        var violation = Assert.Single(plan.Violations);
        Assert.Equal("caller-unknown", violation.Rule);
        Assert.Contains("the API server offers no SelfSubjectReview", violation.Message, StringComparison.Ordinal);
        Assert.Contains("--as-arn", violation.Message, StringComparison.Ordinal);
        Assert.Contains("aws sts get-caller-identity", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_caller_may_add_new_entries_with_a_note()
    {
        var plan = Planner.Plan(Live(LiveRoles), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["d"]), true, true), CallerIdentity.Unknown("no SelfSubjectReview"));

        Assert.Empty(plan.Violations);
        Assert.Contains(plan.GuardNotes, n => n.Contains("only adds new entries", StringComparison.Ordinal) && n.Contains("--as-arn", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_caller_adding_an_arn_the_other_list_already_maps_is_a_change()
    {
        // mapRoles is searched before mapUsers, so a role entry for an ARN in mapUsers changes what that caller gets.
        var users = "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [system:masters]\n";
        var plan = Planner.Plan(Live(LiveRoles, users), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:user/alice", "alice", ["viewers"]), true, true), CallerIdentity.Unknown("no SelfSubjectReview"));

        Assert.Equal("caller-unknown", Assert.Single(plan.Violations).Rule);
    }

    [Fact]
    public void A_caller_arn_that_is_not_an_iam_arn_counts_as_unknown()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Ops, null, null), new CallerIdentity("arn:aws:s3:::bucket", "--as-arn"));

        var violation = Assert.Single(plan.Violations);
        Assert.Equal("caller-unknown", violation.Rule);
        Assert.Contains("arn:aws:s3:::bucket", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_account_caller_cannot_be_locked_out_by_aws_auth()
    {
        var caller = CallerIdentity.Unknown("no IAM ARN", "system:serviceaccount:ops:rolemap");
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", Ops, null, null), caller);

        Assert.Empty(plan.Violations);
        Assert.Contains(plan.GuardNotes, n => n.Contains("service account system:serviceaccount:ops:rolemap", StringComparison.Ordinal));
    }

    internal const string BrokenRoles = "- rolearn: " + Node + "\n  username: system:node:{{EC2PrivateDNSName}}\n groups: [system:nodes]\n- rolearn: " + Admin + "\n";

    [Fact]
    public void A_list_the_edit_does_not_touch_keeps_its_exact_text_even_when_it_does_not_parse()
    {
        // Forcing an upsert of a user once rewrote the unreadable mapRoles as "[]": every node and admin line was lost.
        var users = "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [devs]\n";
        var accounts = new KeyValuePair<string, string>("mapAccounts", "- [not, an, account]\n- \"444455556666\"\n");
        IAwsAuthEdit[] edits =
        [
            new UpsertEdit("mapUsers", new MapEntry("arn:aws:iam::111122223333:user/v", "v", ["g"]), true, true),
            new RemoveEdit("mapUsers", "arn:aws:iam::111122223333:user/alice", null, null),
            new SpecEdit(MergeTests.Spec("users:\n- arn: arn:aws:iam::111122223333:user/v\n  groups: [g]\n"), false, "spec"),
            new RemoveEdit("mapUsers", null, "alice", null),
        ];
        foreach (var edit in edits)
        {
            var plan = Planner.Plan(Live(BrokenRoles, users, null, accounts), edit, AdminCaller);

            Assert.Empty(plan.Violations);
            Assert.Equal(BrokenRoles, Data(plan, "mapRoles"));
            Assert.Equal(accounts.Value, Data(plan, "mapAccounts"));
            Assert.Contains(plan.Notes, n => n.Contains("the live mapRoles cannot be read as written", StringComparison.Ordinal));
            Assert.DoesNotContain(plan.Changes, c => c.Key is "mapRoles" or "mapAccounts");
        }
    }

    [Fact]
    public void Writing_into_a_list_that_does_not_parse_is_refused_and_names_the_text_it_would_replace()
    {
        var plan = Planner.Plan(Live(BrokenRoles), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["d"]), true, true), AdminCaller);

        var violation = Assert.Single(plan.Violations, v => v.Rule == "unexpected-shape");
        Assert.Equal(("mapRoles", BrokenRoles), (violation.Key, violation.Replaced));
        Assert.Contains("4 lines", violation.Message, StringComparison.Ordinal);
        Assert.Contains("the 1 entry this change writes", violation.Message, StringComparison.Ordinal);
        Assert.Contains(plan.Changes, c => c.Section == "data" && c.Key == "mapRoles" && c.Note!.Contains("replaced as a whole", StringComparison.Ordinal));
    }

    [Fact]
    public void Writing_accounts_into_a_mapAccounts_that_cannot_be_read_is_refused()
    {
        var accounts = new KeyValuePair<string, string>("mapAccounts", "- [not, an, account]\n- \"444455556666\"\n");
        var plan = Planner.Plan(Live(LiveRoles, null, null, accounts), new SpecEdit(MergeTests.Spec("accounts: [\"111122223333\"]\n"), false, "spec"), AdminCaller);

        var violation = Assert.Single(plan.Violations);
        Assert.Equal(("unexpected-shape", "mapAccounts", accounts.Value), (violation.Rule, violation.Key, violation.Replaced));
        Assert.Equal(LiveRoles, Data(plan, "mapRoles"));
    }

    [Fact]
    public void Restore_of_a_list_that_does_not_parse_is_refused_even_when_no_node_role_is_at_stake()
    {
        var users = "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [devs]\n";
        var live = LiveAwsAuth.From(new ConfigMapObject("aws-auth", "kube-system", [new("mapUsers", users)], [], [], "7"), "live");
        var restore = new RestoreEdit("backup", [new("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/x\n username: bad\n"), new("mapUsers", users)], OwnedEntries.None);

        var plan = Planner.Plan(live, restore, new CallerIdentity("arn:aws:iam::111122223333:user/alice", "--as-arn"));

        var violation = Assert.Single(plan.Violations);
        Assert.Equal("roundtrip", violation.Rule);
        Assert.Contains("the backup's mapRoles", violation.Message, StringComparison.Ordinal);
        Assert.Contains(plan.Changes, c => c.Key == "mapRoles" && c.Note!.Contains("would ignore all of it", StringComparison.Ordinal));
    }

    [Fact]
    public void Restore_refuses_entries_the_authenticator_would_drop_but_not_a_breakage_that_is_already_live()
    {
        var dropped = LiveRoles + "- username: nobody\n";
        var restore = new RestoreEdit("backup", [new("mapRoles", dropped)], OwnedEntries.None);

        var fromClean = Planner.Plan(Live(LiveRoles), restore, AdminCaller);
        Assert.Contains("the backup's mapRoles would not be read as written: mapRoles[3]: ", Assert.Single(fromClean.Violations).Message, StringComparison.Ordinal);

        // The same entry is live already (with another entry changed since): restoring does not make it worse.
        var fromSame = Planner.Plan(Live(dropped.Replace("[ops-team]", "[ops-team, sre]", StringComparison.Ordinal)), restore, AdminCaller);
        Assert.Empty(fromSame.Violations);
    }

    [Fact]
    public void Restore_compares_the_backup_with_the_live_aws_auth_for_node_roles_and_an_empty_mapRoles()
    {
        var older = "- rolearn: " + Admin + "\n  username: admin\n  groups: [system:masters]\n";
        var nodeGone = Planner.Plan(Live(LiveRoles), new RestoreEdit("backup", [new("mapRoles", older)], OwnedEntries.None), AdminCaller);
        Assert.Equal("node-role-removed", Assert.Single(nodeGone.Violations).Rule);

        var empty = Planner.Plan(Live(older), new RestoreEdit("backup", [new("mapRoles", "[]\n")], OwnedEntries.None), new CallerIdentity("arn:aws:iam::111122223333:user/break-glass", "test"));
        Assert.Equal("maproles-empty", Assert.Single(empty.Violations).Rule);
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
