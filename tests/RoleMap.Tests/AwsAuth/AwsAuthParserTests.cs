using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.AwsAuth;

/// <summary>The authenticator's configmap_test.go fixtures (re-written here) and its parsing rules.</summary>
public class AwsAuthParserTests
{
    private const string NodeRole = "arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6";

    private static AwsAuthDocument Load(string name) =>
        AwsAuthParser.Parse(File.ReadAllText(Repo.TestData("aws-auth", name)), name);

    [Theory]
    [InlineData("valid.yaml")]
    [InlineData("crazy-case-keys.yaml")] // field names are case-insensitive
    [InlineData("open-source-case-keys.yaml")] // roleARN / userARN
    public void Valid_fixtures_give_the_node_role_admin_user_and_account(string name)
    {
        var data = Load(name).Effective;
        var role = Assert.Single(data.Roles);
        Assert.Equal(NodeRole, role.Arn);
        Assert.Equal("system:node:{{EC2PrivateDNSName}}", role.Username);
        Assert.Equal(["system:bootstrappers", "system:nodes"], role.Groups);
        var user = Assert.Single(data.Users);
        Assert.Equal("arn:aws:iam::555555555555:user/admin", user.Arn);
        Assert.Equal(["system:masters"], user.Groups);
        Assert.Equal(["555555555555"], data.Accounts);
    }

    [Theory]
    [InlineData("lower-case-top-keys.yaml")]
    [InlineData("crazy-case-top-keys.yaml")]
    public void Top_level_keys_are_case_sensitive_and_silently_ignored(string name)
    {
        var document = Load(name);
        Assert.Empty(document.Effective.Roles);
        Assert.Empty(document.Effective.Users);
        Assert.Empty(document.Effective.Accounts);
        Assert.Empty(document.Diagnostics);
        Assert.Equal(3, document.Data.Count); // kept for rewriting
    }

    [Fact]
    public void A_space_out_of_place_merges_two_groups_into_one()
    {
        var role = Assert.Single(Load("space-out-of-place.yaml").Effective.Roles);
        Assert.Equal(["system:bootstrappers - system:nodes"], role.Groups);
    }

    [Fact]
    public void A_missing_bar_is_not_a_valid_configmap()
    {
        var document = Load("missing-bar.yaml");
        Assert.Contains(document.Diagnostics, d => d.Rule == "data-not-string" && d.Location!.Line == 7);
        Assert.Empty(document.Effective.Roles);
    }

    [Fact]
    public void Kubectl_json_output_is_read_with_metadata()
    {
        var document = Load("kubectl-get.json");
        Assert.Equal("4242", document.Metadata!.ResourceVersion);
        Assert.Equal(2, document.Effective.Roles.Count);
        Assert.Equal(["dev"], document.Effective.Users[0].Groups);
        Assert.Empty(document.Diagnostics);
    }

