using RoleMap.FakeEks;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// The whole migration on live systems: aws-auth read from the Kubernetes API (the test API server), access entries
/// written through the EKS API (the fake endpoint), role paths and the caller from IAM and STS (moto), then the mode
/// switched to API once every principal aws-auth maps has its entry.
/// </summary>
[Collection("cluster")]
public sealed class LiveAwsAuthToAccessEntriesTests(ClusterFixture cluster)
{
    private const string Account = MotoServer.Account;

    private static string Role(string name) => "arn:aws:iam::" + Account + ":role/" + name;

    [TestServerFact("python3:moto")]
    public async Task Apply_live_then_switch_the_mode_to_api()
    {
        Tools.Require("python3:moto");
        await cluster.SeedAsync(
            "- rolearn: " + Role("nodes") + "\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n"
            + "- rolearn: " + Role("deploy") + "\n  username: deploy:{{SessionName}}\n  groups: [deployers]\n");
        var moto = new MotoServer();
        await moto.InitializeAsync();
        try
        {
            moto.Boto3("""
                for name, path in [('nodes', '/'), ('deploy', '/ci/')]:
                    try:
                        iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument='{}')
                    except iam.exceptions.EntityAlreadyExistsException:
                        pass
                """);
            await using var eks = await FakeEksEndpoint.StartAsync(pageSize: 2, seed: false);
            eks.Server.AddCluster("prod");
            var environment = eks.Environment;
            environment["AWS_ENDPOINT_URL_IAM"] = moto.Url.AbsoluteUri;
            environment["AWS_ENDPOINT_URL_STS"] = moto.Url.AbsoluteUri;

            var early = cluster.RunWith(environment, "access-entries", "mode", "API", "--cluster-name", "prod", "--yes", "--confirm-cluster", "prod");
            Assert.True(early.ExitCode == 2, early.Stdout + early.Stderr);
            Assert.Equal("API_AND_CONFIG_MAP", eks.Server.Cluster("prod")!.AuthenticationMode);

            var apply = cluster.RunWith(environment, "access-entries", "apply", "live", "--cluster-name", "prod", "-y");
            Assert.True(apply.ExitCode == 0, apply.Stdout + apply.Stderr);
            var entries = eks.Server.Cluster("prod")!.Entries;
            var deploy = Assert.Single(entries, e => e.PrincipalArn == Role("ci/deploy")); // the path came back from IAM
            Assert.Equal(["deployers"], deploy.KubernetesGroups);
            Assert.Equal("deploy:{{SessionName}}", deploy.Username);
            Assert.Equal("EC2_LINUX", Assert.Single(entries, e => e.PrincipalArn == Role("nodes")).Type);

            var again = cluster.RunWith(environment, "access-entries", "apply", "live", "--cluster-name", "prod", "-y");
            Assert.True(again.ExitCode == 0 && again.Stdout.Contains("nothing to do", StringComparison.Ordinal), again.Stdout + again.Stderr);

            var switched = cluster.RunWith(environment, "access-entries", "mode", "API", "--cluster-name", "prod", "--yes", "--confirm-cluster", "prod");
            Assert.True(switched.ExitCode == 0, switched.Stdout + switched.Stderr);
            Assert.Equal("API", eks.Server.Cluster("prod")!.AuthenticationMode);
        }
        finally
        {
            await moto.DisposeAsync();
        }
    }
}
