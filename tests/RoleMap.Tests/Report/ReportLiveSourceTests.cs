using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoleMap.AccessEntries;
using RoleMap.AwsApi;
using RoleMap.Cli.Aws;
using RoleMap.Tests.TestSupport;
using Xunit;

namespace RoleMap.Tests.Report;

/// <summary>
/// <c>report --access-entries live --iam-arns live</c> through the in-memory EKS and IAM: the live entries and the
/// cluster's mode are in the report, which equals the report of the same data given as files.
/// </summary>
public partial class ReportLiveSourceTests
{
    private const string Account = "111122223333";
    private static readonly string Admin = AccessPolicyNames.Arn("aws", AccessPolicyNames.ClusterAdmin);
    private static readonly string View = AccessPolicyNames.Arn("aws", AccessPolicyNames.View);
    private static readonly string Example = Path.Combine(Repo.Root, "examples", "eks-access");

    private static string Role(string name) => "arn:aws:iam::" + Account + ":role/" + name;

    private static CliRun Run(InMemoryEks eks, InMemoryIam iam, params string[] args) =>
        TestSupport.Cli.RunIn(Repo.Root, string.Empty, null, false, target => new AwsSession(target, eks, iam, iam), args);

    /// <summary>Access entries for two principals aws-auth also maps (developers replaced) and one of their own.</summary>
    private static (InMemoryEks Eks, InMemoryIam Iam) Cluster(AuthenticationMode mode)
    {
        var eks = new InMemoryEks("prod", mode);
        eks.Put(Role("platform-admin"), AccessEntryType.Standard, createdAt: InMemoryEks.ClusterCreated.AddMinutes(3), policies: new PolicyAssociation(Admin, AccessScope.Cluster));
        eks.Put(Role("developers"), AccessEntryType.Standard, ["dev-team"], "dev:{{SessionName}}", createdAt: InMemoryEks.ClusterCreated.AddDays(2), policies: new PolicyAssociation(View, new AccessScope(["dev"])));
        eks.Put(Role("eks-nodes"), AccessEntryType.Ec2Linux, createdAt: InMemoryEks.ClusterCreated.AddDays(1));
        var iam = new InMemoryIam().AddRole(Role("platform-admin")).AddRole(Role("eks-nodes")).AddRole(Role("auditors"))
            .AddRole(Role("developers"), InMemoryEks.ClusterCreated.AddDays(5));
        return (eks, iam);
    }

    private static string[] Report(params string[] sources) =>
        ["report", "--aws-auth", Path.Combine(Example, "aws-auth.yaml"), "--rbac", Path.Combine(Example, "rbac"), "--migration", "-o", "json", .. sources];

    /// <summary>The same data as files: 'access-entries get -o json' and an 'aws iam list-roles' listing of the fake's roles.</summary>
    private static (string Entries, string Iam) AsFiles(InMemoryEks eks, InMemoryIam iam)
    {
        var directory = Directory.CreateTempSubdirectory("rolemap-report-live-").FullName;
        var get = Run(eks, iam, "access-entries", "get", "--cluster-name", "prod", "--region", "eu-west-1", "-o", "json");
        Assert.True(get.ExitCode == 0, get.Stderr);
        var entries = Path.Combine(directory, "entries.json");
        File.WriteAllText(entries, get.Stdout);
        var roles = new JsonArray([.. iam.Roles.Select(r => (JsonNode)new JsonObject
        {
            ["Path"] = r.Path,
            ["RoleName"] = r.Name,
            ["RoleId"] = r.UniqueId,
            ["Arn"] = r.Arn,
            ["CreateDate"] = r.CreateDate!.Value.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
        })]);
        var listing = Path.Combine(directory, "roles.json");
        File.WriteAllText(listing, new JsonObject { ["Roles"] = roles }.ToJsonString());
        return (entries, listing);
    }

    /// <summary>
    /// The report's data without its list of inputs, which names where the data came from, and with the name findings
    /// give the access entries' source (a file, or CLUSTER:ARN for an entry read through the EKS API) made one.
    /// </summary>
    private static JsonObject Comparable(string json, string? entriesFile = null)
    {
        var text = entriesFile is null
            ? EntrySource().Replace(json, "ENTRIES:")
            : Regex.Replace(json, Regex.Escape(entriesFile) + @"(:\d+:\d+)?:", "ENTRIES:"); // a file's findings also give the line
        var report = (JsonObject)JsonNode.Parse(text)!;
        Assert.NotNull(report["inputs"]);
        report.Remove("inputs");
        return report;
    }

    private static List<string> Inputs(string json) => [.. JsonNode.Parse(json)!["inputs"]!.AsArray().Select(n => n!.GetValue<string>())];

