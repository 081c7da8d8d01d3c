using RoleMap.AwsAuth;

namespace RoleMap.Tests.AwsAuth;

/// <summary>aws-iam-authenticator pkg/server TestRenderTemplate.</summary>
public class TemplatesTests
{
    [Theory]
    [InlineData("a-{{AccountID}}-b", "123", null, null, "a-123-b")]
    [InlineData("a-{{AccessKeyID}}-b", null, null, "321", "a-321-b")]
    [InlineData("a-{{SessionName}}-b", null, "jdoe", null, "a-jdoe-b")]
    [InlineData("a-{{SessionName}}-b", null, "jdoe@example.com", null, "a-jdoe-example.com-b")]
    [InlineData("a-{{SessionNameRaw}}-b", null, "jdoe@example.com", null, "a-jdoe@example.com-b")]
    [InlineData("a-{{AccountID}}-{{SessionName}}-{{SessionNameRaw}}-b", "123", "jdoe@example.com", null, "a-123-jdoe-example.com-jdoe@example.com-b")]
    public void Renders(string template, string? account, string? session, string? key, string expected) =>
        Assert.Equal(expected, Templates.Render(template, new TemplateValues(account, session, key, null)).Text);

    [Fact]
    public void Ec2_private_dns_name_needs_an_instance_session() =>
        Assert.Equal("SessionName did not contain an instance id", Templates.Render("a-{{EC2PrivateDNSName}}-b", new TemplateValues("1", "i-aaaaa", null, "ip-172-31-27-14")).Failure);

    [Theory]
    [InlineData("i-0c6f21bf1f24f9708", true)]
    [InlineData("i-0c6f21bf", true)]
    [InlineData("i-aaaaa", false)]
    [InlineData("jdoe", false)]
    public void Instance_ids(string session, bool expected) => Assert.Equal(expected, Templates.IsInstanceId(session));

    [Fact]
    public void Unknown_placeholders_are_listed() =>
        Assert.Equal(["{{UserID}}", "{{Session}}"], Templates.UnknownPlaceholders("{{UserID}}-{{SessionName}}-{{Session}}-{{UserID}}"));
}
