using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Spec;

namespace RoleMap.Tests.AccessEntries;

/// <summary>
/// The planner's rules, one mapping kind or skip reason at a time. Rules come from the EKS User Guide
/// (creating-access-entries, migrating-access-entries, set-custom-username, access-policy-reference) and the
/// authenticator's aws-auth semantics; eksctl's migrator (pkg/actions/accessentry/migrator.go) is the contrast.
/// </summary>
public class MigrationPlannerTests
{
    private const string Account = "111122223333";

    internal static MigrationPlan FromAwsAuth(string? mapRoles, string? mapUsers = null, string? mapAccounts = null, PlanOptions? options = null, params string[] iamArns)
    {
        var data = new List<KeyValuePair<string, string>>();
        if (mapRoles is not null)
        {
            data.Add(new("mapRoles", mapRoles));
        }

        if (mapUsers is not null)
        {
            data.Add(new("mapUsers", mapUsers));
        }

        if (mapAccounts is not null)
        {
            data.Add(new("mapAccounts", mapAccounts));
        }

        var document = AwsAuthParser.ParseData(data, null, "aws-auth");
        options ??= new PlanOptions();
        if (iamArns.Length > 0)
        {
            options = options with { Iam = IamDirectory.Parse("[" + string.Join(",", iamArns.Select(a => "\"" + a + "\"")) + "]", "iam.json") };
        }

        return MigrationPlanner.Plan(PlanInput.FromAwsAuth(document, "aws-auth"), options);
    }

    internal static MigrationPlan FromSpec(string spec, PlanOptions? options = null)
    {
        var compiled = SpecCompiler.Compile(SpecLoader.Load(spec, "spec.yaml"));
        Assert.False(compiled.HasErrors, string.Join("\n", compiled.Diagnostics));
        return MigrationPlanner.Plan(PlanInput.FromSpec(compiled, "spec.yaml"), options);
    }

    /// <summary>One role entry, its ARN confirmed path-less through an IAM lookup so that only the rule under test shows.</summary>
    private static PlanEntry Role(string name, string username, params string[] groups)
    {
        var yaml = "- rolearn: arn:aws:iam::" + Account + ":role/" + name + "\n  username: \"" + username + "\"\n  groups: [" + string.Join(", ", groups.Select(g => "\"" + g + "\"")) + "]\n";
        return Assert.Single(FromAwsAuth(yaml, iamArns: "arn:aws:iam::" + Account + ":role/" + name).Entries);
    }

    private static string Rules(PlanEntry entry) => string.Join(",", entry.Findings.Select(f => f.Rule));

    [Theory]
    // Every mapping kind: the standard entries of section 5, as eksctl's migrator and the EKS guide type them.
    [InlineData("system:node:{{EC2PrivateDNSName}}", "system:bootstrappers,system:nodes", "EC2_LINUX")]
    [InlineData("system:node:{{EC2PrivateDNSName}}", "system:bootstrappers,system:nodes,eks:kube-proxy-windows", "EC2_WINDOWS")]
    [InlineData("system:node:{{SessionName}}", "system:bootstrappers,system:nodes", "HYBRID_LINUX")]
    [InlineData("ops", "platform", "STANDARD")]
    public void Node_and_standard_entries_get_their_types(string username, string groups, string type)
    {
        var entry = Role("r", username, groups.Split(','));
        Assert.Equal(PlanStatus.Convertible, entry.Status);
        Assert.Equal(type, entry.Target!.Type.Wire());
        Assert.Equal(PrincipalSource.IamList, entry.PrincipalSource);
        Assert.Equal(DeleteWhen.AfterCreate, entry.Delete);
        if (type != "STANDARD")
        {
            Assert.Empty(entry.Target.KubernetesGroups); // node types carry no groups; EKS grants node permissions itself
            Assert.Null(entry.Target.Username);
        }
    }

