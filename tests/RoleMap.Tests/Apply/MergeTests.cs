using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cluster;
using RoleMap.Spec;

namespace RoleMap.Tests.Apply;

/// <summary>
/// The merge that apply, upsert and remove perform: what is kept (byte for byte where possible), what changes, who
/// owns what. The live text mimics what EKS and eksctl write (keys sorted) plus a hand-edited entry.
/// </summary>
public class MergeTests
{
    internal const string Node = "arn:aws:iam::111122223333:role/eks-node";
    internal const string Ops = "arn:aws:iam::111122223333:role/ops";
    internal const string Admin = "arn:aws:iam::111122223333:role/Admin";

    internal const string LiveRoles =
        "# managed by EKS\n"
        + "- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: " + Node + "\n  username: system:node:{{EC2PrivateDNSName}}\n"
        + "# team ops, added by hand\n"
        + "- rolearn: " + Ops + "\n  username: ops\n  groups: [ops-team]   # flow style\n  userid: AROAEXAMPLE\n"
        + "- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n";

    internal static readonly CallerIdentity AdminCaller = new(Admin, "test");

    internal static LiveAwsAuth Live(string mapRoles, string? mapUsers = null, IReadOnlyList<KeyValuePair<string, string>>? annotations = null, params KeyValuePair<string, string>[] extra)
    {
        var data = new List<KeyValuePair<string, string>>(extra) { new("mapRoles", mapRoles) };
        if (mapUsers is not null)
        {
            data.Add(new("mapUsers", mapUsers));
        }

        return LiveAwsAuth.From(new ConfigMapObject("aws-auth", "kube-system", data, [], annotations ?? [], "7", "uid"), "live");
    }

    internal static CompiledSpec Spec(string yaml)
    {
        var compiled = SpecCompiler.Compile(SpecLoader.Load(yaml, "spec.yaml"));
        Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
        return compiled;
    }

    internal static string Data(Plan plan, string key) => plan.Desired.Data.Single(d => d.Key == key).Value;

    [Fact]
    public void Apply_appends_new_entries_and_keeps_every_other_byte()
    {
        var plan = Planner.Plan(Live(LiveRoles), new SpecEdit(Spec("roles:\n- arn: arn:aws:iam::111122223333:role/dev\n  groups: [developers]\n"), false, "spec"), AdminCaller);

        Assert.Equal(LiveRoles + "- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups:\n  - developers\n", Data(plan, "mapRoles"));
        Assert.Empty(plan.Violations);
        var change = Assert.Single(plan.Changes, c => c.Section == "mapRoles");
        Assert.Equal(ChangeKind.Added, change.Kind);
        Assert.Equal("{\"mapRoles\":[\"arn:aws:iam::111122223333:role/dev\"]}", plan.Desired.Annotations.Single(a => a.Key == Ownership.Annotation).Value);
        Assert.DoesNotContain(plan.Desired.Data, d => d.Key == "mapUsers"); // not created when nothing goes into it
    }

    [Fact]
    public void A_changed_entry_is_rewritten_in_place_keeping_its_comment_and_unknown_fields()
    {
        var plan = Planner.Plan(Live(LiveRoles), new SpecEdit(Spec("roles:\n- arn: " + Ops + "\n  username: ops\n  groups: [ops-team, viewers]\n"), false, "spec"), AdminCaller);

        var expected = LiveRoles.Replace(
            "- rolearn: " + Ops + "\n  username: ops\n  groups: [ops-team]   # flow style\n  userid: AROAEXAMPLE\n",
            "- rolearn: " + Ops + "\n  username: ops\n  groups:\n  - ops-team\n  - viewers\n  userid: AROAEXAMPLE\n",
            StringComparison.Ordinal);
        Assert.Equal(expected, Data(plan, "mapRoles"));
        var change = Assert.Single(plan.Changes, c => c.Section == "mapRoles");
        Assert.Equal(ChangeKind.Changed, change.Kind);
        Assert.Equal(new FieldChange("groups", "[ops-team]", "[ops-team, viewers]"), Assert.Single(change.Fields));
    }

    [Fact]
    public void Second_apply_of_the_same_spec_is_a_no_op()
    {
        var spec = Spec("roles:\n- arn: arn:aws:iam::111122223333:role/dev\n  groups: [developers]\n");
        var first = Planner.Plan(Live(LiveRoles), new SpecEdit(spec, false, "spec"), AdminCaller);
        var second = Planner.Plan(LiveAwsAuth.From(first.Desired with { ResourceVersion = "8" }, "live"), new SpecEdit(spec, false, "spec"), AdminCaller);

        Assert.False(first.IsNoOp);
        Assert.True(second.IsNoOp);
        Assert.Empty(second.Changes);
    }

