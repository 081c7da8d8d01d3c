using System.Text;
using System.Text.Json;
using CsCheck;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.AccessEntries;

/// <summary>
/// The exports: golden files for the bundled scenario, Terraform that passes <c>terraform fmt -check</c>, and
/// hostile names that come out of every format exactly as they went in (the shell script run against a fake aws).
/// </summary>
public class ExportTests
{
    private static readonly string[] Scenario =
    [
        "--aws-auth", "examples/access-entries/aws-auth.yaml",
        "--iam-arns", "examples/access-entries/iam-roles.json",
        "--iam-arns", "examples/access-entries/iam-users.json",
        "--access-entries", "examples/access-entries/access-entries.json",
    ];

    private static readonly string[] Fragments =
    [
        "'", "\"", "\\", "$", "${x}", "%{x}", "$(id)", "`id`", ";", "&", "|", "*", "?", "~", "#", "!", " ", "\t", "\n", "\r\n",
        ",", "=", "[", "]", "{", "}", "{{SessionName}}", ":", "-", "--x", "file://", "fileb://", "https://", "é", "中文", "\U0001F600",
        "\u0000", "\u001b", "\u2028", "a", "Z", "0", "dev", "system:", "<", ">",
    ];

    private static readonly Gen<string> Hostile = Gen.OneOf(
            Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]),
            Gen.Char['\u0020', '\u007e'].Select(c => c.ToString()))
        .Array[1, 6]
        .Select(parts => string.Concat(parts));

    private static readonly Gen<AccessEntry> Entry = Gen.Select(
        Gen.Int[0, 9999],
        Gen.Bool,
        Gen.Bool,
        Hostile,
        Hostile.Array[0, 3],
        Hostile.Array[0, 2],
        (n, user, hasUsername, username, groups, namespaces) => new AccessEntry(
            "arn:aws:iam::111122223333:" + (user ? "user/u" : "role/team/r") + n,
            AccessEntryType.Standard,
            [.. groups.Distinct(StringComparer.Ordinal)],
            hasUsername ? username : null,
            [
                new PolicyAssociation(AccessPolicyNames.Arn("aws", AccessPolicyNames.ClusterAdmin), AccessScope.Cluster),
                new PolicyAssociation(AccessPolicyNames.Arn("aws", AccessPolicyNames.View), namespaces.Length == 0 ? AccessScope.Cluster : new AccessScope([.. namespaces.Select(Wildcard).Distinct(StringComparer.Ordinal)])),
            ]));

    /// <summary>A hostile namespace with '*' only where the input readers accept one (trailing, after a prefix).</summary>
    private static string Wildcard(string ns)
    {
        var bare = ns.Replace("*", string.Empty, StringComparison.Ordinal);
        return bare.Length == 0 ? "x" : bare + (ns.EndsWith('*') ? "*" : string.Empty);
    }

    private static readonly List<AccessEntry> HostileEntries =
    [
        new("arn:aws:iam::111122223333:role/a", AccessEntryType.Standard, ["${x}", "%{if}", "\"q\"", "back\\slash"], "u:${var.x}\n#{{SessionName}}", [new(AccessPolicyNames.Arn("aws", AccessPolicyNames.View), new AccessScope(["dev-*", "a\"b"]))]),
        new("arn:aws:iam::111122223333:role/b", AccessEntryType.Ec2Linux, [], null, []),
        new("arn:aws:iam::111122223333:user/c", AccessEntryType.Standard, ["\u0001\u2028é中文\U0001F600"], "$${x}", []),
    ];

    private static readonly Gen<List<AccessEntry>> Entries = Entry.List[1, 4].Select(list => list.DistinctBy(e => e.PrincipalArn).ToList());

    [Theory]
    [InlineData("cli", "export.cli.sh")]
    [InlineData("json", "export.json")]
    [InlineData("terraform", "export.tf")]
    [InlineData("cloudformation", "export.cfn.yaml")]
    [InlineData("cloudformation-json", "export.cfn.json")]
    public void Scenario_exports_are_byte_stable(string format, string golden)
    {
        var run = TestSupport.Cli.Run(["access-entries", "export", "-o", format, "--cluster-name", "prod", .. Scenario]);
        Assert.Equal(1, run.ExitCode); // two entries need attention
        Assert.Equal("rolemap: warning: 2 entries need attention and were not exported; 'rolemap access-entries plan' says what to do\n", run.Stderr);
        Golden.Assert("access-entries/" + golden, run.Stdout);
    }

    [Theory]
    [InlineData("cli", "export-no-cluster.cli.sh")]
    [InlineData("terraform", "export-no-cluster.tf")]
    [InlineData("cloudformation", "export-no-cluster.cfn.yaml")]
    public void Without_a_cluster_name_the_exports_take_it_as_a_variable(string format, string golden)
    {
        var run = TestSupport.Cli.Run(["access-entries", "export", "-o", format, .. Scenario]);
        Golden.Assert("access-entries/" + golden, run.Stdout);
    }

    [RequiresToolFact("terraform")]
    public void Exported_terraform_passes_terraform_fmt_check()
    {
        var dir = Directory.CreateTempSubdirectory("rolemap-tf-");
        try
        {
            var files = new List<string>();
            foreach (var cluster in new[] { null, "prod" })
            {
                var args = new List<string> { "access-entries", "export", "-o", "terraform" };
                args.AddRange(Scenario);
                if (cluster is not null)
                {
                    args.AddRange(["--cluster-name", cluster]);
                }

                var name = Path.Combine(dir.FullName, "scenario-" + (cluster ?? "var") + ".tf");
                File.WriteAllText(name, TestSupport.Cli.Run([.. args]).Stdout);
                files.Add(name);
            }

            // Hostile names and namespace scopes: quoting must keep the file valid HCL in terraform fmt's layout.
            var hostile = Path.Combine(dir.FullName, "hostile.tf");
            File.WriteAllText(hostile, AccessEntryExport.Render(Plan(HostileEntries, "we\"ird ${name}"), ExportFormat.Terraform));
            files.Add(hostile);
            foreach (var file in files)
            {
                var (code, stdout, stderr) = Tools.Run(Tools.Require("terraform"), ["fmt", "-check", "-diff", "-no-color", file], dir.FullName, new Dictionary<string, string> { ["TF_CLI_CONFIG_FILE"] = "/dev/null" });
                Assert.True(code == 0, Path.GetFileName(file) + ":\n" + stdout + stderr);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [RequiresToolFact("sh")]
    public void The_cli_script_passes_every_value_to_aws_exactly() => Entries.Sample(
        entries =>
        {
            var plan = Plan(entries, "c'luster $x");
            var calls = RunScript(AccessEntryExport.Render(plan, ExportFormat.Cli));
            var expected = entries.Sum(e => 1 + e.Policies.Count);
            Assert.Equal(expected, calls.Count);
            var i = 0;
            foreach (var entry in entries)
            {
                Assert.Equal(entry with { Policies = [] }, ParseCreate(calls[i++], "c'luster $x"), AccessEntryComparer.Instance);
                foreach (var policy in entry.Policies)
                {
                    var (principal, association) = ParseAssociate(calls[i++], "c'luster $x");
                    Assert.Equal(entry.PrincipalArn, principal);
                    Assert.True(association.SameAs(policy), association + " != " + policy);
                }
            }
        },
        iter: 25);

    [Fact]
    public void The_json_export_reads_back_as_the_same_entries() => Entries.Sample(
        entries =>
        {
            var plan = Plan(entries, "prod");
            var read = ExistingAccessEntries.Parse(AccessEntryExport.Render(plan, ExportFormat.Json), "export.json");
            Assert.Equal(entries.Count, read.Entries.Count);
            foreach (var entry in entries)
            {
                var known = read.Find(entry.PrincipalArn)!;
                Assert.Equal(entry, new AccessEntry(known.PrincipalArn, known.Type!.Value, known.KubernetesGroups!, known.Username, known.Policies!), AccessEntryComparer.Instance);
                Assert.Equal("prod", known.ClusterName);
            }
        },
        iter: 300);

    [Fact]
    public void The_cloudformation_yaml_reads_back_as_the_same_entries() => Entries.Sample(
        entries =>
        {
            var yaml = AccessEntryExport.Render(Plan(entries, "prod"), ExportFormat.CloudFormation);
            var json = AccessEntryExport.Render(Plan(entries, "prod"), ExportFormat.CloudFormationJson);
            var resources = ((YMapping)YamlLoader.LoadSingle(yaml, "template.yaml")!).Get("Resources") as YMapping;
            using var document = JsonDocument.Parse(json);
            var jsonResources = document.RootElement.GetProperty("Resources").EnumerateObject().ToList();
            Assert.Equal(entries.Count, resources!.Pairs.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                var properties = (YMapping)((YMapping)resources.Pairs[i].Value).Get("Properties")!;
                Assert.Equal(entries[i], FromTemplate(properties), AccessEntryComparer.Instance);
                Assert.Equal(entries[i].Username, jsonResources[i].Value.GetProperty("Properties").TryGetProperty("Username", out var u) ? u.GetString() : null);
            }
        },
        iter: 300);

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("${var.x} %{if} $x %x", "\"$${var.x} %%{if} $x %x\"")]
    [InlineData("$${x}", "\"$$${x}\"")]
    [InlineData("line\nbreak\ttab\u0001", "\"line\\nbreak\\ttab\\u0001\"")]
    [InlineData("{{SessionName}}", "\"{{SessionName}}\"")]
    public void Terraform_strings_are_quoted_without_interpolation(string value, string quoted) =>
        Assert.Equal(quoted, TerraformExport.Quote(value));

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/x", "arn:aws:iam::111122223333:role/x")]
    [InlineData("dev:{{SessionName}}", "'dev:{{SessionName}}'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("", "''")]
    public void Shell_words_are_bare_only_when_inert(string value, string word) =>
        Assert.Equal(word, CliExport.Shell(value));

    [Fact]
    public void Values_the_aws_cli_would_misread_use_cli_input_json()
    {
        var entry = new AccessEntry("arn:aws:iam::111122223333:role/r", AccessEntryType.Standard, ["a,b"], "file:///etc/passwd", []);
        var script = AccessEntryExport.Render(Plan([entry], "prod"), ExportFormat.Cli);
        Assert.Contains("aws eks create-access-entry --cluster-name \"$CLUSTER_NAME\" --cli-input-json '{\"principalArn\":\"arn:aws:iam::111122223333:role/r\",\"type\":\"STANDARD\",\"username\":\"file:///etc/passwd\",\"kubernetesGroups\":[\"a,b\"]}'\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_cannot_start_a_new_line_of_a_script()
    {
        var plan = Plan([new AccessEntry("arn:aws:iam::111122223333:role/r", AccessEntryType.Standard, [], null, [])], "prod") with { Source = "evil\nrm -rf /\n" };
        foreach (var format in new[] { ExportFormat.Cli, ExportFormat.Terraform, ExportFormat.CloudFormation })
        {
            var text = AccessEntryExport.Render(plan, format);
            Assert.DoesNotContain("\nrm -rf", text, StringComparison.Ordinal);
            Assert.Contains("evil\\nrm -rf /\\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Plan_text_and_export_comments_escape_what_does_not_print()
    {
        // A control character and a right-to-left override: shown raw, either could disguise the text around it.
        var plan = Plan([new AccessEntry("arn:aws:iam::111122223333:role/r", AccessEntryType.Standard, [], null, [])], "prod") with { Source = "a\u0001b\u202Ec" };
        Assert.Contains("plan for a\\u0001b\\u202ec\n", RoleMap.Cli.Rendering.AccessEntriesRendering.Text(plan), StringComparison.Ordinal);
        foreach (var format in new[] { ExportFormat.Cli, ExportFormat.Terraform, ExportFormat.CloudFormation })
        {
            var text = AccessEntryExport.Render(plan, format);
            Assert.Contains("from a\\u0001b\\u202ec.\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\u202E", text, StringComparison.Ordinal);
        }
    }

    /// <summary>A plan whose entries are all convertible, for exporter tests independent of the planner.</summary>
    internal static MigrationPlan Plan(IReadOnlyList<AccessEntry> entries, string? cluster) => new(
        "test",
        cluster,
        "aws",
        [.. entries.Select((e, i) => new PlanEntry("mapRoles[" + i + "]", null, e.PrincipalArn, null, EntryKind.Custom, PlanStatus.Convertible, [], [], e, PrincipalSource.AsWritten, DeleteWhen.AfterCreate, ApiModeImpact.None))],
        [],
        new ApiModeReadiness([], []));

    private static List<List<string>> RunScript(string script)
    {
        var dir = Directory.CreateTempSubdirectory("rolemap-cli-");
        try
        {
            var log = Path.Combine(dir.FullName, "calls.log");

            // The fake aws is a shell function, not a freshly written executable: exec'ing a file another test's
            // fork may still hold open for writing fails now and then with ETXTBSY ("Text file busy").
            var fakeAws = "aws() { for a in \"$@\"; do printf '%s\\037' \"$a\"; done >> \"$AWS_LOG\"; printf '\\036' >> \"$AWS_LOG\"; }\n";
            var path = Path.Combine(dir.FullName, "script.sh");
            File.WriteAllText(path, fakeAws + script);
            var environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["AWS_LOG"] = log };
            var (code, _, stderr) = Tools.Run(Tools.Require("sh"), [path], dir.FullName, environment);
            Assert.True(code == 0, stderr);
            return [.. File.ReadAllText(log, Encoding.UTF8).Split('\u001e', StringSplitOptions.RemoveEmptyEntries).Select(call => call.Split('\u001f').SkipLast(1).ToList())];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Dictionary<string, List<string>> Options(List<string> call, string operation, string cluster)
    {
        Assert.Equal(["eks", operation, "--cluster-name", cluster], call.Take(4));
        var options = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var arg in call.Skip(4))
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && current is not { Count: 0 })
            {
                options[arg] = current = [];
            }
            else
            {
                current!.Add(arg);
            }
        }

        return options;
    }

    private static AccessEntry ParseCreate(List<string> call, string cluster)
    {
        var options = Options(call, "create-access-entry", cluster);
        if (options.TryGetValue("--cli-input-json", out var json))
        {
            using var document = JsonDocument.Parse(json[0]);
            var root = document.RootElement;
            return new AccessEntry(
                root.GetProperty("principalArn").GetString()!,
                AccessEntryNames.ParseType(root.GetProperty("type").GetString()!)!.Value,
                root.TryGetProperty("kubernetesGroups", out var g) ? [.. g.EnumerateArray().Select(x => x.GetString()!)] : [],
                root.TryGetProperty("username", out var u) ? u.GetString() : null,
                []);
        }

        return new AccessEntry(
            options["--principal-arn"][0],
            AccessEntryNames.ParseType(options["--type"][0])!.Value,
            options.TryGetValue("--kubernetes-groups", out var groups) ? groups : [],
            options.TryGetValue("--username", out var username) ? username[0] : null,
            []);
    }

    private static (string Principal, PolicyAssociation Policy) ParseAssociate(List<string> call, string cluster)
    {
        var options = Options(call, "associate-access-policy", cluster);
        if (options.TryGetValue("--cli-input-json", out var json))
        {
            using var document = JsonDocument.Parse(json[0]);
            var root = document.RootElement;
            var scope = root.GetProperty("accessScope");
            var namespaces = scope.TryGetProperty("namespaces", out var n) ? n.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            return (root.GetProperty("principalArn").GetString()!, new PolicyAssociation(root.GetProperty("policyArn").GetString()!, new AccessScope(namespaces)));
        }

        // Shorthand: type=cluster, or type=namespace,namespaces=a,b (names without ',' or '=' only).
        var shorthand = options["--access-scope"][0];
        var scopeNamespaces = shorthand == "type=cluster" ? [] : shorthand["type=namespace,namespaces=".Length..].Split(',').ToList();
        return (options["--principal-arn"][0], new PolicyAssociation(options["--policy-arn"][0], new AccessScope(scopeNamespaces)));
    }

    private static AccessEntry FromTemplate(YMapping properties)
    {
        static string Text(YNode? node) => ((YScalar)node!).Value;
        var policies = properties.Get("AccessPolicies") is YSequence seq
            ? seq.Items.Cast<YMapping>().Select(p =>
            {
                var scope = (YMapping)p.Get("AccessScope")!;
                var namespaces = scope.Get("Namespaces") is YSequence ns ? ns.Items.Select(Text).ToList() : [];
                return new PolicyAssociation(Text(p.Get("PolicyArn")), new AccessScope(namespaces));
            }).ToList()
            : [];
        return new AccessEntry(
            Text(properties.Get("PrincipalArn")),
            AccessEntryNames.ParseType(Text(properties.Get("Type")))!.Value,
            properties.Get("KubernetesGroups") is YSequence groups ? [.. groups.Items.Select(Text)] : [],
            properties.Get("Username") is YScalar username ? username.Value : null,
            policies);
    }

    /// <summary>Compares access entries by content (lists element by element, scopes as sets).</summary>
    private sealed class AccessEntryComparer : IEqualityComparer<AccessEntry>
    {
        public static AccessEntryComparer Instance { get; } = new();

        public bool Equals(AccessEntry? x, AccessEntry? y) =>
            x is not null && y is not null
            && x.PrincipalArn == y.PrincipalArn && x.Type == y.Type && x.Username == y.Username
            && x.KubernetesGroups.SequenceEqual(y.KubernetesGroups, StringComparer.Ordinal)
            && x.Policies.Count == y.Policies.Count && x.Policies.Zip(y.Policies).All(p => p.First.SameAs(p.Second));

        public int GetHashCode(AccessEntry obj) => obj.PrincipalArn.GetHashCode(StringComparison.Ordinal);
    }
}
