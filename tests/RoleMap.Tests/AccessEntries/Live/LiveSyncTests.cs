using CsCheck;
using RoleMap.AccessEntries;
using RoleMap.AwsApi;
using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;
using RoleMap.UseCases;
using Xunit;

namespace RoleMap.Tests.AccessEntries.Live;

public class LiveSyncTests
{
    private const string Account = "111122223333";
    private static readonly string Admin = AccessPolicyNames.Arn("aws", AccessPolicyNames.ClusterAdmin);
    private static readonly string View = AccessPolicyNames.Arn("aws", AccessPolicyNames.View);
    private static readonly string Edit = AccessPolicyNames.Arn("aws", AccessPolicyNames.Edit);
    private static readonly Dictionary<string, string> Tagged = new() { [LiveAccess.ManagedByTag] = LiveAccess.ManagedByValue };

    private static string Role(string name) => "arn:aws:iam::" + Account + ":role/" + name;

    private static AccessEntry Standard(string name, string[] groups, string? username = null, params PolicyAssociation[] policies) =>
        new(Role(name), AccessEntryType.Standard, groups, username, policies);

    private static async Task<SyncPlan> PlanAsync(InMemoryEks eks, IReadOnlyList<AccessEntry> desired, bool prune = false) =>
        AccessEntrySync.Plan(desired, await LiveAccess.ReadAsync(eks, "prod", CancellationToken.None), prune);

    [Fact]
    public async Task Reader_reads_every_entry_with_policies_and_marks_the_ones_eks_created()
    {
        var eks = new InMemoryEks { PageSize = 1 };
        eks.Cluster = eks.Cluster with { AutoModeNodeRoleArn = Role("auto-node") };
        eks.Put(Role("creator"), AccessEntryType.Standard, createdAt: InMemoryEks.ClusterCreated.AddMinutes(5), policies: new PolicyAssociation(Admin, AccessScope.Cluster));
        eks.Put(Role("late-admin"), AccessEntryType.Standard, createdAt: InMemoryEks.ClusterCreated.AddDays(3), policies: new PolicyAssociation(Admin, AccessScope.Cluster));
        eks.Put(Role("nodes"), AccessEntryType.Ec2Linux);
        eks.Put(Role("fargate"), AccessEntryType.FargateLinux);
        eks.Put(Role("auto-node"), AccessEntryType.Ec2, policies: new PolicyAssociation(AccessPolicyNames.Arn("aws", "AmazonEKSAutoNodePolicy"), AccessScope.Cluster));
        eks.Put(Role("rolemap-nodes"), AccessEntryType.Ec2Linux, tags: Tagged);
        eks.Put(Role("dev"), AccessEntryType.Standard, ["dev"]);

        var snapshot = await LiveAccess.ReadAsync(eks, "prod", CancellationToken.None);

        Assert.Equal(AuthenticationMode.ApiAndConfigMap, snapshot.Cluster.AuthenticationMode);
        Assert.Equal(7, snapshot.Entries.Count);
        Assert.True(eks.PageRequests >= 7 + 7, "one page per entry and per policy list with a page size of 1");
        var eksOwn = snapshot.Entries.Where(e => e.EksCreated is not null).Select(e => e.PrincipalArn[(e.PrincipalArn.LastIndexOf('/') + 1)..]).ToList();
        Assert.Equal(["creator", "nodes", "fargate", "auto-node"], eksOwn);
        Assert.StartsWith("cluster creator", snapshot.Find(Role("creator"))!.EksCreated, StringComparison.Ordinal);
        var existing = snapshot.ToExisting();
        Assert.Equal(InMemoryEks.ClusterCreated.AddDays(3), existing.Find(Role("late-admin"))!.CreatedAt);
        Assert.Equal(["dev"], existing.Find(Role("dev"))!.KubernetesGroups);
    }

    [Fact]
    public async Task Reader_makes_no_access_entry_call_in_config_map_mode()
    {
        var eks = new InMemoryEks(mode: AuthenticationMode.ConfigMap);
        var snapshot = await LiveAccess.ReadAsync(eks, "prod", CancellationToken.None);
        Assert.Empty(snapshot.Entries);
        Assert.Equal(["DescribeCluster prod"], eks.Log);
    }