    [Fact]
    public void Fargate_is_left_to_eks_until_its_entry_is_confirmed()
    {
        var entry = Role("pods", "system:node:{{SessionName}}", "system:bootstrappers", "system:nodes", "system:node-proxier");
        Assert.Equal(PlanStatus.Skip, entry.Status);
        Assert.Equal("eks-managed-fargate", Rules(entry));
        Assert.Equal(AccessEntryType.FargateLinux, entry.Target!.Type);
        Assert.Equal(DeleteWhen.Keep, entry.Delete);
        Assert.Equal(ApiModeImpact.Verify, entry.ApiMode);

        var existing = ExistingAccessEntries.Parse("{\"accessEntry\": {\"principalArn\": \"arn:aws:iam::111122223333:role/pods\", \"type\": \"FARGATE_LINUX\", \"kubernetesGroups\": [], \"username\": \"system:node:{{SessionName}}\"}}", "ae.json");
        var confirmed = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/pods\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n", options: new PlanOptions(Existing: existing)).Entries);
        Assert.Equal("access-entry-exists", Rules(confirmed));
        Assert.Equal(DeleteWhen.Now, confirmed.Delete);
        Assert.Equal(ApiModeImpact.None, confirmed.ApiMode);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("aws-cn")]
    [InlineData("aws-us-gov")]
    public void System_masters_becomes_the_cluster_admin_policy_of_the_partition(string partition)
    {
        // eksctl hard-codes arn:aws:eks::aws:...; the policy ARN must carry the cluster's partition.
        var yaml = "- rolearn: arn:" + partition + ":iam::111122223333:role/admins\n  username: admin\n  groups: [system:masters, platform]\n";
        var entry = Assert.Single(FromAwsAuth(yaml, iamArns: "arn:" + partition + ":iam::111122223333:role/admins").Entries);
        Assert.Equal(PlanStatus.Convertible, entry.Status);
        var policy = Assert.Single(entry.Target!.Policies);
        Assert.Equal("arn:" + partition + ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", policy.PolicyArn);
        Assert.True(policy.Scope.IsCluster);
        Assert.Equal(["platform"], entry.Target.KubernetesGroups); // eksctl drops the other groups; they stay
        Assert.Equal("admin", entry.Target.Username);
    }

    [Fact]
    public void System_authenticated_is_dropped_with_a_note()
    {
        var entry = Role("r", "r", "system:authenticated", "dev");
        Assert.Equal(PlanStatus.Convertible, entry.Status);
        Assert.Equal(["dev"], entry.Target!.KubernetesGroups);
        Assert.Contains(entry.Notes, n => n.Contains("system:authenticated", StringComparison.Ordinal));
    }

    [Theory]
    // creating-access-entries: group names may not start with system:, usernames not with system:, eks:, aws:, amazon:, iam:.
    [InlineData("r", "system:monitoring", "reserved-group")]
    [InlineData("r", "eks:something", "reserved-group")]
    [InlineData("system:monitor", "g", "reserved-username")]
    [InlineData("eks:me", "g", "reserved-username")]
    [InlineData("iam:me", "g", "reserved-username")]
    [InlineData("{{SessionName}}", "g", "username-session-colon")]
    [InlineData("dev-{{SessionNameRaw}}", "g", "username-session-colon")]
    [InlineData("dev:{{AccountID}}:{{SessionName}}", "g", "username-template")]
    [InlineData("k-{{AccessKeyID}}", "g", "username-template")]
    [InlineData("r-{{Unknown}}", "g", "username-template")]
    [InlineData("r", "team-{{AccountID}}", "group-template")]
    public void Values_access_entries_reject_need_attention(string username, string group, string rule)
    {
        var entry = Role("r", username, group);
        Assert.Equal(PlanStatus.NeedsAttention, entry.Status);
        Assert.Equal(rule, Rules(entry));
        Assert.NotNull(entry.Findings[0].Fix);
        Assert.Equal(DeleteWhen.Keep, entry.Delete);
        Assert.Equal(ApiModeImpact.Blocks, entry.ApiMode);
    }

    [Theory]
    [InlineData("dev:{{SessionName}}")]
    [InlineData("dev:{{SessionNameRaw}}")]
    [InlineData(":x{{SessionName}}")]
    [InlineData("plain")]
    public void Documented_usernames_convert(string username)
    {
        var entry = Role("r", username, "g");
        Assert.Equal(PlanStatus.Convertible, entry.Status);
        Assert.Equal(username, entry.Target!.Username);
    }

    [Fact]
    public void A_reserved_username_is_left_for_eks_to_generate()
    {
        var entry = Role("r", "system:monitor", "g");
        Assert.Null(entry.Target!.Username);
        Assert.Contains("arn:aws:sts::111122223333:assumed-role/r/{{SessionName}}", entry.Findings[0].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_username_is_left_unset_with_a_note()
    {
        var entry = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/r\n  groups: [g]\n", iamArns: "arn:aws:iam::111122223333:role/r").Entries);
        Assert.Equal(PlanStatus.Convertible, entry.Status);
        Assert.Null(entry.Target!.Username);
        Assert.Contains(entry.Notes, n => n.Contains("empty username", StringComparison.Ordinal));
    }

    [Fact]
    public void Node_entries_with_extra_groups_need_attention()
    {
        var entry = Role("n", "system:node:{{EC2PrivateDNSName}}", "system:bootstrappers", "system:nodes", "monitoring");
        Assert.Equal("node-extra-groups", Rules(entry));
        Assert.Contains("monitoring", entry.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_username_on_a_user_needs_a_role()
    {
        var entry = Assert.Single(FromAwsAuth(null, "- userarn: arn:aws:iam::111122223333:user/n\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n").Entries);
        Assert.Equal("node-type-needs-role", Rules(entry));
        Assert.Null(entry.Target);
    }

    [Theory]
    // aws-auth holds service-linked roles without their path (eksctl writes the EMR role that way); access entries refuse them.
    [InlineData("arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonEMRContainers")]
    public void Service_linked_roles_are_skipped_and_block_api_mode(string arn)
    {
        var plan = FromAwsAuth("- rolearn: " + arn + "\n  username: emr-containers\n");
        var entry = Assert.Single(plan.Entries);
        Assert.Equal(PlanStatus.Skip, entry.Status);
        Assert.Equal("service-linked-role", Rules(entry));
        Assert.Equal(DeleteWhen.Keep, entry.Delete);
        Assert.False(plan.ApiMode.Possible);
    }

    [Fact]
    public void A_service_linked_role_found_through_iam_is_skipped_too()
    {
        var entry = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/MyLinked\n  username: x\n", iamArns: "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/MyLinked").Entries);
        Assert.Equal("service-linked-role", Rules(entry));
    }

    [Fact]
    public void Map_accounts_are_skipped_and_block_api_mode()
    {
        var plan = FromAwsAuth(null, null, "- \"444455556666\"\n");
        var entry = Assert.Single(plan.Entries);
        Assert.Equal(("mapAccounts[0]", "444455556666", PlanStatus.Skip, "map-accounts"), (entry.Label, entry.Written, entry.Status, Rules(entry)));
        Assert.Equal(DeleteWhen.Keep, entry.Delete);
        Assert.False(plan.ApiMode.Possible);
        Assert.Contains(plan.ApiMode.Blockers, b => b.StartsWith("mapAccounts[0] 444455556666", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_roles_resolve_to_the_last_entry_like_the_authenticator()
    {
        // aws-iam-authenticator #271: a later entry for the same ARN (any case) replaces the earlier one; eksctl takes the first.
        const string Roles = """
            - rolearn: arn:aws:iam::111122223333:role/admins
              username: admin
              groups: [system:masters]
            - rolearn: arn:aws:iam::111122223333:role/other
              username: other
              groups: [g]
            - rolearn: arn:aws:iam::111122223333:role/ADMINS
              username: viewer
              groups: [viewers]
            """;
        var plan = FromAwsAuth(Roles, iamArns: ["arn:aws:iam::111122223333:role/admins", "arn:aws:iam::111122223333:role/other"]);
        var first = plan.Entries[0];
        Assert.Equal((PlanStatus.Skip, "duplicate-shadowed", DeleteWhen.Now), (first.Status, Rules(first), first.Delete));
        Assert.Contains("mapRoles[2]", first.Findings[0].Message, StringComparison.Ordinal);
        var last = plan.Entries[2];
        Assert.Equal(PlanStatus.Convertible, last.Status);
        Assert.Equal(["viewers"], last.Target!.KubernetesGroups);
        Assert.Empty(last.Target.Policies); // no cluster admin: the authenticator never applied the first entry
        Assert.Equal("arn:aws:iam::111122223333:role/admins", last.Target.PrincipalArn); // the IAM spelling
        Assert.Contains(last.Notes, n => n.Contains("eksctl", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_users_last_wins_for_exact_copies_and_case_variants_need_attention()
    {
        const string Users = """
            - userarn: arn:aws:iam::111122223333:user/alice
              username: a1
            - userarn: arn:aws:iam::111122223333:user/alice
              username: a2
            - userarn: arn:aws:iam::111122223333:user/Bob
              username: bob-upper
            - userarn: arn:aws:iam::111122223333:user/bob
              username: bob-lower
            - userarn: arn:aws:iam::111122223333:role/shared
              username: shadowed
            """;
        var plan = FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/shared\n  username: shared\n", Users, iamArns: "arn:aws:iam::111122223333:role/shared");
        Assert.Equal(["convertible", "skip:duplicate-shadowed", "convertible", "needsAttention:duplicate-user-case", "needsAttention:duplicate-user-case", "skip:shadowed-by-role"],
            plan.Entries.Select(e => RoleMap.Cli.Rendering.AccessEntriesRendering.StatusName(e.Status) + (e.Findings.Count == 0 ? string.Empty : ":" + Rules(e))));
        Assert.Equal("a2", plan.Entries[2].Target!.Username);
    }

    [Fact]
    public void Entries_the_authenticator_drops_are_skipped_and_can_go()
    {
        const string Roles = """
            - role_arn: arn:aws:iam::111122223333:role/typo
              username: typo
            - sso:
                permissionSetName: Admin
                accountID: "111122223333"
              username: sso
            - rolearn: arn:aws:sts::111122223333:assumed-role/r/session
              username: session
            - rolearn: arn:aws:iam:eu-west-1:111122223333:role/regional
              username: regional
            - rolearn: arn:aws-mars:iam::111122223333:role/mars
              username: mars
            """;
        var plan = FromAwsAuth(Roles);
        Assert.Equal(["entry-ignored", "sso-matcher", "never-matches", "never-matches", "never-matches"], plan.Entries.Select(Rules));
        Assert.All(plan.Entries, e => Assert.Equal(PlanStatus.Skip, e.Status));
        Assert.Equal([DeleteWhen.Now, DeleteWhen.Keep, DeleteWhen.Now, DeleteWhen.Now, DeleteWhen.Now], plan.Entries.Select(e => e.Delete));
    }

    [Theory]
    [InlineData("- userarn: arn:aws:iam::111122223333:root\n  username: root\n")]
    [InlineData("- userarn: arn:aws:sts::111122223333:federated-user/bob\n  username: bob\n")]
    public void Principals_access_entries_cannot_hold_need_attention(string users)
    {
        var entry = Assert.Single(FromAwsAuth(null, users).Entries);
        Assert.Equal((PlanStatus.NeedsAttention, "not-a-principal", ApiModeImpact.Blocks), (entry.Status, Rules(entry), entry.ApiMode));
    }

    [Fact]
    public void A_role_path_in_aws_auth_never_matched_so_converting_it_grants_new_access()
    {
        var entry = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/team/dev\n  username: dev\n  groups: [dev]\n").Entries);
        Assert.Equal((PlanStatus.NeedsAttention, "role-path-in-aws-auth"), (entry.Status, Rules(entry)));
        Assert.Equal("arn:aws:iam::111122223333:role/team/dev", entry.Target!.PrincipalArn);
        Assert.Equal(DeleteWhen.Now, entry.Delete);
        Assert.Equal(ApiModeImpact.None, entry.ApiMode);
    }

    [Fact]
    public void Role_paths_come_from_the_spec()
    {
        var plan = FromSpec("roles:\n  - arn: arn:aws:iam::111122223333:role/platform/ops\n    groups: [system:masters]\nusers:\n  - arn: arn:aws:iam::111122223333:user/ci/deployer\n    groups: [deployers]\n");
        Assert.Equal(["arn:aws:iam::111122223333:role/platform/ops", "arn:aws:iam::111122223333:user/ci/deployer"], plan.ToCreate.Select(e => e.Target!.PrincipalArn));
        Assert.Equal([PrincipalSource.Spec, PrincipalSource.AsWritten], plan.Entries.Select(e => e.PrincipalSource));
        Assert.Equal("ops", plan.Entries[0].Target!.Username); // the spec's default username, as generate writes it
    }

    [Fact]
    public void Spec_node_keys_become_node_types_with_their_paths()
    {
        const string Spec = """
            nodeRoles: [arn:aws:iam::111122223333:role/nodes/linux]
            windowsNodeRoles: [arn:aws:iam::111122223333:role/nodes/windows]
            hybridNodeRoles: [arn:aws:iam::111122223333:role/nodes/hybrid]
            fargateRoles: [arn:aws:iam::111122223333:role/nodes/fargate]
            accounts: ["444455556666"]
            """;
        var plan = FromSpec(Spec);
        Assert.Equal(
            ["EC2_LINUX arn:aws:iam::111122223333:role/nodes/linux", "EC2_WINDOWS arn:aws:iam::111122223333:role/nodes/windows", "HYBRID_LINUX arn:aws:iam::111122223333:role/nodes/hybrid", "FARGATE_LINUX arn:aws:iam::111122223333:role/nodes/fargate"],
            plan.Entries.Where(e => e.Target is not null).Select(e => e.Target!.Type.Wire() + " " + e.Target.PrincipalArn));
        Assert.Equal([PlanStatus.Convertible, PlanStatus.Convertible, PlanStatus.Convertible, PlanStatus.Skip, PlanStatus.Skip], plan.Entries.Select(e => e.Status));
        Assert.Equal(["", "", "", "eks-managed-fargate", "map-accounts"], plan.Entries.Select(Rules));
        Assert.All(plan.Entries.Take(4), e => Assert.Equal(PrincipalSource.Spec, e.PrincipalSource));
    }

    [Fact]
    public void Role_paths_come_from_iam_listings()
    {
        var iam = IamDirectory.Parse("{\"Roles\": [{\"Arn\": \"arn:aws:iam::111122223333:role/teams/dev\"}]}", "roles.json");
        var entry = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev\n  groups: [dev]\n", options: new PlanOptions(Iam: iam)).Entries);
        Assert.Equal(PlanStatus.Convertible, entry.Status);
        Assert.Equal(("arn:aws:iam::111122223333:role/teams/dev", PrincipalSource.IamList), (entry.Target!.PrincipalArn, entry.PrincipalSource));
    }

    [Fact]
    public void Role_paths_come_from_existing_access_entries()
    {
        var existing = ExistingAccessEntries.Parse("{\"accessEntries\": [\"arn:aws:iam::111122223333:role/teams/dev\"]}", "ae.json");
        var entry = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n", options: new PlanOptions(Existing: existing)).Entries);
        Assert.Equal(("access-entry-exists", PrincipalSource.AccessEntry), (Rules(entry), entry.PrincipalSource));
        Assert.Equal("arn:aws:iam::111122223333:role/teams/dev", entry.Target!.PrincipalArn);
    }

    [Fact]
    public void Without_a_source_the_plan_asks_for_the_role_path()
    {
        var aws = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n").Entries);
        var spec = Assert.Single(FromSpec("roles:\n  - arn: arn:aws:iam::111122223333:role/dev\n    groups: [dev]\n").Entries);
        foreach (var entry in new[] { aws, spec })
        {
            Assert.Equal((PlanStatus.NeedsAttention, "role-path-unknown", PrincipalSource.Unconfirmed), (entry.Status, Rules(entry), entry.PrincipalSource));
            Assert.Contains("aws iam get-role --role-name dev", entry.Findings[0].Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_complete_listing_without_the_principal_says_it_is_gone()
    {
        var iam = IamDirectory.Parse("{\"Roles\": [{\"Arn\": \"arn:aws:iam::111122223333:role/other\"}]}", "roles.json");
        var entry = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/deleted\n  username: d\n", options: new PlanOptions(Iam: iam)).Entries);
        Assert.Equal("principal-not-found", Rules(entry));
        var crossAccount = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::999999999999:role/elsewhere\n  username: e\n", options: new PlanOptions(Iam: iam)).Entries);
        Assert.Equal("role-path-unknown", Rules(crossAccount)); // the listing says nothing about other accounts
    }

    [Fact]
    public void An_existing_entry_that_differs_is_reported_not_overwritten()
    {
        const string Existing = """
            {"accessEntry": {"principalArn": "arn:aws:iam::111122223333:role/dev", "type": "STANDARD", "kubernetesGroups": ["readers"], "username": "dev"}}
            {"principalArn": "arn:aws:iam::111122223333:role/dev", "associatedAccessPolicies": []}
            """;
        var options = new PlanOptions(Existing: ExistingAccessEntries.Parse(Existing, "ae.json"));
        var entry = Assert.Single(FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups: [system:masters, dev]\n", options: options).Entries);
        Assert.Equal((PlanStatus.NeedsAttention, "access-entry-differs"), (entry.Status, Rules(entry)));
        Assert.Contains("groups [readers], planned [dev]", entry.Findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("AmazonEKSClusterAdminPolicy", entry.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal(ApiModeImpact.None, entry.ApiMode); // the access entry already decides for this principal
    }

    [Fact]
    public void Api_mode_is_possible_when_everything_converts()
    {
        var plan = FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/admins\n  username: admin\n  groups: [system:masters]\n", iamArns: "arn:aws:iam::111122223333:role/admins");
        Assert.True(plan.ApiMode.Possible);
        Assert.Empty(plan.ApiMode.Checks); // an admin is planned, so no creator check
        Assert.False(plan.NeedsAttention);
    }

    [Fact]
    public void Without_an_admin_the_creator_check_is_listed()
    {
        var plan = FromAwsAuth("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups: [dev]\n", iamArns: "arn:aws:iam::111122223333:role/dev");
        Assert.True(plan.ApiMode.Possible);
        Assert.Contains(plan.ApiMode.Checks, c => c.Contains("cluster creator", StringComparison.Ordinal));
    }

    [Fact]
    public void Mixed_partitions_are_flagged()
    {
        const string Users = """
            - userarn: arn:aws:iam::111122223333:user/a
              username: a
            - userarn: arn:aws:iam::111122223333:user/b
              username: b
            - userarn: arn:aws-cn:iam::111122223333:user/c
              username: c
            """;
        var plan = FromAwsAuth(null, Users);
        Assert.Equal("aws", plan.Partition);
        Assert.Equal(["", "", "partition-mismatch"], plan.Entries.Select(Rules));
        Assert.Contains(plan.Notes, n => n.Rule == "partition-mismatch");
    }

    [Fact]
    public void Partition_comes_from_the_principals()
    {
        var plan = FromAwsAuth(null, "- userarn: arn:aws-us-gov:iam::111122223333:user/a\n  username: a\n  groups: [system:masters]\n");
        Assert.Equal("aws-us-gov", plan.Partition);
        Assert.Equal("arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", Assert.Single(plan.ToCreate).Target!.Policies[0].PolicyArn);
    }

    [Fact]
    public void Existing_entries_of_another_cluster_are_refused()
    {
        var existing = ExistingAccessEntries.Parse("{\"clusterName\": \"staging\", \"principalArn\": \"arn:aws:iam::111122223333:role/a\", \"associatedAccessPolicies\": []}", "ae.json");
        var error = Assert.Throws<InputException>(() => FromAwsAuth("[]", options: new PlanOptions("prod", Existing: existing)));
        Assert.Contains("for cluster staging, not prod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_does_not_parse_is_a_plan_note()
    {
        var plan = FromAwsAuth("- rolearn: x\n  groups: [a\n", "- userarn: arn:aws:iam::111122223333:user/u\n  username: u\n");
        Assert.Contains(plan.Notes, n => n.Rule == "key-dropped" && n.Message.StartsWith("mapRoles", StringComparison.Ordinal));
        Assert.Single(plan.Entries);
    }
}
