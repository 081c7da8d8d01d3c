using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Spec;

namespace RoleMap.Tests.Spec;

public class SpecTests
{
    private static CompiledSpec Compile(string yaml) => SpecCompiler.Compile(SpecLoader.Load(yaml, "spec.yaml"));

    [Fact]
    public void Legacy_and_native_vocabularies_give_the_same_result()
    {
        var legacy = Compile("""
            eks_worker_iam_role_arns: ["arn:aws:iam::111122223333:role/node"]
            eks_fargate_profile_executor_iam_role_arns: ["arn:aws:iam::111122223333:role/fargate"]
            iam_role_to_rbac_group_mappings:
              "arn:aws:iam::111122223333:role/ops": ["system:masters"]
            iam_user_to_rbac_group_mappings:
              "arn:aws:iam::111122223333:user/alice": ["dev"]
            config_map_labels: {team: platform}
            """);
        var native = Compile("""
            nodeRoles: ["arn:aws:iam::111122223333:role/node"]
            fargateRoles: ["arn:aws:iam::111122223333:role/fargate"]
            roles:
              - arn: arn:aws:iam::111122223333:role/ops
                groups: ["system:masters"]
            users:
              - userarn: arn:aws:iam::111122223333:user/alice
                groups: [dev]
            labels: {team: platform}
            """);
        Assert.Equal(AwsAuthRenderer.RenderData(legacy.Data, RenderStyle.Plain), AwsAuthRenderer.RenderData(native.Data, RenderStyle.Plain));
        Assert.Equal(legacy.Labels, native.Labels);
    }

    [Fact]
    public void The_older_single_worker_arn_is_accepted_and_empty_means_none()
    {
        Assert.Single(Compile("eks_worker_iam_role_arn: arn:aws:iam::111122223333:role/node").Data.Roles);
        Assert.Empty(Compile("eks_worker_iam_role_arn: \"\"").Data.Roles);
    }

    [Fact]
    public void Standard_principals_get_the_entries_eks_expects()
    {
        var data = Compile("""
            fargateRoles: [arn:aws:iam::111122223333:role/f]
            hybridNodeRoles: [arn:aws:iam::111122223333:role/h]
            windowsNodeRoles: [arn:aws:iam::111122223333:role/w]
            nodeRoles: [arn:aws:iam::111122223333:role/n]
            """).Data.Roles;
        Assert.Equal(["role/n", "role/w", "role/h", "role/f"], data.Select(r => r.Arn![(r.Arn!.IndexOf("role/", StringComparison.Ordinal))..]));
        Assert.Equal("system:node:{{EC2PrivateDNSName}}", data[0].Username);
        Assert.Equal(["system:bootstrappers", "system:nodes"], data[0].Groups);
        Assert.Equal(["system:bootstrappers", "system:nodes", "eks:kube-proxy-windows"], data[1].Groups);
        Assert.Equal("system:node:{{SessionName}}", data[2].Username);
        Assert.Equal(["system:bootstrappers", "system:nodes"], data[2].Groups);
        Assert.Equal("system:node:{{SessionName}}", data[3].Username);
        Assert.Equal(["system:bootstrappers", "system:nodes", "system:node-proxier"], data[3].Groups);
    }

    [Fact]
    public void Custom_roles_are_sorted_by_arn_after_node_and_fargate_roles()
    {
        var roles = Compile("""
            roles:
              - {arn: "arn:aws:iam::111122223333:role/zeta", groups: [z]}
              - {arn: "arn:aws:iam::111122223333:role/Alpha", groups: [a]}
              - {arn: "arn:aws:iam::111122223333:role/beta", groups: [b]}
            fargateRoles: [arn:aws:iam::111122223333:role/f]
            """).Data.Roles;
        Assert.Equal(["f", "Alpha", "beta", "zeta"], roles.Select(r => r.Arn!.Split('/')[^1]));
    }

    [Fact]
    public void Default_username_is_the_name_and_explicit_wins()
    {
        var compiled = Compile("""
            roles:
              - {arn: "arn:aws:iam::111122223333:role/team/Ops", groups: [a]}
              - {arn: "arn:aws:iam::111122223333:role/Dev", username: "dev:{{SessionName}}"}
            users:
              - {arn: "arn:aws:iam::111122223333:user/path/Alice"}
            """);
        Assert.Equal("dev:{{SessionName}}", compiled.Data.Roles[0].Username);
        Assert.Equal("Ops", compiled.Data.Roles[1].Username);
        Assert.Equal("Alice", compiled.Data.Users[0].Username);
        Assert.Equal("arn:aws:iam::111122223333:user/path/Alice", compiled.Data.Users[0].Arn); // user paths are kept
    }