    [Fact]
    public async Task Iam_listing_becomes_a_complete_directory()
    {
        var iam = new InMemoryIam().AddRole("arn:aws:iam::111122223333:role/teams/dev", InMemoryEks.ClusterCreated.AddDays(9));
        var directory = await LiveAccess.ReadIamAsync(iam, CancellationToken.None);
        var dev = directory.Find(RoleMap.Arns.IamArnKind.Role, "aws", Account, "dev");
        Assert.Equal("/teams/", dev!.Arn.Path);
        Assert.Equal(InMemoryEks.ClusterCreated.AddDays(9), dev.CreateDate);
        Assert.True(directory.Lists(RoleMap.Arns.IamArnKind.Role, "aws", Account));
    }

    [Fact]
    public async Task Plan_creates_updates_and_changes_scopes_before_it_removes_anything()
    {
        var eks = new InMemoryEks();
        eks.Put(Role("dev"), AccessEntryType.Standard, ["dev"], tags: Tagged, policies: new PolicyAssociation(View, new AccessScope(["dev"])));
        eks.Put(Role("old"), AccessEntryType.Standard, ["old"], tags: Tagged);
        eks.Put(Role("ops"), AccessEntryType.Standard, ["ops"], tags: Tagged, policies: [new PolicyAssociation(Edit, AccessScope.Cluster), new PolicyAssociation(View, AccessScope.Cluster)]);

        var plan = await PlanAsync(eks, [
            Standard("dev", ["dev", "qa"], null, new PolicyAssociation(View, new AccessScope(["dev", "qa"]))),
            Standard("new", ["new"], "new-user", new PolicyAssociation(Admin, AccessScope.Cluster)),
            Standard("ops", ["ops"], null, new PolicyAssociation(View, AccessScope.Cluster))]);

        Assert.Equal(
            [
                "create access entry " + Role("new") + " (STANDARD, groups new, username new-user)",
                "associate AmazonEKSClusterAdminPolicy (cluster scope) with " + Role("new"),
                "update access entry " + Role("dev") + " (groups dev, qa, username EKS's default)",
                "change the scope of AmazonEKSViewPolicy on " + Role("dev") + " from namespaces dev to namespaces dev, qa",
                "disassociate AmazonEKSEditPolicy from " + Role("ops"),
                "delete access entry " + Role("old"),
            ],
            plan.Operations.Select(o => o.ToString()));
        Assert.Equal(EntryChangeKind.Delete, plan.Changes.Single(c => c.PrincipalArn == Role("old")).Kind);
    }

    [Fact]
    public async Task Only_rolemaps_entries_are_deleted_unless_prune_and_never_the_ones_eks_created()
    {
        var eks = new InMemoryEks();
        eks.Put(Role("mine"), AccessEntryType.Standard, ["a"], tags: Tagged);
        eks.Put(Role("theirs"), AccessEntryType.Standard, ["b"]);
        eks.Put(Role("nodes"), AccessEntryType.Ec2Linux);
        eks.Put(Role("creator"), AccessEntryType.Standard, createdAt: InMemoryEks.ClusterCreated.AddMinutes(1), policies: new PolicyAssociation(Admin, AccessScope.Cluster));

        var kept = await PlanAsync(eks, []);
        Assert.Equal(["delete access entry " + Role("mine")], kept.Operations.Select(o => o.ToString()));
        Assert.Equal(EntryChangeKind.KeptNotManaged, kept.Changes.Single(c => c.PrincipalArn == Role("theirs")).Kind);

        var pruned = await PlanAsync(eks, [], prune: true);
        Assert.Equal([Role("mine"), Role("theirs")], pruned.Operations.Select(o => o.PrincipalArn));
        Assert.Equal(2, pruned.Count(EntryChangeKind.KeptEksCreated));
    }

