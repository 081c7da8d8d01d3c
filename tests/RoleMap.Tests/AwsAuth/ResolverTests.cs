using RoleMap.AwsAuth;

namespace RoleMap.Tests.AwsAuth;

public class ResolverTests
{
    private static readonly AwsAuthData Data = new(
        [
            new MapEntry("arn:aws:iam::0123456789012:role/TestNodeRole", "system:node:{{EC2PrivateDNSName}}", ["system:nodes", "system:bootstrappers"]),
            new MapEntry("arn:aws:iam::0123456789012:role/Test", "TestUser", ["sys:admin", "listers"]),
            new MapEntry("arn:aws:iam::123456789012:role/Dev", "dev:{{SessionName}}", ["dev-{{AccountID}}"]),
            new MapEntry("arn:aws:iam::123456789012:role/Keys", "k-{{AccessKeyID}}-{{SessionNameRaw}}-{{UserID}}", []),
            new MapEntry("arn:aws:iam::123456789012:role/dup", "first", ["a"]),
            new MapEntry("arn:aws:iam::123456789012:role/DUP", "second", ["b"]),
        ],
        [
            new MapEntry("arn:aws:iam::123456789012:user/Alice", "alice", ["g"]),
            new MapEntry("arn:aws:iam::123456789012:user/Bob", "bob-upper", []),
            new MapEntry("arn:aws:iam::123456789012:user/bob", "bob-lower", []),
            new MapEntry("arn:aws:iam::123456789012:role/UnderUsers", "works", []),
        ],
        ["0123456789012", "999999999999"]);

    private static ResolveResult Resolve(string arn, CallerFacts? facts = null) => new Resolver(Data).Resolve(arn, facts);

    [Fact]
    public void Node_mapping_renders_the_private_dns_name() // TestAuthenticateVerifierNodeMapping
    {
        var result = Resolve("arn:aws:sts::0123456789012:assumed-role/TestNodeRole/i-0c6f21bf1f24f9708", new CallerFacts(Ec2PrivateDnsName: "ip-172-31-27-14"));
        Assert.Equal("system:node:ip-172-31-27-14", result.Mapping!.Username);
        Assert.Equal(["system:nodes", "system:bootstrappers"], result.Mapping.Groups);
    }

    [Fact]
    public void Node_mapping_rejects_a_session_that_is_not_an_instance() // TestRenderTemplate with i-aaaaa
    {
        var result = Resolve("arn:aws:sts::0123456789012:assumed-role/TestNodeRole/i-aaaaa");
        Assert.False(result.IsMapped);
        Assert.Contains("SessionName did not contain an instance id", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Role_mapping() // TestAuthenticateVerifierRoleMapping
    {
        var result = Resolve("arn:aws:sts::0123456789012:assumed-role/Test/session");
        Assert.Equal("TestUser", result.Mapping!.Username);
        Assert.Equal(["sys:admin", "listers"], result.Mapping.Groups);
        Assert.Equal(MatchSource.MapRoles, result.Mapping.MatchedBy);
    }

    [Theory]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Dev/jdoe", "dev:jdoe")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Dev/jdoe@example.com", "dev:jdoe-example.com")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/dev/x", "dev:x")] // ARN matching ignores case
    public void Session_name_templates(string arn, string username)
    {
        var result = Resolve(arn);
        Assert.Equal(username, result.Mapping!.Username);
        Assert.Equal(["dev-123456789012"], result.Mapping.Groups);
    }

    [Fact]
    public void Raw_session_access_key_and_unknown_placeholders()
    {
        var result = Resolve("arn:aws:sts::123456789012:assumed-role/Keys/jdoe@example.com", new CallerFacts(AccessKeyId: "ASIABCDEFGHIJKLMNOPQ"));
        Assert.Equal("k-ASIABCDEFGHIJKLMNOPQ-jdoe@example.com-{{UserID}}", result.Mapping!.Username);
        Assert.Contains(result.Notes, n => n.StartsWith("{{UserID}} is not a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_values_stay_literal_with_a_note()
    {
        var result = Resolve("arn:aws:sts::123456789012:assumed-role/Keys/s");
        Assert.StartsWith("k-{{AccessKeyID}}-s-", result.Mapping!.Username, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("--access-key-id", StringComparison.Ordinal));
    }

    [Fact]
    public void Last_duplicate_role_wins_without_merging()
    {
        var result = Resolve("arn:aws:sts::123456789012:assumed-role/Dup/s");
        Assert.Equal("second", result.Mapping!.Username);
        Assert.Equal(["b"], result.Mapping.Groups);
        Assert.Contains(result.Notes, n => n.Contains("only the last one", StringComparison.Ordinal));
    }

    [Fact]
    public void Users_that_differ_only_in_case_are_ambiguous()
    {
        var result = Resolve("arn:aws:iam::123456789012:user/BOB");
        Assert.True(result.IsMapped);
        Assert.Contains(result.Notes, n => n.Contains("at random", StringComparison.Ordinal));
    }

    [Fact]
    public void A_role_under_map_users_still_matches()
    {
        var result = Resolve("arn:aws:sts::123456789012:assumed-role/UnderUsers/s");
        Assert.Equal(MatchSource.MapUsers, result.Mapping!.MatchedBy);
    }

    [Fact]
    public void Map_accounts_fallback_uses_the_canonical_arn_and_no_groups() // TestAuthenticateVerifierAccountMappingForRole
    {
        var result = Resolve("arn:aws:sts::0123456789012:assumed-role/Other/extra");
        Assert.Equal("arn:aws:iam::0123456789012:role/Other", result.Mapping!.Username);
        Assert.Empty(result.Mapping.Groups);
        Assert.Equal(MatchSource.MapAccounts, result.Mapping.MatchedBy);
    }

    [Fact]
    public void Map_accounts_for_a_user() // TestAuthenticateVerifierAccountMappingForUser
    {
        var result = Resolve("arn:aws:iam::0123456789012:user/Test");
        Assert.Equal("arn:aws:iam::0123456789012:user/Test", result.Mapping!.Username);
    }

    [Fact]
    public void Explicit_mappings_win_over_accounts() =>
        Assert.Equal(MatchSource.MapRoles, Resolve("arn:aws:sts::0123456789012:assumed-role/Test/s").Mapping!.MatchedBy);

    [Fact]
    public void Not_mapped()
    {
        var result = Resolve("arn:aws:sts::111111111111:assumed-role/Nope/s");
        Assert.False(result.IsMapped);
        Assert.Null(result.Failure);
    }

    [Fact]
    public void A_path_in_aws_auth_never_matches_an_assumed_role()
    {
        var data = new AwsAuthData([new MapEntry("arn:aws:iam::123456789012:role/team/Admin", "admin", ["system:masters"])], [], []);
        Assert.False(new Resolver(data).Resolve("arn:aws:sts::123456789012:assumed-role/Admin/s").IsMapped);
    }

    [Fact]
    public void An_assumed_role_arn_in_aws_auth_never_matches()
    {
        var data = new AwsAuthData([new MapEntry("arn:aws:sts::123456789012:assumed-role/Admin/s", "admin", ["system:masters"])], [], []);
        Assert.False(new Resolver(data).Resolve("arn:aws:sts::123456789012:assumed-role/Admin/s").IsMapped);
    }

    [Fact]
    public void Invalid_caller_arn_reports_the_authenticator_error()
    {
        var result = Resolve("arn:aws:s3:::bucket");
        Assert.False(result.Canonical.IsValid);
        Assert.Contains("not a valid service for identities", result.Failure, StringComparison.Ordinal);
    }
}
