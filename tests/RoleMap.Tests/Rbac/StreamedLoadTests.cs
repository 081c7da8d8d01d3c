using System.Globalization;
using System.Text;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.Rbac;

/// <summary>
/// RBAC objects read while the fast path reads the YAML (a kubectl List item by item, with recycled nodes) must be
/// exactly those read from the whole tree: the same objects, rules, sources and diagnostics in the same order, or the
/// same error (message, file, line, column, field). Differential tests on every YAML and JSON file of the repository,
/// hand-picked cases, and generated RBAC manifests with random damage.
/// </summary>
public class StreamedLoadTests
{
    [Fact]
    public void The_shipped_bootstrap_policy_is_read_by_the_fast_path_and_the_same_as_whole()
    {
        // Every command that evaluates RBAC reads it; left to YamlDotNet (flow mappings did that) it was a tenth of who-can.
        var text = File.ReadAllText(Repo.Path("src/RoleMap/Rbac/BootstrapPolicy.yaml"));
        Assert.True(Compare(text, "BootstrapPolicy.yaml"), "the bootstrap policy is outside the fast path's YAML");
    }

    [Fact]
    public void Every_yaml_and_json_file_in_the_repository_loads_the_same_and_kubectl_lists_are_streamed()
    {
        var files = new[] { "examples", "tests" }
            .SelectMany(d => Directory.EnumerateFiles(Repo.Path(d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);
        var streamed = 0;
        foreach (var file in files)
        {
            streamed += Compare(File.ReadAllText(file), file) ? 1 : 0;
        }

        // JSON and YAML the fast path leaves to YamlDotNet are read whole; most YAML is streamed.
        var yaml = files.Count(f => !f.EndsWith(".json", StringComparison.Ordinal));
        Assert.True(streamed * 3 >= yaml * 2, "only " + streamed + " of " + yaml + " YAML files were streamed");

        // Several sources at once: objects of a later file replace those of an earlier one with the same identity.
        var sources = files.Select(f => new RbacSource(f, File.ReadAllText(f))).ToList();
        Assert.Equal(Describe(() => RbacLoader.Load(sources, streaming: false)), Describe(() => RbacLoader.Load(sources, streaming: true)));
    }

    [Theory]
    [InlineData("apiVersion: v1\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata:\n    name: a\n    namespace: n\n  rules: []\nkind: List\n", true)]
    [InlineData("kind: List\nitems:\n  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: ClusterRole\n    metadata: {name: a}\n", false)] // a flow mapping: the exact path
    [InlineData("kind: List\nitems:\n  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: ClusterRole\n    metadata:\n      name: a\n", true)]
    [InlineData("apiVersion: v1\nitems:\n- kind: Role\n  metadata:\n    name: a\nkind: RoleList\n", false)] // a typed list: the exact path
    [InlineData("items:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata:\n    name: a\n", false)] // no kind: nothing is read
    [InlineData("kind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata:\n    name: a\nitems:\n- kind: ClusterRole\n", false)] // the last items win
    [InlineData("kind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata:\n    name: a\n  rulez: []\n- [\n", false)] // an RBAC error, then a YAML error
    [InlineData("kind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata:\n    name: a\n  rulez: []\n- kind: Role\n  x: .inf\n", false)] // an RBAC error, then a value JSON refuses
    [InlineData("kind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata:\n    name: a\n  rulez: []\n", true)] // the RBAC error itself
    [InlineData("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: a\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: a\n  namespace: x\n", true)]
    [InlineData("kind: List\nitems:\n- kind: List\n  items:\n  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: ClusterRole\n    metadata:\n      name: inner\n", true)]
    [InlineData("{\"kind\": \"List\", \"items\": []}", false)] // JSON: the exact path
    public void Hand_picked_cases_load_the_same(string text, bool streamed) => Assert.Equal(streamed, Compare(text, "case"));

    [Fact]
    public void Generated_manifests_and_damaged_ones_load_the_same()
    {
        var random = new Random(17);
        var streamed = 0;
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var text = Manifest(random);
            streamed += Compare(text, "generated", outcomes) ? 1 : 0;
            var damaged = Damaged(text, random);
            Compare(damaged, "damaged", outcomes);
        }

        Assert.True(streamed > 1500, "only " + streamed + " of 3000 generated manifests were streamed");
        // The generator reaches what matters: objects read, warnings, RBAC errors, and YAML errors.
        Assert.Contains("objects", outcomes);
        Assert.Contains("warnings", outcomes);
        Assert.Contains("rbac error", outcomes);
        Assert.Contains("yaml error", outcomes);
    }

    [Fact]
    public void Manifests_given_as_bytes_load_as_their_utf8_decoding_whatever_the_bytes()
    {
        // Byte-order marks, non-ASCII text, invalid UTF-8 (which decodes to U+FFFD), CR LF, tabs and control bytes: the
        // bytes path takes ASCII only, and anything else must read as the decoded string does, errors included.
        byte[][] damage = [[0xEF, 0xBB, 0xBF], [0xC3, 0xA9], [0xFF], [0xC3], [0xE2, 0x80, 0xA8], [0xC2, 0x85], [0x0D, 0x0A], [0x09], [0x7F], [0x00], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBD], [0x20], [0x3A, 0x20]];
        var random = new Random(1717);
        var fromBytes = 0;
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1500; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Manifest(random)).ToList();
            for (var d = random.Next(3); d > 0; d--)
            {
                bytes.InsertRange(random.Next(4) == 0 ? 0 : random.Next(bytes.Count + 1), damage[random.Next(damage.Length)]);
            }

