using RoleMap.AccessEntries;
using RoleMap.AwsAuth;

namespace RoleMap.Tests.AccessEntries;

/// <summary>
/// Precedence between access entries and aws-auth (EKS User Guide migrating-access-entries: "Access entries take
/// precedence over ConfigMap entries for the same IAM principal"; authentication modes in grant-k8s-access) and
/// the usernames EKS generates (creating-access-entries table).
/// </summary>
public class MixedResolverTests
{
    private static readonly AwsAuthData AwsAuth = new(
        [
            new MapEntry("arn:aws:iam::111122223333:role/dev", "dev:{{SessionName}}", ["system:masters", "dev"]),
            new MapEntry("arn:aws:iam::111122223333:role/only-aws-auth", "legacy", ["legacy"]),
            new MapEntry("arn:aws:iam::111122223333:role/node", "system:node:{{EC2PrivateDNSName}}", ["system:bootstrappers", "system:nodes"]),
        ],
        [new MapEntry("arn:aws:iam::111122223333:user/alice", "alice", ["dev"])],
        ["444455556666"]);

    private const string Entries = """
        {"accessEntry": {"principalArn": "arn:aws:iam::111122223333:role/teams/dev", "type": "STANDARD", "kubernetesGroups": ["readers"], "username": "arn:aws:sts::111122223333:assumed-role/dev/{{SessionName}}"}}
        {"principalArn": "arn:aws:iam::111122223333:role/teams/dev", "associatedAccessPolicies": [
          {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "namespace", "namespaces": ["dev"]}}]}
        {"accessEntry": {"principalArn": "arn:aws:iam::111122223333:role/node", "type": "EC2_LINUX", "kubernetesGroups": []}}
        {"accessEntry": {"principalArn": "arn:aws:iam::111122223333:user/bob", "type": "STANDARD", "kubernetesGroups": []}}
        {"accessEntry": {"principalArn": "arn:aws:iam::444455556666:role/x", "type": "STANDARD", "kubernetesGroups": ["x"]}}
        {"accessEntries": ["arn:aws:iam::111122223333:role/listed-only"]}
        """;

    private static MixedResolution Resolve(string arn, AuthenticationMode mode = AuthenticationMode.ApiAndConfigMap, CallerFacts? facts = null) =>
        new MixedResolver(AwsAuth, ExistingAccessEntries.Parse(Entries, "ae.json"), mode).Resolve(arn, facts);

    [Fact]
    public void An_access_entry_replaces_the_aws_auth_entry_without_merging()
    {
        var result = Resolve("arn:aws:sts::111122223333:assumed-role/dev/jane");
        Assert.True(result.IsMapped);
        Assert.Null(result.AwsAuth);
        var identity = result.AccessEntry!;
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/dev/jane", identity.Username);
        Assert.Equal(["readers"], identity.Groups); // not system:masters or dev from aws-auth
        Assert.Equal("AmazonEKSViewPolicy", Assert.Single(identity.Policies!).Name);
        Assert.Contains(result.Notes, n => n.Contains("is ignored: the access entry replaces it", StringComparison.Ordinal));
        Assert.Contains(MixedResolver.PoliciesOutsideRbac, result.Notes);
    }

    [Fact]
    public void Without_an_access_entry_aws_auth_applies()
    {
        var result = Resolve("arn:aws:sts::111122223333:assumed-role/only-aws-auth/jane");
        Assert.Null(result.AccessEntry);
        Assert.Equal("legacy", result.AwsAuth!.Mapping!.Username);
        Assert.Equal(MatchSource.MapRoles, result.AwsAuth.Mapping.MatchedBy);
    }

    [Fact]
    public void Api_mode_ignores_aws_auth()
    {
        var result = Resolve("arn:aws:sts::111122223333:assumed-role/only-aws-auth/jane", AuthenticationMode.Api);
        Assert.False(result.IsMapped);
        Assert.Contains(result.Notes, n => n.Contains("API mode EKS ignores aws-auth (aws-auth would map it through mapRoles)", StringComparison.Ordinal));
    }

    [Fact]
    public void Config_map_mode_ignores_access_entries()
    {
        var result = Resolve("arn:aws:sts::111122223333:assumed-role/dev/jane", AuthenticationMode.ConfigMap);
        Assert.Null(result.AccessEntry);
        Assert.Equal(["system:masters", "dev"], result.AwsAuth!.Mapping!.Groups);
    }

    [Fact]
    public void An_access_entry_comes_before_map_accounts()
    {
        var result = Resolve("arn:aws:sts::444455556666:assumed-role/x/s");
        Assert.Equal(["x"], result.AccessEntry!.Groups);
        Assert.Contains(result.Notes, n => n.Contains("mapAccounts; the access entry comes first", StringComparison.Ordinal));
    }

    [Fact]
    public void Generated_usernames_apply_when_the_entry_has_none()
    {
        Assert.Equal("arn:aws:iam::111122223333:user/bob", Resolve("arn:aws:iam::111122223333:user/bob").AccessEntry!.Username);
        var node = Resolve("arn:aws:sts::111122223333:assumed-role/node/i-0123456789abcdef0", facts: new CallerFacts(Ec2PrivateDnsName: "ip-10-0-0-1.ec2.internal")).AccessEntry!;
        Assert.Equal("system:node:ip-10-0-0-1.ec2.internal", node.Username);
        Assert.Equal(["system:bootstrappers", "system:nodes"], node.Groups);
        Assert.Empty(node.Policies!);
    }

    [Fact]
    public void A_node_entry_rejects_a_session_that_is_not_an_instance()
    {
        var result = Resolve("arn:aws:sts::111122223333:assumed-role/node/not-an-instance");
        Assert.False(result.IsMapped);
        Assert.Contains("SessionName did not contain an instance id", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_input_does_not_tell_stays_unknown()
    {
        var identity = Resolve("arn:aws:sts::111122223333:assumed-role/listed-only/s").AccessEntry!;
        Assert.Null(identity.Username);
        Assert.Null(identity.Groups);
        Assert.Null(identity.Policies);
    }

    [Fact]
    public void Access_entries_alone_resolve_without_aws_auth()
    {
        var resolver = new MixedResolver(null, ExistingAccessEntries.Parse(Entries, "ae.json"), AuthenticationMode.ApiAndConfigMap);
        Assert.True(resolver.Resolve("arn:aws:iam::111122223333:user/bob").IsMapped);
        var missing = resolver.Resolve("arn:aws:iam::111122223333:user/alice");
        Assert.False(missing.IsMapped);
        Assert.Contains("no aws-auth was given", missing.Notes[0], StringComparison.Ordinal);
    }
}
