using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

public class AccessEntriesCliTests
{
    private static readonly string[] Scenario =
    [
        "--aws-auth", "examples/access-entries/aws-auth.yaml",
        "--iam-arns", "examples/access-entries/iam-roles.json",
        "--iam-arns", "examples/access-entries/iam-users.json",
        "--access-entries", "examples/access-entries/access-entries.json",
        "--cluster-name", "prod",
    ];

    [Theory]
    [InlineData("text", "plan.txt")]
    [InlineData("json", "plan.json")]
    public void Plan_of_the_scenario(string format, string golden)
    {
        var run = TestSupport.Cli.Run(["access-entries", "plan", "-o", format, .. Scenario]);
        Assert.Equal(1, run.ExitCode); // entries need attention, and mapAccounts blocks API mode
        Assert.Equal(string.Empty, run.Stderr);
        Golden.Assert("access-entries/" + golden, run.Stdout);
    }

    [Theory]
    [InlineData("text", "plan-rbac.txt")]
    [InlineData("json", "plan-rbac.json")]
    public void Plan_with_rbac_proves_each_principal(string format, string golden)
    {
        var run = TestSupport.Cli.Run(["access-entries", "plan", "-o", format, .. Scenario, "--rbac", "examples/access-entries/rbac"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        Golden.Assert("access-entries/" + golden, run.Stdout);
    }

    [Fact]
    public void With_rbac_the_text_leads_with_the_principals_whose_access_changes()
    {
        var run = TestSupport.Cli.Run(["access-entries", "plan", .. Scenario, "--rbac", "examples/access-entries/rbac"]);
        var lead = run.Stdout[..run.Stdout.IndexOf("\nskip  mapRoles[0]", StringComparison.Ordinal)];
        Assert.Contains("  fewer     mapRoles[9]  arn:aws:iam::111122223333:role/monitoring\n    lost:    get, list, watch endpoints, nodes, pods, services (cluster-wide)\n", lead, StringComparison.Ordinal);
        Assert.DoesNotContain("platform-ops", lead, StringComparison.Ordinal); // system:masters -> AmazonEKSClusterAdminPolicy: same
    }

    [Fact]
    public void Exit_1_only_for_a_verdict_other_than_same()
    {
        const string Same = "users:\n  - arn: arn:aws:iam::111122223333:user/ci/deployer\n    groups: [system:masters]\n";
        var same = TestSupport.Cli.RunWithInput(Same, "access-entries", "plan", "-", "--rbac", "examples/access-entries/rbac", "-o", "json");
        Assert.Equal(0, same.ExitCode);
        Assert.Contains("\"verdict\": \"same\"", same.Stdout, StringComparison.Ordinal);

        // Nothing needs attention and API mode is possible; only the proof fails: the principal's access entry
        // exists but the input does not describe it, so what it may do is unknown.
        var dir = Directory.CreateTempSubdirectory("rolemap-proof-");
        try
        {
            var entries = Path.Combine(dir.FullName, "entries.json");
            File.WriteAllText(entries, "{\"accessEntries\": [\"arn:aws:iam::111122223333:user/ci/deployer\"]}");
            const string Spec = "users:\n  - arn: arn:aws:iam::111122223333:user/ci/deployer\n    username: deployer\n    groups: [viewers]\n";
            var plain = TestSupport.Cli.RunWithInput(Spec, "access-entries", "plan", "-", "--access-entries", entries);
            Assert.Equal(0, plain.ExitCode);
            var proof = TestSupport.Cli.RunWithInput(Spec, "access-entries", "plan", "-", "--access-entries", entries, "--rbac", "examples/access-entries/rbac", "-o", "json");
            Assert.Equal(1, proof.ExitCode);
            Assert.Contains("\"verdict\": \"unknown\"", proof.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("rolemap: --no-bootstrap: --no-bootstrap applies to --rbac", "access-entries", "plan", "examples/quickstart/spec.yaml", "--no-bootstrap")]
    [InlineData("rolemap: --rbac: only one input can be read from stdin ('-')", "access-entries", "plan", "-", "--rbac", "-")]
    [InlineData("rolemap: no/such/rbac.yaml: file not found", "access-entries", "plan", "examples/quickstart/spec.yaml", "--rbac", "no/such/rbac.yaml")]
    public void Bad_rbac_input_exits_2(string message, params string[] args)
    {
        var run = TestSupport.Cli.RunWithInput(string.Empty, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.StartsWith(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_from_a_spec_keeps_its_role_paths()
    {
        var run = TestSupport.Cli.Run("access-entries", "plan", "examples/quickstart/spec.yaml");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr); // the path-removal warnings of generate do not apply here
        Golden.Assert("access-entries/plan-quickstart.txt", run.Stdout);
    }

    [Fact]
    public void A_plan_with_nothing_to_do_exits_0()
    {
        const string Spec = "users:\n  - arn: arn:aws:iam::111122223333:user/ci/deployer\n    groups: [system:masters]\n";
        var run = TestSupport.Cli.RunWithInput(Spec, "access-entries", "plan", "-", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"possible\": true", run.Stdout, StringComparison.Ordinal);
        var export = TestSupport.Cli.RunWithInput(Spec, "access-entries", "export", "-", "--cluster-name", "prod");
        Assert.Equal(0, export.ExitCode);
        Assert.Equal(string.Empty, export.Stderr);
        Assert.Contains("--principal-arn arn:aws:iam::111122223333:user/ci/deployer --type STANDARD --username deployer\n", export.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_without_a_reachable_cluster_is_a_clear_error()
    {
        var run = TestSupport.Cli.Run("access-entries", "plan", "live", "--kubeconfig", "no/such/kubeconfig");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("kubeconfig", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rolemap: give either SOURCE (a spec, or live) or --aws-auth FILE, not both\n", "access-entries", "plan", "examples/quickstart/spec.yaml", "--aws-auth", "examples/access-entries/aws-auth.yaml")]
    [InlineData("rolemap: missing input: give a mapping SPEC, --aws-auth FILE, or live\n", "access-entries", "export")]
    [InlineData("rolemap: tests/RoleMap.Tests/testdata/aws-auth/valid.yaml:1:1: not valid JSON", "access-entries", "plan", "examples/quickstart/spec.yaml", "--iam-arns", "tests/RoleMap.Tests/testdata/aws-auth/valid.yaml")]
    [InlineData("rolemap: no/such.json: file not found\n", "access-entries", "plan", "examples/quickstart/spec.yaml", "--access-entries", "no/such.json")]
    public void Bad_input_exits_2_with_one_message(string message, params string[] args)
    {
        var run = TestSupport.Cli.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.StartsWith(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_export_format_is_refused()
    {
        var run = TestSupport.Cli.Run("access-entries", "export", "-o", "pulumi", "examples/quickstart/spec.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
    }
}

public class ResolveAccessEntriesCliTests
{
    private const string AwsAuth = "examples/access-entries/aws-auth.yaml";
    private const string Entries = "examples/access-entries/access-entries.json";

    [Fact]
    public void An_access_entry_replaces_the_aws_auth_entry()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/eks-managed-ng/i-0123456789abcdef0", "--aws-auth", AwsAuth, "--access-entries", Entries, "--ec2-private-dns-name", "ip-10-0-0-1.ec2.internal");
        Assert.Equal(0, run.ExitCode);
        Golden.Assert("access-entries/resolve-node.txt", run.Stdout);
    }

    [Fact]
    public void Json_names_the_entry_and_its_policies()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/cluster-creator/jane", "--access-entries", Entries, "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Golden.Assert("access-entries/resolve-creator.json", run.Stdout);
    }

    [Fact]
    public void The_planned_entries_preview_the_cluster_after_the_migration()
    {
        var export = TestSupport.Cli.Run("access-entries", "export", "-o", "json", "--aws-auth", AwsAuth, "--iam-arns", "examples/access-entries/iam-roles.json");
        var dir = Directory.CreateTempSubdirectory("rolemap-resolve-");
        try
        {
            var planned = Path.Combine(dir.FullName, "planned.json");
            File.WriteAllText(planned, export.Stdout);
            var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/platform-ops/jane", "--aws-auth", AwsAuth, "--access-entries", planned);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("matched by:    access entry (arn:aws:iam::111122223333:role/platform/platform-ops, STANDARD)\nusername:      ops:jane\ngroups:        platform\npolicies:      AmazonEKSClusterAdminPolicy (cluster scope)\n", run.Stdout, StringComparison.Ordinal);
            Assert.Contains("note: access policy permissions are enforced by EKS's own authorizer, outside Kubernetes RBAC", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Api_mode_ignores_aws_auth()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:sts::111122223333:assumed-role/developers/jane", "--aws-auth", AwsAuth, "--access-entries", Entries, "--authentication-mode", "API");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not mapped:    EKS rejects this caller (401 Unauthorized)\nnote: no access entry matches this caller, and in API mode EKS ignores aws-auth (aws-auth would map it through mapRoles)\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_matching_entry_aws_auth_decides_and_says_so()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:iam::111122223333:user/ci/deployer", "--aws-auth", AwsAuth, "--access-entries", Entries, "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"matchedBy\": \"mapUsers\",\n  \"authenticationMode\": \"API_AND_CONFIG_MAP\",\n  \"accessEntry\": null,\n  \"accessPolicies\": null,", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("no access entry matches this caller, so aws-auth applies", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_mode_is_refused()
    {
        var run = TestSupport.Cli.Run("resolve", "arn:aws:iam::111122223333:user/x", "--access-entries", Entries, "--authentication-mode", "BOTH");
        Assert.Equal(2, run.ExitCode);
    }
}
