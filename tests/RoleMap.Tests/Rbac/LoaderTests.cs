using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

public class LoaderTests
{
    private const string Rbac = "apiVersion: rbac.authorization.k8s.io/v1\n";

    private static InputException Fails(string yaml) => Assert.Throws<InputException>(() => RbacLoader.Load(yaml, "in.yaml"));

    [Fact]
    public void Reads_all_four_kinds_from_a_multi_document_stream_and_ignores_other_kinds()
    {
        var objects = RbacLoader.Load(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n" +
            Rbac + "kind: Role\nmetadata: {name: r, namespace: a}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n---\n" +
            Rbac + "kind: ClusterRole\nmetadata: {name: c, labels: {x: 'y'}}\n---\n" +
            "---\n# empty document\n---\n" +
            Rbac + "kind: RoleBinding\nmetadata: {name: rb, namespace: a}\nroleRef: {kind: Role, name: r}\nsubjects: [{kind: User, name: alice}]\n---\n" +
            Rbac + "kind: ClusterRoleBinding\nmetadata: {name: crb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: c}\nsubjects: [{kind: ServiceAccount, name: s, namespace: a}]\n---\n" +
            "apiVersion: iam.example.com/v1\nkind: Role\nmetadata: {name: not-rbac}\n---\n- a list\n---\njust text\n",
            "in.yaml");
        Assert.Equal("r", Assert.Single(objects.Roles).Name);
        Assert.Equal("y", Assert.Single(objects.ClusterRoles).Labels["x"]);
        Assert.Equal(new RoleRef("Role", "r"), Assert.Single(objects.RoleBindings).RoleRef); // apiGroup defaulted
        Assert.Equal(Subject.ServiceAccount("a", "s"), Assert.Single(objects.ClusterRoleBindings).Subjects[0]);
        Assert.Empty(objects.Diagnostics);
        Assert.Equal(new ObjectSource("in.yaml", 2, 5), objects.Roles[0].Source);
    }

    [Fact]
    public void Reads_kubectl_list_output_and_api_server_typed_lists()
    {
        var kubectl = "apiVersion: v1\nkind: List\nitems:\n- " + Rbac.TrimEnd() + "\n  kind: ClusterRole\n  metadata: {name: a}\n  rules: null\nmetadata: {resourceVersion: ''}\n";
        Assert.Equal("a", Assert.Single(RbacLoader.Load(kubectl, "k.yaml").ClusterRoles).Name);

        var json = """{"kind":"ClusterRoleBindingList","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"b","uid":"u"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"g"}]}]}""";
        var binding = Assert.Single(RbacLoader.Load(json, "cluster/clusterrolebindings").ClusterRoleBindings);
        Assert.Equal("view", binding.RoleRef.Name);
    }

    [Theory]
    [InlineData("kind: ClusterRole\nmetadata: {name: a}\n", "in.yaml:1:1: document 1, ClusterRole: apiVersion: missing apiVersion; expected rbac.authorization.k8s.io/v1")]
    [InlineData(Rbac + "kind: ClusterRole\nmetadata: {}\n", "in.yaml:3:11: document 1, ClusterRole: metadata.name: expected a name, found nothing")]
    [InlineData(Rbac + "kind: ClusterRole\nmetadata: {name: a}\nrules:\n- verbs: get\n", "in.yaml:5:10: document 1, ClusterRole a: rules[0].verbs: expected a list of strings, found a string")]
    [InlineData(Rbac + "kind: ClusterRole\nmetadata: {name: a}\nrules:\n- verb: [get]\n", "in.yaml:5:3: document 1, ClusterRole a: rules[0].verb: unknown field 'verb'; did you mean 'verbs'?")]
    [InlineData(Rbac + "kind: ClusterRole\nmetadata: {name: a}\nrules:\n- verbs: [get]\n  verbs: [list]\n", "in.yaml:6:3: document 1, ClusterRole a: rules[0].verbs: field 'verbs' is given twice (first at line 5)")]
    [InlineData(Rbac + "kind: ClusterRole\nmetadata: {name: a, labels: {x: true}}\n", "in.yaml:3:33: document 1, ClusterRole a: metadata.labels.x: expected a string (quote values such as \"true\"), found a boolean (true); Kubernetes reads it as a non-string and refuses the object (quote it)")]
    [InlineData(Rbac + "kind: RoleBinding\nmetadata: {name: b, namespace: ns1}\nsubjects: []\n", "in.yaml:1:1: document 1, RoleBinding ns1/b: roleRef: missing roleRef: a binding must name the role it grants")]
    [InlineData(Rbac + "kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: x}\nsubjects: [{kind: Group}]\n", "in.yaml:5:12: document 1, ClusterRoleBinding b: subjects[0].name: expected a name, found nothing")]
    [InlineData(Rbac + "kind: ClusterRole\nmetadata: {name: a}\naggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions: [{key: k, operator: Equals, values: [v]}]\n", "in.yaml:6:24: document 1, ClusterRole a: aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: operator 'Equals' is not In, NotIn, Exists or DoesNotExist")]
    [InlineData("apiVersion: v1\nkind: List\nitems:\n- " + "kind: Role\n  apiVersion: rbac.authorization.k8s.io/v1\n  metadata: {name: r, namespace: ns1}\n  rules: {}\n", "in.yaml:7:10: document 1, items[0], Role ns1/r: rules: expected a list of rules, found a mapping")]
    public void Malformed_objects_name_file_line_document_and_field(string yaml, string message)
    {
        Assert.Equal(message, Fails(yaml).Message);
    }

