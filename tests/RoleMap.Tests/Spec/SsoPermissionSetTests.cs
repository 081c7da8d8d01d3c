using RoleMap.AccessEntries;
using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.Tests.TestSupport;
using RoleMap.UseCases;

namespace RoleMap.Tests.Spec;

/// <summary>
/// ssoPermissionSets: IAM Identity Center roles found by permission set name in IAM data, written path-less into
/// aws-auth and with their full path into access entries (EKS access-entry docs, IAM Identity Center's role naming).
/// </summary>
public class SsoPermissionSetTests
{
    private const string Admin = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef";
    private const string AdminUsEast1 = "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_aaaabbbbccccdddd";
    private const string Lookalike = "arn:aws:iam::111122223333:role/AWSReservedSSO_AdministratorAccess_0000000000000000";
    private const string OtherSet = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccessPlus_1111";

    private static SpecCompilation Compile(string spec, params string[] roles) =>
        SpecUseCase.Compile(spec, "spec.yaml", lint: false, roles.Length == 0 ? null : IamDirectory.Parse("[" + string.Join(",", roles.Select(r => "\"" + r + "\"")) + "]", "iam.json"));

    [Fact]
    public void Every_role_of_the_set_is_mapped_without_its_path_and_without_a_path_warning()
    {
        var result = Compile("ssoPermissionSets:\n  AdministratorAccess: [system:masters]\n", Admin, AdminUsEast1, Lookalike, OtherSet);
        Assert.False(result.Refused);
        Assert.Empty(result.Warnings);
        Assert.Equal(
            ["arn:aws:iam::111122223333:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef", "arn:aws:iam::444455556666:role/AWSReservedSSO_AdministratorAccess_aaaabbbbccccdddd"],
            result.Spec.Data.Roles.Select(r => r.Arn).Order(StringComparer.Ordinal));
        Assert.All(result.Spec.Data.Roles, r => Assert.Equal(["system:masters"], r.Groups));
        // The full path survives for access entries.
        Assert.Contains(result.Spec.Roles, r => r.OriginalArn == Admin);
    }

    [Fact]
    public void Accounts_limit_the_roles_and_the_username_applies()
    {
        var result = Compile("ssoPermissionSets:\n  AdministratorAccess:\n    groups: [admins]\n    username: 'admin:{{SessionName}}'\n    accounts: ['444455556666']\n", Admin, AdminUsEast1);
        var role = Assert.Single(result.Spec.Data.Roles);
        Assert.Equal("arn:aws:iam::444455556666:role/AWSReservedSSO_AdministratorAccess_aaaabbbbccccdddd", role.Arn);
        Assert.Equal("admin:{{SessionName}}", role.Username);
    }

    [Fact]
    public void The_name_is_matched_ignoring_case_as_the_authenticators_sso_matcher_does()
    {
        var result = Compile("ssoPermissionSets:\n  administratoraccess: [admins]\n", Admin);
        Assert.Single(result.Spec.Data.Roles);
    }

    [Fact]
    public void Without_iam_data_the_spec_is_refused()
    {
        var result = Compile("ssoPermissionSets:\n  AdministratorAccess: [system:masters]\n");
        Assert.True(result.Refused);
        var error = Assert.Single(result.Errors);
        Assert.Equal("sso-permission-set-no-data", error.Rule);
        Assert.Contains("--iam-arns", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_with_no_role_in_the_data_is_a_warning()
    {
        var result = Compile("ssoPermissionSets:\n  BillingOnly: [billing]\n", Admin);
        Assert.False(result.Refused);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("sso-permission-set-no-role", warning.Rule);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(2, warning.Location!.Line);
    }

    [Theory]
    [InlineData("ssoPermissionSets:\n  'has space': [a]\n", "is not a permission set name")]
    [InlineData("ssoPermissionSets:\n  Admin:\n    group: [a]\n", "group")]
    [InlineData("ssoPermissionSets: [Admin]\n", "ssoPermissionSets")]
    public void Bad_permission_sets_are_input_errors(string spec, string message)
    {
        var error = Assert.Throws<InputException>(() => Compile(spec, Admin));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_writes_them_and_access_entries_plan_keeps_the_path()
    {
        var generate = TestSupport.Cli.Run("generate", "examples/eks-access/sso-spec.yaml", "--iam-arns", "examples/eks-access/iam-roles.json", "--data-only");
        Assert.Equal(0, generate.ExitCode);
        Assert.Contains("rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_ReadOnly_fedcba9876543210", generate.Stdout, StringComparison.Ordinal);
        Assert.Contains("sso-permission-set-no-role", generate.Stderr, StringComparison.Ordinal);
        var refused = TestSupport.Cli.Run("generate", "examples/eks-access/sso-spec.yaml");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(string.Empty, refused.Stdout);
        var lint = TestSupport.Cli.Run("lint", "examples/eks-access/sso-spec.yaml", "--iam-arns", "examples/eks-access/iam-roles.json", "-o", "json");
        Assert.Equal(0, lint.ExitCode);
        Assert.Contains("sso-permission-set-no-role", lint.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sso-permission-set-no-data", lint.Stdout, StringComparison.Ordinal);
        var lintWithoutData = TestSupport.Cli.Run("lint", "examples/eks-access/sso-spec.yaml");
        Assert.Equal(1, lintWithoutData.ExitCode);
        Assert.Contains("sso-permission-set-no-data", lintWithoutData.Stdout, StringComparison.Ordinal);
        var plan = TestSupport.Cli.Run("access-entries", "plan", "examples/eks-access/sso-spec.yaml", "--iam-arns", "examples/eks-access/iam-roles.json");
        Assert.Contains("STANDARD arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_fedcba9876543210", plan.Stdout, StringComparison.Ordinal);
    }
}
