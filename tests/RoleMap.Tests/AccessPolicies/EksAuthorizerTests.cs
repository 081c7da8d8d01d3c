using CsCheck;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsAuth;
using RoleMap.Rbac;

namespace RoleMap.Tests.AccessPolicies;

/// <summary>
/// EKS authorization: system:masters, RBAC, then the access entry's policies within their scope; allows are unioned,
/// nothing denies, and a decision that depends on a policy with unpublished rules is unknown.
/// </summary>
public class EksAuthorizerTests
{
    private const string Rbac = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: team-edit, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: team}]
        """;

    private static readonly RbacPolicy Policy = RbacPolicy.Build(RbacLoader.Load(Rbac, "rbac.yaml"), includeDefaults: true);

    private static PolicyAssociation Assoc(string name, params string[] namespaces) =>
        new(AccessPolicyNames.Arn("aws", name), namespaces.Length == 0 ? AccessScope.Cluster : new AccessScope(namespaces));

    private static UserInfo User(params string[] groups) => Identities.Authenticated("alice", groups);

    [Theory]
    [InlineData("dev", "dev", true)]
    [InlineData("dev", "dev2", false)]
    [InlineData("dev-*", "dev-web", true)]
    [InlineData("dev-*", "dev-", true)]
    [InlineData("dev-*", "dev", false)]
    [InlineData("dev-*", "prod-dev-web", false)]
    [InlineData("dev-*", "", false)]
    [InlineData("dev", "", false)]
    public void Namespace_scopes_match_exactly_or_by_a_trailing_star_prefix(string pattern, string ns, bool applies) =>
        Assert.Equal(applies, Scopes.Applies(new AccessScope([pattern]), ns));

    [Theory]
    [InlineData("")]
    [InlineData("anything")]
    public void A_cluster_scope_applies_everywhere(string ns) => Assert.True(Scopes.Applies(AccessScope.Cluster, ns));

    [Fact]
    public void A_policy_allows_within_its_scope_only()
    {
        var view = new[] { Assoc("AmazonEKSViewPolicy", "dev-*") };
        Assert.Equal(Verdict.Yes, EksAuthorizer.Authorize(Policy, User(), Attributes.ForResource("get", "", "pods", ns: "dev-web"), view).Verdict);
        Assert.Equal(Verdict.No, EksAuthorizer.Authorize(Policy, User(), Attributes.ForResource("get", "", "pods", ns: "prod"), view).Verdict);
        // A namespace scope never reaches cluster-scoped requests, even for a rule on namespaces.
        Assert.Equal(Verdict.No, EksAuthorizer.Authorize(Policy, User(), Attributes.ForResource("list", "", "namespaces"), view).Verdict);
        Assert.Equal(Verdict.Yes, EksAuthorizer.Authorize(Policy, User(), Attributes.ForResource("list", "", "namespaces"), [Assoc("AmazonEKSViewPolicy")]).Verdict);
    }

    [Fact]
    public void Rbac_and_policies_are_a_union_and_nothing_denies()
    {
        var view = new[] { Assoc("AmazonEKSViewPolicy", "team") };
        var rbacOnly = EksAuthorizer.Authorize(Policy, User("team"), Attributes.ForResource("create", "", "configmaps", ns: "team"), view);
        Assert.Equal(Verdict.Yes, rbacOnly.Verdict);
        Assert.Null(rbacOnly.AllowedByPolicy);
        var policyOnly = EksAuthorizer.Authorize(Policy, User(), Attributes.ForResource("get", "", "configmaps", ns: "team"), view);
        Assert.Equal(Verdict.Yes, policyOnly.Verdict);
        Assert.Equal("AmazonEKSViewPolicy", policyOnly.AllowedByPolicy!.Policy.Name);
        Assert.Contains("AmazonEKSViewPolicy", policyOnly.Reason, StringComparison.Ordinal);
        var masters = EksAuthorizer.Authorize(Policy, User("system:masters"), Attributes.ForResource("delete", "", "nodes"), []);
        Assert.True(masters.Rbac.ByPrivilegedGroup);
        Assert.Equal(Verdict.Yes, masters.Verdict);
    }

    [Fact]
    public void A_policy_with_unknown_rules_in_scope_makes_the_answer_unknown()
    {
        var request = Attributes.ForResource("create", "", "persistentvolumes");
        var unknown = EksAuthorizer.Authorize(Policy, User(), request, [Assoc("AmazonEKSBlockStorageClusterPolicy")]);
        Assert.Equal(Verdict.Unknown, unknown.Verdict);
        Assert.Contains("AmazonEKSBlockStorageClusterPolicy", unknown.Reason, StringComparison.Ordinal);
        var outOfScope = EksAuthorizer.Authorize(Policy, User(), Attributes.ForResource("create", "", "pods", ns: "prod"), [Assoc("AmazonEKSAutoNodePolicy", "kube-system")]);
        Assert.Equal(Verdict.No, outOfScope.Verdict);
        var futurePolicy = EksAuthorizer.Authorize(Policy, User(), request, [new PolicyAssociation("arn:aws:eks::aws:cluster-access-policy/AmazonEKSFuturePolicy", AccessScope.Cluster)]);
        Assert.Equal(Verdict.Unknown, futurePolicy.Verdict);
        var notGiven = EksAuthorizer.Authorize(Policy, User(), request, null, policiesUnknown: true);
        Assert.Equal(Verdict.Unknown, notGiven.Verdict);
        Assert.Contains("list-associated-access-policies", notGiven.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_policies_the_decision_and_its_words_are_rbacs()
    {
        var request = Attributes.ForResource("get", "", "secrets", ns: "prod");
        var eks = EksAuthorizer.Authorize(Policy, User(), request, null);
        Assert.Equal(Verdict.No, eks.Verdict);
        Assert.Equal(Policy.Authorize(User(), request).Reason, eks.Reason);
    }

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static readonly string[] PolicyNames = [.. AccessPolicyCatalogue.All.Select(p => p.Name), "AmazonEKSNotYetPublishedPolicy"];
    private static readonly string[] Namespaces = ["", "dev", "dev-web", "prod", "team", "kube-system"];
    private static readonly string[] Verbs = ["get", "list", "create", "delete", "escalate", "impersonate"];
    private static readonly (string Group, string Resource)[] Resources = [("", "pods"), ("", "secrets"), ("", "nodes"), ("apps", "deployments"), ("rbac.authorization.k8s.io", "roles"), ("example.com", "widgets")];

    private static readonly Gen<PolicyAssociation> Association =
        Gen.Select(Pick(PolicyNames), Pick("dev", "dev-*", "prod", "team", "kube-*").Array[0, 2], (name, ns) => Assoc(name, ns));

    [Fact]
    public void Property_never_no_where_an_applicable_policy_has_unknown_rules() =>
        Gen.Select(Association.Array[0, 4], Pick(Verbs), Pick(Resources), Pick(Namespaces), Pick("team", "other", "system:masters"))
            .Sample((policies, verb, resource, ns, group) =>
            {
                var request = Attributes.ForResource(verb, resource.Group, resource.Resource, ns: resource.Resource == "nodes" ? string.Empty : ns);
                var decision = EksAuthorizer.Authorize(Policy, User(group), request, policies);
                var unknownApplies = policies.Any(p => Scopes.Applies(p.Scope, request.Namespace) && AccessPolicyCatalogue.ForArn(p.PolicyArn) is { RulesKnown: false });
                if (unknownApplies)
                {
                    Assert.NotEqual(Verdict.No, decision.Verdict);
                }

                // Adding policies never takes away what RBAC allows.
                if (Policy.Authorize(User(group), request).Allowed)
                {
                    Assert.Equal(Verdict.Yes, decision.Verdict);
                }
            },
            iter: 3000);

    [Theory]
    [InlineData(AuthenticationMode.ApiAndConfigMap, new[] { "arn:aws:iam::111122223333:role/dev", "arn:aws:iam::111122223333:role/viewer" }, new[] { "arn:aws:iam::111122223333:role/viewer" })]
    [InlineData(AuthenticationMode.Api, new[] { "arn:aws:iam::111122223333:role/viewer" }, new[] { "arn:aws:iam::111122223333:role/dev", "arn:aws:iam::111122223333:role/viewer" })]
    [InlineData(AuthenticationMode.ConfigMap, new[] { "arn:aws:iam::111122223333:role/dev", "arn:aws:iam::111122223333:role/viewer" }, new string[0])]
    public void Principals_follow_the_mode_and_an_entry_replaces_its_aws_auth_entry(AuthenticationMode mode, string[] listed, string[] shadowedOrEntries)
    {
        var awsAuth = new AwsAuthData(
            [new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["devs"]), new MapEntry("arn:aws:iam::111122223333:role/viewer", "viewer", ["viewers"])],
            [],
            []);
        var entries = ExistingAccessEntries.Parse("""
            {"accessEntry": {"principalArn": "arn:aws:iam::111122223333:role/teams/viewer", "kubernetesGroups": [], "username": "v", "type": "STANDARD"}}
            """, "entries.json");
        var set = EksPrincipals.From(awsAuth, entries, mode);
        Assert.Equal(listed.Order(StringComparer.Ordinal), set.Principals.Select(p => p.AccessEntry?.PrincipalArn is { } entry ? "arn:aws:iam::111122223333:role/" + entry.Split('/')[^1] : p.Principal.Arn).Order(StringComparer.Ordinal));
        Assert.Equal(mode == AuthenticationMode.ConfigMap ? 0 : shadowedOrEntries.Length, set.Shadowed.Count);
    }
}