    [Fact]
    public void A_later_apply_removes_only_the_entries_rolemap_applied_before()
    {
        var first = Planner.Plan(Live(LiveRoles), new SpecEdit(Spec("roles:\n- arn: arn:aws:iam::111122223333:role/dev\n  groups: [developers]\n- arn: arn:aws:iam::111122223333:role/qa\n  groups: [qa]\n"), false, "spec"), AdminCaller);
        var second = Planner.Plan(LiveAwsAuth.From(first.Desired, "live"), new SpecEdit(Spec("roles:\n- arn: arn:aws:iam::111122223333:role/qa\n  groups: [qa]\n"), false, "spec"), AdminCaller);

        var removed = Assert.Single(second.Changes, c => c.Section == "mapRoles");
        Assert.Equal((ChangeKind.Removed, "arn:aws:iam::111122223333:role/dev"), (removed.Kind, removed.Key));
        Assert.StartsWith(LiveRoles, Data(second, "mapRoles"), StringComparison.Ordinal); // EKS's, the hand-made and the admin entry untouched
        Assert.Equal("{\"mapRoles\":[\"arn:aws:iam::111122223333:role/qa\"]}", second.Desired.Annotations.Single(a => a.Key == Ownership.Annotation).Value);
    }

    [Fact]
    public void Prune_removes_everything_not_in_the_spec_and_the_guards_object()
    {
        var plan = Planner.Plan(Live(LiveRoles), new SpecEdit(Spec("roles:\n- arn: " + Admin + "\n  username: admin\n  groups: [system:masters]\n"), true, "spec"), AdminCaller);

        Assert.Equal(2, plan.Changes.Count(c => c.Kind == ChangeKind.Removed));
        Assert.Equal("node-role-removed", Assert.Single(plan.Violations).Rule);
        Assert.Equal("- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n", Data(plan, "mapRoles"));
    }

    [Fact]
    public void Duplicates_of_a_spec_entry_collapse_into_one()
    {
        var live = "- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: old\n  groups: [a]\n- rolearn: arn:aws:iam::111122223333:role/dev\n  username: newer\n  groups: [b]\n";
        var plan = Planner.Plan(Live(live), new SpecEdit(Spec("roles:\n- arn: arn:aws:iam::111122223333:role/dev\n  groups: [developers]\n"), false, "spec"), AdminCaller);

        Assert.Equal("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups:\n  - developers\n", Data(plan, "mapRoles"));
        var change = Assert.Single(plan.Changes, c => c.Section == "mapRoles");
        Assert.Contains("duplicate", change.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_data_keys_and_untouched_lists_stay_byte_for_byte()
    {
        var users = "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups:\n    - devs   # indented list\n";
        var other = new KeyValuePair<string, string>("notes", "free text\nthat: is not yaml: at all\n");
        var plan = Planner.Plan(Live(LiveRoles, users, null, other), new SpecEdit(Spec("roles:\n- arn: arn:aws:iam::111122223333:role/dev\n  groups: [developers]\n"), false, "spec"), AdminCaller);

        Assert.Equal(other.Value, Data(plan, "notes"));
        Assert.Equal(users, Data(plan, "mapUsers"));
    }

    [Fact]
    public void A_json_list_is_rewritten_whole_with_the_same_entries()
    {
        var json = "[{\"rolearn\":\"" + Node + "\",\"username\":\"system:node:{{EC2PrivateDNSName}}\",\"groups\":[\"system:bootstrappers\",\"system:nodes\"]}]";
        var plan = Planner.Plan(Live(json), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["developers"]), true, true), AdminCaller);

        Assert.Equal(
            "- rolearn: " + Node + "\n  username: \"system:node:{{EC2PrivateDNSName}}\"\n  groups:\n  - system:bootstrappers\n  - system:nodes\n- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups:\n  - developers\n",
            Data(plan, "mapRoles"));
        Assert.Contains(plan.Notes, n => n.Contains("rewritten as a whole", StringComparison.Ordinal));
        Assert.Empty(plan.Violations);
    }

