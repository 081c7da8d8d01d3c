using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsAuth;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Tests.AccessPolicies;

/// <summary>
/// Migration as a proof: what each principal may do today (aws-auth and RBAC) against what it may do in API mode
/// after the plan (access entries, their policies and RBAC). Cases: EKS's own migration rules (system:masters becomes
/// AmazonEKSClusterAdminPolicy; system: groups are refused), the authenticator's (a role path never matches in
/// aws-auth), and unpublished policy rules.
/// </summary>
public class MigrationProofTests
{
    private const string Account = "111122223333";

    private const string Rbac = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: dev-edit, namespace: dev}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: developers}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: metrics-reader}
        rules: [{apiGroups: [""], resources: [pods, nodes], verbs: [get, list]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: custom-system-group}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics-reader}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:metrics"}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: reserved-user-view, namespace: a}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "eks:bob"}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: generated-user-edit, namespace: b}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "arn:aws:iam::111122223333:user/bob"}]
        ---
        # The bootstrap policy binds system:node-proxier to the user system:kube-proxy only; a cluster with Fargate
        # also binds it to the group its pod execution role gets.
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: fargate-node-proxier}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node-proxier"}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:node-proxier"}]
        """;

    private static readonly RbacPolicy Policy = RbacPolicy.Build(RbacLoader.Load(Rbac, "rbac.yaml"), includeDefaults: true);

    private static MigrationReport Plan(string mapRoles, string? mapUsers = null, string? accessEntries = null)
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n"
            + Indent(mapRoles) + (mapUsers is null ? string.Empty : "  mapUsers: |\n" + Indent(mapUsers));
        var input = MigrationUseCase.FromAwsAuth(text, "aws-auth.yaml");
        var entries = accessEntries is null ? [] : new[] { new NamedText(accessEntries, "entries.json") };
        return MigrationUseCase.Plan(new MigrationRequest(input, "prod", [], entries) { Rbac = Policy });
    }

    private static string Indent(string yaml) => string.Concat(yaml.Split('\n').Where(l => l.Length > 0).Select(l => "    " + l + "\n"));

    private static PermissionComparison Only(MigrationReport report) => Assert.Single(report.Proof!.Comparisons.OfType<PermissionComparison>());

    [Theory]
    // system:masters becomes AmazonEKSClusterAdminPolicy at cluster scope: everything, as before.
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/admins\n  username: admin\n  groups: [system:masters]", PermissionVerdict.Same)]
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \"ops:{{SessionName}}\"\n  groups: [system:masters, developers]", PermissionVerdict.Same)]
    // A plain group mapping keeps its group, and RBAC gives it the same.
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/developers\n  username: \"dev:{{SessionName}}\"\n  groups: [developers]", PermissionVerdict.Same)]
    // Groups access entries refuse: what the bootstrap policy binds to system:node-proxier, or RBAC to a custom system: group, is lost.
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/proxy\n  username: proxy\n  groups: [system:node-proxier]", PermissionVerdict.Fewer)]
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/metrics\n  username: metrics\n  groups: [system:metrics, developers]", PermissionVerdict.Fewer)]
    // A role ARN with a path never matches in aws-auth; its access entry would start to grant access.
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/team/dev\n  username: \"dev:{{SessionName}}\"\n  groups: [developers]", PermissionVerdict.More)]
    // EKS's FARGATE_LINUX entry carries the Fargate node groups, as rolemap models it: the same.
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/fargate\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]", PermissionVerdict.Same)]
    public void Verdicts(string mapRoles, PermissionVerdict expected)
    {
        var comparison = Only(Plan(mapRoles));
        Assert.Equal(expected, comparison.Verdict);
        Assert.Equal(expected is PermissionVerdict.Fewer or PermissionVerdict.Different, comparison.Lost.Count > 0);
        Assert.Equal(expected is PermissionVerdict.More or PermissionVerdict.Different, comparison.Gained.Count > 0);
    }

    [Fact]
    public void Node_proxier_lists_what_is_lost()
    {
        var comparison = Only(Plan("- rolearn: arn:aws:iam::111122223333:role/proxy\n  username: proxy\n  groups: [system:node-proxier]"));
        Assert.Contains(comparison.Lost, r => r.ClusterWide && r.ApiGroup == "" && r.Resources.Contains("endpoints") && r.Verbs.SequenceEqual(["list", "watch"]));
        Assert.Contains(comparison.Lost, r => r.ToString() == "list, watch endpointslices.discovery.k8s.io (cluster-wide)");
        Assert.Empty(comparison.Gained);
    }

    [Fact]
    public void A_username_access_entries_refuse_changes_what_rbac_gives_different()
    {
        var report = Plan("- rolearn: arn:aws:iam::111122223333:role/unused\n  username: unused\n", "- userarn: arn:aws:iam::111122223333:user/bob\n  username: \"eks:bob\"\n  groups: []");
        var bob = report.Proof!.Comparisons[^1]!;
        Assert.Equal(PermissionVerdict.Different, bob.Verdict);
        Assert.Contains(bob.Lost, r => r.Namespaces.SequenceEqual(["a"]) && r.Resources.Contains("pods") && r.Verbs.SequenceEqual(["get", "list", "watch"]));
        Assert.Contains(bob.Gained, r => r.Namespaces.SequenceEqual(["b"]) && r.Resources.Contains("pods") && r.Verbs.Contains("create"));
        Assert.True(report.Failed);
    }

    [Fact]
    public void An_existing_entry_the_input_does_not_describe_is_unknown()
    {
        const string Listed = """{"accessEntries": ["arn:aws:iam::111122223333:role/developers"]}""";
        var comparison = Only(Plan("- rolearn: arn:aws:iam::111122223333:role/developers\n  username: dev\n  groups: [developers]", accessEntries: Listed));
        Assert.Equal(PermissionVerdict.Unknown, comparison.Verdict);
        Assert.Contains(comparison.Notes, n => n.Contains("describe-access-entry", StringComparison.Ordinal));
    }

    [Fact]
    public void All_same_passes_and_without_rbac_there_is_no_proof()
    {
        var same = Plan("- rolearn: arn:aws:iam::111122223333:role/admins\n  username: admin\n  groups: [system:masters]");
        Assert.True(same.Proof!.AllSame);
        Assert.Equal(AuthenticationMode.ConfigMap, same.Proof.CurrentMode);
        Assert.True(same.Failed); // the role's path is not confirmed: the plan needs attention, whatever the proof says
        var input = MigrationUseCase.FromAwsAuth("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/x\n      groups: [system:node-proxier]\n", "a.yaml");
        Assert.Null(MigrationUseCase.Plan(new MigrationRequest(input, null, [], [])).Proof);
    }

    // The comparer on its own: sides as EKS would see them.
    private static readonly RequestUniverse Universe = RequestUniverse.Build(Policy, [Association("AmazonEKSBlockStorageClusterPolicy"), Association("AmazonEKSViewPolicy", "dev-*")]);

    private static PolicyAssociation Association(string name, params string[] namespaces) =>
        new(AccessPolicyNames.Arn("aws", name), namespaces.Length == 0 ? AccessScope.Cluster : new AccessScope(namespaces));

    private static PermissionSide Side(string user, string[] groups, params PolicyAssociation[] policies) =>
        new(Identities.Authenticated(user, groups), policies.Length == 0 ? null : policies);

    [Fact]
    public void A_policy_whose_rules_are_unknown_makes_the_verdict_unknown_never_fewer()
    {
        var before = Side("x", ["developers"]);
        var after = Side("x", [], Association("AmazonEKSBlockStorageClusterPolicy"));
        var comparison = PermissionComparer.Compare(Policy, Universe, before, after);
        Assert.Equal(PermissionVerdict.Unknown, comparison.Verdict);
        Assert.Empty(comparison.Lost); // dev edit might be granted by the unpublished policy: not "lost"
        Assert.Contains(comparison.Unknown, r => r.Namespaces.Contains("dev"));
        Assert.Contains(comparison.Notes, n => n.Contains("AmazonEKSBlockStorageClusterPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public void Access_to_named_objects_only_is_compared_by_name()
    {
        // A Role limited to one ConfigMap: before the migration the group has it; after, the principal is without it.
        const string named = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: aws-auth-editor, namespace: kube-system}
            rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [aws-auth], verbs: [get, update]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: aws-auth-editors, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: aws-auth-editor}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: auth-admins}]
            """;
        var policy = RbacPolicy.Build(RbacLoader.Load(named, "rbac.yaml"), includeDefaults: true);
        var universe = RequestUniverse.Build(policy, []);
        var comparison = PermissionComparer.Compare(policy, universe, Side("x", ["auth-admins"]), Side("x", []));
        Assert.Equal(PermissionVerdict.Fewer, comparison.Verdict);
        var lost = Assert.Single(comparison.Lost);
        Assert.Equal(["aws-auth"], lost.Names);
        Assert.Equal("get, update configmaps named aws-auth (in namespace kube-system)", lost.ToString());
        Assert.Empty(comparison.Gained);
    }

    [Fact]
    public void Named_objects_of_any_resource_are_asked_by_name()
    {
        // resources: ["*"] with a name: the object of that name of every resource (here configmaps and secrets among them).
        const string named = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: lock-keeper, namespace: kube-system}
            rules: [{apiGroups: [""], resources: ["*"], resourceNames: [cluster-lock], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: lock-keepers, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lock-keeper}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: keepers}]
            """;
        var policy = RbacPolicy.Build(RbacLoader.Load(named, "rbac.yaml"), includeDefaults: true);
        var universe = RequestUniverse.Build(policy, []);
        Assert.Contains(universe.Requests, r => r.Attributes is { Resource: "secrets", Name: "cluster-lock", Namespace: "kube-system" });
        Assert.DoesNotContain(universe.Requests, r => r.Attributes is { ApiGroup: "apps", Name: "cluster-lock" });
        var comparison = PermissionComparer.Compare(policy, universe, Side("x", ["keepers"]), Side("x", []));
        Assert.Equal(PermissionVerdict.Fewer, comparison.Verdict);
        Assert.All(comparison.Lost, l => Assert.Equal(["cluster-lock"], l.Names));
        Assert.Contains(comparison.Lost, l => l.Resources.Contains("configmaps"));
    }

    [Fact]
    public void Policies_not_in_the_input_are_unknown()
    {
        var after = new PermissionSide(Identities.Authenticated("x", ["developers"]), null, PoliciesUnknown: true);
        var comparison = PermissionComparer.Compare(Policy, Universe, Side("x", ["developers"]), after);
        Assert.Equal(PermissionVerdict.Unknown, comparison.Verdict);
        Assert.Contains(comparison.Notes, n => n.Contains("not in the input", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wildcard_scope_is_asked_as_written_and_other_namespaces_stand_apart()
    {
        Assert.Contains("dev-*", Universe.Namespaces);
        Assert.Equal(RequestUniverse.OtherNamespace, Universe.Namespaces[^1]);
        var comparison = PermissionComparer.Compare(Policy, Universe, Side("x", []), Side("x", [], Association("AmazonEKSViewPolicy", "dev-*")));
        Assert.Equal(PermissionVerdict.More, comparison.Verdict);
        Assert.All(comparison.Gained, r => Assert.Equal(["dev-*"], r.Namespaces));
        Assert.Contains(comparison.Gained, r => r.ApiGroup == "" && r.Verbs.SequenceEqual(["get", "list", "watch"]) && r.Resources.Contains("pods") && r.Resources.Contains("configmaps") && r.ToString().EndsWith(" (in namespace dev-*)", StringComparison.Ordinal));
        Assert.DoesNotContain(comparison.Gained, r => r.Resources.Contains("secrets"));
    }

    [Fact]
    public void Masters_and_cluster_admin_policy_agree_on_every_request()
    {
        var masters = Side("admin", [Identities.Masters]);
        var policy = Side("admin", [], Association(AccessPolicyNames.ClusterAdmin));
        var same = PermissionComparer.Compare(Policy, Universe, masters, policy);
        Assert.Equal(PermissionVerdict.Same, same.Verdict);
        Assert.Empty(same.Lost);
        Assert.Empty(same.Gained);
        Assert.Empty(same.Unknown);
        var nothing = PermissionComparer.Compare(Policy, Universe, masters, PermissionSide.Rejected);
        Assert.Equal(PermissionVerdict.Fewer, nothing.Verdict);
        Assert.Contains(nothing.Lost, r => r.ApiGroup is null && r.NonResourceUrls.Contains("/healthz"));
    }

    [Fact]
    public void The_rules_are_deterministic()
    {
        var a = PermissionComparer.Compare(Policy, Universe, Side("x", [Identities.Masters]), Side("x", ["developers"]));
        var b = PermissionComparer.Compare(Policy, Universe, Side("x", [Identities.Masters]), Side("x", ["developers"]));
        Assert.Equal(a.Lost.Select(r => r.ToString()), b.Lost.Select(r => r.ToString()));
        Assert.True(a.Lost[0].ClusterWide);
    }
}
