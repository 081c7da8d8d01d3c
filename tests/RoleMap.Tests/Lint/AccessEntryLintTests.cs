using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;

namespace RoleMap.Tests.Lint;

/// <summary>
/// The access-entry rules of <c>lint --access-entries</c>: one case per rule, an input that triggers it and a corrected
/// input that does not; plus the pieces they rest on (node names, the cluster's account, CreateDate and createdAt).
/// </summary>
public class AccessEntryLintTests
{
    private const string Account = "111122223333";
    private const string Other = "444455556666";
    private const string Created = "2025-03-01T10:00:00.000000+00:00";

    private static string Role(string name, string account = Account) => "arn:aws:iam::" + account + ":role/" + name;

    /// <summary>describe-access-entry output.</summary>
    private static string Entry(string principal, string type = "STANDARD", string groups = "", string? username = null, string createdAt = Created, string cluster = Account) =>
        "{\"accessEntry\": {\"clusterName\": \"prod\", \"principalArn\": \"" + principal + "\", \"kubernetesGroups\": [" + groups + "], "
        + "\"accessEntryArn\": \"arn:aws:eks:eu-west-1:" + cluster + ":access-entry/prod/role/x\", \"createdAt\": \"" + createdAt + "\", \"type\": \"" + type + "\""
        + (username is null ? string.Empty : ", \"username\": \"" + username + "\"") + "}}\n";

    /// <summary>list-associated-access-policies output; a scope of "" is cluster scope.</summary>
    private static string Policies(string principal, params (string Policy, string Namespace)[] policies) =>
        "{\"clusterName\": \"prod\", \"principalArn\": \"" + principal + "\", \"associatedAccessPolicies\": ["
        + string.Join(", ", policies.Select(p => "{\"policyArn\": \"arn:aws:eks::aws:cluster-access-policy/" + p.Policy + "\", \"accessScope\": "
            + (p.Namespace.Length == 0 ? "{\"type\": \"cluster\", \"namespaces\": []}" : "{\"type\": \"namespace\", \"namespaces\": [\"" + p.Namespace + "\"]}") + "}"))
        + "]}\n";

    private static string Admins(int count, string policy = "AmazonEKSClusterAdminPolicy", string scope = "") =>
        string.Concat(Enumerable.Range(1, count).Select(i => Entry(Role("admin" + i)) + Policies(Role("admin" + i), (policy, scope))));

    private const string NodeAwsAuth = "mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/workers\n    username: system:node:{{EC2PrivateDNSName}}\n    groups: [system:bootstrappers, system:nodes]\n  - rolearn: arn:aws:iam::111122223333:role/ops\n    username: ops\n    groups: [ops]\n";

    private static string Iam(string name, string createDate) =>
        "{\"Roles\": [{\"RoleName\": \"" + name + "\", \"Arn\": \"" + Role(name) + "\", \"CreateDate\": \"" + createDate + "\"}]}";

    /// <summary>Rule, access entries that trigger it, corrected entries, then aws-auth, IAM and RBAC group names when the case needs them.</summary>
    public static TheoryData<string, string, string, string?, string?, string?> Cases() => new()
    {
        { "access-policy-admin-broad", Admins(4), Admins(3) + Entry(Role("admin4")) + Policies(Role("admin4"), ("AmazonEKSAdminPolicy", "team-*")), null, null, null },
        { "access-entry-shadows-aws-auth", Entry(Role("ops"), groups: "\"operators\""), Entry(Role("ops"), groups: "\"ops\"", username: "ops"), NodeAwsAuth, null, null },
        { "access-entry-node-standard", Entry(Role("workers")), Entry(Role("workers"), type: "EC2_LINUX"), NodeAwsAuth, null, null },
        { "access-entry-cross-account", Entry(Role("auditor", Other)) + Entry(Role("ops")), Entry(Role("auditor")) + Entry(Role("ops")), null, null, null },
        { "access-policy-rules-unknown", Entry(Role("ops")) + Policies(Role("ops"), ("AmazonEKSComputePolicy", "")), Entry(Role("ops")) + Policies(Role("ops"), ("AmazonEKSViewPolicy", "")), null, null, null },
        { "access-entry-principal-recreated", Entry(Role("ops")), Entry(Role("ops")), null, Iam("ops", "2025-06-01T08:00:00+00:00") + "|" + Iam("ops", "2024-06-01T08:00:00+00:00"), null },
        { "access-entry-group", Entry(Role("ops"), groups: "\"system:masters\""), Entry(Role("ops"), groups: "\"ops\""), null, null, null },
        { "access-entry-username", Entry(Role("ops"), username: "ops{{SessionName}}"), Entry(Role("ops"), username: "ops:{{SessionName}}"), null, null, null },
        { "group-unbound", Entry(Role("ops"), groups: "\"operator\""), Entry(Role("ops"), groups: "\"operators\""), null, null, "operators" },
    };