    [Fact]
    public void Invalid_yaml_is_an_input_error()
    {
        Assert.StartsWith("in.yaml:2:", Fails("kind: Role\n  bad: [\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_the_api_server_would_refuse_are_read_as_the_authorizer_reads_them_with_warnings()
    {
        var objects = RbacLoader.Load(
            "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: Role\nmetadata: {name: r}\nrules:\n- {apiGroups: [''], resources: [pods]}\n- {nonResourceURLs: [/x], verbs: [get]}\n---\n" +
            Rbac + "kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: s}, {kind: user, name: u}]\n---\n" +
            Rbac + "kind: ClusterRole\nmetadata: {name: a}\nrules: [{verbs: [get], resources: [pods]}]\n---\n" +
            Rbac + "kind: ClusterRole\nmetadata: {name: a}\n",
            "in.yaml");
        var rules = objects.Diagnostics.Select(d => d.Rule + " " + d.Location!.Line + " " + d.Message).ToList();
        Assert.Collection(
            rules,
            r => Assert.StartsWith("rbac-old-api-version 1 ", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-namespace-defaulted 3 ", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-invalid-object 5 a rule needs at least one verb", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-invalid-object 6 nonResourceURLs are not allowed in a namespaced Role", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-invalid-object 11 a ClusterRoleBinding can only refer to a ClusterRole", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-invalid-object 12 a ServiceAccount subject of a ClusterRoleBinding needs a namespace", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-invalid-object 12 kind 'user' is not User, Group or ServiceAccount (case matters); this subject matches no one (did you mean User?)", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-invalid-object 17 a resource rule needs at least one apiGroup", r, StringComparison.Ordinal),
            r => Assert.StartsWith("rbac-duplicate-object 19 ClusterRole a is given again", r, StringComparison.Ordinal));
        Assert.Equal("default", objects.Roles[0].Namespace);
        Assert.Single(objects.ClusterRoles);
        Assert.All(objects.Diagnostics, d => Assert.NotEqual(Severity.Error, d.Severity));
    }

    [Fact]
    public void Examples_load_without_findings()
    {
        foreach (var file in Directory.GetFiles(TestSupport.Repo.Path("examples"), "*.yaml", SearchOption.AllDirectories).Where(f => f.Contains("/rbac/", StringComparison.Ordinal)))
        {
            var objects = RbacLoader.Load(File.ReadAllText(file), file);
            Assert.Empty(objects.Diagnostics);
        }
    }

    [Fact]
    public void Bootstrap_policy_loads_cleanly_with_the_documented_defaults()
    {
        var defaults = BootstrapPolicy.Objects;
        Assert.Empty(defaults.Diagnostics);
        foreach (var name in new[] { "cluster-admin", "admin", "edit", "view", "system:aggregate-to-admin", "system:aggregate-to-edit", "system:aggregate-to-view", "system:basic-user", "system:discovery", "system:public-info-viewer", "system:monitoring", "system:controller:namespace-controller" })
        {
            Assert.Contains(defaults.ClusterRoles, r => r.Name == name);
        }

        var masters = defaults.ClusterRoleBindings.Single(b => b.Name == "cluster-admin");
        Assert.Equal(Subject.Group("system:masters"), masters.Subjects.Single() with { ApiGroup = null });
        var controller = defaults.ClusterRoleBindings.Single(b => b.Name == "system:controller:job-controller");
        Assert.Equal(Subject.ServiceAccount("kube-system", "job-controller"), controller.Subjects.Single());
        Assert.Empty(defaults.ClusterRoleBindings.Single(b => b.Name == "system:node").Subjects);
        Assert.All(defaults.ClusterRoles, r => Assert.True(r.Source.IsDefault));
        Assert.Equal(7, defaults.Roles.Count);
        Assert.Equal(7, defaults.RoleBindings.Count);
    }
}
