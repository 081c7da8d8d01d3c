using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Report;

/// <summary>The report's bytes: golden pages for the examples, determinism, escaping, and the JSON it embeds.</summary>
public partial class ReportOutputTests
{
    public static TheoryData<string> Examples() => [.. ReportScenarios.Examples.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Html_matches_golden(string example)
    {
        var run = ReportScenarios.Run(example);
        Assert.True(run.ExitCode == 0, run.Stderr);
        AssertGolden(example + ".html", run.Stdout);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Same_inputs_give_the_same_bytes(string example)
    {
        var first = ReportScenarios.Run(example);
        var second = ReportScenarios.Run(example);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(ReportScenarios.Run(example, "-o", "json").Stdout, ReportScenarios.Run(example, "-o", "json").Stdout);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Json_output_is_the_data_the_page_embeds(string example)
    {
        var page = ReportScenarios.Run(example).Stdout;
        var json = ReportScenarios.Run(example, "-o", "json");
        Assert.Equal(0, json.ExitCode);
        var embedded = EmbeddedData().Match(page);
        Assert.True(embedded.Success, "no embedded data in the page");
        var document = JsonNode.Parse(json.Stdout)!;
        var data = JsonNode.Parse(embedded.Groups[1].Value)!;
        Assert.True(JsonNode.DeepEquals(document["matrix"], data["matrix"]), "report -o json's matrix differs from the page's");

        // The page embeds only what its script reads: the principals' names, and the matrix.
        Assert.Equal(["principals", "matrix"], data.AsObject().Select(p => p.Key));
        var principals = document["principals"]!.AsArray();
        Assert.Equal(principals.Count, data["principals"]!.AsArray().Count);
        for (var i = 0; i < principals.Count; i++)
        {
            foreach (var (key, value) in data["principals"]![i]!.AsObject())
            {
                Assert.True(JsonNode.DeepEquals(principals[i]![key], value), "principal " + i + " " + key);
            }
        }
    }

    [Fact]
    public void Mappings_may_come_from_stdin()
    {
        var dir = Repo.Path("examples", "api-backend");
        var fromFile = ReportScenarios.Run("api-backend", "-o", "json");
        var fromStdin = TestSupport.Cli.RunIn(dir, File.ReadAllText(Path.Combine(dir, "spec.yaml")), null, ["report", "-", "--rbac", "rbac", "--expect-nodes", "--migration", "-o", "json"]);
        Assert.True(fromStdin.ExitCode == 0, fromStdin.Stderr);
        var file = JsonNode.Parse(fromFile.Stdout)!;
        var stdin = JsonNode.Parse(fromStdin.Stdout)!;
        Assert.Equal("<stdin>", (string?)stdin["inputs"]![0]);
        foreach (var part in new[] { "principals", "matrix", "migration" })
        {
            Assert.True(JsonNode.DeepEquals(file[part], stdin[part]), part + " differs when the spec comes from stdin");
        }

        var both = TestSupport.Cli.RunIn(dir, string.Empty, null, ["report", "-", "--rbac", "-"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("only one input can come from stdin", both.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_those_of_the_other_json_outputs()
    {
        // Plan statuses, delete times and verdicts as access-entries plan -o json writes them; severities as lint.
        var dir = Repo.Path("examples", "api-backend");
        var report = JsonNode.Parse(ReportScenarios.Run("api-backend", "-o", "json").Stdout)!;
        var plan = JsonNode.Parse(TestSupport.Cli.RunIn(dir, string.Empty, null, ["access-entries", "plan", "spec.yaml", "--rbac", "rbac", "-o", "json"]).Stdout)!;
        var planned = plan["entries"]!.AsArray();
        var entries = report["migration"]!["entries"]!.AsArray();
        Assert.Equal(planned.Count, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal((string?)planned[i]!["status"], (string?)entries[i]!["status"]);
            Assert.Equal((string?)planned[i]!["deleteFromAwsAuth"], (string?)entries[i]!["delete"]);
        }

        Assert.Contains(entries, e => (string?)e!["status"] == "needsAttention" || (string?)e!["delete"] == "afterCreate");
        Assert.All(report["findings"]!.AsArray(), f => Assert.Contains((string?)f!["severity"], new[] { "error", "warning", "info" }));
    }

    [Fact]
    public void Page_fetches_nothing()
    {
        var page = ReportScenarios.Run("eks-access").Stdout;
        Assert.Contains("default-src 'none'", page, StringComparison.Ordinal);

        // No element loads anything: no src= at all, no stylesheet links, and the only URLs are the SVG namespace and in-page anchors.
        Assert.DoesNotMatch(@"<(script|img|iframe|link|object|embed)[^>]*\ssrc=", page);
        Assert.DoesNotContain("<link", page, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", page, StringComparison.Ordinal);
        foreach (Match href in Regex.Matches(page, "href=\"([^\"]*)\""))
        {
            Assert.StartsWith("#", href.Groups[1].Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Hostile_names_are_escaped_everywhere()
    {
        var dir = Directory.CreateTempSubdirectory("rolemap-report-");
        try
        {
            var run = ReportScenarios.RunHostile(dir.FullName);
            Assert.True(run.ExitCode == 0, run.Stderr);
            var page = run.Stdout;

            // The names are on the page, escaped, and none of them opens an element or ends the data's script early.
            Assert.Contains("&lt;img src=x onerror=alert(1)&gt;&amp;amp;&quot;&#39;", page, StringComparison.Ordinal);
            Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;", page, StringComparison.Ordinal);
            Assert.Contains("arn:aws:iam::111122223333:role/a&amp;b+c=d@e,f", page, StringComparison.Ordinal);
            foreach (var raw in new[] { "<img", "<b onmouseover", "<svg onload", "alert(2)</script>", "</title><script>", "&b+c" })
            {
                Assert.DoesNotContain(raw, page, StringComparison.Ordinal);
            }

            Assert.Equal(2, Regex.Count(page, "<script"));
            Assert.Equal(2, Regex.Count(page, "</script>"));

            // The data still reads back as written.
            var data = JsonNode.Parse(EmbeddedData().Match(page).Groups[1].Value)!;
            Assert.Equal("<img src=x onerror=alert(1)>&amp;\"'", (string?)data["principals"]![0]!["username"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Out_writes_the_file_and_nothing_on_stdout()
    {
        var dir = Directory.CreateTempSubdirectory("rolemap-report-");
        try
        {
            var target = Path.Combine(dir.FullName, "report.html");
            var run = ReportScenarios.Run("ops-dev", "--out", target);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal(string.Empty, run.Stdout);
            Assert.Equal(ReportScenarios.Run("ops-dev").Stdout, File.ReadAllText(target));
            Assert.Single(dir.GetFiles());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Missing_mappings_are_bad_input()
    {
        var run = TestSupport.Cli.Run("report", "--rbac", Repo.Path("examples", "ops-dev", "rbac"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give either a SPEC or --aws-auth FILE", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public void Matrix_data_is_the_matrix_commands_answer()
    {
        // The dev role of examples/ops-dev: get, list and update pods everywhere; nothing on secrets (see its check.sh).
        var data = JsonNode.Parse(ReportScenarios.Run("ops-dev", "-o", "json").Stdout)!;
        var matrix = data["matrix"]!;
        var principals = data["principals"]!.AsArray().Select(p => (string)p!["arn"]!).ToList();
        var resources = matrix["resources"]!.AsArray().Select(r => (string)r!).ToList();
        var verbs = matrix["verbs"]!.AsArray().Select(v => (string)v!).ToList();
        var dev = principals.IndexOf("arn:aws:iam::111122223333:role/dev");
        var ops = principals.IndexOf("arn:aws:iam::111122223333:role/ops");
        var sets = matrix["sets"]!.AsArray();

        // The principal's rows in any namespace of its own, then elsewhere, then at cluster scope.
        string Cell(int p, string resource, string verb)
        {
            var access = matrix["access"]!.AsArray().Single(a => (int)a!["p"]! == p)!;
            var own = access["own"]!.AsArray().Select(n => (int)n!).ToList();
            var candidates = own.Where((_, i) => i % 2 == 1).Append((int)access["other"]!).Append((int)access["cluster"]!);
            foreach (var set in candidates.Select(s => sets[s]!))
            {
                var rows = set["r"]!.AsArray().Select(r => resources[(int)r!]).ToList();
                var row = rows.IndexOf(resource);
                if (row >= 0)
                {
                    return ((string)set["a"]![row]!)[verbs.IndexOf(verb)].ToString();
                }
            }

            return ".";
        }

        Assert.Equal("Y", Cell(dev, "pods", "list"));
        Assert.Equal("Y", Cell(dev, "pods", "update"));
        Assert.Equal(".", Cell(dev, "pods", "create"));
        Assert.Equal(".", Cell(dev, "pods", "delete"));
        Assert.Equal(".", Cell(dev, "secrets", "get"));
        Assert.Equal("Y", Cell(ops, "secrets", "get"));
        Assert.Equal("Y", Cell(ops, "pods/exec", "create"));
        Assert.True((bool)data["principals"]![ops]!["clusterAdmin"]!);
        Assert.False((bool)data["principals"]![dev]!["clusterAdmin"]!);
    }

    /// <summary>Compares with testdata/report/NAME; ROLEMAP_UPDATE_GOLDEN=1 rewrites it (then review the diff).</summary>
    private static void AssertGolden(string name, string actual)
    {
        var path = Repo.TestData("report", name);
        if (Environment.GetEnvironmentVariable("ROLEMAP_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), "golden file missing: " + path + " (run with ROLEMAP_UPDATE_GOLDEN=1 to create it)");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex EmbeddedData();
}