    [Fact]
    public void Role_paths_are_stripped_with_a_warning_naming_both_arns()
    {
        var compiled = Compile("roles: [{arn: \"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef\", groups: [admins]}]");
        Assert.Equal("arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef", compiled.Data.Roles[0].Arn);
        var warning = Assert.Single(compiled.Diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("arn-role-path", warning.Rule);
        Assert.Contains("role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Writing 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef'", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, warning.Location!.Line);
    }

    [Fact]
    public void Assumed_role_arns_become_role_arns_with_a_warning()
    {
        var compiled = Compile("iam_role_to_rbac_group_mappings: {\"arn:aws:sts::111122223333:assumed-role/Admin/jane\": [admins]}");
        Assert.Equal("arn:aws:iam::111122223333:role/Admin", compiled.Data.Roles[0].Arn);
        Assert.Equal("Admin", compiled.Data.Roles[0].Username);
        Assert.Equal("arn-assumed-role", Assert.Single(compiled.Diagnostics).Rule);
    }

    [Theory]
    [InlineData("roles: [{arn: \"arn:aws:iam::111122223333:user/a\", groups: [x]}]", "arn-wrong-list")]
    [InlineData("users: [{arn: \"arn:aws:iam::111122223333:role/a\", groups: [x]}]", "arn-wrong-list")]
    [InlineData("nodeRoles: [\"arn:aws:iam::1111222233:role/n\"]", "arn-account")]
    [InlineData("nodeRoles: [\"arn:aws:iam:us-east-1:111122223333:role/n\"]", "arn-region")]
    [InlineData("nodeRoles: [\"arn:aws-xx:iam::111122223333:role/n\"]", "arn-partition")]
    [InlineData("nodeRoles: [\"role/n\"]", "arn-malformed")]
    [InlineData("nodeRoles: [\"arn:aws:iam::111122223333:role/n\"]\nfargateRoles: [\"arn:aws:iam::111122223333:role/N\"]", "node-fargate-shared-role")]
    [InlineData("roles: [{arn: \"arn:aws:iam::111122223333:role/a\"}, {arn: \"arn:aws:iam::111122223333:role/x/A\"}]", "duplicate-arn")]
    [InlineData("users: [{arn: \"arn:aws:iam::111122223333:user/a\"}, {arn: \"arn:aws:iam::111122223333:user/A\"}]", "duplicate-arn")]
    [InlineData("accounts: [\"12345\"]", "account-invalid")]
    [InlineData("labels: {\"bad key!\": x}", "label-invalid")]
    [InlineData("roles: [{arn: \"arn:aws:iam::111122223333:role/a\", groups: [\"\"]}]", "group-empty")]
    public void Refuses_what_would_not_work(string yaml, string rule)
    {
        var compiled = Compile(yaml);
        Assert.True(compiled.HasErrors);
        Assert.Contains(compiled.Diagnostics, d => d.Rule == rule && d.Severity == Severity.Error);
    }

    [Theory]
    [InlineData("nodeRole: []", "spec.yaml:1:1: nodeRole: unknown spec key 'nodeRole'; did you mean 'nodeRoles'?")]
    [InlineData("roles:\n  - arn: arn:aws:iam::111122223333:role/a\n    groups: admins\n", "spec.yaml:3:13: roles[0].groups: expected a list of group names, found a string")]
    [InlineData("roles:\n  - arn: arn:aws:iam::111122223333:role/a\n    group: [x]\n", "spec.yaml:3:5: roles[0].group: unknown field 'group'; did you mean 'groups'?")]
    [InlineData("roles:\n  - groups: [x]\n", "spec.yaml:2:5: roles[0].arn: missing 'arn' (the IAM role ARN to map)")]
    [InlineData("iam_role_to_rbac_group_mappings: [a]", "spec.yaml:1:34: iam_role_to_rbac_group_mappings: expected a mapping of IAM ARN to a list of RBAC groups, found a list")]
    [InlineData("roles: [{arn: x, username: \"\"}]", "spec.yaml:1:28: roles[0].username: username is empty; leave it out to use the principal's name, or give one")]
    [InlineData("- a", "spec.yaml:1:1: (top level): expected a mapping of spec keys (nodeRoles, roles, users, ... or eks_worker_iam_role_arns, iam_role_to_rbac_group_mappings, ...), found a list")]
    public void Bad_specs_get_one_clear_message(string yaml, string message)
    {
        var ex = Assert.Throws<InputException>(() => SpecLoader.Load(yaml, "spec.yaml"));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Yaml_syntax_errors_name_the_position()
    {
        var ex = Assert.Throws<InputException>(() => SpecLoader.Load("roles: [", "spec.yaml"));
        Assert.StartsWith("spec.yaml:2:1: invalid YAML: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did not find expected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accounts_are_deduplicated()
    {
        var compiled = Compile("accounts: [\"111122223333\", 111122223333]");
        Assert.Equal(["111122223333"], compiled.Data.Accounts);
        Assert.Equal("duplicate-account", Assert.Single(compiled.Diagnostics).Rule);
    }
}
