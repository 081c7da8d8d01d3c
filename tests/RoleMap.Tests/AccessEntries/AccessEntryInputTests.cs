using RoleMap.AccessEntries;
using RoleMap.Arns;
using RoleMap.Diagnostics;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.AccessEntries;

public class IamDirectoryTests
{
    [Fact]
    public void Reads_list_roles_and_list_users_output()
    {
        var iam = IamDirectory.Combine([
            IamDirectory.Parse(File.ReadAllText(Repo.Path("examples", "access-entries", "iam-roles.json")), "roles.json"),
            IamDirectory.Parse(File.ReadAllText(Repo.Path("examples", "access-entries", "iam-users.json")), "users.json"),
        ]);
        Assert.Equal("arn:aws:iam::111122223333:role/platform/platform-ops", iam.Find(IamArnKind.Role, "aws", "111122223333", "platform-ops")!.Arn.FullArn);
        Assert.Equal("arn:aws:iam::111122223333:role/platform/platform-ops", iam.Find(IamArnKind.Role, "aws", "111122223333", "PLATFORM-OPS")!.Arn.FullArn);
        Assert.Equal("arn:aws:iam::111122223333:user/ci/deployer", iam.Find(IamArnKind.User, "aws", "111122223333", "deployer")!.Arn.FullArn);
        Assert.Null(iam.Find(IamArnKind.User, "aws", "111122223333", "platform-ops"));
        Assert.True(iam.Lists(IamArnKind.Role, "aws", "111122223333"));
        Assert.False(iam.Lists(IamArnKind.Role, "aws", "444455556666"));
        Assert.Empty(iam.Notes);
    }

    [Fact]
    public void Reads_get_role_and_arn_lists_one_after_the_other()
    {
        const string Text = """
            {"Role": {"Path": "/x/", "RoleName": "a", "Arn": "arn:aws:iam::111122223333:role/x/a"}}
            ["arn:aws-cn:iam::111122223333:role/team/b", "arn:aws:iam::111122223333:user/u"]
            """;
        var iam = IamDirectory.Parse(Text, "mixed.json");
        Assert.Equal("arn:aws:iam::111122223333:role/x/a", iam.Find(IamArnKind.Role, "aws", "111122223333", "a")!.Arn.FullArn);
        Assert.Equal("arn:aws-cn:iam::111122223333:role/team/b", iam.Find(IamArnKind.Role, "aws-cn", "111122223333", "b")!.Arn.FullArn);
        Assert.NotNull(iam.Find(IamArnKind.User, "aws", "111122223333", "u"));
        Assert.False(iam.Lists(IamArnKind.Role, "aws", "111122223333")); // single lookups are no complete listing
    }

    [Fact]
    public void A_truncated_listing_is_not_taken_as_complete()
    {
        var iam = IamDirectory.Parse("""{"Roles": [{"Arn": "arn:aws:iam::111122223333:role/a"}], "IsTruncated": true, "Marker": "abc"}""", "page.json");
        Assert.NotNull(iam.Find(IamArnKind.Role, "aws", "111122223333", "a"));
        Assert.False(iam.Lists(IamArnKind.Role, "aws", "111122223333"));
        Assert.Equal("iam-list-truncated", Assert.Single(iam.Notes).Rule);
    }