            var utf8 = bytes.ToArray();
            var decoded = Describe(() => RbacLoader.Load([new RbacSource("in.yaml", Encoding.UTF8.GetString(utf8))]));
            var read = Describe(() => RbacLoader.Load([RbacSource.FromUtf8("in.yaml", utf8)]));
            Assert.True(decoded == read, "read from the bytes\n" + read + "\nbut decoded\n" + decoded + "\nfor:\n" + Convert.ToHexString(utf8));
            outcomes.Add(decoded.StartsWith("error", StringComparison.Ordinal) ? "error" : "objects");
            fromBytes += Ascii.IsValid(utf8) && YamlLoader.TryStreamManifests(utf8, new Ignore()) ? 1 : 0;
        }

        Assert.True(fromBytes > 300, "only " + fromBytes + " of 1500 were streamed from the bytes");
        Assert.Equal(["error", "objects"], outcomes.Order(StringComparer.Ordinal));
    }

    /// <summary>Asserts both ways agree; true when the text was streamed.</summary>
    private static bool Compare(string text, string what, HashSet<string>? outcomes = null)
    {
        var sources = new[] { new RbacSource("in.yaml", text) };
        var exact = Describe(() => RbacLoader.Load(sources, streaming: false));
        var fast = Describe(() => RbacLoader.Load(sources, streaming: true));
        Assert.True(exact == fast, what + ": streamed\n" + fast + "\nbut whole\n" + exact + "\nfor:\n" + text);
        var fromBytes = Describe(() => RbacLoader.Load([RbacSource.FromUtf8("in.yaml", Encoding.UTF8.GetBytes(text))]));
        Assert.True(exact == fromBytes, what + ": read from the bytes\n" + fromBytes + "\nbut whole\n" + exact + "\nfor:\n" + text);
        if (outcomes is not null)
        {
            outcomes.Add(exact.StartsWith("error", StringComparison.Ordinal) ? (exact.Contains("YAML", StringComparison.Ordinal) ? "yaml error" : "rbac error") : "objects");
            if (exact.Contains("warning ", StringComparison.Ordinal))
            {
                outcomes.Add("warnings");
            }
        }

        return YamlLoader.TryStreamManifests(text, new Ignore());
    }

    private sealed class Ignore : IManifestVisitor
    {
        public void Item(int document, int index, YNode item)
        {
        }

        public bool Document(int document, YNode root, YSequence? streamed) =>
            streamed is null || (root is YMapping map && ReferenceEquals(map.Get("items"), streamed) && map.Get("kind") is YScalar { Value: "List", Kind: ScalarKind.String });
    }

    /// <summary>Everything the model holds, in order, and every diagnostic; or the error with its location.</summary>
    private static string Describe(Func<RbacObjects> load)
    {
        RbacObjects objects;
        try
        {
            objects = load();
        }
        catch (Exception ex)
        {
            var at = (ex as InputException)?.Location;
            return "error " + ex.GetType().Name + ": " + ex.Message + " | " + at?.File + ":" + at?.Line + ":" + at?.Column + " " + at?.Path;
        }

        var sb = new StringBuilder();
        foreach (var role in objects.Roles)
        {
            sb.Append(Object(role)).Append(Rules(role.Rules)).Append('\n');
        }

        foreach (var role in objects.ClusterRoles)
        {
            sb.Append(Object(role)).Append(" labels ").AppendJoin(",", role.Labels.Select(l => l.Key + "=" + l.Value)).Append(Rules(role.Rules));
            sb.Append(" aggregation ").Append(role.AggregationSelectors is null ? "none" : string.Join(";", role.AggregationSelectors.Select(s => s.ToString()))).Append('\n');
        }

        foreach (var binding in objects.RoleBindings.Cast<Binding>().Concat(objects.ClusterRoleBindings))
        {
            sb.Append(Object(binding)).Append(" roleRef ").Append(binding.RoleRef.Kind).Append('/').Append(binding.RoleRef.Name).Append('/').Append(binding.RoleRef.ApiGroup);
            sb.Append(" subjects ").AppendJoin(";", binding.Subjects.Select(s => s.Kind + "|" + s.Name + "|" + s.Namespace + "|" + s.ApiGroup)).Append('\n');
        }

        foreach (var d in objects.Diagnostics)
        {
            sb.Append("warning ").Append(d.Rule).Append('|').Append(d.Severity).Append('|').Append(d.Message).Append('|').Append(d.Fix)
                .Append('|').Append(d.Location?.File).Append(':').Append(d.Location?.Line).Append(':').Append(d.Location?.Column).Append(' ').Append(d.Location?.Path).Append('\n');
        }

        return sb.ToString();
    }

    private static string Object(RbacObject item) =>
        item.Kind + " " + item.Namespace + "/" + item.Name + " from " + item.Source.Origin + " document " + item.Source.Document + " line " + item.Source.Line;

    private static string Rules(IReadOnlyList<PolicyRule> rules) =>
        " rules " + string.Join(";", rules.Select(r => string.Join(",", r.Verbs) + "|" + string.Join(",", r.ApiGroups) + "|" + string.Join(",", r.Resources) + "|" + string.Join(",", r.ResourceNames) + "|" + string.Join(",", r.NonResourceUrls)));

    private static readonly string[] Damage = ["", " ", "\n", ":", "- ", "#", "'", "\"", "[", "{", "|", "\t", "&a ", "*a", "!", "---\n", ",", "  ", "x: 1\n", ".inf", "~"];

    private static string Damaged(string text, Random random)
    {
        var at = random.Next(text.Length + 1);
        var damage = Damage[random.Next(Damage.Length)];
        return damage.Length == 0 && text.Length > 0 ? text.Remove(Math.Min(at, text.Length - 1), 1) : text.Insert(at, damage);
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static bool Rarely(Random random) => random.Next(12) == 0;

    /// <summary>A kubectl List or a stream of documents of RBAC objects (and others), now and then with a mistake.</summary>
    private static string Manifest(Random random)
    {
        var objects = Enumerable.Range(0, random.Next(1, 6)).Select(_ => ObjectLines(random)).ToList();
        var sb = new StringBuilder();
        switch (random.Next(4))
        {
            case 0: // a stream of documents
                for (var i = 0; i < objects.Count; i++)
                {
                    sb.Append(i > 0 || Rarely(random) ? "---\n" : string.Empty);
                    objects[i].ForEach(l => sb.Append(l).Append('\n'));
                }

                return sb.ToString();
            default: // a kubectl List: items indentless or indented, kind after the items (kubectl) or before
                var indent = random.Next(2) == 0 ? string.Empty : "  ";
                var kind = Rarely(random) ? Pick(random, "RoleList", "Lis", "\"List\"", "'List'", "List # c") : "List";
                var kindFirst = random.Next(3) == 0;
                sb.Append("apiVersion: v1\n");
                if (kindFirst)
                {
                    sb.Append("kind: ").Append(kind).Append('\n');
                }

                sb.Append("items:\n");
                foreach (var lines in objects)
                {
                    for (var i = 0; i < lines.Count; i++)
                    {
                        sb.Append(indent).Append(i == 0 ? "- " : "  ").Append(lines[i]).Append('\n');
                    }
                }

                if (!kindFirst)
                {
                    sb.Append("kind: ").Append(kind).Append('\n');
                }

                if (Rarely(random))
                {
                    sb.Append("items: []\n");
                }

                sb.Append("metadata:\n  resourceVersion: \"\"\n");
                return sb.ToString();
        }
    }

    private static List<string> ObjectLines(Random random)
    {
        var kind = Rarely(random) ? Pick(random, "ConfigMap", "Rolee", "List") : Pick(random, "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");
        var lines = new List<string>();
        if (!Rarely(random))
        {
            lines.Add("apiVersion: " + (Rarely(random) ? Pick(random, "rbac.authorization.k8s.io/v1beta1", "v1", "example.com/v1") : "rbac.authorization.k8s.io/v1"));
        }

        lines.Add("kind: " + kind);
        lines.Add("metadata:");
        if (!Rarely(random))
        {
            lines.Add("  name: " + (Rarely(random) ? Pick(random, "\"\"", "123", "[a]") : Pick(random, "dev", "view", "ops-" + random.Next(3), "'quoted'")));
        }

        if (random.Next(3) > 0)
        {
            lines.Add("  namespace: " + Pick(random, "ns-1", "ns-2", "default"));
        }

        lines.Add("  uid: 861e0a8b-31e8-6cdc-f75b-7a4adc7c518c");
        lines.Add("  resourceVersion: \"" + random.Next(1000).ToString(CultureInfo.InvariantCulture) + "\"");
        if (random.Next(4) == 0)
        {
            lines.Add("  labels:");
            lines.Add("    team: " + Pick(random, "a", "b", "\"true\"", "true"));
        }

        if (Rarely(random))
        {
            lines.Add("unknown: 1");
        }

        if (kind is "Role" or "ClusterRole" or "Rolee")
        {
            if (kind == "ClusterRole" && random.Next(5) == 0)
            {
                lines.Add("aggregationRule:");
                lines.Add("  clusterRoleSelectors:");
                lines.Add("  - matchLabels:");
                lines.Add("      team: a");
                if (Rarely(random))
                {
                    lines.Add("    matchExpressions:");
                    lines.Add("    - key: team");
                    lines.Add("      operator: " + Pick(random, "In", "Exists", "Bad"));
                }
            }

            lines.Add("rules:");
            for (var r = random.Next(0, 4); r > 0; r--)
            {
                Rule(random, lines);
            }
        }
        else if (kind is "RoleBinding" or "ClusterRoleBinding")
        {
            if (!Rarely(random))
            {
                lines.Add("roleRef:");
                lines.Add("  apiGroup: " + (Rarely(random) ? "\"\"" : "rbac.authorization.k8s.io"));
                lines.Add("  kind: " + (Rarely(random) ? "Rolee" : Pick(random, "Role", "ClusterRole")));
                lines.Add("  name: " + Pick(random, "dev", "view", "ops-1"));
            }

            lines.Add("subjects:");
            for (var s = random.Next(0, 3); s > 0; s--)
            {
                lines.Add("- kind: " + (Rarely(random) ? "user" : Pick(random, "User", "Group", "ServiceAccount")));
                lines.Add("  name: " + Pick(random, "alice", "system:masters", "default", "\"\""));
                if (random.Next(2) == 0)
                {
                    lines.Add("  apiGroup: rbac.authorization.k8s.io");
                }

                if (random.Next(2) == 0)
                {
                    lines.Add("  namespace: ns-1");
                }
            }
        }
        else
        {
            lines.Add("data:");
            lines.Add("  key: |");
            lines.Add("    line one");
            lines.Add("    line two");
        }

        return lines;
    }

    private static void Rule(Random random, List<string> lines)
    {
        var first = true;
        foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs" })
        {
            if ((field is "resourceNames" or "nonResourceURLs" && random.Next(6) > 0) || Rarely(random))
            {
                continue;
            }

            var key = Rarely(random) ? field.TrimEnd('s') : field;
            var values = field switch
            {
                "apiGroups" => new[] { "\"\"", "apps", "example.com", "'*'" },
                "verbs" => ["get", "list", "watch", "create", "\"*\"", "yes"],
                "resourceNames" => ["cm-1", "cm-2"],
                "nonResourceURLs" => ["/healthz", "/api/*"],
                _ => ["pods", "secrets", "deployments/scale", "'*'"],
            };
            var chosen = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick(random, values)).ToList();
            var prefix = first ? "- " : "  ";
            first = false;
            switch (random.Next(5))
            {
                case 0:
                    lines.Add(prefix + key + ": [" + string.Join(", ", chosen) + "]");
                    break;
                case 1 when Rarely(random):
                    lines.Add(prefix + key + ": " + Pick(random, "get", "~", "12"));
                    break;
                default:
                    lines.Add(prefix + key + ":");
                    chosen.ForEach(v => lines.Add("  - " + v));
                    break;
            }
        }

        if (first)
        {
            lines.Add("- {}");
        }
    }
}
