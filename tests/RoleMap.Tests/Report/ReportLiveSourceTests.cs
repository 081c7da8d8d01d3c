using System.Text.Json.Nodes;
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
            : json.Replace(entriesFile + ":", "ENTRIES:", StringComparison.Ordinal);
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