    [Theory]
    [InlineData("{\"Roles\": [}", "page.json:1:12: not valid JSON")]
    [InlineData("", "page.json: the file is empty")]
    [InlineData("{\"Groups\": []}", "page.json:1:1: $: expected the JSON output of 'aws iam list-roles'")]
    [InlineData("{\"Roles\": [{\"RoleName\": \"x\"}]}", "page.json:1:12: $.Roles[0].Arn: missing 'Arn'")]
    [InlineData("[\"arn:aws:iam::111122223333:group/g\"]", "page.json:1:2: $[0]: 'arn:aws:iam::111122223333:group/g' cannot be used")]
    public void Bad_input_names_the_file_and_place(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => IamDirectory.Parse(text, "page.json"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}

public class ExistingAccessEntriesTests
{
    [Fact]
    public void Merges_list_describe_and_policies_from_one_file()
    {
        var set = ExistingAccessEntries.Parse(File.ReadAllText(Repo.Path("examples", "access-entries", "access-entries.json")), "ae.json");
        Assert.Equal(3, set.Entries.Count);
        var node = set.Find("arn:aws:iam::111122223333:role/eks-managed-ng")!;
        Assert.Equal(AccessEntryType.Ec2Linux, node.Type);
        Assert.Equal("system:node:{{EC2PrivateDNSName}}", node.Username);
        Assert.Null(node.Policies);
        var creator = set.Find("arn:aws:iam::111122223333:role/cluster-creator")!;
        Assert.False(creator.Described);
        Assert.Equal("AmazonEKSClusterAdminPolicy", Assert.Single(creator.Policies!).Name);
        Assert.True(Assert.Single(creator.Policies!).Scope.IsCluster);
        Assert.Equal(["prod"], set.ClusterNames);
    }

    [Theory]
    // The authenticator's access-entry backend compares StripPath(entry ARN), lower-cased, with the caller's canonical ARN.
    [InlineData("arn:aws:iam::111122223333:role/team/Dev", "arn:aws:iam::111122223333:role/dev", true)]
    [InlineData("arn:aws:iam::111122223333:role/team/Dev", "arn:aws:iam::111122223333:role/other/dev", true)]
    [InlineData("arn:aws:iam::111122223333:role/team/Dev", "arn:aws:iam::222233334444:role/dev", false)]
    [InlineData("arn:aws:iam::111122223333:user/ci/u", "arn:aws:iam::111122223333:user/ci/U", true)]
    [InlineData("arn:aws:iam::111122223333:user/ci/u", "arn:aws:iam::111122223333:user/u", false)]
    public void Finds_entries_as_the_authenticator_matches_them(string entry, string caller, bool found)
    {
        var set = ExistingAccessEntries.Parse("{\"accessEntries\": [\"" + entry + "\"]}", "ae.json");
        Assert.Equal(found, set.Find(caller) is not null);
    }

    [Fact]
    public void Reads_namespace_scopes_and_replaces_a_reassociated_policy()
    {
        const string Text = """
            [
              {"accessEntry": {"principalArn": "arn:aws:iam::111122223333:role/dev", "type": "STANDARD", "kubernetesGroups": ["dev"], "username": "dev"}},
              {"principalArn": "arn:aws:iam::111122223333:role/dev", "associatedAccessPolicies": [
                {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "namespace", "namespaces": ["dev-*", "qa"]}}]},
              {"clusterName": "c", "principalArn": "arn:aws:iam::111122223333:role/dev", "associatedAccessPolicy":
                {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "cluster", "namespaces": []}}}
            ]
            """;
        var entry = Assert.Single(ExistingAccessEntries.Parse(Text, "ae.json").Entries);
        Assert.Equal(["dev"], entry.KubernetesGroups);
        Assert.True(Assert.Single(entry.Policies!).Scope.IsCluster);
        Assert.Equal("c", entry.ClusterName);
    }

    [Theory]
    [InlineData("{\"accessEntry\": {\"type\": \"STANDARD\"}}", "ae.json:1:17: $.accessEntry.principalArn: missing 'principalArn'")]
    [InlineData("{\"accessEntry\": {\"principalArn\": \"arn:aws:iam::111122223333:role/a\", \"type\": \"EC3\"}}", "ae.json:1:17: $.accessEntry.type: unknown access entry type 'EC3'")]
    [InlineData("{\"principalArn\": \"arn:aws:iam::111122223333:role/a\", \"associatedAccessPolicies\": [{\"policyArn\": \"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\", \"accessScope\": {\"type\": \"namespace\"}}]}", "ae.json:1:174: $.associatedAccessPolicies[0].accessScope.namespaces: a namespace scope needs at least one namespace")]
    [InlineData("{\"cluster\": {}}", "ae.json:1:1: $: expected the JSON of 'aws eks describe-access-entry'")]
    [InlineData("{\"accessEntries\": [1]}", "ae.json:1:20: $.accessEntries[0]: expected a principal ARN string, found a number")]
    public void Bad_input_names_the_file_and_place(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => ExistingAccessEntries.Parse(text, "ae.json"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
