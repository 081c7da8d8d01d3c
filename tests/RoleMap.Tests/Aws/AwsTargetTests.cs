using RoleMap.Cli;
using RoleMap.Cli.Aws;
using RoleMap.Diagnostics;

namespace RoleMap.Tests.Aws;

/// <summary>Which cluster, region, profile and role rolemap talks to, and at which endpoints.</summary>
public sealed class AwsTargetTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "rolemap-aws-target-" + Guid.NewGuid().ToString("N")[..8]);

    public AwsTargetTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private CliIO Io(params (string Name, string Value)[] environment)
    {
        var values = environment.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        values.TryAdd("HOME", directory);
        return new CliIO { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, WorkingDirectory = directory, Environment = name => values.GetValueOrDefault(name) };
    }

    private string Kubeconfig(string user, string server = "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com")
    {
        var path = Path.Combine(directory, "kubeconfig-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(path, "apiVersion: v1\nkind: Config\ncurrent-context: eks\nclusters:\n- name: c\n  cluster:\n    server: " + server + "\n"
            + "contexts:\n- name: eks\n  context: {cluster: c, user: u}\n- name: other\n  context: {cluster: c, user: plain}\n"
            + "users:\n- name: plain\n  user: {token: abc}\n- name: u\n  user:\n" + user + "\n");
        return path;
    }

    private const string AwsExec = """
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
                  args: [--region, us-west-2, eks, get-token, --cluster-name, prod, --role-arn, "arn:aws:iam::111122223333:role/Deployer", --output, json]
                  env:
                  - {name: AWS_PROFILE, value: work}
            """;

    [Fact]
    public void The_exec_plugin_of_aws_eks_get_token_names_cluster_region_role_and_profile()
    {
        var target = AwsConnector.Resolve(Io(("AWS_REGION", "ap-south-1")), null, null, null, Kubeconfig(AwsExec), null);

        Assert.Equal(new AwsTarget("prod", "us-west-2", "work", "arn:aws:iam::111122223333:role/Deployer"), target);
    }

    [Fact]
    public void Flags_win_over_the_kubeconfig_and_another_cluster_drops_its_role()
    {
        var kubeconfig = Kubeconfig(AwsExec);

        Assert.Equal(new AwsTarget("prod", "eu-central-1", "mine", "arn:aws:iam::111122223333:role/Deployer"), AwsConnector.Resolve(Io(), "prod", "eu-central-1", "mine", kubeconfig, null));
        Assert.Equal(new AwsTarget("staging", "ca-central-1", null, null), AwsConnector.Resolve(Io(("AWS_REGION", "ca-central-1")), "staging", null, null, kubeconfig, null));
    }

    [Fact]
    public void The_aws_iam_authenticator_form_and_the_region_of_the_EKS_host_name()
    {
        var user = """
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: /usr/local/bin/aws-iam-authenticator
                  args: [token, -i, legacy-cluster, -r, "arn:aws:iam::111122223333:role/K8sAdmin"]
            """;

        Assert.Equal(new AwsTarget("legacy-cluster", "eu-west-1", null, "arn:aws:iam::111122223333:role/K8sAdmin"), AwsConnector.Resolve(Io(), null, null, null, Kubeconfig(user), null));
    }

    [Fact]
    public void A_context_without_an_AWS_plugin_leaves_the_environment_to_decide()
    {
        var kubeconfig = Kubeconfig(AwsExec, server: "https://10.0.0.1:6443");

        Assert.Equal(new AwsTarget(null, "sa-east-1", null, null), AwsConnector.Resolve(Io(("AWS_DEFAULT_REGION", "sa-east-1")), null, null, null, kubeconfig, "other"));
        Assert.Equal(new AwsTarget(null, "us-east-2", null, null), AwsConnector.Resolve(Io(("AWS_REGION", "us-east-2"), ("AWS_DEFAULT_REGION", "sa-east-1")), null, null, null, kubeconfig, "other"));
    }

    [Fact]
    public void The_profile_region_comes_from_the_shared_files()
    {
        var credentials = Path.Combine(directory, "credentials");
        File.WriteAllText(credentials, "[work]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\nregion = eu-north-1\n");

        var target = AwsConnector.Resolve(Io(("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_PROFILE", "work")), "c", null, null, null, null);

        Assert.Equal("eu-north-1", target.Region);
    }

    [Fact]
    public void No_region_anywhere_and_a_malformed_region_are_clear_errors()
    {
        var none = Assert.Throws<InputException>(() => AwsConnector.Resolve(Io(), "c", null, null, null, null));
        var bad = Assert.Throws<InputException>(() => AwsConnector.Resolve(Io(), "c", "uswest2", null, null, null));

        Assert.StartsWith("no AWS region: pass --region REGION, set AWS_REGION", none.Message, StringComparison.Ordinal);
        Assert.Equal("'uswest2' is not an AWS region name (expected e.g. us-west-2)", bad.Message);
    }

    [Fact]
    public void An_unknown_context_asked_for_is_an_error()
    {
        var ex = Assert.Throws<InputException>(() => AwsConnector.Resolve(Io(), null, "us-east-1", null, Kubeconfig(AwsExec), "missing"));

        Assert.Contains("no context 'missing' in the kubeconfig; contexts: eks, other", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-west-2", "https://eks.us-west-2.amazonaws.com/", "https://iam.amazonaws.com/", "us-east-1", "https://sts.us-west-2.amazonaws.com/")]
    [InlineData("cn-north-1", "https://eks.cn-north-1.amazonaws.com.cn/", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-gov-east-1", "https://eks.us-gov-east-1.amazonaws.com/", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1", "https://sts.us-gov-east-1.amazonaws.com/")]
    [InlineData("us-iso-east-1", "https://eks.us-iso-east-1.c2s.ic.gov/", "https://iam.us-iso-east-1.c2s.ic.gov/", "us-iso-east-1", "https://sts.us-iso-east-1.c2s.ic.gov/")]
    public void Standard_endpoints_per_partition(string region, string eks, string iam, string iamSigningRegion, string sts)
    {
        Func<string, string?> none = _ => null;

        Assert.Equal(new AwsEndpoint(new Uri(eks), region, false), AwsEndpoints.Eks(region, none));
        Assert.Equal(new AwsEndpoint(new Uri(iam), iamSigningRegion, false), AwsEndpoints.Iam(region, none));
        Assert.Equal(new AwsEndpoint(new Uri(sts), region, false), AwsEndpoints.Sts(region, none));
    }

    [Fact]
    public void Endpoint_overrides_service_first_then_global_unless_ignored()
    {
        var environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9999", ["AWS_ENDPOINT_URL_EKS"] = "http://127.0.0.1:8888/" };

        Assert.Equal(new AwsEndpoint(new Uri("http://127.0.0.1:8888/"), "eu-west-1", true), AwsEndpoints.Eks("eu-west-1", environment.GetValueOrDefault));
        Assert.Equal(new AwsEndpoint(new Uri("http://127.0.0.1:9999/"), "us-east-1", true), AwsEndpoints.Iam("eu-west-1", environment.GetValueOrDefault));
        environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
        Assert.False(AwsEndpoints.Sts("eu-west-1", environment.GetValueOrDefault).Overridden);
        Assert.Throws<InputException>(() => AwsEndpoints.Eks("eu-west-1", new Dictionary<string, string> { ["AWS_ENDPOINT_URL_EKS"] = "localhost:1" }.GetValueOrDefault));
    }

    [Theory]
    [InlineData("1714430631.181", 1714430631181)]
    [InlineData("1714430631", 1714430631000)]
    [InlineData("\"2024-04-29T22:43:51.181Z\"", 1714430631181)]
    [InlineData("\"1714430631.181\"", 1714430631181)]
    public void Timestamps_are_read_as_epoch_seconds_or_ISO_8601(string json, long milliseconds)
    {
        var parsed = System.Text.Json.JsonSerializer.Deserialize("{\"createdAt\":" + json + "}", EksJsonContext.Default.EksAccessEntryWire)!;

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), parsed.CreatedAt);
    }

    [Fact]
    public void Labels_are_percent_encoded_like_botocore()
    {
        Assert.Equal("arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fteam%2Fmy-role", EksHttpApi.Label("arn:aws:iam::111122223333:role/team/my-role"));
        Assert.Equal("a~b_c.d-e%20f%2Bg%40h", EksHttpApi.Label("a~b_c.d-e f+g@h"));
    }
}
