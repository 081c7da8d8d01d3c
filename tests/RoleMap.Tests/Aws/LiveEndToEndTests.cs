using RoleMap.FakeEks;
using RoleMap.Tests.TestSupport;
using Xunit;

namespace RoleMap.Tests.Aws;

/// <summary>
/// The live commands end to end with nothing faked inside rolemap: the CLI's own SigV4-signed clients talk to the fake
/// EKS endpoint (checked against the aws CLI in FakeEksAwsCliTests) over HTTP, and to moto's IAM and STS. The cluster
/// lives in moto's account, so the IAM roles and the sessions moto's STS hands out are that account's.
/// </summary>
[Collection("moto")]
public sealed class LiveEndToEndTests(MotoServer moto)
{
    private const string Account = MotoServer.Account;

    private static string Role(string name) => "arn:aws:iam::" + Account + ":role/" + name;

    private static string Seed() => $$"""
        { "clusters": [ { "name": "prod", "authenticationMode": "API_AND_CONFIG_MAP", "entries": [
            { "principalArn": "{{Role("platform-admin")}}", "kubernetesGroups": [],
              "policies": [ { "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "accessScope": { "type": "cluster" } } ] },
            { "principalArn": "{{Role("nodes")}}", "type": "EC2_LINUX" },
            { "principalArn": "{{Role("legacy-tool")}}", "kubernetesGroups": ["legacy"] }
        ] } ] }
        """;

    private const string AwsAuthData = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n"
        + "    - rolearn: arn:aws:iam::123456789012:role/ops\n      username: ops:{{SessionName}}\n      groups: [ops]\n"
        + "    - rolearn: arn:aws:iam::123456789012:role/web\n      username: web\n      groups: [web, viewers]\n"
        + "    - rolearn: arn:aws:iam::123456789012:role/nodes\n      username: system:node:{{EC2PrivateDNSName}}\n      groups: [system:bootstrappers, system:nodes]\n";

    private async Task<(FakeEksEndpoint Eks, Dictionary<string, string> Environment, string AwsAuth)> StartAsync()
    {
        Tools.Require("python3:moto");
        var eks = await FakeEksEndpoint.StartAsync(pageSize: 2, seed: false);
        eks.Server.Seed(Seed());

        // IAM holds the ops role under a path: aws-auth had to drop it, the access entry must carry it again.
        moto.Boto3("""
            for name, path in [('ops', '/teams/'), ('web', '/'), ('nodes', '/'), ('platform-admin', '/'), ('legacy-tool', '/')]:
                try:
                    iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument='{}')
                except iam.exceptions.EntityAlreadyExistsException:
                    pass
            """);
        var environment = eks.Environment;
        environment["AWS_ENDPOINT_URL_IAM"] = moto.Url.AbsoluteUri;
        environment["AWS_ENDPOINT_URL_STS"] = moto.Url.AbsoluteUri;
        var file = Path.Combine(Path.GetTempPath(), "rolemap-e2e-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        await File.WriteAllTextAsync(file, AwsAuthData);
        return (eks, environment, file);
    }

    private static CliRun Run(Dictionary<string, string> environment, params string[] args) => TestSupport.Cli.RunIn(Repo.Root, string.Empty, environment, args);

    private static FakeAccessEntry? Entry(FakeEksEndpoint eks, string arn) => eks.Server.Cluster("prod")!.Entries.SingleOrDefault(e => e.PrincipalArn == arn);

    [RequiresToolFact("python3:moto")]
    public async Task Get_reads_every_page_and_marks_the_entries_eks_made()
    {
        var (eks, environment, file) = await StartAsync();
        await using var _ = eks;
        var run = Run(environment, "access-entries", "get", "--cluster-name", "prod", "-o", "json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(Role("legacy-tool"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"authenticationMode\": \"API_AND_CONFIG_MAP\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("EC2_LINUX", run.Stdout, StringComparison.Ordinal);

        // Three entries at two per page: ListAccessEntries is asked twice, the second time with the first page's token.
        var lists = eks.Server.Requests.Where(r => r.Operation == "ListAccessEntries").ToList();
        Assert.Equal(2, lists.Count);
        Assert.Contains("nextToken=", lists[1].RawTarget, StringComparison.Ordinal);
        File.Delete(file);
    }

    [RequiresToolFact("python3:moto")]
    public async Task Dry_run_apply_reapply_and_prune_against_the_endpoint()
    {
        var (eks, environment, file) = await StartAsync();
        await using var _ = eks;
        var dry = Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "--dry-run", "-o", "json");
        Assert.True(dry.ExitCode == 1, dry.Stdout + dry.Stderr);
        Assert.DoesNotContain(eks.Server.Requests, r => r.Method != "GET");
        using (var outcome = System.Text.Json.JsonDocument.Parse(dry.Stdout))
        {
            var root = outcome.RootElement;
            Assert.Equal("prod", root.GetProperty("clusterName").GetString());
            Assert.Equal("dryRun", root.GetProperty("status").GetString());
            var opsChange = root.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("principalArn").GetString() == Role("teams/ops"));
            Assert.Equal("create", opsChange.GetProperty("change").GetString());
            Assert.StartsWith("create access entry " + Role("teams/ops"), opsChange.GetProperty("operations")[0].GetString(), StringComparison.Ordinal);
            Assert.Equal(0, root.GetProperty("done").GetArrayLength());
        }

        Assert.Null(Entry(eks, Role("teams/ops")));

        var apply = Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y");
        Assert.True(apply.ExitCode == 0, apply.Stdout + apply.Stderr);
        var ops = Entry(eks, Role("teams/ops"));
        Assert.NotNull(ops); // the path came back from IAM (moto)
        Assert.Equal(["ops"], ops.KubernetesGroups);
        Assert.Equal("ops:{{SessionName}}", ops.Username);
        Assert.Equal("rolemap", ops.Tags["rolemap.io/managed-by"]);
        Assert.Equal(["viewers", "web"], Entry(eks, Role("web"))!.KubernetesGroups.Order(StringComparer.Ordinal));
        Assert.Equal("EC2_LINUX", Entry(eks, Role("nodes"))!.Type);

        eks.Server.ClearRequests();
        var again = Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y");
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Contains("nothing to do", again.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(eks.Server.Requests, r => r.Method != "GET");

        // legacy-tool has no tag: only --prune removes it; the node group's entry is EKS's own and stays.
        Assert.NotNull(Entry(eks, Role("legacy-tool")));
        var prune = Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "--prune", "-y");
        Assert.True(prune.ExitCode == 0, prune.Stdout + prune.Stderr);
        Assert.Null(Entry(eks, Role("legacy-tool")));
        Assert.NotNull(Entry(eks, Role("nodes")));
        Assert.NotNull(Entry(eks, Role("teams/ops")));
        File.Delete(file);
    }