    internal static LintResult Lint(string entries, string? awsAuth = null, string? iam = null, string? boundGroups = null, AuthenticationMode mode = AuthenticationMode.ApiAndConfigMap)
    {
        var rbac = boundGroups is null ? null : new RbacReferences([.. boundGroups.Split(',').Select(g => new SubjectReference("Group", g, "ClusterRoleBinding/" + g))]);
        var options = new LintOptions(rbac)
        {
            AccessEntries = new AccessEntryLintInput(ExistingAccessEntries.Parse(entries, "access-entries.json"), mode, iam is null ? null : IamDirectory.Parse(iam, "iam.json")),
        };
        return awsAuth is null ? Linter.LintAccessEntries(options) : Linter.LintAwsAuth(AwsAuthParser.Parse(awsAuth, "aws-auth.yaml"), options);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_triggers_and_the_corrected_input_is_clean(string rule, string bad, string good, string? awsAuth, string? iam, string? boundGroups)
    {
        var (badIam, goodIam) = iam is null ? (null, null) : (iam.Split('|')[0], iam.Split('|')[1]);
        var findings = Lint(bad, awsAuth, badIam, boundGroups).Findings;
        Assert.True(findings.Any(f => f.Rule == rule), rule + " did not trigger; got: " + string.Join("; ", findings.Select(f => f.Rule)));
        Assert.All(findings.Where(f => f.Rule == rule), f => Assert.Equal(LintRules.Get(rule).Id, f.Rule));
        Assert.DoesNotContain(Lint(good, awsAuth, goodIam, boundGroups).Findings, f => f.Rule == rule);
    }

    [Fact]
    public void Admin_policies_name_every_entry_above_the_threshold()
    {
        var findings = Lint(Admins(3) + Admins(1, "AmazonEKSAdminPolicy").Replace("admin1", "ns-admin", StringComparison.Ordinal)).Findings.Where(f => f.Rule == "access-policy-admin-broad").ToList();
        Assert.Equal(4, findings.Count);
        Assert.All(findings, f => Assert.Equal(Severity.Warning, f.Severity));
        Assert.Contains(findings, f => f.Location!.Path == "accessEntries[" + Role("ns-admin") + "].policies[AmazonEKSAdminPolicy]");
        Assert.All(findings, f => Assert.Contains(Role("admin3") + " (AmazonEKSClusterAdminPolicy)", f.Message, StringComparison.Ordinal));

        // AmazonEKSAdminPolicy in namespaces is not cluster-wide.
        Assert.DoesNotContain(Lint(Admins(3) + Admins(1, "AmazonEKSAdminPolicy", "dev").Replace("admin1", "ns-admin", StringComparison.Ordinal)).Findings, f => f.Rule == "access-policy-admin-broad");
    }

    [Fact]
    public void A_shadowed_aws_auth_entry_says_what_is_ignored_and_only_in_api_and_config_map()
    {
        var finding = Assert.Single(Lint(Entry(Role("ops"), groups: "\"operators\"", username: "operator"), NodeAwsAuth).Findings, f => f.Rule == "access-entry-shadows-aws-auth");
        Assert.Equal("the access entry for " + Role("ops") + " replaces this aws-auth entry in API_AND_CONFIG_MAP, so EKS does not use its username 'ops' (the access entry's is 'operator') or its groups ops", finding.Message);
        Assert.Equal("mapRoles[1]", finding.Location!.Path);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.DoesNotContain(Lint(Entry(Role("ops"), groups: "\"operators\""), NodeAwsAuth, mode: AuthenticationMode.Api).Findings, f => f.Rule == "access-entry-shadows-aws-auth");
        Assert.DoesNotContain(Lint(Entry(Role("ops"), groups: "\"operators\""), NodeAwsAuth, mode: AuthenticationMode.ConfigMap).Findings, f => f.Rule == "access-entry-shadows-aws-auth");

        // list-access-entries alone does not say what the entry gives: nothing to compare.
        Assert.DoesNotContain(Lint("{\"accessEntries\": [\"" + Role("ops") + "\"]}", NodeAwsAuth).Findings, f => f.Rule == "access-entry-shadows-aws-auth");
    }

    [Fact]
    public void A_standard_entry_for_a_node_role_is_an_error_when_aws_auth_maps_it_as_a_node()
    {
        var certain = Assert.Single(Lint(Entry(Role("workers")), NodeAwsAuth).Findings, f => f.Rule == "access-entry-node-standard");
        Assert.Equal(Severity.Error, certain.Severity);
        Assert.Contains("aws-auth maps it as a", certain.Message, StringComparison.Ordinal);
        Assert.Contains("running nodes go NotReady", certain.Message, StringComparison.Ordinal);
        Assert.StartsWith("delete this entry and create it with type EC2_LINUX", certain.Fix, StringComparison.Ordinal);

        var byName = Assert.Single(Lint(Entry(Role("eksctl-prod-nodegroup-ng1-NodeInstanceRole-ABC"))).Findings, f => f.Rule == "access-entry-node-standard");
        Assert.Equal(Severity.Warning, byName.Severity);
        Assert.Single(Lint(Entry(Role("ci"), username: "system:node:{{EC2PrivateDNSName}}")).Findings, f => f.Rule == "access-entry-node-standard");
        Assert.DoesNotContain(Lint(Entry("arn:aws:iam::111122223333:user/node")).Findings, f => f.Rule == "access-entry-node-standard");
    }

    [Fact]
    public void A_spec_is_linted_with_the_access_entries_too()
    {
        var options = new LintOptions { AccessEntries = new AccessEntryLintInput(ExistingAccessEntries.Parse(Entry(Role("workers")), "access-entries.json")) };
        var compiled = RoleMap.Spec.SpecCompiler.Compile(RoleMap.Spec.SpecLoader.Load("nodeRoles: [" + Role("workers") + "]\n", "spec.yaml"));
        var finding = Assert.Single(Linter.LintSpec(compiled, options).Findings, f => f.Rule == "access-entry-node-standard");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.DoesNotContain(Linter.LintSpec(compiled).Findings, f => f.Rule.StartsWith("access-entry-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eks-nodes", true)]
    [InlineData("NodeInstanceRole", true)]
    [InlineData("KarpenterNodeRole-prod", true)]
    [InlineData("prod_node_role", true)]
    [InlineData("eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1X2Y", true)]
    [InlineData("nodejs-builder", false)]
    [InlineData("platform-admin", false)]
    [InlineData("anode", false)]
    public void Node_role_names(string name, bool node) => Assert.Equal(node, Linter.NameSaysNode(name));

    [Fact]
    public void Cross_account_is_info_for_standard_and_an_error_for_node_types()
    {
        var findings = Lint(Entry(Role("auditor", Other)) + Entry(Role("nodes", Other), type: "EC2_LINUX") + Entry(Role("ops"))).Findings.Where(f => f.Rule == "access-entry-cross-account").ToList();
        Assert.Equal([Severity.Error, Severity.Info], findings.Select(f => f.Severity).Order());

        // Without accessEntryArn, the principals' majority decides; a tie decides nothing.
        Assert.Equal(Account, Linter.ClusterAccount(ExistingAccessEntries.Parse("{\"accessEntries\": [\"" + Role("a") + "\", \"" + Role("b") + "\", \"" + Role("c", Other) + "\"]}", null).Entries));
        Assert.Null(Linter.ClusterAccount(ExistingAccessEntries.Parse("{\"accessEntries\": [\"" + Role("a") + "\", \"" + Role("c", Other) + "\"]}", null).Entries));

        // The entries' own ARNs name the cluster's account even when most principals are elsewhere.
        Assert.Equal(Other, Linter.ClusterAccount(ExistingAccessEntries.Parse(Entry(Role("a")) + Entry(Role("b")), null).Entries.Select(e => e with { AccessEntryArn = "arn:aws:eks:eu-west-1:" + Other + ":access-entry/prod/x" }).ToList()));
    }

    [Fact]
    public void A_recreated_role_names_both_dates_and_the_policies_to_associate_again()
    {
        var finding = Assert.Single(Lint(Entry(Role("ops")) + Policies(Role("ops"), ("AmazonEKSViewPolicy", "dev")), iam: Iam("ops", "2025-06-01T08:00:00Z")).Findings, f => f.Rule == "access-entry-principal-recreated");
        Assert.Contains("at 2025-06-01T08:00:00Z, after this access entry (created 2025-03-01T10:00:00Z)", finding.Message, StringComparison.Ordinal);
        Assert.Equal("delete the access entry and create it again, then associate AmazonEKSViewPolicy (namespaces dev) again", finding.Fix);
        Assert.Equal("accessEntries[" + Role("ops") + "].createdAt", finding.Location!.Path);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Names_eks_rejects_are_errors_on_an_access_entry_and_infos_in_aws_auth()
    {
        var group = Assert.Single(Lint(Entry(Role("ops"), groups: "\"system:masters\"")).Findings, f => f.Rule == "access-entry-group");
        Assert.Equal(Severity.Error, group.Severity);
        Assert.Equal("access entries reject group names starting with system:, eks:, aws:, amazon: or iam: (system:masters) (system:masters maps to the AmazonEKSClusterAdminPolicy access policy instead)", group.Message);
        Assert.Equal(Severity.Info, LintRules.Get("access-entry-group").Severity);
    }

    [Fact]
    public void Dates_are_kept_from_the_aws_cli_output()
    {
        var entry = Assert.Single(ExistingAccessEntries.Parse(Entry(Role("ops")), null).Entries);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), entry.CreatedAt);
        Assert.StartsWith("arn:aws:eks:eu-west-1:", entry.AccessEntryArn, StringComparison.Ordinal);
        var role = IamDirectory.Parse(Iam("ops", "2025-06-01T08:00:00+00:00"), null).Find(RoleMap.Arns.IamArnKind.Role, "aws", Account, "ops");
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero), role!.CreateDate);
        var bad = Assert.Throws<InputException>(() => ExistingAccessEntries.Parse(Entry(Role("ops"), createdAt: "yesterday"), "e.json"));
        Assert.Contains("createdAt", bad.Location!.Path, StringComparison.Ordinal);
    }
}
