using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

/// <summary>Reading kubectl-style questions, and request mode vs SAR mode.</summary>
public class QueryTests
{
    private static ParsedQuery Parse(string verb, string target, string sub = "", string ns = "default") => QueryParser.Parse(new AccessQuery(verb, target, sub, ns));

    private static string Show(Attributes a) => string.Join("|", a.Verb, a.ApiGroup, a.Namespace, a.Resource, a.Subresource, a.Name);

    // Request mode reproduces what the API server derives from the equivalent HTTP request, as in
    // staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go (TestGetAPIRequestInfo,
    // TestFieldSelectorParsing); the J ids refer to rbac-semantics.md section 8. Columns: verb|group|ns|resource|sub|name.
    [Theory]
    [InlineData("J1 GET /api/v1/namespaces", "list", "namespaces", "", "default", "list|||namespaces||")]
    [InlineData("J2 GET /api/v1/namespaces/other", "get", "namespaces/other", "", "default", "get||other|namespaces||other")]
    [InlineData("J3 GET /api/v1/namespaces/other/pods", "list", "pods", "", "other", "list||other|pods||")]
    [InlineData("J4 GET /api/v1/namespaces/other/pods/foo", "get", "pods/foo", "", "other", "get||other|pods||foo")]
    [InlineData("J6 GET /api/v1/pods", "list", "pods", "", "", "list|||pods||")]
    [InlineData("J18 GET .../pods/foo/status", "get", "pods/foo", "status", "other", "get||other|pods|status|foo")]
    [InlineData("J20 PUT /api/v1/namespaces/other/finalize", "update", "namespaces/other", "finalize", "default", "update||other|namespaces|finalize|other")]
    [InlineData("J21 PUT /api/v1/namespaces/other/status", "update", "namespaces/other", "status", "", "update||other|namespaces|status|other")]
    [InlineData("J22 PATCH .../pods/foo", "patch", "pods/foo", "", "other", "patch||other|pods||foo")]
    [InlineData("J23 DELETE .../pods/foo", "delete", "pods/foo", "", "other", "delete||other|pods||foo")]
    [InlineData("J24 POST /api/v1/namespaces/other/pods", "create", "pods/foo", "", "other", "create||other|pods||")]
    [InlineData("J25 DELETE /api/v1/nodes", "deletecollection", "nodes", "", "default", "deletecollection|||nodes||")]
    [InlineData("J26 DELETE /api/v1/namespaces", "deletecollection", "namespaces", "", "", "deletecollection|||namespaces||")]
    [InlineData("J27 DELETE /api/v1/namespaces/other/pods", "deletecollection", "pods/foo", "", "other", "deletecollection||other|pods||")]
    [InlineData("J50 GET .../resource?fieldSelector=metadata.name=name1", "list", "pods/name1", "", "other", "list||other|pods||name1")]
    [InlineData("J51 GET ...?watch=true&fieldSelector=metadata.name=name1", "watch", "pods/name1", "", "other", "watch||other|pods||name1")]
    [InlineData("create on a subresource keeps the name (pods/foo/eviction)", "create", "pods/foo", "eviction", "other", "create||other|pods|eviction|foo")]
    [InlineData("bind keeps the binding's namespace (escalation_check.go BindingAuthorized)", "bind", "clusterroles.rbac.authorization.k8s.io/admin", "", "team", "bind|rbac.authorization.k8s.io|team|clusterroles||admin")]
    [InlineData("kind and short names resolve (deploy)", "get", "deploy/web", "", "team", "get|apps|team|deployments||web")]
    public void Request_mode_derives_attributes_as_the_api_server(string id, string verb, string target, string sub, string ns, string expected)
    {
        Assert.True(expected == Show(Parse(verb, target, sub, ns).Request().Attributes), id + ": " + Show(Parse(verb, target, sub, ns).Request().Attributes));
    }

