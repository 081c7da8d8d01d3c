using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

/// <summary>The full evaluator: bindings, scoping, subjects, missing roles, system:masters, defaults. Derived from rule.go and rbac.go.</summary>
public class EvaluatorTests
{
    internal const string Manifests = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: pod-reader}
        rules: [{apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}, {apiGroups: [""], resources: [nodes, namespaces], verbs: [get]}, {nonResourceURLs: [/metrics], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: deployer, namespace: team}
        rules: [{apiGroups: [apps], resources: [deployments], verbs: [create, update]}, {apiGroups: [""], resources: [configmaps], resourceNames: [settings], verbs: [get, update]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: readers, namespace: team}
        roleRef: {kind: ClusterRole, name: pod-reader}
        subjects: [{kind: Group, name: readers}, {kind: ServiceAccount, name: ci}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: deployers, namespace: team}
        roleRef: {kind: Role, name: deployer}
        subjects: [{kind: User, name: alice}, {kind: ServiceAccount, name: bot, namespace: tools}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: dangling, namespace: team}
        roleRef: {kind: Role, name: does-not-exist}
        subjects: [{kind: User, name: alice}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: global-readers}
        roleRef: {kind: ClusterRole, name: pod-reader}
        subjects: [{kind: Group, name: sre}, {kind: ServiceAccount, name: nobody}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: role-from-crb}
        roleRef: {kind: Role, name: deployer}
        subjects: [{kind: Group, name: sre}]
        """;

    internal static RbacPolicy Policy(bool defaults = false) => RbacPolicy.Build(RbacLoader.Load(Manifests, "test.yaml"), defaults);

    private static bool Allowed(UserInfo user, Attributes request, bool defaults = false) => Policy(defaults).Authorize(user, request).Allowed;

    private static readonly UserInfo Alice = Identities.Authenticated("alice", []);
    private static readonly UserInfo Reader = Identities.Authenticated("bob", ["readers"]);
    private static readonly UserInfo Sre = Identities.Authenticated("carol", ["sre"]);

    [Fact]
    public void RoleBinding_to_a_ClusterRole_grants_only_in_its_namespace()
    {
        Assert.True(Allowed(Reader, Attributes.ForResource("get", "", "pods", ns: "team")));
        Assert.True(Allowed(Reader, Attributes.ForResource("get", "", "pods", "log", "web", "team")));
        Assert.False(Allowed(Reader, Attributes.ForResource("get", "", "pods", ns: "other")));
        Assert.False(Allowed(Reader, Attributes.ForResource("list", "", "pods", ns: "")));
    }

    [Fact]
    public void Cluster_scoped_and_url_rules_through_a_RoleBinding_only_answer_namespaced_SAR_questions()
    {
        Assert.True(Allowed(Reader, Attributes.ForResource("get", "", "nodes", ns: "team"))); // SAR-style, with a namespace
        Assert.False(Allowed(Reader, Attributes.ForResource("get", "", "nodes"))); // a real request: no namespace
        Assert.False(Allowed(Reader, Attributes.ForUrl("get", "/metrics"))); // non-resource requests are never namespaced
    }

    [Fact]
    public void ClusterRoleBinding_grants_everywhere()
    {
        Assert.True(Allowed(Sre, Attributes.ForResource("list", "", "pods", ns: "")));
        Assert.True(Allowed(Sre, Attributes.ForResource("list", "", "pods", ns: "anything")));
        Assert.True(Allowed(Sre, Attributes.ForResource("get", "", "nodes")));
        Assert.True(Allowed(Sre, Attributes.ForUrl("get", "/metrics")));
        Assert.False(Allowed(Sre, Attributes.ForUrl("post", "/metrics")));
    }

    [Fact]
    public void A_ClusterRoleBinding_cannot_use_a_Role()
    {
        Assert.False(Allowed(Sre, Attributes.ForResource("create", "apps", "deployments", ns: "team")));
        var policy = Policy();
        Assert.Contains(policy.Diagnostics, d => d.Rule == "rbac-missing-role" && d.Message.Contains("ClusterRoleBinding role-from-crb", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_roles_are_skipped_and_reported_and_other_bindings_still_count()
    {
        var decision = Policy().Authorize(Alice, Attributes.ForResource("create", "apps", "deployments", ns: "team"));
        Assert.True(decision.Allowed);
        Assert.Equal("deployers", decision.AllowedBy!.Binding.Name);
        Assert.Contains(decision.Dangling, d => d.Binding.Name == "dangling");

        var denied = Policy().Authorize(Alice, Attributes.ForResource("delete", "apps", "deployments", ns: "team"));
        Assert.False(denied.Allowed);
        Assert.Equal("RoleBinding team/dangling: Role does-not-exist does not exist in namespace team", Assert.Single(denied.Dangling).ToString());
    }

    [Fact]
    public void Service_account_subjects()
    {
        // Namespace omitted in a RoleBinding: the binding's namespace.
        Assert.True(Allowed(Identities.ServiceAccount("team", "ci"), Attributes.ForResource("list", "", "pods", ns: "team")));
        Assert.False(Allowed(Identities.ServiceAccount("other", "ci"), Attributes.ForResource("list", "", "pods", ns: "team")));

        // An explicit namespace may differ from the binding's: tools/bot gets rights in team.
        Assert.True(Allowed(Identities.ServiceAccount("tools", "bot"), Attributes.ForResource("update", "apps", "deployments", ns: "team")));

        // Namespace omitted in a ClusterRoleBinding: matches no one.
        Assert.False(Allowed(Identities.ServiceAccount("default", "nobody"), Attributes.ForResource("list", "", "pods", ns: "default")));
    }

    [Fact]
    public void Resource_names_restrict_named_requests_only()
    {
        Assert.True(Allowed(Alice, Attributes.ForResource("get", "", "configmaps", name: "settings", ns: "team")));
        Assert.False(Allowed(Alice, Attributes.ForResource("get", "", "configmaps", name: "other", ns: "team")));
        Assert.False(Allowed(Alice, Attributes.ForResource("get", "", "configmaps", ns: "team")));
    }

    [Fact]
    public void System_masters_is_allowed_before_rbac_even_without_bindings()
    {
        var masters = Identities.Authenticated("root", ["system:masters"]);
        var decision = Policy().Authorize(masters, Attributes.ForResource("delete", "", "nodes"));
        Assert.True(decision.Allowed);
        Assert.True(decision.ByPrivilegedGroup);
        Assert.True(RbacPolicy.Build(RbacObjects.Empty, includeDefaults: false).Authorize(masters, Attributes.ForUrl("post", "/anything")).Allowed);
    }

    [Fact]
    public void The_first_allowing_rule_is_reported_with_binding_role_and_index()
    {
        var decision = Policy().Authorize(Reader, Attributes.ForResource("get", "", "namespaces", ns: "team"));
        Assert.Equal("allowed by RoleBinding team/readers -> ClusterRole pod-reader, rule 1: get nodes, namespaces", decision.Reason);
    }

    [Fact]
    public void RulesFor_lists_cluster_then_namespace_rules()
    {
        var rules = Policy().RulesFor(Identities.Authenticated("dave", ["sre", "readers"]), "team");
        Assert.Equal(["global-readers", "global-readers", "global-readers", "readers", "readers", "readers"], rules.Rules.Select(r => r.Binding.Name));
        Assert.Contains(rules.Dangling, d => d.Binding.Name == "role-from-crb");
        Assert.Equal(3, Policy().RulesFor(Identities.Authenticated("dave", ["sre", "readers"]), "").Rules.Count);
    }

    [Fact]
    public void Defaults_give_every_authenticated_user_discovery_and_self_review()
    {
        var nobody = Identities.Authenticated("nobody", []);
        Assert.True(Allowed(nobody, Attributes.ForUrl("get", "/healthz"), defaults: true));
        Assert.True(Allowed(nobody, Attributes.ForUrl("get", "/apis/apps/v1"), defaults: true));
        Assert.True(Allowed(nobody, Attributes.ForResource("create", "authorization.k8s.io", "selfsubjectaccessreviews"), defaults: true));
        Assert.False(Allowed(nobody, Attributes.ForUrl("get", "/metrics"), defaults: true));
        Assert.False(Allowed(nobody, Attributes.ForResource("list", "", "pods", ns: "default"), defaults: true));
        Assert.False(Allowed(nobody, Attributes.ForUrl("get", "/healthz"), defaults: false));

        var anonymous = Identities.Impersonated("system:anonymous", []);
        Assert.True(Allowed(anonymous, Attributes.ForUrl("get", "/version"), defaults: true));
        Assert.False(Allowed(anonymous, Attributes.ForUrl("get", "/apis"), defaults: true));
    }

    [Fact]
    public void Default_view_edit_admin_through_a_RoleBinding()
    {
        var yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: app}\nroleRef: {kind: ClusterRole, name: ROLE}\nsubjects: [{kind: User, name: u}]\n";
        bool Can(string role, string verb, string group, string resource, string sub = "") =>
            RbacPolicy.Build(RbacLoader.Load(yaml.Replace("ROLE", role, StringComparison.Ordinal), "b.yaml")).Authorize(Identities.Authenticated("u", []), Attributes.ForResource(verb, group, resource, sub, ns: "app")).Allowed;

        Assert.True(Can("view", "list", "apps", "deployments"));
        Assert.False(Can("view", "get", "", "secrets"));
        Assert.False(Can("view", "create", "", "pods", "exec"));
        Assert.True(Can("edit", "get", "", "secrets"));
        Assert.True(Can("edit", "create", "", "pods", "exec"));
        Assert.False(Can("edit", "update", "", "endpoints"));
        Assert.False(Can("edit", "create", "rbac.authorization.k8s.io", "rolebindings"));
        Assert.True(Can("admin", "create", "rbac.authorization.k8s.io", "rolebindings"));
        Assert.False(Can("admin", "bind", "rbac.authorization.k8s.io", "clusterroles"));
        Assert.True(Can("admin", "create", "resource.k8s.io", "resourceclaims"));
    }

    [Fact]
    public void An_input_object_replaces_the_default_of_the_same_name()
    {
        var yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: system:discovery}\nroleRef: {kind: ClusterRole, name: system:discovery}\nsubjects: [{kind: Group, name: system:authenticated}, {kind: Group, name: system:unauthenticated}]\n";
        var policy = RbacPolicy.Build(RbacLoader.Load(yaml, "live.yaml"));
        Assert.True(policy.Authorize(Identities.Impersonated("system:anonymous", []), Attributes.ForUrl("get", "/apis")).Allowed);
        Assert.Single(policy.ClusterRoleBindings, b => b.Name == "system:discovery");
        Assert.False(policy.ClusterRoleBindings.Single(b => b.Name == "system:discovery").Source.IsDefault);
    }
}
