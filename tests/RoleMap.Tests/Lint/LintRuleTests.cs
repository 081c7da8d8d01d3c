using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;

namespace RoleMap.Tests.Lint;

/// <summary>
/// One case per rule: an input that triggers it (with the exact fix text), and a corrected input that does not.
/// Inputs starting with "spec:" are specs; others are aws-auth data mappings.
/// </summary>
public class LintRuleTests
{
    private const string Node = "- rolearn: arn:aws:iam::111122223333:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n";

    private static string Roles(string items) => "mapRoles: |\n" + Indent(Node + items);

    private static string Users(string items) => Roles(string.Empty) + "mapUsers: |\n" + Indent(items);

    private static string Indent(string text) => string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => "  " + l + "\n"));

    public static TheoryData<string, string, string?, string> Cases() => new()
    {
        { "arn-malformed", Roles("- rolearn: role/ops\n  username: ops\n"), null, Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "arn-partition", Roles("- rolearn: arn:aws-us-govt:iam::111122223333:role/ops\n  username: ops\n"), "arn:aws-us-gov:iam::111122223333:role/ops", Roles("- rolearn: arn:aws-us-gov:iam::111122223333:role/ops\n  username: ops\n") },
        { "arn-account", Roles("- rolearn: arn:aws:iam::11112222333:role/ops\n  username: ops\n"), null, Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "arn-region", Roles("- rolearn: arn:aws:iam:eu-west-1:111122223333:role/ops\n  username: ops\n"), "arn:aws:iam::111122223333:role/ops", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "arn-service", Roles("- rolearn: arn:aws:ec2::111122223333:instance/i-1\n  username: ops\n"), null, Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "arn-resource", Roles("- rolearn: arn:aws:iam::111122223333:instance-profile/node\n  username: ops\n"), "arn:aws:iam::111122223333:role/node (if the role has the profile's name; check with aws iam get-instance-profile)", Roles(string.Empty) },
        { "arn-role-path", Roles("- rolearn: arn:aws:iam::111122223333:role/team/ops\n  username: ops\n"), "arn:aws:iam::111122223333:role/ops", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "arn-assumed-role", Roles("- rolearn: arn:aws:sts::111122223333:assumed-role/ops/jane\n  username: ops\n"), "arn:aws:iam::111122223333:role/ops", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "arn-wrong-list", Roles("- rolearn: arn:aws:iam::111122223333:user/alice\n  username: alice\n"), "move it to mapUsers as userarn", Users("- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n") },
        { "duplicate-arn", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [a]\n- rolearn: arn:aws:iam::111122223333:role/OPS\n  username: ops\n  groups: [b]\n"), "merge the groups into one entry", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [a, b]\n") },
        { "node-fargate-shared-role", Roles("- rolearn: arn:aws:iam::111122223333:role/node\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n"), "give the Fargate profile its own pod execution role", Roles("- rolearn: arn:aws:iam::111122223333:role/fargate\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n") },
        { "duplicate-account", "spec:accounts: [\"111122223333\", \"111122223333\"]\nnodeRoles: [arn:aws:iam::111122223333:role/node]", null, "spec:accounts: [\"111122223333\"]\nnodeRoles: [arn:aws:iam::111122223333:role/node]" },
        { "top-key-case", "maproles: |\n" + Indent(Node), "rename the key to mapRoles", Roles(string.Empty) },
        { "data-key-unknown", Roles(string.Empty) + "mapUser: |\n  []\n", "rename the key to mapUsers", Roles(string.Empty) + "mapUsers: |\n  []\n" },
        { "yaml-invalid", "mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/node\n     username: x\n", "fix the YAML; 'rolemap generate' writes it correctly", Roles(string.Empty) },
        { "yaml-control-character", "mapRoles: \"- rolearn: arn:aws:iam::111122223333:role/node\\x01\\n  username: system:node:{{EC2PrivateDNSName}}\\n\"\n", "remove the character; write it as a double-quoted escape (\"\\x01\") if it is meant", Roles(string.Empty) },
        { "yaml-tag-mismatch", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: !!int ops\n"), "remove the tag, or quote the value as a string", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "yaml-merge-key", Roles("- &ops\n  rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n- <<: *ops\n  rolearn: arn:aws:iam::111122223333:role/ops2\n"), "write the fields out in each entry; 'rolemap generate' does", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n- rolearn: arn:aws:iam::111122223333:role/ops2\n  username: ops\n") },
        { "yaml-binary", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: !!binary b3Bz\n"), "write the decoded text as a plain string", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "yaml-json-value", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: .inf\n"), "quote the value (\".inf\"), or give the mapping key a name", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \".inf\"\n") },
        { "yaml-after-document", "mapRoles: |\n" + Indent(Node + "---\n- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n"), "remove the '---' (or the text after the list) and put every entry in one list", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "yaml-byte-order-mark", "mapRoles: \"\\ufeff- rolearn: arn:aws:iam::111122223333:role/node\\n  username: system:node:{{EC2PrivateDNSName}}\\n  groups: [system:bootstrappers, system:nodes]\\n\"\n", "remove the byte-order mark", Roles(string.Empty) },
        { "arn-unicode-case", Roles("- rolearn: arn:aws:iam::111122223333:role/\u017Ftage\n  username: ops\n"), "write the ARN exactly as IAM shows it (ASCII)", Roles("- rolearn: arn:aws:iam::111122223333:role/stage\n  username: ops\n") },
        { "unquoted-template", Roles("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: {{SessionName}}\n"), "username: \"{{SessionName}}\"", Roles("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: \"dev:{{SessionName}}\"\n") },
        { "list-not-sequence", "mapRoles: |\n  rolearn: arn:aws:iam::111122223333:role/node\n", "write mapRoles as a YAML list of entries ('- rolearn: ...')", Roles(string.Empty) },
        { "entry-invalid", Roles("- role_arn: arn:aws:iam::111122223333:role/ops\n  username: ops\n"), "rename 'role_arn' to 'rolearn'", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "field-type", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: 123456789012\n"), null, Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \"123456789012\"\n") },
        { "groups-not-list", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: system:masters\n"), "groups:\n  - system:masters", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [system:masters]\n") },
        { "group-list-swallowed", "mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/node\n    username: system:node:{{EC2PrivateDNSName}}\n    groups:\n      - system:bootstrappers\n       - system:nodes\n", "groups:\n  - system:bootstrappers\n  - system:nodes", Roles(string.Empty) },
        { "field-case", Roles("- roleARN: arn:aws:iam::111122223333:role/ops\n  username: ops\n"), "rolearn", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "field-typo", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  group: [dev]\n"), "rename 'group' to 'groups'", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [dev]\n") },
        { "unknown-field", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  description: operators\n"), null, Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  userid: AROAEXAMPLE\n") },
        { "configmap-identity", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: default}\ndata:\n" + Indent(Roles(string.Empty)), null, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n" + Indent(Roles(string.Empty)) },
        { "data-not-string", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles:\n    - rolearn: arn:aws:iam::111122223333:role/node\n", "write the value as a block string: 'mapRoles: |' followed by the indented YAML", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n" + Indent(Roles(string.Empty)) },
        { "username-missing", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  groups: [a]\n"), "username: ops", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [a]\n") },
        { "template-unknown", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \"ops:{{SesionName}}\"\n"), "ops:{{SessionName}}", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \"ops:{{SessionName}}\"\n") },
        { "template-ec2-non-node", Users("- userarn: arn:aws:iam::111122223333:user/alice\n  username: \"alice-{{EC2PrivateDNSName}}\"\n"), "use a fixed username", Users("- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n") },
        { "template-session-user", Users("- userarn: arn:aws:iam::111122223333:user/alice\n  username: \"alice:{{SessionName}}\"\n"), "use a fixed username for users", Users("- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n") },
        { "control-characters", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \"ops\\nx\"\n"), null, Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n") },
        { "human-in-node-group", Users("- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [system:nodes]\n"), "remove system:nodes and system:bootstrappers from this entry", Users("- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [dev]\n") },
        { "node-entry-nonstandard", "mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/node\n    username: system:node:{{EC2PrivateDNSName}}\n    groups: [system:nodes]\n", "username: system:node:{{EC2PrivateDNSName}}, groups: [system:bootstrappers, system:nodes]", Roles(string.Empty) },
        { "masters-broad", Roles(string.Concat(Enumerable.Range(1, 4).Select(i => "- rolearn: arn:aws:iam::111122223333:role/admin" + i + "\n  username: a" + i + "\n  groups: [system:masters]\n"))), "keep one break-glass role in system:masters; bind the others to cluster-admin or narrower ClusterRoles through a group", Roles(string.Concat(Enumerable.Range(1, 3).Select(i => "- rolearn: arn:aws:iam::111122223333:role/admin" + i + "\n  username: a" + i + "\n  groups: [system:masters]\n"))) },
        { "map-accounts", Roles(string.Empty) + "mapAccounts: |\n  - \"444455556666\"\n", "map the roles and users you mean instead", Roles(string.Empty) },
        { "sso-matcher", Roles("- sso:\n    permissionSetName: Admin\n    accountID: \"111122223333\"\n  username: admin\n"), "map the role ARN without its path: arn:PARTITION:iam::ACCOUNT:role/AWSReservedSSO_SET_SUFFIX", Roles("- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef\n  username: admin\n") },
        { "no-node-role", "mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/ops\n    username: ops\n  - rolearn: arn:aws:iam::111122223333:role/node/x\n    username: system:node:{{EC2PrivateDNSName}}\n    groups: [system:bootstrappers, system:nodes]\n  - rolearn: arn:aws:iam::111122223333:role/ops\n    username: ops2\n", "add the node role with username system:node:{{EC2PrivateDNSName}} and groups system:bootstrappers, system:nodes", Roles(string.Empty) },
        { "map-roles-empty", "mapUsers: |\n  - userarn: arn:aws:iam::111122223333:user/alice\n    username: alice\n", null, Roles(string.Empty) },
        { "access-entry-group", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [eks:admins]\n"), null, Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [admins]\n") },
        { "access-entry-username", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \"ops{{SessionName}}\"\n"), "ops:{{SessionName}}", Roles("- rolearn: arn:aws:iam::111122223333:role/ops\n  username: \"ops:{{SessionName}}\"\n") },
        { "account-invalid", "spec:accounts: [\"1234\"]\nnodeRoles: [arn:aws:iam::111122223333:role/node]", null, "spec:accounts: [\"111122223333\"]\nnodeRoles: [arn:aws:iam::111122223333:role/node]" },
        { "label-invalid", "spec:labels: {\"team name\": x}\nnodeRoles: [arn:aws:iam::111122223333:role/node]", null, "spec:labels: {team: x}\nnodeRoles: [arn:aws:iam::111122223333:role/node]" },
        { "group-empty", "spec:nodeRoles: [arn:aws:iam::111122223333:role/node]\nroles: [{arn: \"arn:aws:iam::111122223333:role/ops\", groups: [\"\"]}]", "remove the empty group", "spec:nodeRoles: [arn:aws:iam::111122223333:role/node]\nroles: [{arn: \"arn:aws:iam::111122223333:role/ops\", groups: [ops]}]" },
        { "sso-permission-set-no-data", "spec:nodeRoles: [arn:aws:iam::111122223333:role/node]\nssoPermissionSets: {Admin: [admins]}", "give --iam-arns with the output of 'aws iam list-roles --path-prefix /aws-reserved/sso.amazonaws.com/'", "spec:nodeRoles: [arn:aws:iam::111122223333:role/node]" },
    };

    internal static LintResult Lint(string input, LintOptions? options = null)
    {
        if (input.StartsWith("spec:", StringComparison.Ordinal))
        {
            return Linter.LintSpec(SpecCompiler.Compile(SpecLoader.Load(input[5..], "spec.yaml")), options);
        }

        return Linter.LintAwsAuth(RoleMap.AwsAuth.AwsAuthParser.Parse(input, "aws-auth.yaml"), options);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_triggers_with_its_fix_and_the_corrected_input_is_clean(string rule, string bad, string? fix, string good)
    {
        var options = new LintOptions(ExpectNodes: rule == "no-node-role");
        var findings = Lint(bad, options).Findings.Where(f => f.Rule == rule).ToList();
        Assert.True(findings.Count > 0, rule + " did not trigger; got: " + string.Join("; ", Lint(bad, options).Findings.Select(f => f.Rule)));
        Assert.Contains(findings, f => f.Fix == fix);
        Assert.DoesNotContain(Lint(good, options).Findings, f => f.Rule == rule);
    }

    [Fact]
    public void Every_rule_has_a_case()
    {
        var covered = Cases().Select(c => (string)c[0]).Concat(AccessEntryLintTests.Cases().Select(c => (string)c[0])).Concat(["group-unbound", "binding-group-unmapped", "sso-permission-set-no-role" /* needs IAM data: Spec/SsoPermissionSetTests */]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal([], LintRules.All.Select(r => r.Id).Where(id => !covered.Contains(id)).ToArray());
    }

    [Fact]
    public void Every_rule_is_listed_in_the_readme()
    {
        var readme = File.ReadAllText(TestSupport.Repo.Path("README.md"));
        Assert.Equal([], LintRules.All.Select(r => r.Id).Where(id => !readme.Contains("`" + id + "`", StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public void Group_checks_use_the_binding_subjects()
    {
        var rbac = new RbacReferences([new("Group", "developers", "ClusterRoleBinding/dev"), new("Group", "auditors", "ClusterRoleBinding/audit"), new("Group", "system:authenticated", "ClusterRoleBinding/system:basic-user")]);
        var result = Lint(Roles("- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups: [developer, system:masters]\n- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [cluster-admins]\n"), new LintOptions(rbac));
        var unbound = result.Findings.Where(f => f.Rule == "group-unbound").ToList();
        Assert.Equal(2, unbound.Count);
        Assert.Equal("did you mean 'developers'?", unbound[0].Fix);
        Assert.Equal("for full administrator rights use system:masters, or bind 'cluster-admins' to the cluster-admin ClusterRole", unbound[1].Fix);
        var unmapped = result.Findings.Where(f => f.Rule == "binding-group-unmapped").ToList();
        Assert.Equal(["ClusterRoleBinding/audit", "ClusterRoleBinding/dev"], unmapped.Select(f => f.Location!.Path).Order(StringComparer.Ordinal));
        Assert.All(unmapped, f => Assert.Equal(Severity.Info, f.Severity));
    }

    [Fact]
    public void Duplicate_role_names_the_effective_entry()
    {
        var finding = Assert.Single(Lint(Roles("- rolearn: arn:aws:iam::111122223333:role/admins\n  username: admin\n  groups: [system:masters]\n- rolearn: arn:aws:iam::111122223333:role/admins\n  username: viewer\n  groups: [view]\n")).Findings, f => f.Rule == "duplicate-arn");
        Assert.Contains("mapRoles[2]", finding.Message, StringComparison.Ordinal);
        Assert.Contains("username 'viewer', groups [view]", finding.Message, StringComparison.Ordinal);
        Assert.Equal("mapRoles[1]", finding.Location!.Path);
    }

    [Fact]
    public void Yaml_error_lists_the_principals_that_lose_access()
    {
        var finding = Assert.Single(Lint("mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/node\n    username: system:node:{{EC2PrivateDNSName}}\n  - rolearn: arn:aws:iam::111122223333:role/ops\n     username: x\n").Findings, f => f.Rule == "yaml-invalid");
        Assert.Contains("Principals that lose access: arn:aws:iam::111122223333:role/node, arn:aws:iam::111122223333:role/ops (1 node or Fargate role: nodes go NotReady)", finding.Message, StringComparison.Ordinal);
        Assert.Equal(5, finding.Location!.Line);
    }

    [Fact]
    public void Spec_path_is_a_warning_because_generate_corrects_it()
    {
        var finding = Assert.Single(Lint("spec:nodeRoles: [arn:aws:iam::111122223333:role/a/node]").Findings, f => f.Rule == "arn-role-path");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("arn:aws:iam::111122223333:role/node", finding.Fix);
    }
}
