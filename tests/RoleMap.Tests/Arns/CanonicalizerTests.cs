using RoleMap.Arns;

namespace RoleMap.Tests.Arns;

/// <summary>aws-iam-authenticator pkg/arn/arn_test.go arnTests and arnStripTests, value for value, plus vectors derived from its algorithm.</summary>
public class CanonicalizerTests
{
    [Theory]
    // arnTests
    [InlineData("NOT AN ARN", null)]
    [InlineData("arn:aws:iam::123456789012:user/Alice", "arn:aws:iam::123456789012:user/Alice")]
    [InlineData("arn:aws:iam::123456789012:role/Users", "arn:aws:iam::123456789012:role/Users")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin/Session", "arn:aws:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:sts::123456789012:federated-user/Bob", "arn:aws:sts::123456789012:federated-user/Bob")]
    [InlineData("arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Org/Team/Admin/Session", "arn:aws:iam::123456789012:role/Org/Team/Admin")]
    [InlineData("arn:aws-iso:iam::123456789012:user/Chris", "arn:aws-iso:iam::123456789012:user/Chris")]
    [InlineData("arn:aws-iso-b:iam::123456789012:user/Chris", "arn:aws-iso-b:iam::123456789012:user/Chris")]
    // derived from the algorithm
    [InlineData("arn:aws-cn:sts::123456789012:assumed-role/Admin/s1", "arn:aws-cn:iam::123456789012:role/Admin")]
    [InlineData("arn:aws-us-gov:sts::123456789012:assumed-role/Admin/s1", "arn:aws-us-gov:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane@example.com", "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/NodeRole/i-0123456789abcdef0", "arn:aws:iam::123456789012:role/NodeRole")]
    [InlineData("arn:aws-eusc:sts::123456789012:assumed-role/R/s", "arn:aws-eusc:iam::123456789012:role/R")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin", null)]
    [InlineData("arn:aws:iam::123456789012:group/Devs", null)]
    [InlineData("arn:aws:s3:::bucket", null)]
    [InlineData("arn:aws-xx:iam::123456789012:user/x", null)]
    [InlineData("arn:aws:iam:000000000000:role/some-role", null)]
    public void Canonicalize_matches_the_authenticator(string input, string? expected)
    {
        var result = Canonicalizer.Canonicalize(input);
        if (expected is null)
        {
            Assert.False(result.IsValid);
            Assert.Equal(string.Empty, result.Canonical);
        }
        else
        {
            Assert.True(result.IsValid, result.Error);
            Assert.Equal(expected, result.Canonical);
        }
    }

    [Theory]
    [InlineData("NOT AN ARN", "arn 'NOT AN ARN' is invalid: 'arn: invalid prefix'")]
    [InlineData("arn:aws:iam:000000000000:role/some-role", "arn 'arn:aws:iam:000000000000:role/some-role' is invalid: 'arn: not enough sections'")]
    [InlineData("arn:aws-xx:iam::123456789012:user/x", "arn 'arn:aws-xx:iam::123456789012:user/x' does not have a recognized partition")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin", "assumed-role arn 'arn:aws:sts::123456789012:assumed-role/Admin' does not have a role")]
    [InlineData("arn:aws:iam::123456789012:group/Devs", "unrecognized resource group/Devs for service iam")]
    [InlineData("arn:aws:sts::123456789012:session/x", "unrecognized resource session/x for service sts")]
    [InlineData("arn:aws:s3:::bucket", "service s3 in arn arn:aws:s3:::bucket is not a valid service for identities")]
    public void Errors_use_the_authenticators_words(string input, string error) =>
        Assert.Equal(error, Canonicalizer.Canonicalize(input).Error);

    [Theory]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin/Session", PrincipalType.AssumedRole)]
    [InlineData("arn:aws:iam::123456789012:role/Admin", PrincipalType.Role)]
    [InlineData("arn:aws:iam::123456789012:user/Admin", PrincipalType.User)]
    [InlineData("arn:aws:iam::123456789012:root", PrincipalType.Root)]
    [InlineData("arn:aws:sts::123456789012:federated-user/Bob", PrincipalType.FederatedUser)]
    public void Principal_types(string input, PrincipalType type) => Assert.Equal(type, Canonicalizer.Canonicalize(input).Type);

    [Fact]
    public void Case_is_not_changed() =>
        Assert.Equal("arn:aws:iam::123456789012:role/MyRole", Canonicalizer.Canonicalize("arn:aws:sts::123456789012:assumed-role/MyRole/SeSsIoN").Canonical);

    [Theory]
    // arnStripTests
    [InlineData("NOT AN ARN", null)]
    [InlineData("arn:aws:iam::123456789012:role/Org/Team/Admin", "arn:aws:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:iam::123456789012:user/Alice", "arn:aws:iam::123456789012:user/Alice")]
    [InlineData("arn:aws:sts::123456789012:federated-user/Bob", "arn:aws:sts::123456789012:federated-user/Bob")]
    // derived: an Identity Center role with its real path
    [InlineData("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef", "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef")]
    [InlineData("arn:nope:iam::123456789012:role/a/b", null)]
    public void StripPath_matches_the_authenticator(string input, string? expected)
    {
        var stripped = Canonicalizer.StripPath(input, out var error);
        Assert.Equal(expected, stripped);
        Assert.Equal(expected is null, error is not null);
    }

    [Fact]
    public void Every_known_partition_is_accepted()
    {
        foreach (var partition in new[] { "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc" })
        {
            Assert.True(Canonicalizer.Canonicalize("arn:" + partition + ":iam::123456789012:user/u").IsValid, partition);
        }

        Assert.Equal(8, Partitions.Known.Count);
    }
}
