using System.Text.Json.Nodes;
using RoleMap.FakeEks;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Aws;

/// <summary>
/// The fake EKS endpoint checked against the real aws CLI (botocore): the CLI must accept the fake's answers (shapes,
/// timestamps, pagination, error headers) and the fake must accept the CLI's signatures (botocore signs without
/// x-amz-content-sha256; AWSSDK.Core signs with it).
/// </summary>
public sealed class FakeEksAwsCliTests : IAsyncLifetime
{
    private FakeEksEndpoint eks = null!;

    public async Task InitializeAsync() => eks = await FakeEksEndpoint.StartAsync();

    public async Task DisposeAsync() => await eks.DisposeAsync();

    private (int ExitCode, string Stdout, string Stderr) Aws(params string[] args) =>
        Tools.Run(Tools.Require("aws"), [.. args, "--endpoint-url", eks.Url.AbsoluteUri, "--region", "us-east-1", "--output", "json"], environment: eks.Environment);

    private JsonObject AwsJson(params string[] args)
    {
        var (code, stdout, stderr) = Aws(args);
        Assert.True(code == 0, "aws " + string.Join(' ', args) + " failed: " + stderr);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    [RequiresToolFact("aws")]
    public void List_access_entries_pages_through_every_entry()
    {
        var result = AwsJson("eks", "list-access-entries", "--cluster-name", "prod");

        Assert.Equal(5, result["accessEntries"]!.AsArray().Count);
        Assert.Equal(3, eks.Server.Requests.Count(r => r.Operation == "ListAccessEntries" && r.Status == 200));
    }

    [RequiresToolFact("aws")]
    public void Describe_create_associate_and_list_policies()
    {
        var entry = AwsJson("eks", "describe-access-entry", "--cluster-name", "prod", "--principal-arn", "arn:aws:iam::111122223333:role/team/platform/Admin")["accessEntry"]!;
        Assert.Equal("platform-admins", (string?)entry["kubernetesGroups"]![0]);

        var created = AwsJson("eks", "create-access-entry", "--cluster-name", "prod", "--principal-arn", "arn:aws:iam::111122223333:role/cli/made", "--kubernetes-groups", "a", "b", "--tags", "k=v")["accessEntry"]!;
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/made/{{SessionName}}", (string?)created["username"]);
        Assert.Equal("v", (string?)created["tags"]!["k"]);

        var associated = AwsJson("eks", "associate-access-policy", "--cluster-name", "prod", "--principal-arn", "arn:aws:iam::111122223333:role/cli/made", "--policy-arn", FakeEksServer.PolicyArn("AmazonEKSViewPolicy"), "--access-scope", "type=namespace,namespaces=x,y");
        Assert.Equal("namespace", (string?)associated["associatedAccessPolicy"]!["accessScope"]!["type"]);

        var listed = AwsJson("eks", "list-associated-access-policies", "--cluster-name", "prod", "--principal-arn", "arn:aws:iam::111122223333:role/dev");
        Assert.Equal(2, listed["associatedAccessPolicies"]!.AsArray().Count);
        Assert.All(eks.Server.Requests, r => Assert.NotEqual(403, r.Status));
    }

    [RequiresToolFact("aws")]
    public void Describe_cluster_and_update_cluster_config()
    {
        Assert.Equal("CONFIG_MAP", (string?)AwsJson("eks", "describe-cluster", "--name", "legacy")["cluster"]!["accessConfig"]!["authenticationMode"]);

        var update = AwsJson("eks", "update-cluster-config", "--name", "legacy", "--access-config", "authenticationMode=API_AND_CONFIG_MAP")["update"]!;
        Assert.Equal("InProgress", (string?)update["status"]);
        var described = AwsJson("eks", "describe-update", "--name", "legacy", "--update-id", (string)update["id"]!)["update"]!;
        Assert.Equal("Successful", (string?)described["status"]);

        var (code, _, stderr) = Aws("eks", "update-cluster-config", "--name", "legacy", "--access-config", "authenticationMode=CONFIG_MAP");
        Assert.NotEqual(0, code);
        Assert.Contains("(InvalidParameterException) when calling the UpdateClusterConfig operation", stderr, StringComparison.Ordinal);
    }

    [RequiresToolFact("aws")]
    public void The_CLI_reads_the_fake_errors_by_code()
    {
        var (_, _, notFound) = Aws("eks", "describe-cluster", "--name", "nope");
        Assert.Contains("(ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: nope.", notFound, StringComparison.Ordinal);

        eks.Server.Denied.Add("eks:ListAccessEntries");
        var (_, _, denied) = Aws("eks", "list-access-entries", "--cluster-name", "prod");
        Assert.Contains("(AccessDeniedException) when calling the ListAccessEntries operation: User: arn:aws:iam::111122223333:user/rolemap-test is not authorized to perform: eks:ListAccessEntries", denied, StringComparison.Ordinal);
    }

    [RequiresToolFact("aws")]
    public void A_signature_made_with_the_wrong_secret_is_refused_as_AWS_refuses_it()
    {
        var environment = eks.Environment;
        environment["AWS_SECRET_ACCESS_KEY"] = "wrong";

        var (code, _, stderr) = Tools.Run(Tools.Require("aws"), ["eks", "list-clusters", "--endpoint-url", eks.Url.AbsoluteUri, "--region", "us-east-1"], environment: environment);

        Assert.NotEqual(0, code);
        Assert.Contains("(InvalidSignatureException) when calling the ListClusters operation: The request signature we calculated does not match", stderr, StringComparison.Ordinal);
    }
}