    [Fact]
    public void Live_access_entries_and_iam_give_the_report_of_the_same_files()
    {
        var (eks, iam) = Cluster(AuthenticationMode.ApiAndConfigMap);
        string[] liveSources = ["--access-entries", "live", "--iam-arns", "live", "--cluster-name", "prod", "--region", "eu-west-1"];
        var live = Run(eks, iam, Report(liveSources));
        Assert.True(live.ExitCode == 0, live.Stderr);
        var (entries, listing) = AsFiles(eks, iam);
        var files = Run(eks, iam, Report("--access-entries", entries, "--iam-arns", listing, "--authentication-mode", "API_AND_CONFIG_MAP"));
        Assert.True(files.ExitCode == 0, files.Stderr);

        // The live entries are in the report: the admin policy, the entry that replaces developers' aws-auth entry,
        // and the principal re-created after its entry (from the IAM API's CreateDate).
        Assert.Contains(AccessPolicyNames.ClusterAdmin, live.Stdout, StringComparison.Ordinal);
        Assert.Contains("access-entry-principal-recreated", live.Stdout, StringComparison.Ordinal);
        Assert.Equal("API_AND_CONFIG_MAP", JsonNode.Parse(live.Stdout)!["authenticationMode"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(Comparable(live.Stdout), Comparable(files.Stdout, entries)), "the live report differs from the report of the same files");
        Assert.Equal("access entries of cluster prod (EKS, eu-west-1)", Inputs(live.Stdout)[1]);
        Assert.Equal(live.Stdout, Run(eks, iam, Report(liveSources)).Stdout);
    }

    [Fact]
    public void Live_access_entries_take_the_clusters_mode_unless_one_is_given()
    {
        var (eks, iam) = Cluster(AuthenticationMode.Api);
        string[] liveSources = ["--access-entries", "live", "--cluster-name", "prod", "--region", "eu-west-1"];
        var live = Run(eks, iam, Report(liveSources));
        Assert.True(live.ExitCode == 0, live.Stderr);
        Assert.Equal("API", JsonNode.Parse(live.Stdout)!["authenticationMode"]!.GetValue<string>());
        var given = Run(eks, iam, Report([.. liveSources, "--authentication-mode", "API_AND_CONFIG_MAP"]));
        Assert.Equal("API_AND_CONFIG_MAP", JsonNode.Parse(given.Stdout)!["authenticationMode"]!.GetValue<string>());
    }

    [Fact]
    public void Live_access_entries_without_a_cluster_name_say_how_to_give_one()
    {
        var (eks, iam) = Cluster(AuthenticationMode.Api);
        var run = Run(eks, iam, Report("--access-entries", "live", "--region", "eu-west-1"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give --cluster-name NAME", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"prod:arn:aws:iam::\d+:role/[\w-]+:")]
    private static partial System.Text.RegularExpressions.Regex EntrySource();
}

/// <summary>
/// <c>report --aws-auth cluster --rbac cluster</c> against the test API server: the cluster's aws-auth and RBAC are in
/// the report, which equals the report of the same ConfigMap data and RBAC lists given as files.
/// </summary>
[Collection("cluster")]
public sealed class ReportClusterSourceTests(RoleMap.Tests.Cluster.ClusterFixture cluster)
{
    private const string MapRoles =
        "- rolearn: arn:aws:iam::111122223333:role/eks-nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n"
        + "- rolearn: arn:aws:iam::111122223333:role/report-dev\n  username: dev:{{SessionName}}\n  groups: [report-dev, report-unbound]\n";

    private static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;

    [RoleMap.Tests.Cluster.TestServerFact]
    public async Task Aws_auth_and_rbac_from_the_cluster_give_the_report_of_the_same_files()
    {
        await cluster.SeedAsync(MapRoles);
        cluster.Server!.Put("clusterroles", string.Empty, "report-pods", Json("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","rules":[{"apiGroups":[""],"resources":["pods","secrets"],"verbs":["get","list"]}]}"""));
        cluster.Server.Put("rolebindings", "report-team", "report-dev", Json("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"report-pods"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"report-dev"}]}"""));

        var live = cluster.Run("report", "--aws-auth", "cluster", "--rbac", "cluster", "--migration", "-o", "json");
        Assert.True(live.ExitCode == 0, live.Stderr);
        var report = Json(live.Stdout);
        Assert.Equal(["aws-auth from context " + cluster.Context, "RBAC from context " + cluster.Context], report["inputs"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("arn:aws:iam::111122223333:role/report-dev", live.Stdout, StringComparison.Ordinal);
        Assert.Contains("report-team", live.Stdout, StringComparison.Ordinal);
        Assert.Contains("report-unbound", live.Stdout, StringComparison.Ordinal);

        // The same data as files named as the cluster's sources are (CONTEXT:kube-system/aws-auth, CONTEXT/clusterroles,
        // ...), so that findings sort alike: the ConfigMap, and each RBAC list as the cluster returned it, in its order.
        var directory = cluster.Path("report-files");
        var awsAuth = Path.Combine(directory, cluster.Context + ":kube-system", "aws-auth");
        Directory.CreateDirectory(Path.GetDirectoryName(awsAuth)!);
        File.WriteAllText(awsAuth, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n" + string.Concat(MapRoles.TrimEnd('\n').Split('\n').Select(l => "    " + l + "\n")));
        var client = cluster.Client();
        var sources = await RoleMap.Rbac.LiveRbac.ReadSourcesAsync(client, default);
        (client as IDisposable)?.Dispose();
        var rbacArgs = new List<string>();
        foreach (var source in sources)
        {
            var file = Path.Combine(directory, source.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, source.Text);
            rbacArgs.AddRange(["--rbac", file]);
        }

        var files = cluster.Run(["report", "--aws-auth", awsAuth, .. rbacArgs, "--migration", "-o", "json"]);
        Assert.True(files.ExitCode == 0, files.Stderr);

        // Only where things were read differs: the directory the files are in, and a line of the file against the ConfigMap's name.
        var located = System.Text.RegularExpressions.Regex.Replace(files.Stdout.Replace(directory + "/", string.Empty, StringComparison.Ordinal), "aws-auth:\\d+:", "aws-auth:");
        var fromFiles = Json(located);
        report.Remove("inputs");
        fromFiles.Remove("inputs");
        Assert.True(JsonNode.DeepEquals(report, fromFiles), "the report from the cluster differs from the report of the same files");
    }
}