    [Fact]
    public async Task An_eks_created_entry_the_plan_also_wants_is_left_as_it_is()
    {
        var eks = new InMemoryEks();
        eks.Put(Role("nodes"), AccessEntryType.Ec2Linux);
        var plan = await PlanAsync(eks, [new AccessEntry(Role("nodes"), AccessEntryType.Ec2Windows, [], null, [])]);
        Assert.True(plan.IsEmpty);
        Assert.Contains("left as EKS made it", plan.Changes.Single().Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_change_deletes_first_then_creates_and_warns()
    {
        var eks = new InMemoryEks();
        eks.Put(Role("nodes"), AccessEntryType.Standard, ["system:nodes"], tags: Tagged);
        var plan = await PlanAsync(eks, [new AccessEntry(Role("nodes"), AccessEntryType.Ec2Linux, [], null, [])]);
        Assert.Equal([SyncOperationKind.DeleteEntry, SyncOperationKind.CreateEntry], plan.Operations.Select(o => o.Kind));
        Assert.Contains("EKS cannot change", Assert.Single(plan.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Going_back_to_the_generated_username_updates_the_entry_without_deleting_it()
    {
        var eks = new InMemoryEks();
        eks.Put(Role("dev"), AccessEntryType.Standard, ["dev"], "custom", tags: Tagged);
        var plan = await PlanAsync(eks, [Standard("dev", ["dev"])]);
        Assert.Equal(EntryChangeKind.Update, plan.Changes.Single().Kind);
        Assert.Equal([SyncOperationKind.UpdateEntry], plan.Operations.Select(o => o.Kind));
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/dev/{{SessionName}}", plan.Operations.Single().Entry!.Username);
        var applied = await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest([Standard("dev", ["dev"])]), CancellationToken.None);
        Assert.Equal(SyncStatus.Applied, applied.Status);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/dev/{{SessionName}}", eks.Entries.Single().Username);
    }

    [Fact]
    public async Task Apply_then_apply_again_changes_nothing_and_confirms_by_rereading()
    {
        var eks = new InMemoryEks();
        eks.Put(Role("theirs"), AccessEntryType.Standard, ["b"]);
        var desired = new[] { Standard("dev", ["dev"], "dev:{{SessionName}}", new PolicyAssociation(View, new AccessScope(["dev"]))), new AccessEntry(Role("nodes"), AccessEntryType.Ec2Linux, [], null, []) };

        var first = await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest(desired), CancellationToken.None);
        Assert.Equal(SyncStatus.Applied, first.Status);
        Assert.Equal(3, first.Done.Count);
        Assert.Equal(LiveAccess.ManagedByValue, eks.Entries.Single(e => e.PrincipalArn == Role("dev")).Tags[LiveAccess.ManagedByTag]);
        Assert.Contains("DescribeAccessEntry " + Role("dev"), eks.Log.Skip(eks.Log.FindIndex(l => l.StartsWith("AssociateAccessPolicy", StringComparison.Ordinal))));

        var second = await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest(desired), CancellationToken.None);
        Assert.Equal(SyncStatus.Unchanged, second.Status);
    }

    [Fact]
    public async Task A_failure_midway_reports_what_was_done_and_what_not()
    {
        var eks = new InMemoryEks();
        eks.FailOn["AssociateAccessPolicy"] = InMemoryEks.Throttling("AssociateAccessPolicy");
        var desired = new[] { Standard("a", ["a"], null, new PolicyAssociation(View, AccessScope.Cluster)), Standard("b", ["b"]) };

        var outcome = await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest(desired), CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, outcome.Status);
        Assert.Equal([SyncOperationKind.CreateEntry], outcome.Done.Select(o => o.Kind));
        Assert.Equal(2, outcome.NotDone.Count);
        Assert.Contains("ThrottlingException", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_back_catches_a_change_the_api_accepted_but_did_not_make()
    {
        var eks = new InMemoryEks { SwallowAssociations = true };
        var outcome = await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest([Standard("a", ["a"], null, new PolicyAssociation(View, AccessScope.Cluster))]), CancellationToken.None);
        Assert.Equal(SyncStatus.Failed, outcome.Status);
        Assert.Contains("associate AmazonEKSViewPolicy", Assert.Single(outcome.Mismatches), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guard_refuses_to_remove_the_callers_own_admin_access_unless_forced()
    {
        var eks = new InMemoryEks();
        eks.Put(Role("admin"), AccessEntryType.Standard, tags: Tagged, policies: new PolicyAssociation(Admin, AccessScope.Cluster));
        var request = new SyncRequest([Standard("dev", ["dev"])], CallerArn: "arn:aws:sts::111122223333:assumed-role/admin/alice");

        var refused = await AccessEntryApplier.RunAsync(eks, "prod", request, CancellationToken.None);
        Assert.Equal(SyncStatus.Refused, refused.Status);
        Assert.Contains("lose your admin access", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(eks.Log, l => l.StartsWith("CreateAccessEntry", StringComparison.Ordinal));

        var forced = await AccessEntryApplier.RunAsync(eks, "prod", request with { Force = true }, CancellationToken.None);
        Assert.Equal(SyncStatus.Applied, forced.Status);
        Assert.DoesNotContain(eks.Entries, e => e.PrincipalArn == Role("admin"));
    }

    [Fact]
    public async Task Guard_refuses_to_recreate_the_callers_own_admin_entry_unless_forced()
    {
        // The caller stays admin at the end, but between the delete and the create (and for good if the create fails)
        // it has no entry.
        var eks = new InMemoryEks();
        eks.Put(Role("admin"), AccessEntryType.Ec2, tags: Tagged, policies: new PolicyAssociation(Admin, AccessScope.Cluster));
        var request = new SyncRequest([Standard("admin", [], null, new PolicyAssociation(Admin, AccessScope.Cluster))], CallerArn: "arn:aws:sts::111122223333:assumed-role/admin/alice");

        var refused = await AccessEntryApplier.RunAsync(eks, "prod", request, CancellationToken.None);
        Assert.Equal(SyncStatus.Refused, refused.Status);
        Assert.Contains("would be deleted and created again", refused.Error, StringComparison.Ordinal);
        Assert.True(refused.Guard!.AdminAfter);
        Assert.DoesNotContain(eks.Log, l => l.StartsWith("DeleteAccessEntry", StringComparison.Ordinal));

        var forced = await AccessEntryApplier.RunAsync(eks, "prod", request with { Force = true }, CancellationToken.None);
        Assert.Equal(SyncStatus.Applied, forced.Status);
        Assert.Equal("STANDARD", eks.Entries.Single().Type);
    }

    [Fact]
    public void Guard_counts_aws_auth_admin_in_api_and_config_map_mode()
    {
        var awsAuth = new AwsAuthData([new MapEntry(Role("admin"), "admin", ["system:masters"])], [], []);
        var check = SelfAccessGuard.Check("arn:aws:sts::111122223333:assumed-role/admin/alice", awsAuth, AuthenticationMode.ApiAndConfigMap, ExistingAccessEntries.Empty, ExistingAccessEntries.Of([new KnownAccessEntry(Role("admin"), AccessEntryType.Standard, ["view"], null, [], "prod", new RoleMap.Diagnostics.SourceLocation("x"))]), null);
        Assert.True(check.AdminBefore);
        Assert.False(check.AdminAfter);
        Assert.NotNull(check.Violation);
    }

    [Fact]
    public void Guard_objects_when_a_new_entry_replaces_an_aws_auth_entry_it_did_not_read()
    {
        var caller = "arn:aws:sts::111122223333:assumed-role/admin/alice";
        var after = ExistingAccessEntries.Of([new KnownAccessEntry(Role("admin"), AccessEntryType.Standard, ["view"], null, [], "prod", new RoleMap.Diagnostics.SourceLocation("x"))]);
        Assert.Contains("may lose your admin access", SelfAccessGuard.Check(caller, null, AuthenticationMode.ApiAndConfigMap, ExistingAccessEntries.Empty, after, null).Violation, StringComparison.Ordinal);
        Assert.Null(SelfAccessGuard.Check(caller, null, AuthenticationMode.Api, ExistingAccessEntries.Empty, after, null).Violation);
    }

    [Fact]
    public async Task Dry_run_and_a_declined_confirmation_change_nothing()
    {
        var eks = new InMemoryEks();
        var desired = new[] { Standard("a", ["a"]) };
        Assert.Equal(SyncStatus.DryRun, (await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest(desired, DryRun: true), CancellationToken.None)).Status);
        var declined = await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest(desired) { Confirm = (_, _, _) => Task.FromResult(false) }, CancellationToken.None);
        Assert.Equal(SyncStatus.Declined, declined.Status);
        Assert.Empty(eks.Entries);
    }

    [Fact]
    public async Task Apply_refuses_a_config_map_cluster()
    {
        var eks = new InMemoryEks(mode: AuthenticationMode.ConfigMap);
        var error = await Assert.ThrowsAsync<RoleMap.Diagnostics.InputException>(() => AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest([Standard("a", ["a"])]), CancellationToken.None));
        Assert.Contains("access-entries mode API_AND_CONFIG_MAP", error.Message, StringComparison.Ordinal);
    }

    private static readonly string[] Names = ["a", "b", "c", "d", "e"];
    private static readonly string[] Groups = ["dev", "ops", "qa"];
    private static readonly string[] Policies = [Admin, View, Edit];

    private static readonly Gen<AccessScope> Scope = Gen.OneOf(Gen.Const(AccessScope.Cluster), Gen.Int[0, 2].Array[1, 2].Select(ns => new AccessScope([.. ns.Select(n => "ns" + n).Distinct()])));

    private static readonly Gen<PolicyAssociation[]> PolicyList = Gen.Select(Gen.Int[0, 2], Scope, (p, s) => new PolicyAssociation(Policies[p], s)).Array[0, 3]
        .Select(ps => ps.DistinctBy(p => p.PolicyArn).ToArray());

    private static readonly Gen<AccessEntryType> Type = Gen.OneOf(Gen.Const(AccessEntryType.Standard), Gen.Const(AccessEntryType.Standard), Gen.Const(AccessEntryType.Ec2Linux), Gen.Const(AccessEntryType.Ec2));

    private static readonly Gen<(int Name, AccessEntryType Type, string[] Groups, string? Username, PolicyAssociation[] Policies)> Entry = Gen.Select(
        Gen.Int[0, Names.Length - 1],
        Type,
        Gen.Int[0, 2].Array[0, 2].Select(g => g.Select(i => Groups[i]).Distinct().ToArray()),
        Gen.OneOf(Gen.Const((string?)null), Gen.Const((string?)"user:{{SessionName}}"), Gen.Const((string?)"other")),
        PolicyList);

    [Fact]
    public void Applying_a_plan_then_planning_again_gives_no_operations()
    {
        Gen.Select(Entry.Array[0, 5], Entry.Select(Gen.Bool).Array[0, 5], Gen.Bool).Sample(sample =>
        {
            var (wanted, existing, prune) = sample;
            var eks = new InMemoryEks();
            foreach (var ((name, type, groups, username, policies), tagged) in existing.DistinctBy(e => e.Item1.Name))
            {
                var standard = type == AccessEntryType.Standard;
                eks.Put(Role(Names[name]), type, standard ? groups : [], standard ? username : null, tagged ? Tagged : null, policies: type is AccessEntryType.Standard or AccessEntryType.Ec2 ? policies : []);
            }

            var desired = wanted.DistinctBy(e => e.Name)
                .Select(e => e.Type == AccessEntryType.Standard ? new AccessEntry(Role(Names[e.Name]), e.Type, e.Groups, e.Username, e.Policies) : new AccessEntry(Role(Names[e.Name]), e.Type, [], null, e.Type == AccessEntryType.Ec2 ? e.Policies : []))
                .ToList();
            var outcome = AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest(desired, prune), CancellationToken.None).GetAwaiter().GetResult();
            Assert.True(outcome.Status is SyncStatus.Applied or SyncStatus.Unchanged, outcome.Error + string.Join("; ", outcome.Mismatches));
            var again = AccessEntrySync.Plan(desired, LiveAccess.ReadAsync(eks, "prod", CancellationToken.None).GetAwaiter().GetResult(), prune);
            Assert.True(again.IsEmpty, string.Join("; ", again.Operations));
        });
    }

    [Fact]
    public async Task Mode_switch_goes_one_way_and_waits_for_the_update()
    {
        var eks = new InMemoryEks(mode: AuthenticationMode.ConfigMap);
        var delays = 0;
        var request = new ModeSwitchRequest(AuthenticationMode.ApiAndConfigMap, null) { Delay = (_, _) => { delays++; return Task.CompletedTask; } };

        var outcome = await AuthenticationModeSwitch.RunAsync(eks, eks.Cluster, request, CancellationToken.None);

        Assert.Equal(ModeSwitchStatus.Switched, outcome.Status);
        Assert.Equal(3, delays);
        Assert.Equal(AuthenticationMode.ApiAndConfigMap, eks.Cluster.AuthenticationMode);
        var back = await AuthenticationModeSwitch.RunAsync(eks, eks.Cluster, request with { Target = AuthenticationMode.ConfigMap }, CancellationToken.None);
        Assert.Equal(ModeSwitchStatus.NotAllowed, back.Status);
        Assert.Equal(ModeSwitchStatus.AlreadyThere, (await AuthenticationModeSwitch.RunAsync(eks, eks.Cluster, request, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Mode_switch_reports_a_failed_update()
    {
        var eks = new InMemoryEks(mode: AuthenticationMode.ConfigMap) { FinalUpdateStatus = "Failed" };
        var outcome = await AuthenticationModeSwitch.RunAsync(eks, eks.Cluster, new ModeSwitchRequest(AuthenticationMode.ApiAndConfigMap, null) { Delay = (_, _) => Task.CompletedTask }, CancellationToken.None);
        Assert.Equal(ModeSwitchStatus.Failed, outcome.Status);
        Assert.Contains("ended Failed", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(AuthenticationMode.ConfigMap, eks.Cluster.AuthenticationMode);
    }

    [Fact]
    public async Task Api_mode_is_blocked_while_aws_auth_maps_principals_without_an_access_entry()
    {
        var eks = new InMemoryEks();
        var awsAuth = MigrationUseCase.FromAwsAuth("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n    - rolearn: " + Role("dev") + "\n      username: dev\n      groups: [dev]\n", "aws-auth.yaml");
        var iam = await LiveAccess.ReadIamAsync(new InMemoryIam().AddRole(Role("dev")), CancellationToken.None);
        var snapshot = await LiveAccess.ReadAsync(eks, "prod", CancellationToken.None);
        var migration = AuthenticationModeSwitch.Migration(awsAuth, snapshot, iam, null);

        var blocked = await AuthenticationModeSwitch.RunAsync(eks, eks.Cluster, new ModeSwitchRequest(AuthenticationMode.Api, migration), CancellationToken.None);
        Assert.Equal(ModeSwitchStatus.Blocked, blocked.Status);
        Assert.NotEmpty(blocked.Blockers);
        Assert.DoesNotContain(eks.Log, l => l.StartsWith("UpdateClusterConfig", StringComparison.Ordinal));

        // Once the access entry exists, nothing blocks: the dry run says the switch would go ahead.
        await AccessEntryApplier.RunAsync(eks, "prod", new SyncRequest(AccessEntrySync.Desired(migration.Report.Plan)), CancellationToken.None);
        migration = AuthenticationModeSwitch.Migration(awsAuth, await LiveAccess.ReadAsync(eks, "prod", CancellationToken.None), iam, null);
        var dry = await AuthenticationModeSwitch.RunAsync(eks, eks.Cluster, new ModeSwitchRequest(AuthenticationMode.Api, migration, DryRun: true), CancellationToken.None);
        Assert.True(dry.Status == ModeSwitchStatus.DryRun, string.Join("; ", dry.Blockers));
    }
}
