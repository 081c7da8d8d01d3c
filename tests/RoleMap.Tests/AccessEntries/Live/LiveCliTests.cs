using RoleMap.AccessEntries;
using RoleMap.AwsApi;
using RoleMap.Cli.Aws;
using RoleMap.Tests.TestSupport;
using Xunit;

namespace RoleMap.Tests.AccessEntries.Live;

/// <summary>
/// The live commands through <see cref="CliIO.AwsOverride"/>: the in-memory EKS, IAM and STS stand in for AWS, given
/// the target the options resolved (so --cluster-name and --region are checked too).
/// </summary>
public class LiveCliTests
{
    private const string Account = "111122223333";
    private static readonly string Admin = AccessPolicyNames.Arn("aws", AccessPolicyNames.ClusterAdmin);
    private static readonly string View = AccessPolicyNames.Arn("aws", AccessPolicyNames.View);

    private static string Role(string name) => "arn:aws:iam::" + Account + ":role/" + name;

    /// <summary>Runs rolemap in-process with the fakes as the AWS clients.</summary>
    internal static CliRun Run(InMemoryEks eks, InMemoryIam iam, string stdin, bool terminal, params string[] args) =>
        TestSupport.Cli.RunIn(Repo.Root, stdin, Region, terminal, target => new AwsSession(target, eks, iam, iam), args);

    /// <summary>The region comes from the environment, as on a machine with AWS configured (the fakes ignore it).</summary>
    private static readonly Dictionary<string, string> Region = new(StringComparer.Ordinal) { ["AWS_REGION"] = "eu-west-1" };

    private static CliRun Run(InMemoryEks eks, InMemoryIam iam, params string[] args) => Run(eks, iam, string.Empty, false, args);

    private static (InMemoryEks Eks, InMemoryIam Iam) Cluster()
    {
        var eks = new InMemoryEks { InProgressPolls = 0 };
        eks.Put(Role("admin"), AccessEntryType.Standard, createdAt: InMemoryEks.ClusterCreated.AddMinutes(3), policies: new PolicyAssociation(Admin, AccessScope.Cluster));
        eks.Put(Role("nodes"), AccessEntryType.Ec2Linux, createdAt: InMemoryEks.ClusterCreated.AddDays(1));
        eks.Put(Role("teams/dev"), AccessEntryType.Standard, ["dev"], "dev:{{SessionName}}", createdAt: InMemoryEks.ClusterCreated.AddDays(2), policies: new PolicyAssociation(View, new AccessScope(["dev", "qa-*"])));
        var iam = new InMemoryIam().AddRole(Role("admin")).AddRole(Role("nodes")).AddRole(Role("teams/dev")).AddRole(Role("teams/ops")).AddRole(Role("web"));
        return (eks, iam);
    }

    private static string AwsAuthFile(string mapRoles)
    {
        var path = Path.Combine(Path.GetTempPath(), "rolemap-live-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(path, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n" + string.Concat(mapRoles.Split('\n').Select(l => "    " + l + "\n")));
        return path;
    }

    private const string OpsAndWeb = "- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [ops]\n- rolearn: arn:aws:iam::111122223333:role/web\n  username: web:{{SessionName}}\n  groups: [web]";