    [RequiresToolFact("python3:moto")]
    public async Task The_guard_refuses_to_prune_the_callers_own_admin_entry_without_force()
    {
        var (eks, environment, file) = await StartAsync();
        await using var _ = eks;

        // The caller works as the platform-admin role (a session from moto's STS), whose only way in is an access
        // entry rolemap did not create: --prune would delete it.
        var (code, stdout, stderr) = Tools.Run(Tools.Require("python3:moto"), ["-c", "import os, boto3\nc = boto3.client('sts', endpoint_url=os.environ['MOTO_URL'], region_name='us-east-1').assume_role(RoleArn='" + Role("platform-admin") + "', RoleSessionName='alice')['Credentials']\nprint(c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'])"], environment: new Dictionary<string, string>(moto.Environment) { ["MOTO_URL"] = moto.Url.AbsoluteUri });
        Assert.True(code == 0, stderr);
        var session = stdout.Trim().Split(' ');
        eks.Server.Credentials[session[0]] = session[1];
        environment["AWS_ACCESS_KEY_ID"] = session[0];
        environment["AWS_SECRET_ACCESS_KEY"] = session[1];
        environment["AWS_SESSION_TOKEN"] = session[2];

        var refused = Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "--prune", "-y");
        Assert.True(refused.ExitCode == 2, refused.Stdout + refused.Stderr);
        Assert.Contains(Role("platform-admin"), refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.NotNull(Entry(eks, Role("platform-admin")));
        Assert.DoesNotContain(eks.Server.Requests, r => r.Method != "GET");
        Assert.All(eks.Server.Requests, r => Assert.Equal(session[0], r.AccessKey));

        var forced = Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "--prune", "-y", "--force");
        Assert.True(forced.ExitCode == 0, forced.Stdout + forced.Stderr);
        Assert.Null(Entry(eks, Role("platform-admin")));
        File.Delete(file);
    }

    [RequiresToolFact("python3:moto")]
    public async Task Throttling_and_server_errors_are_retried_and_the_apply_still_lands_once()
    {
        var (eks, environment, file) = await StartAsync();
        await using var _ = eks;
        eks.Server.Inject(
            new EksFault(EksFaultKind.Throttle, "ListAccessEntries"),
            new EksFault(EksFaultKind.ServerError, "CreateAccessEntry"),
            new EksFault(EksFaultKind.Unavailable, "DescribeAccessEntry"));
        var apply = Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y");
        Assert.True(apply.ExitCode == 0, apply.Stdout + apply.Stderr);
        Assert.Equal(0, eks.Server.PendingFaults);
        Assert.Contains(eks.Server.Requests, r => r.Status == 429);
        Assert.Contains(eks.Server.Requests, r => r.Status == 500);
        Assert.Single(eks.Server.Cluster("prod")!.Entries, e => e.PrincipalArn == Role("teams/ops"));
        File.Delete(file);
    }

    [RequiresToolFact("python3:moto")]
    public async Task Mode_switch_dry_run_then_switch_after_the_entries_exist()
    {
        var (eks, environment, file) = await StartAsync();
        await using var _ = eks;
        // Already there: DescribeCluster decides, and no entry is listed.
        var before = eks.Server.Requests.Count;
        var there = Run(environment, "access-entries", "mode", "API_AND_CONFIG_MAP", "--cluster-name", "prod", "--yes", "--confirm-cluster", "prod", "-o", "json");
        Assert.True(there.ExitCode == 0, there.Stdout + there.Stderr);
        using (var outcome = System.Text.Json.JsonDocument.Parse(there.Stdout))
        {
            Assert.Equal("alreadyThere", outcome.RootElement.GetProperty("status").GetString());
            Assert.Equal("API_AND_CONFIG_MAP", outcome.RootElement.GetProperty("to").GetString());
        }

        Assert.Equal(["DescribeCluster"], eks.Server.Requests.Skip(before).Select(r => r.Operation).Distinct());

        var early = Run(environment, "access-entries", "mode", "API", "--cluster-name", "prod", "--aws-auth", file, "--yes", "--confirm-cluster", "prod");
        Assert.Equal(2, early.ExitCode); // aws-auth still maps ops and web, who have no access entry yet
        Assert.Equal("API_AND_CONFIG_MAP", eks.Server.Cluster("prod")!.AuthenticationMode);

        Assert.Equal(0, Run(environment, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y").ExitCode);
        before = eks.Server.Requests.Count;
        var dry = Run(environment, "access-entries", "mode", "API", "--cluster-name", "prod", "--aws-auth", file, "--dry-run");
        Assert.True(dry.ExitCode == 1, dry.Stdout + dry.Stderr);
        // The cluster is described once: the description that decided is the one the entries are read against.
        Assert.Single(eks.Server.Requests.Skip(before), r => r.Operation == "DescribeCluster");
        Assert.Equal("API_AND_CONFIG_MAP", eks.Server.Cluster("prod")!.AuthenticationMode);

        var switched = Run(environment, "access-entries", "mode", "API", "--cluster-name", "prod", "--aws-auth", file, "--yes", "--confirm-cluster", "prod");
        Assert.True(switched.ExitCode == 0, switched.Stdout + switched.Stderr);
        Assert.Equal("API", eks.Server.Cluster("prod")!.AuthenticationMode);
        File.Delete(file);
    }

    [RequiresToolFact("python3:moto")]
    public async Task Credentials_from_a_profile_in_the_shared_credentials_file()
    {
        var (eks, environment, file) = await StartAsync();
        await using var _ = eks;
        var credentials = Path.Combine(Path.GetTempPath(), "rolemap-e2e-credentials-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(credentials, "[team]\naws_access_key_id = " + FakeEksServer.AccessKey + "\naws_secret_access_key = " + FakeEksServer.SecretKey + "\n");
        environment.Remove("AWS_ACCESS_KEY_ID");
        environment.Remove("AWS_SECRET_ACCESS_KEY");
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
        try
        {
            var byFlag = Run(environment, "access-entries", "get", "--cluster-name", "prod", "--profile", "team");
            Assert.True(byFlag.ExitCode == 0, byFlag.Stderr);
            environment["AWS_PROFILE"] = "team";
            var byEnvironment = Run(environment, "access-entries", "get", "--cluster-name", "prod");
            Assert.True(byEnvironment.ExitCode == 0, byEnvironment.Stderr);
            Assert.All(eks.Server.Requests, r => Assert.Equal(FakeEksServer.AccessKey, r.AccessKey));

            environment["AWS_PROFILE"] = "missing";
            var missing = Run(environment, "access-entries", "get", "--cluster-name", "prod");
            Assert.Equal(2, missing.ExitCode);
            Assert.Single(missing.Stderr.TrimEnd('\n').Split('\n'));
            Assert.Empty(missing.Stdout);
        }
        finally
        {
            File.Delete(credentials);
            File.Delete(file);
        }
    }
}
