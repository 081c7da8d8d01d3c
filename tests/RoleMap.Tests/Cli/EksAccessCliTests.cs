using System.Text.Json;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>can-i, who-can, explain and matrix with access entries and their access policies (examples/eks-access).</summary>
public class EksAccessCliTests
{
    private const string Assumed = "arn:aws:sts::111122223333:assumed-role/";

    private static readonly string[] Inputs =
    [
        "--aws-auth", "examples/eks-access/aws-auth.yaml", "--access-entries", "examples/eks-access/access-entries.json", "--rbac", "examples/eks-access/rbac",
    ];

    [Fact]
    public void Can_i_answers_unknown_with_the_policy_and_exits_1()
    {
        var run = TestSupport.Cli.Run(["can-i", "create", "persistentvolumes", "--as-arn", Assumed + "auto-mode-cluster/x", .. Inputs]);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("unknown\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("AmazonEKSBlockStorageClusterPolicy (cluster scope), whose rules AWS does not publish", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Can_i_names_the_policy_scope_and_rule_that_allowed()
    {
        var run = TestSupport.Cli.Run(["can-i", "get", "pods", "-n", "dev-web", "--as-arn", Assumed + "auditors/bo", .. Inputs]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("reason:    allowed by access policy AmazonEKSViewPolicy (namespaces dev-*) row 8 of its table:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Can_i_list_adds_the_access_policies_that_apply_in_the_namespace()
    {
        var payments = TestSupport.Cli.Run(["can-i", "--list", "-n", "payments", "--as-arn", Assumed + "payments-secrets/x", .. Inputs]);
        Assert.Equal(0, payments.ExitCode);
        Assert.Contains("access policy AmazonEKSSecretReaderPolicy (namespaces payments; EKS authorizes with it after RBAC):\nResources   Non-Resource URLs   Resource Names   Verbs\nsecrets     []                  []               [get list watch]\n", payments.Stdout, StringComparison.Ordinal);

        // Out of the policy's scope nothing is added; a policy whose rules are unpublished is named as unknown.
        var elsewhere = TestSupport.Cli.Run(["can-i", "--list", "-n", "dev-web", "--as-arn", Assumed + "payments-secrets/x", .. Inputs]);
        Assert.DoesNotContain("access policy AmazonEKSSecretReaderPolicy", elsewhere.Stdout, StringComparison.Ordinal);
        var unpublished = TestSupport.Cli.Run(["can-i", "--list", "-n", "dev-web", "--as-arn", Assumed + "auto-mode-cluster/x", .. Inputs]);
        Assert.Contains("note:      access policy AmazonEKSBlockStorageClusterPolicy: AWS does not publish its rules; what it allows here is unknown\n", unpublished.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Who_can_lists_principals_through_policies_and_those_that_may_be_allowed()
    {
        var run = TestSupport.Cli.Run(["who-can", "get", "secrets", "-n", "payments", "-o", "json", .. Inputs]);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var principals = json.RootElement.GetProperty("iamPrincipals").EnumerateArray().ToList();
        var reader = principals.Single(p => p.GetProperty("arn").GetString()!.EndsWith("/payments-secrets", StringComparison.Ordinal));
        Assert.Equal("accessEntry", reader.GetProperty("matchedBy").GetString());
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy", reader.GetProperty("accessPolicy").GetProperty("policyArn").GetString());
        Assert.Equal("payments", reader.GetProperty("accessPolicy").GetProperty("accessScope").GetProperty("namespaces")[0].GetString());
        var maybe = json.RootElement.GetProperty("mayBeAllowed").EnumerateArray().Single();
        Assert.EndsWith("/auto-mode-cluster", maybe.GetProperty("arn").GetString(), StringComparison.Ordinal);
        // The auditors' aws-auth entry is replaced by their access entry: not listed through aws-auth.
        Assert.DoesNotContain(principals, p => p.GetProperty("matchedBy").GetString() == "mapRoles" && p.GetProperty("arn").GetString()!.EndsWith("/auditors", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_access_entries_who_can_json_has_no_new_keys()
    {
        var run = TestSupport.Cli.Run("who-can", "get", "pods", "--aws-auth", "examples/eks-access/aws-auth.yaml", "--rbac", "examples/eks-access/rbac", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("mayBeAllowed", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("accessPolicy", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_says_which_authorizer_decided()
    {
        var run = TestSupport.Cli.Run(["explain", Assumed + "ci-deployer/run-7", "create", "deployments.apps", "-n", "staging", .. Inputs]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("access entry: arn:aws:iam::111122223333:role/ci-deployer (STANDARD)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("decision:  yes, allowed by access policy AmazonEKSEditPolicy (namespaces staging)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_marks_unknown_cells_and_lists_access_entry_principals()
    {
        var run = TestSupport.Cli.Run(["matrix", "--all-mapped", "-n", "payments", "--resource", "secrets", "-o", "csv", .. Inputs]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("arn:aws:iam::111122223333:role/payments-secrets,payments-secrets,payments,,secrets,yes,yes,yes,no,no,no,no", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("arn:aws:iam::111122223333:role/auto-mode-cluster,", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(",unknown,", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"principalArn": "arn:aws:iam::111122223333:role/x", "associatedAccessPolicies": [{"policyArn": "AmazonEKSViewPolicy", "accessScope": {"type": "cluster"}}]}""", "policyArn", "is not an access policy ARN")]
    [InlineData("""{"principalArn": "arn:aws:iam::111122223333:role/x", "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "namespace", "namespaces": ["dev*team"]}}]}""", "namespaces", "has '*' before its end")]
    [InlineData("""{"principalArn": "arn:aws:iam::111122223333:role/x", "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "region"}}]}""", "type", "unknown scope type")]
    public void Bad_access_entry_input_is_refused_naming_the_file_and_field(string json, string field, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), "rolemap-bad-entry-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(file, json);
        try
        {
            var run = TestSupport.Cli.Run("can-i", "get", "pods", "--as-arn", Assumed + "x/s", "--access-entries", file, "--rbac", "examples/eks-access/rbac");
            Assert.Equal(2, run.ExitCode);
            Assert.Equal(string.Empty, run.Stdout);
            Assert.Contains(file, run.Stderr, StringComparison.Ordinal);
            Assert.Contains(field, run.Stderr, StringComparison.Ordinal);
            Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
            Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("""{"principalArn": "arn:aws:iam::111122223333:role/developers", "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "namespace", "namespaces": ["other"]}}]}""", "developers/cy")]
    [InlineData("""{"accessEntry": {"principalArn": "arn:aws:iam::111122223333:role/auto-node", "kubernetesGroups": [], "username": "system:node:{{EC2PrivateDNSName}}", "type": "EC2"}}""", "auto-node/i-0123456789abcdef0")]
    public void An_entry_the_input_does_not_describe_fully_is_unknown_not_no(string json, string session)
    {
        var file = Path.Combine(Path.GetTempPath(), "rolemap-partial-entry-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(file, json);
        try
        {
            // Only the policies (no username or groups), or an Auto Mode EC2 entry without its policy list.
            var run = TestSupport.Cli.Run("can-i", "create", "deployments.apps", "-n", "dev-web", "--as-arn", Assumed + session, "--aws-auth", "examples/eks-access/aws-auth.yaml", "--access-entries", file, "--rbac", "examples/eks-access/rbac");
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith("unknown\n", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_unknown_mode_is_refused()
    {
        var run = TestSupport.Cli.Run(["can-i", "get", "pods", "--as-arn", Assumed + "x/s", "--authentication-mode", "MAYBE", .. Inputs]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("MAYBE", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Impersonation_with_access_entries_is_refused_as_meaningless()
    {
        var run = TestSupport.Cli.Run(["can-i", "get", "pods", "--as", "auditor:bo", .. Inputs]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("impersonation", run.Stderr, StringComparison.Ordinal);
    }
}
