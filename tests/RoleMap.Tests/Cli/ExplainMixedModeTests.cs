using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>explain with --access-entries: an access entry replaces the principal's aws-auth entry, groups not merged.</summary>
public class ExplainMixedModeTests
{
    private const string Entry = """
        {"accessEntry": {"clusterName": "prod", "principalArn": "arn:aws:iam::111122223333:role/teams/ApiDeveloper",
          "kubernetesGroups": ["backendteam"], "username": "api-dev", "type": "STANDARD"}}
        """;

    private static string EntryFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "rolemap-explain-entry-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, Entry);
        return path;
    }

    [Fact]
    public void Access_entry_replaces_the_aws_auth_groups()
    {
        var file = EntryFile();
        try
        {
            var args = new[] { "explain", "arn:aws:sts::111122223333:assumed-role/ApiDeveloper/jane", "--spec", "examples/api-backend/spec.yaml", "--rbac", "examples/api-backend/rbac", "--access-entries", file };
            var backend = TestSupport.Cli.Run([.. args, "list", "pods", "-n", "backendteam"]);
            Assert.Equal(0, backend.ExitCode);
            Assert.Contains("access entry:", backend.Stdout, StringComparison.Ordinal);
            Assert.Contains("arn:aws:iam::111122223333:role/teams/ApiDeveloper (STANDARD)", backend.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"api-dev\"", backend.Stdout, StringComparison.Ordinal);
            Assert.Contains("outside Kubernetes RBAC", backend.Stdout, StringComparison.Ordinal);
            var api = TestSupport.Cli.Run([.. args, "list", "pods", "-n", "apiteam"]);
            Assert.Equal(1, api.ExitCode); // the aws-auth group apiteam no longer applies

            var configMapOnly = TestSupport.Cli.Run([.. args, "list", "pods", "-n", "apiteam", "--authentication-mode", "CONFIG_MAP"]);
            Assert.Equal(0, configMapOnly.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
