using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

/// <summary>Subject matching and the identities the API server builds.</summary>
public class SubjectTests
{
    private static readonly Subject[] E1 = [Subject.User("foobar")];
    private static readonly Subject[] E2 = [Subject.User("barfoo"), Subject.User("foobar")];
    private static readonly Subject[] E4 = [Subject.User("barfoo"), Subject.Group("foobar")];
    private static readonly Subject[] E6 = [Subject.User("barfoo"), Subject.Group("foobar"), Subject.ServiceAccount("kube-system", "default")];
    private static readonly Subject[] E7 = [Subject.User("*")];
    private static readonly Subject[] E8 = [Subject.Group("system:authenticated"), Subject.Group("system:unauthenticated")];

    public static TheoryData<string, Subject[], string, string[], string, int> AppliesToVectors() => new()
    {
        // pkg/registry/rbac/validation/rule_test.go TestAppliesTo.
        { "E1 single subject that matches username", E1, "foobar", [], "", 0 },
        { "E2 multiple subjects, one that matches username", E2, "foobar", [], "", 1 },
        { "E3 multiple subjects, none that match username", E2, "zimzam", [], "", -1 },
        { "E4 multiple subjects, one that match group", E4, "zimzam", ["foobar"], "", 1 },
        { "E5 multiple subjects, one that match group, should ignore namespace", E4, "zimzam", ["foobar"], "namespace1", 1 },
        { "E6 multiple subjects, one that match serviceaccount, should ignore namespace", E6, "system:serviceaccount:kube-system:default", [], "default", 2 },
        { "E7 user * does not match every user", E7, "foobar", [], "default", -1 },
        { "E8 binding to all authenticated and unauthenticated subjects matches authenticated user", E8, "foobar", ["system:authenticated"], "default", 0 },
        { "E9 binding to all authenticated and unauthenticated subjects matches anonymous user", E8, "system:anonymous", ["system:unauthenticated"], "default", 1 },
    };

    [Theory]
    [MemberData(nameof(AppliesToVectors))]
    public void AppliesTo_upstream_vectors(string id, Subject[] subjects, string user, string[] groups, string ns, int expected)
    {
        Assert.True(expected == RbacPolicy.AppliesTo(new UserInfo(user, groups), subjects, ns), id);
    }

    [Fact]
    public void ServiceAccount_without_namespace_means_the_evaluation_namespace()
    {
        var sa = new Subject(SubjectKinds.ServiceAccount, "builder");
        var user = Identities.ServiceAccount("ci", "builder");
        Assert.Equal(0, RbacPolicy.AppliesTo(user, [sa], "ci"));
        Assert.Equal(-1, RbacPolicy.AppliesTo(user, [sa], "other"));
        Assert.Equal(-1, RbacPolicy.AppliesTo(user, [sa], "")); // in a ClusterRoleBinding it matches no one
    }

    [Fact]
    public void Subject_kinds_are_case_sensitive_and_unknown_kinds_match_no_one()
    {
        var user = new UserInfo("alice", ["dev"]);
        Assert.Equal(-1, RbacPolicy.AppliesTo(user, [new Subject("user", "alice"), new Subject("group", "dev"), new Subject("Team", "dev")], "default"));
    }

    [Fact]
    public void A_user_subject_named_like_a_service_account_matches_it()
    {
        var user = Identities.ServiceAccount("ci", "builder");
        Assert.Equal(0, RbacPolicy.AppliesTo(user, [Subject.User("system:serviceaccount:ci:builder")], ""));
    }

    [Theory]
    [InlineData("alice", new string[0], new[] { "system:authenticated" })]
    [InlineData("alice", new[] { "dev" }, new[] { "dev", "system:authenticated" })]
    [InlineData("alice", new[] { "system:authenticated", "dev" }, new[] { "system:authenticated", "dev" })]
    [InlineData("alice", new[] { "system:unauthenticated" }, new[] { "system:unauthenticated" })]
    [InlineData("system:anonymous", new string[0], new string[0])]
    [InlineData("", new[] { "dev" }, new[] { "dev", "system:authenticated" })]
    public void Authenticated_group_adder(string name, string[] groups, string[] expected)
    {
        // staging/src/k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go
        Assert.Equal(expected, Identities.Authenticated(name, groups).Groups);
    }

    [Theory]
    [InlineData("alice", new string[0], new[] { "system:authenticated" })]
    [InlineData("alice", new[] { "dev" }, new[] { "dev", "system:authenticated" })]
    [InlineData("alice", new[] { "system:unauthenticated" }, new[] { "system:unauthenticated" })]
    [InlineData("system:anonymous", new string[0], new[] { "system:unauthenticated" })]
    [InlineData("system:anonymous", new[] { "x" }, new[] { "x", "system:unauthenticated" })]
    [InlineData("system:serviceaccount:ci:builder", new string[0], new[] { "system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated" })]
    [InlineData("system:serviceaccount:ci:builder", new[] { "dev" }, new[] { "dev", "system:authenticated" })]
    [InlineData("system:serviceaccount:CI:builder", new string[0], new[] { "system:authenticated" })]
    public void Impersonation_builds_groups_as_the_filter_does(string name, string[] groups, string[] expected)
    {
        // staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go
        Assert.Equal(expected, Identities.Impersonated(name, groups).Groups);
    }

    [Theory]
    [InlineData("system:serviceaccount:ns:name", true)]
    [InlineData("system:serviceaccount:ns:name.with.dots", true)]
    [InlineData("system:serviceaccount:ns", false)]
    [InlineData("system:serviceaccount:ns:name:extra", false)]
    [InlineData("system:serviceaccount:Ns:name", false)]
    [InlineData("system:serviceaccount::name", false)]
    [InlineData("system:serviceaccounts:ns:name", false)]
    public void Split_service_account_username(string username, bool valid)
    {
        // staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go SplitUsername
        Assert.Equal(valid, Identities.TrySplitServiceAccount(username, out _, out _));
    }
}