    [Theory]
    [InlineData("get", "nodes", "", "default", "get||default|nodes||")]
    [InlineData("create", "pods/foo", "", "other", "create||other|pods||foo")]
    [InlineData("get", "namespaces/other", "", "default", "get||default|namespaces||other")]
    [InlineData("list", "jobs.batch/bar", "", "foo", "list|batch|foo|jobs||bar")]
    [InlineData("*", "*", "", "default", "*||default|*||")]
    public void Sar_mode_keeps_attributes_as_given(string verb, string target, string sub, string ns, string expected)
    {
        Assert.Equal(expected, Show(Parse(verb, target, sub, ns).Sar().Attributes));
    }

    [Fact]
    public void Urls_are_non_resource_requests_without_namespace_in_both_modes()
    {
        var query = Parse("get", "/healthz", ns: "team");
        Assert.False(query.Request().Attributes.IsResourceRequest);
        Assert.Equal(string.Empty, query.Sar().Attributes.Namespace);
        Assert.Equal("/healthz", query.Request().Attributes.Path);
        Assert.Throws<InputException>(() => Parse("get", "/healthz", sub: "log"));
    }

    [Theory]
    [InlineData("pods", "", "pods", ResourceScope.Namespaced)]
    [InlineData("po", "", "pods", ResourceScope.Namespaced)]
    [InlineData("Pod", "", "pods", ResourceScope.Namespaced)]
    [InlineData("deployments", "apps", "deployments", ResourceScope.Namespaced)]
    [InlineData("deployment.apps", "apps", "deployments", ResourceScope.Namespaced)]
    [InlineData("deployments.v1.apps", "apps", "deployments", ResourceScope.Namespaced)]
    [InlineData("events", "", "events", ResourceScope.Namespaced)]
    [InlineData("events.events.k8s.io", "events.k8s.io", "events", ResourceScope.Namespaced)]
    [InlineData("ns", "", "namespaces", ResourceScope.Cluster)]
    [InlineData("crd", "apiextensions.k8s.io", "customresourcedefinitions", ResourceScope.Cluster)]
    [InlineData("widgets.example.com", "example.com", "widgets", ResourceScope.Unknown)]
    [InlineData("widgets", "", "widgets", ResourceScope.Unknown)]
    [InlineData("*.*", "*", "*", ResourceScope.Namespaced)]
    public void Types_resolve_through_the_builtin_table(string type, string group, string resource, ResourceScope scope)
    {
        var resolved = BuiltinResources.Resolve(type);
        Assert.Equal((group, resource, scope), (resolved.Group, resolved.Resource, resolved.Scope));
    }

    [Fact]
    public void Request_and_sar_modes_differ_where_the_semantics_say_so()
    {
        var yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r, namespace: team}
            rules: [{apiGroups: [""], resources: [nodes], verbs: [get]}, {apiGroups: [""], resources: [pods], resourceNames: [web], verbs: [create, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: team}
            roleRef: {kind: Role, name: r}
            subjects: [{kind: User, name: u}]
            """;
        var policy = RbacPolicy.Build(RbacLoader.Load(yaml, "t.yaml"));
        var user = Identities.Authenticated("u", []);
        CanIResult Check(string verb, string target) => CanI.Evaluate(policy, user, Parse(verb, target, ns: "team"), EvaluationMode.Request);

        var nodes = Check("get", "nodes");
        Assert.False(nodes.Allowed);
        Assert.True(nodes.Other.Decision.Allowed);
        Assert.True(nodes.ModesDiffer);
        Assert.Contains("cluster-scoped", Assert.Single(nodes.Chosen.Request.Adjustments), StringComparison.Ordinal);

        var create = Check("create", "pods/web");
        Assert.False(create.Allowed);
        Assert.True(create.ModesDiffer);

        var list = Check("list", "pods/web"); // a real list with fieldSelector metadata.name=web carries the name
        Assert.True(list.Allowed);
        Assert.False(list.ModesDiffer);

        var sar = CanI.Evaluate(policy, user, Parse("get", "nodes", ns: "team"), EvaluationMode.Sar);
        Assert.True(sar.Allowed);
        Assert.True(sar.ModesDiffer);
    }
}
