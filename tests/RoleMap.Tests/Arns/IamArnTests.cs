using RoleMap.Arns;

namespace RoleMap.Tests.Arns;

public class IamArnTests
{
    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/ops", IamArnKind.Role, "/", "ops")]
    [InlineData("arn:aws:iam::111122223333:role/a/b/ops", IamArnKind.Role, "/a/b/", "ops")]
    [InlineData("arn:aws:iam::111122223333:user/ci/deployer", IamArnKind.User, "/ci/", "deployer")]
    [InlineData("arn:aws:iam::111122223333:root", IamArnKind.Root, "/", "root")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/dev/jane", IamArnKind.AssumedRole, "/", "dev")]
    [InlineData("arn:aws:sts::111122223333:federated-user/bob", IamArnKind.FederatedUser, "/", "bob")]
    public void Parses_principals(string text, IamArnKind kind, string path, string name)
    {
        var arn = IamArn.Parse(text, out var problems);
        Assert.Empty(problems);
        Assert.NotNull(arn);
        Assert.Equal(kind, arn.Kind);
        Assert.Equal(path, arn.Path);
        Assert.Equal(name, arn.Name);
    }

    [Fact]
    public void Role_without_path_and_full_arn()
    {
        var arn = IamArn.Parse("arn:aws-cn:iam::111122223333:role/team/x/ops", out _)!;
        Assert.Equal("arn:aws-cn:iam::111122223333:role/ops", arn.RoleArnWithoutPath);
        Assert.Equal("arn:aws-cn:iam::111122223333:role/team/x/ops", arn.FullArn);
    }

    [Theory]
    [InlineData("role/ops", "arn-malformed", null)]
    [InlineData("arn:aws:iam:111122223333:role/ops", "arn-malformed", null)]
    [InlineData("arn:aws-us-govt:iam::111122223333:role/ops", "arn-partition", "arn:aws-us-gov:iam::111122223333:role/ops")]
    [InlineData("arn:aws:iam::11112222333:role/ops", "arn-account", null)]
    [InlineData("arn:aws:iam:eu-west-1:111122223333:role/ops", "arn-region", "arn:aws:iam::111122223333:role/ops")]
    [InlineData("arn:aws:ec2::111122223333:instance/i-1", "arn-service", null)]
    [InlineData("arn:aws:iam::111122223333:group/devs", "arn-resource", null)]
    [InlineData("arn:aws:iam::111122223333:instance-profile/node", "arn-resource", "arn:aws:iam::111122223333:role/node (if the role has the profile's name; check with aws iam get-instance-profile)")]
    [InlineData("arn:aws:iam::111122223333:role/", "arn-resource", null)]
    public void Reports_problems_with_fixes(string text, string rule, string? fix)
    {
        IamArn.Parse(text, out var problems);
        var problem = Assert.Single(problems, p => p.Rule == rule);
        Assert.Equal(fix, problem.Fix);
    }
}