    [Fact]
    public void New_entries_follow_the_terraform_layout_of_the_live_list()
    {
        var live = "- \"groups\":\n  - \"system:masters\"\n  \"rolearn\": \"" + Admin + "\"\n  \"username\": \"admin\"\n";
        var plan = Planner.Plan(Live(live), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["developers"]), true, true), AdminCaller);

        Assert.Equal(live + "- \"groups\":\n  - \"developers\"\n  \"rolearn\": \"arn:aws:iam::111122223333:role/dev\"\n  \"username\": \"dev\"\n", Data(plan, "mapRoles"));
    }

    [Fact]
    public void A_list_indented_under_its_key_keeps_its_indentation()
    {
        var live = "  - rolearn: " + Admin + "\n    username: admin\n    groups:\n      - system:masters\n";
        var plan = Planner.Plan(Live(live), new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["developers"]), true, true), AdminCaller);

        Assert.Equal(live + "  - rolearn: arn:aws:iam::111122223333:role/dev\n    username: dev\n    groups:\n    - developers\n", Data(plan, "mapRoles"));
    }

    [Fact]
    public void Upsert_changes_only_what_is_given_and_keeps_other_fields()
    {
        var plan = Planner.Plan(Live(LiveRoles), new UpsertEdit("mapRoles", new MapEntry(Ops, "ignored", ["sre"]), usernameGiven: false, groupsGiven: true), AdminCaller);

        var change = Assert.Single(plan.Changes, c => c.Section == "mapRoles");
        Assert.Equal("groups", Assert.Single(change.Fields).Field);
        Assert.Equal("ops", change.After!.Username);
        Assert.Contains("userid: AROAEXAMPLE", Data(plan, "mapRoles"), StringComparison.Ordinal);
        Assert.Empty(plan.Desired.Annotations); // an imperative upsert claims no ownership
    }

    [Fact]
    public void Remove_group_keeps_the_entry_with_its_other_groups()
    {
        var plan = Planner.Plan(Live(LiveRoles.Replace("[ops-team]", "[ops-team, viewers]", StringComparison.Ordinal)), new RemoveEdit("mapRoles", Ops, null, "viewers"), AdminCaller);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(new FieldChange("groups", "[ops-team, viewers]", "[ops-team]"), Assert.Single(change.Fields));
    }

    [Fact]
    public void Remove_by_username_touches_only_the_list_asked_for()
    {
        // keikoproj/aws-auth #47: removing by username deleted every mapping with that username, in both lists.
        var users = "- userarn: arn:aws:iam::111122223333:user/ops\n  username: ops\n  groups: [ops-team]\n";
        var plan = Planner.Plan(Live(LiveRoles, users), new RemoveEdit("mapUsers", null, "ops", null), AdminCaller);

        var change = Assert.Single(plan.Changes, c => c.Section is "mapRoles" or "mapUsers");
        Assert.Equal(("mapUsers", ChangeKind.Removed), (change.Section, change.Kind));
        Assert.Equal(LiveRoles, Data(plan, "mapRoles"));
    }

    [Fact]
    public void Removing_what_is_not_there_changes_nothing_and_suggests_the_close_match()
    {
        var plan = Planner.Plan(Live(LiveRoles), new RemoveEdit("mapRoles", "arn:aws:iam::111122223333:role/opz", null, null), AdminCaller);

        Assert.True(plan.IsNoOp);
        Assert.Contains(plan.Notes, n => n.Contains("did you mean " + Ops, StringComparison.Ordinal));
    }

    [Fact]
    public void Removing_an_owned_entry_drops_it_from_the_ownership_record()
    {
        var owned = new KeyValuePair<string, string>(Ownership.Annotation, "{\"mapRoles\":[\"" + Ops + "\",\"" + Node + "\"]}");
        var plan = Planner.Plan(Live(LiveRoles, null, [owned]), new RemoveEdit("mapRoles", "arn:aws:iam::111122223333:role/OPS", null, null), AdminCaller);

        Assert.Equal("{\"mapRoles\":[\"" + Node + "\"]}", plan.Desired.Annotations.Single(a => a.Key == Ownership.Annotation).Value);
    }

    [Fact]
    public void Accounts_merge_like_entries()
    {
        var live = LiveAwsAuth.From(new ConfigMapObject("aws-auth", "kube-system", [new("mapRoles", LiveRoles), new("mapAccounts", "- \"444455556666\"\n")], [], [], "7"), "live");
        var plan = Planner.Plan(live, new SpecEdit(Spec("accounts: [\"111122223333\"]\n"), false, "spec"), AdminCaller);

        Assert.Equal("- \"444455556666\"\n- \"111122223333\"\n", Data(plan, "mapAccounts"));
        Assert.Equal(LiveRoles, Data(plan, "mapRoles"));
    }

    [Fact]
    public void Spec_labels_are_set_and_other_labels_kept()
    {
        var live = LiveAwsAuth.From(new ConfigMapObject("aws-auth", "kube-system", [new("mapRoles", LiveRoles)], [new("team", "platform")], [], "7"), "live");
        var plan = Planner.Plan(live, new SpecEdit(Spec("labels:\n  eks-cluster: prod\n"), false, "spec"), AdminCaller);

        Assert.Equal([new("team", "platform"), new("eks-cluster", "prod")], plan.Desired.Labels);
        Assert.Contains(plan.Changes, c => c.Section == "metadata" && c.Key == "label eks-cluster");
    }

    [Fact]
    public void Creating_aws_auth_writes_only_the_lists_that_have_entries()
    {
        var plan = Planner.Plan(LiveAwsAuth.From(null, "live"), new SpecEdit(Spec("nodeRoles: [\"" + Node + "\"]\n"), false, "spec"), AdminCaller);

        Assert.True(plan.Creates);
        Assert.Equal(["mapRoles"], plan.Desired.Data.Select(d => d.Key));
        Assert.Equal("- rolearn: " + Node + "\n  username: \"system:node:{{EC2PrivateDNSName}}\"\n  groups:\n  - system:bootstrappers\n  - system:nodes\n", Data(plan, "mapRoles"));
    }
}