    [Fact]
    public void Get_shows_the_mode_and_every_entry_marking_eks_own_text_json_and_yaml()
    {
        var (eks, iam) = Cluster();
        var text = Run(eks, iam, "access-entries", "get", "--cluster-name", "prod");
        Assert.Equal(0, text.ExitCode);
        Golden.Assert("access-entries-get.txt", text.Stdout);
        var json = Run(eks, iam, "access-entries", "get", "--cluster-name", "prod", "-o", "json");
        Golden.Assert("access-entries-get.json", json.Stdout);
        var yaml = Run(eks, iam, "access-entries", "get", "--cluster-name", "prod", "-o", "yaml");
        Assert.Contains("eksCreated: \"cluster creator: EKS created this admin entry with the cluster\"", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("authenticationMode: API_AND_CONFIG_MAP", yaml.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_without_a_cluster_name_says_how_to_give_one()
    {
        var (eks, iam) = Cluster();
        var run = Run(eks, iam, "access-entries", "get");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give --cluster-name NAME", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Get_reports_an_aws_error_in_one_line()
    {
        var (eks, iam) = Cluster();
        eks.FailOn["DescribeCluster"] = new AwsNotFoundException("No cluster found for name: prod (eks:DescribeCluster in eu-west-1): check --cluster-name and --region", "eks", "DescribeCluster", "ResourceNotFoundException");
        var run = Run(eks, iam, "access-entries", "get", "--cluster-name", "prod");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rolemap: No cluster found for name: prod (eks:DescribeCluster in eu-west-1): check --cluster-name and --region\n", run.Stderr);
    }

    [Fact]
    public void Apply_dry_run_then_apply_then_apply_again()
    {
        var (eks, iam) = Cluster();
        var file = AwsAuthFile(OpsAndWeb);
        try
        {
            var dry = Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "--dry-run");
            Assert.True(dry.ExitCode == 1, dry.Stderr);
            Assert.Contains("+ " + Role("teams/ops") + " (create)", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains("create access entry " + Role("web") + " (STANDARD, groups web, username web:{{SessionName}})", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains(Role("teams/dev") + " (kept)", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains("dry run: 2 calls would be made", dry.Stdout, StringComparison.Ordinal);
            Assert.Equal(3, eks.Entries.Count);

            var applied = Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y");
            Assert.Equal(0, applied.ExitCode);
            Assert.Contains("applied: 2 calls made; confirmed by re-reading the entries", applied.Stdout, StringComparison.Ordinal);
            Assert.Equal(LiveAccess.ManagedByValue, eks.Entries.Single(e => e.PrincipalArn == Role("teams/ops")).Tags[LiveAccess.ManagedByTag]);
            Assert.Equal(2, iam.StsCalls); // the dry run asked too

            var again = Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y");
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("already match: nothing to do", again.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Apply_asks_and_without_a_terminal_changes_nothing()
    {
        var (eks, iam) = Cluster();
        var file = AwsAuthFile(OpsAndWeb);
        try
        {
            var refused = Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("in scripts and CI pass --yes", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("+ " + Role("web"), refused.Stdout, StringComparison.Ordinal);
            Assert.Equal(3, eks.Entries.Count);

            var confirmed = Run(eks, iam, "y\n", true, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod");
            Assert.Equal(0, confirmed.ExitCode);
            Assert.Contains("Make these changes to the access entries of prod? [y/N]", confirmed.Stderr, StringComparison.Ordinal);
            Assert.Equal(5, eks.Entries.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Prune_deletes_entries_rolemap_did_not_create_but_never_eks_own()
    {
        var (eks, iam) = Cluster();
        var file = AwsAuthFile(OpsAndWeb);
        try
        {
            // The caller keeps admin access through the creator's entry, which EKS made and prune never deletes.
            var run = Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y", "--prune");
            Assert.Equal(0, run.ExitCode);
            Assert.Equal([Role("admin"), Role("nodes"), Role("teams/ops"), Role("web")], eks.Entries.Select(e => e.PrincipalArn).Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_cluster_creators_entry_is_never_changed_even_when_the_plan_differs()
    {
        var (eks, iam) = Cluster();
        var file = AwsAuthFile("- rolearn: arn:aws:iam::111122223333:role/admin\n  username: admin\n  groups: [view]");
        try
        {
            var run = Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("the plan differs from it, and it is left as EKS made it", run.Stdout, StringComparison.Ordinal);
            Assert.Empty(eks.Entries.Single(e => e.PrincipalArn == Role("admin")).KubernetesGroups);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Guard_uses_as_arn_and_force_applies_anyway()
    {
        var (eks, iam) = Cluster();
        eks.Put(Role("breakglass"), AccessEntryType.Standard, tags: new Dictionary<string, string> { [LiveAccess.ManagedByTag] = LiveAccess.ManagedByValue }, policies: new PolicyAssociation(Admin, AccessScope.Cluster));
        var file = AwsAuthFile(OpsAndWeb);
        try
        {
            string[] args = ["access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y", "--as-arn", "arn:aws:sts::111122223333:assumed-role/breakglass/me"];
            var refused = Run(eks, iam, args);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("refused: you (arn:aws:sts::111122223333:assumed-role/breakglass/me) would lose your admin access", refused.Stdout, StringComparison.Ordinal);
            Assert.Equal(0, iam.StsCalls);

            var forced = Run(eks, iam, [.. args, "--force"]);
            Assert.Equal(0, forced.ExitCode);
            Assert.Contains("warning (--force)", forced.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(eks.Entries, e => e.PrincipalArn == Role("breakglass"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Apply_failing_midway_says_what_was_done()
    {
        var (eks, iam) = Cluster();
        eks.FailOn["CreateAccessEntry"] = new AwsApiException("AccessDenied: you are not allowed eks:CreateAccessEntry", "eks", "CreateAccessEntry", "AccessDeniedException", 403);
        var file = AwsAuthFile(OpsAndWeb);
        try
        {
            var run = Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y");
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("not done (2):", run.Stdout, StringComparison.Ordinal);
            Assert.Contains("failed: AccessDenied", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Mode_switch_needs_the_cluster_name_as_a_second_confirmation()
    {
        var (eks, iam) = Cluster();
        eks.Cluster = eks.Cluster with { AuthenticationMode = AuthenticationMode.ConfigMap };

        var dry = Run(eks, iam, "access-entries", "mode", "API_AND_CONFIG_MAP", "--cluster-name", "prod", "--dry-run");
        Assert.Equal(1, dry.ExitCode);
        Assert.Contains("would switch from CONFIG_MAP to API_AND_CONFIG_MAP", dry.Stdout, StringComparison.Ordinal);

        var yesOnly = Run(eks, iam, "access-entries", "mode", "API_AND_CONFIG_MAP", "--cluster-name", "prod", "-y");
        Assert.Equal(2, yesOnly.ExitCode);
        Assert.Contains("also give --confirm-cluster prod", yesOnly.Stderr, StringComparison.Ordinal);

        var wrongName = Run(eks, iam, "prd\n", true, "access-entries", "mode", "API_AND_CONFIG_MAP", "--cluster-name", "prod");
        Assert.Equal(2, wrongName.ExitCode);
        Assert.Equal(AuthenticationMode.ConfigMap, eks.Cluster.AuthenticationMode);

        var typed = Run(eks, iam, "prod\n", true, "access-entries", "mode", "API_AND_CONFIG_MAP", "--cluster-name", "prod");
        Assert.Equal(0, typed.ExitCode);
        Assert.Equal(AuthenticationMode.ApiAndConfigMap, eks.Cluster.AuthenticationMode);

        var back = Run(eks, iam, "access-entries", "mode", "API_AND_CONFIG_MAP", "--cluster-name", "prod", "-y", "--confirm-cluster", "prod");
        Assert.Equal(0, back.ExitCode);
        Assert.Contains("already", back.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_api_is_refused_while_aws_auth_maps_someone_without_an_entry()
    {
        var (eks, iam) = Cluster();
        var file = AwsAuthFile(OpsAndWeb);
        try
        {
            string[] args = ["access-entries", "mode", "API", "--cluster-name", "prod", "--aws-auth", file, "-y", "--confirm-cluster", "prod"];
            var blocked = Run(eks, iam, args);
            Assert.Equal(2, blocked.ExitCode);
            Assert.Contains("does not exist yet; run 'rolemap access-entries apply' first", blocked.Stdout, StringComparison.Ordinal);

            Assert.Equal(0, Run(eks, iam, "access-entries", "apply", "--aws-auth", file, "--cluster-name", "prod", "-y").ExitCode);
            var switched = Run(eks, iam, args);
            Assert.Equal(0, switched.ExitCode);
            Assert.Equal(AuthenticationMode.Api, eks.Cluster.AuthenticationMode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_aws_target_comes_from_the_context_the_command_names_not_the_current_one()
    {
        var (eks, iam) = Cluster();
        var kubeconfig = Path.Combine(Path.GetTempPath(), "rolemap-live-kubeconfig-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            current-context: staging
            clusters:
            - name: c
              cluster: { server: "https://127.0.0.1:1" }
            contexts:
            - name: staging
              context: { cluster: c, user: staging }
            - name: production
              context: { cluster: c, user: production }
            users:
            - name: staging
              user:
                exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token, --cluster-name, staging, --region, us-west-2] }
            - name: production
              user:
                exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token, --cluster-name, prod, --region, eu-central-1] }
            """);
        try
        {
            var targets = new List<AwsTarget>();
            var run = TestSupport.Cli.RunIn(Repo.Root, string.Empty, null, false, target =>
            {
                targets.Add(target);
                return new AwsSession(target, eks, iam, iam);
            }, "who-can", "get", "pods", "-n", "dev", "--access-entries", "live", "--rbac", "examples/eks-access/rbac", "--kubeconfig", kubeconfig, "--context", "production");
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal(("prod", "eu-central-1"), (targets.Single().ClusterName, targets.Single().Region));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public void Live_access_entries_on_who_can_and_explain_read_the_mode_and_the_caller()
    {
        var (eks, iam) = Cluster();
        eks.Cluster = eks.Cluster with { AuthenticationMode = AuthenticationMode.Api };
        var whoCan = Run(eks, iam, "who-can", "get", "pods", "-n", "dev", "--access-entries", "live", "--cluster-name", "prod", "--rbac", "examples/eks-access/rbac", "-o", "json");
        Assert.Equal(0, whoCan.ExitCode);
        Assert.Contains(Role("teams/dev"), whoCan.Stdout, StringComparison.Ordinal);

        var explain = Run(eks, iam, "explain", "arn:aws:sts::111122223333:assumed-role/dev/jane", "--access-entries", "live", "--cluster-name", "prod", "--rbac", "examples/eks-access/rbac", "list", "pods", "-n", "qa-1");
        Assert.Equal(0, explain.ExitCode);
        Assert.Contains("AmazonEKSViewPolicy", explain.Stdout, StringComparison.Ordinal);

        // can-i with live entries and no identity: the caller is who STS says the credentials belong to (admin).
        var canI = Run(eks, iam, "can-i", "delete", "nodes", "--access-entries", "live", "--cluster-name", "prod", "--rbac", "examples/eks-access/rbac");
        Assert.Equal(0, canI.ExitCode);
        Assert.Equal(1, iam.StsCalls);
    }

    [Fact]
    public void Lint_live_finds_an_entry_whose_role_was_recreated()
    {
        var (eks, iam) = Cluster();
        iam.Roles.RemoveAll(r => r.Name == "dev");
        iam.AddRole(Role("teams/dev"), InMemoryEks.ClusterCreated.AddDays(20));
        var run = Run(eks, iam, "lint", "--access-entries", "live", "--iam-arns", "live", "--cluster-name", "prod");
        Assert.Contains("access-entry-principal-recreated", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(Role("teams/dev"), run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_with_iam_arns_live_restores_role_paths_from_the_iam_api()
    {
        var (eks, iam) = Cluster();
        var file = AwsAuthFile(OpsAndWeb);
        try
        {
            var withoutIam = Run(eks, iam, "access-entries", "export", "--aws-auth", file, "--cluster-name", "prod", "-o", "json");
            Assert.DoesNotContain("role/teams/ops", withoutIam.Stdout, StringComparison.Ordinal);
            var run = Run(eks, iam, "access-entries", "export", "--aws-auth", file, "--cluster-name", "prod", "--iam-arns", "live", "-o", "json");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("arn:aws:iam::111122223333:role/teams/ops", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Get_json_saved_to_a_file_reads_back_as_access_entries()
    {
        var (eks, iam) = Cluster();
        var file = Path.Combine(Path.GetTempPath(), "rolemap-live-get-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        try
        {
            File.WriteAllText(file, Run(eks, iam, "access-entries", "get", "--cluster-name", "prod", "-o", "json").Stdout);
            string[] canI = ["can-i", "list", "pods", "--as-arn", "arn:aws:sts::111122223333:assumed-role/dev/jane", "--access-entries", file, "--rbac", "examples/eks-access/rbac", "--authentication-mode", "API"];
            Assert.Equal(0, TestSupport.Cli.Run([.. canI, "-n", "qa-7"]).ExitCode);
            Assert.Equal(1, TestSupport.Cli.Run([.. canI, "-n", "prod"]).ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
