using RoleMap.AccessEntries;
using RoleMap.Arns;

namespace RoleMap.Tests.AccessEntries;

public class AccessEntryRulesTests
{
    [Theory]
    // creating-access-entries: "you can't have a username of john{{SessionName}}. The username would have to be
    // :john{{SessionName}} or jo:hn{{SessionName}}. The colon isn't required if you don't include {{SessionName}}."
    [InlineData("john{{SessionName}}", true)]
    [InlineData(":john{{SessionName}}", false)]
    [InlineData("jo:hn{{SessionName}}", false)]
    [InlineData("john", false)]
    [InlineData("{{SessionName}}", true)]
    // set-custom-username: the same rule for {{SessionNameRaw}}.
    [InlineData("{{SessionNameRaw}}", true)]
    [InlineData("admin:{{SessionNameRaw}}", false)]
    [InlineData("{{SessionName}}:x{{SessionName}}", true)]
    [InlineData("arn:aws:sts::111122223333:assumed-role/r/{{SessionName}}", false)]
    [InlineData("{{AccountID}}-x", false)]
    public void Colon_before_session_name(string username, bool rejected) =>
        Assert.Equal(rejected, AccessEntryRules.LacksColonBeforeSessionName(username));

    [Theory]
    // aws-iam-authenticator TestReservedPrefixExists, with the access-entry list [aws:, eks:, amazon:, iam:, system:].
    [InlineData("system:masters", "system:")]
    [InlineData("test", null)]
    [InlineData("eksb:test", null)]
    [InlineData("eks:test", "eks:")]
    [InlineData("aws:x", "aws:")]
    [InlineData("amazon:x", "amazon:")]
    [InlineData("iam:x", "iam:")]
    [InlineData("System:masters", null)]
    public void Reserved_username_prefixes(string name, string? prefix) =>
        Assert.Equal(prefix, AccessEntryRules.ReservedPrefix(name));

    [Theory]
    // creating-access-entries table of generated usernames; the role path is removed.
    [InlineData("arn:aws:iam::111122223333:user/my-user", "STANDARD", "arn:aws:iam::111122223333:user/my-user")]
    [InlineData("arn:aws:iam::111122223333:user/ci/my-user", "STANDARD", "arn:aws:iam::111122223333:user/ci/my-user")]
    [InlineData("arn:aws:iam::111122223333:role/my-role", "STANDARD", "arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}")]
    [InlineData("arn:aws:iam::111122223333:role/development/apps/my-role", "STANDARD", "arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}")]
    [InlineData("arn:aws-cn:iam::111122223333:role/my-role", "STANDARD", "arn:aws-cn:sts::111122223333:assumed-role/my-role/{{SessionName}}")]
    [InlineData("arn:aws:iam::111122223333:role/n", "EC2_LINUX", "system:node:{{EC2PrivateDNSName}}")]
    [InlineData("arn:aws:iam::111122223333:role/n", "EC2_WINDOWS", "system:node:{{EC2PrivateDNSName}}")]
    [InlineData("arn:aws:iam::111122223333:role/n", "FARGATE_LINUX", "system:node:{{SessionName}}")]
    [InlineData("arn:aws:iam::111122223333:role/n", "HYBRID_LINUX", "system:node:{{SessionName}}")]
    [InlineData("arn:aws:iam::111122223333:role/n", "EC2", null)]
    public void Generated_usernames(string principal, string type, string? username) =>
        Assert.Equal(username, AccessEntryRules.GeneratedUsername(principal, AccessEntryNames.ParseType(type)!.Value));

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/aws-service-role/emr-containers.amazonaws.com/AWSServiceRoleForAmazonEMRContainers", true)]
    [InlineData("arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonEMRContainers", true)] // as eksctl writes it into aws-auth
    [InlineData("arn:aws:iam::111122223333:role/aws-service-role-lookalike/x", false)]
    [InlineData("arn:aws:iam::111122223333:role/admins", false)]
    [InlineData("arn:aws:iam::111122223333:user/AWSServiceRoleForX", false)]
    public void Service_linked_roles(string arn, bool linked) =>
        Assert.Equal(linked, AccessEntryRules.IsServiceLinkedRole(IamArn.Parse(arn, out _)!));

    [Theory]
    // access-policy-reference: arn:<partition>:eks::aws:cluster-access-policy/<name>; the China guide shows arn:aws-cn:eks::aws:...
    [InlineData("aws", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")]
    [InlineData("aws-cn", "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")]
    [InlineData("aws-us-gov", "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")]
    public void Policy_arns_follow_the_partition(string partition, string arn) =>
        Assert.Equal(arn, AccessPolicyNames.Arn(partition, AccessPolicyNames.ClusterAdmin));

    [Fact]
    public void Type_and_mode_names_round_trip()
    {
        foreach (var type in Enum.GetValues<AccessEntryType>())
        {
            Assert.Equal(type, AccessEntryNames.ParseType(type.Wire()));
        }

        foreach (var mode in Enum.GetValues<AuthenticationMode>())
        {
            Assert.Equal(mode, AccessEntryNames.ParseMode(mode.Wire()));
        }

        Assert.Equal(AccessEntryType.Ec2Windows, AccessEntryNames.ParseType("EC2_Windows")); // as the EKS guide writes it
        Assert.Null(AccessEntryNames.ParseType("EC2_MAC"));
    }
}