    [Fact]
    public void Unquoted_template_at_the_start_drops_the_whole_key()
    {
        var document = Load("unquoted-session-name.yaml");
        Assert.True(document.MapRoles.Dropped);
        Assert.Empty(document.Effective.Roles); // the node role goes too
        Assert.Single(document.Effective.Users); // other keys are unaffected
        var diagnostic = Assert.Single(document.Diagnostics);
        Assert.Equal("yaml-invalid", diagnostic.Rule);
        Assert.Equal(14, diagnostic.Location!.Line);
        Assert.Contains("quote it", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_errors_keep_the_entry_with_the_field_empty()
    {
        var document = Load("quirks.yaml");
        var roles = document.MapRoles.Entries;
        Assert.Empty(roles[1].Entry.Groups); // groups: system:masters (a scalar)
        Assert.True(roles[1].IsValid);
        Assert.Null(roles[2].Entry.Username); // username: 123456789012 (a number)
        Assert.Equal(["a", string.Empty, "b"], roles[2].Entry.Groups); // yes is a boolean
        Assert.Contains(document.Diagnostics, d => d.Rule == "groups-not-list" && d.Message.StartsWith("groups is a string", StringComparison.Ordinal));
    }

    [Fact]
    public void Entries_without_an_arn_are_dropped_one_by_one()
    {
        var document = Load("quirks.yaml");
        Assert.False(document.MapRoles.Entries[3].IsValid); // role_arn typo
        Assert.False(document.MapRoles.Entries[5].IsValid); // a string, not a mapping
        Assert.Equal(4, document.Effective.Roles.Count);
        Assert.Contains(document.Diagnostics, d => d.Rule == "entry-invalid" && d.Fix == "rename 'role_arn' to 'rolearn'");
        Assert.Equal(2, document.Effective.Users.Count);
        Assert.False(document.MapUsers.Entries[2].IsValid);
    }

    [Fact]
    public void Unknown_fields_and_keys_are_kept()
    {
        var document = Load("quirks.yaml");
        var admins = document.MapRoles.Entries[4].Entry;
        Assert.Equal(["userid", "sso_note"], admins.ExtraFields.Select(f => f.Key).OrderByDescending(k => k == "userid"));
        Assert.Contains(document.Data, d => d.Key == "somethingElse" && d.Value == "kept as is");
    }

    [Fact]
    public void Accounts_keep_unquoted_numbers_as_written()
    {
        var accounts = Load("quirks.yaml").MapAccounts.Accounts;
        Assert.Equal(["222233334444", "333344445555"], accounts.Select(a => a.Account));
        Assert.False(accounts[0].Quoted);
        Assert.True(accounts[1].Quoted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("``")]
    [InlineData("\"\"")]
    [InlineData(" '' ")]
    public void Skippable_values_count_as_absent(string value)
    {
        var document = AwsAuthParser.ParseData([new("mapRoles", value)], null, "test");
        Assert.True(document.MapRoles.Skippable);
        Assert.Empty(document.Diagnostics);
    }

    [Fact]
    public void Later_case_variant_of_a_field_wins_in_byte_order()
    {
        // Go's json.Marshal sorts map keys by bytes ("RoleArn" < "rolearn"), so lower-case rolearn decodes last.
        var document = AwsAuthParser.ParseData([new("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/b\n  RoleArn: arn:aws:iam::111122223333:role/a\n")], null, "test");
        Assert.Equal("arn:aws:iam::111122223333:role/b", document.Effective.Roles[0].Arn);
    }

    [Fact]
    public void Go_json_folds_long_s_in_field_names()
    {
        var document = AwsAuthParser.ParseData([new("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/b\n  uſername: x\n  groupſ: [g]\n")], null, "test");
        Assert.Equal("x", document.Effective.Roles[0].Username);
        Assert.Equal(["g"], document.Effective.Roles[0].Groups);
    }

    [Fact]
    public void Json_strings_as_written_by_cdk_are_read()
    {
        var document = AwsAuthParser.ParseData([new("mapUsers", "[{\"userarn\":\"arn:aws:iam::111122223333:user/a\",\"username\":\"a\",\"groups\":[\"g\"]}]")], null, "test");
        Assert.Equal("a", Assert.Single(document.Effective.Users).Username);
    }

    [Fact]
    public void Sso_entries_are_validated_like_the_authenticator()
    {
        string Role(string sso) => "- sso:\n" + sso + "  username: u\n";
        AwsAuthDocument Parse(string text) => AwsAuthParser.ParseData([new("mapRoles", text)], null, "test");

        Assert.True(Parse(Role("    permissionSetName: ViewOnlyAccess\n    accountID: \"012345678912\"\n")).MapRoles.Entries[0].IsValid);
        Assert.Equal("partition 'aws-nk' is not a valid AWS partition", Parse(Role("    permissionSetName: ViewOnlyAccess\n    accountID: \"012345678912\"\n    partition: aws-nk\n")).MapRoles.Entries[0].InvalidReason);
        Assert.Equal("AccountID '0123456789' is not a valid AWS Account ID", Parse(Role("    permissionSetName: ViewOnlyAccess\n    accountID: \"0123456789\"\n")).MapRoles.Entries[0].InvalidReason);
        Assert.Equal("PermissionSetName 'ViewOnlyAccess*' is not a valid AWS SSO PermissionSet Name", Parse(Role("    permissionSetName: ViewOnlyAccess*\n    accountID: \"012345678912\"\n")).MapRoles.Entries[0].InvalidReason);
        Assert.Equal("only one of rolearn or SSO can be supplied", Parse("- rolearn: arn:aws:iam::1:role/x\n  sso:\n    permissionSetName: A\n    accountID: \"012345678912\"\n").MapRoles.Entries[0].InvalidReason);
        Assert.Equal("one of rolearn or SSO must be supplied", Parse("- username: u\n").MapRoles.Entries[0].InvalidReason);
    }

    [Fact]
    public void Not_a_configmap_is_bad_input()
    {
        var ex = Assert.Throws<RoleMap.Diagnostics.InputException>(() => AwsAuthParser.Parse("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n", "x.yaml"));
        Assert.Contains("kind 'Secret'", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("x.yaml:1:1:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_from_kubectl_is_searched_for_aws_auth()
    {
        var text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: other, namespace: kube-system}\n  data: {}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: aws-auth, namespace: kube-system}\n  data:\n    mapUsers: |\n      - userarn: arn:aws:iam::111122223333:user/a\n        username: a\n";
        Assert.Single(AwsAuthParser.Parse(text, "list.yaml").Effective.Users);
    }

    [Fact]
    public void A_yaml_error_line_is_mapped_to_the_file()
    {
        var document = Load("unquoted-session-name.yaml");
        Assert.Equal("unquoted-session-name.yaml", document.Diagnostics[0].Location!.File);
    }
}
