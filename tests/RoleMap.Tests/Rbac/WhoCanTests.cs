using RoleMap.AwsAuth;
using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

/// <summary>who-can: AllowedSubjects (subject_locator.go) and the expansion to IAM principals.</summary>
public class WhoCanTests
{
    private static string Subjects(AllowedSubjectsResult result) =>
        string.Join("; ", result.Subjects.Select(s => s.Subject + (s.PrivilegedGroup ? " (privileged)" : " via " + string.Join(",", s.Via.Select(v => v.Binding.Name)))));

    [Fact]
    public void AllowedSubjects_lists_masters_first_then_cluster_then_namespace_bindings()
    {
        var policy = EvaluatorTests.Policy();
        var result = policy.AllowedSubjects(Attributes.ForResource("list", "", "pods", ns: "team"));
        Assert.Equal("Group system:masters (privileged); Group sre via global-readers; Group readers via readers; ServiceAccount team/ci via readers", Subjects(result));
        Assert.Contains(result.Unmatchable, u => u.Subject.Name == "nobody");
        Assert.Contains(result.Dangling, d => d.Binding.Name == "role-from-crb");
        Assert.Contains(result.Dangling, d => d.Binding.Name == "dangling");
    }

    [Fact]
    public void AllowedSubjects_at_cluster_scope_consults_only_cluster_role_bindings()
    {
        var result = EvaluatorTests.Policy().AllowedSubjects(Attributes.ForResource("list", "", "pods"));
        Assert.Equal("Group system:masters (privileged); Group sre via global-readers", Subjects(result));
    }

    [Fact]
    public void Subjects_are_merged_across_bindings()
    {
        var yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: a}
            roleRef: {kind: ClusterRole, name: view}
            subjects: [{kind: User, name: u}, {kind: User, name: u}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: b}
            roleRef: {kind: ClusterRole, name: edit}
            subjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]
            """;
        var result = RbacPolicy.Build(RbacLoader.Load(yaml, "t.yaml")).AllowedSubjects(Attributes.ForResource("get", "", "pods", ns: "x"));
        var u = Assert.Single(result.Subjects, s => s.Subject.Name == "u");
        Assert.Equal(["a", "b"], u.Via.Select(v => v.Binding.Name));
    }

    private static AwsAuthData AwsAuth(string mapRoles, string mapUsers = "", string[]? accounts = null)
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n" + Indent(mapRoles) + (mapUsers.Length > 0 ? "  mapUsers: |\n" + Indent(mapUsers) : string.Empty)
            + (accounts is null ? string.Empty : "  mapAccounts: |\n" + Indent(string.Join("\n", accounts.Select(a => "- \"" + a + "\""))));
        return AwsAuthParser.Parse(text, "aws-auth.yaml").Effective;

        static string Indent(string s) => string.Join(string.Empty, s.Split('\n').Where(l => l.Length > 0).Select(l => "    " + l + "\n"));
    }

    [Fact]
    public void Principals_are_resolved_exactly_as_the_resolver_does()
    {
        var data = AwsAuth("""
            - rolearn: arn:aws:iam::111122223333:role/dev
              username: first
              groups: [a]
            - rolearn: arn:aws:iam::111122223333:role/DEV
              username: "dev:{{SessionName}}"
              groups: [dev]
            - rolearn: arn:aws:iam::111122223333:role/team/pathed
              groups: [dev]
            """, "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [system:masters]\n", ["444455556666"]);
        var principals = IamPrincipal.FromAwsAuth(data);
        Assert.Equal(
            ["arn:aws:iam::111122223333:role/DEV dev:{{SessionName}} [dev, system:authenticated]", "arn:aws:iam::111122223333:role/team/pathed  [dev, system:authenticated]", "arn:aws:iam::111122223333:user/alice alice [system:masters, system:authenticated]", "arn:aws:iam::444455556666:* (the caller's canonical ARN) [system:authenticated]"],
            principals.Select(p => p.Arn + " " + p.Username + " [" + string.Join(", ", p.Groups) + "]"));
        Assert.NotNull(principals[1].NeverMatches);
    }

    [Fact]
    public void Who_can_expands_groups_users_templates_and_accounts()
    {
        var data = AwsAuth("""
            - rolearn: arn:aws:iam::111122223333:role/dev
              username: "dev:{{SessionName}}"
              groups: [dev]
            - rolearn: arn:aws:iam::111122223333:role/ops
              username: ops
              groups: [system:masters]
            - rolearn: arn:aws:iam::111122223333:role/team/pathed
              groups: [sre]
            """, string.Empty, ["444455556666"]);
        var yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: readers}
            roleRef: {kind: ClusterRole, name: view}
            subjects: [{kind: Group, name: sre}, {kind: User, name: "dev:alice"}, {kind: User, name: "arn:aws:sts::444455556666:assumed-role/x/y"}, {kind: User, name: "dev:"}]
            """;
        var policy = RbacPolicy.Build(RbacLoader.Load(yaml, "t.yaml"));
        var result = WhoCan.Evaluate(policy, Attributes.ForResource("list", "", "pods", ns: "x"), IamPrincipal.FromAwsAuth(data));
        var lines = result.Principals.Select(p => p.Principal.Arn + " via " + string.Join(",", p.Via) + (p.Certain ? string.Empty : " (conditional)")).ToList();
        Assert.Equal(
            [
                "arn:aws:iam::111122223333:role/dev via User dev:alice (conditional)",
                "arn:aws:iam::111122223333:role/ops via Group system:masters",
                "arn:aws:iam::444455556666:* via User arn:aws:sts::444455556666:assumed-role/x/y (conditional)",
            ],
            lines);
        Assert.Equal("arn:aws:iam::111122223333:role/team/pathed", Assert.Single(result.NeverMatching).Arn);

        var everyone = WhoCan.Evaluate(policy, Attributes.ForUrl("get", "/healthz"), IamPrincipal.FromAwsAuth(data));
        Assert.Equal(3, everyone.Principals.Count); // system:authenticated: every principal that can log in
        Assert.All(everyone.Principals, p => Assert.True(p.Certain));
    }

    [Theory]
    [InlineData("dev:{{SessionName}}", "dev:alice", true, false)]
    [InlineData("dev:{{SessionName}}", "dev:a@b", false, false)]
    [InlineData("dev:{{SessionNameRaw}}", "dev:a@b", true, false)]
    [InlineData("dev:{{SessionName}}", "dev:x", false, false)]
    [InlineData("dev:{{SessionName}}", "dev:{{SessionName}}", true, true)]
    [InlineData("system:node:{{EC2PrivateDNSName}}", "system:node:ip-10-0-0-1.ec2.internal", true, false)]
    [InlineData("dev.{{Unknown}}", "dev.x", false, false)]
    [InlineData("a.b", "aXb", false, false)]
    public void Template_patterns(string template, string value, bool match, bool certain)
    {
        Assert.Equal((match, certain), TemplatePattern.Matches(template, value));
    }
}
