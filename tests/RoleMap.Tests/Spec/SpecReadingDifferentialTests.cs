using System.Text;
using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.Terraform;
using RoleMap.Text;
using RoleMap.Tests.Terraform;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.Spec;

/// <summary>
/// The cheap per-entry readers against the exact ones: <see cref="SpecLoader"/>'s entry reader (shared group lists, paths
/// joined later) against its field-by-field reading (<c>FromNode(root, file, exact: true)</c>), and the query fast path
/// against <see cref="ExternalDataSource.ParseQuery"/>, on the repository's specs and queries and on seeded generated and
/// damaged ones: the same spec (locations included) or the same message.
/// </summary>
public class SpecReadingDifferentialTests
{
    private const string Account = "111122223333";

    private static readonly string[] GroupPool = ["dev", "ops", "system:masters", "team-1", "5", "true", "caf\u00e9", "a b"];

    [Fact]
    public void Every_spec_file_in_the_repository_reads_as_the_exact_reader_reads_it()
    {
        var read = 0;
        foreach (var path in RepositoryFiles("*.yaml", "*.yml", "*.json"))
        {
            if (TryRoot(File.ReadAllText(path), out var root))
            {
                AssertSame(root, path);
                read++;
            }
        }

        Assert.True(read > 20, read + " files read");
    }

    [Fact]
    public void Generated_and_damaged_specs_read_as_the_exact_reader_reads_them()
    {
        var outcomes = new Dictionary<string, int>();
        for (var seed = 0; seed < 1500; seed++)
        {
            var rng = new Random(seed);
            var text = GenerateSpec(rng);
            if (seed % 3 != 0)
            {
                text = Damage(rng, text);
            }

            if (!TryRoot(text, out var root))
            {
                Count(outcomes, "not YAML");
                continue;
            }

            Count(outcomes, AssertSame(root, "seed " + seed + ":\n" + text).StartsWith("refused", StringComparison.Ordinal) ? "refused" : "read");
        }

        // Both outcomes are common, so the comparison covers readings and messages alike.
        Assert.True(outcomes.GetValueOrDefault("read") > 150 && outcomes.GetValueOrDefault("refused") > 300, string.Join(", ", outcomes));
    }

    [Fact]
    public void A_spec_read_from_its_bytes_is_the_spec_read_from_its_text()
    {
        // Repository files, generated and damaged specs, and the same with non-ASCII, JSON and CR damage: the bytes
        // path reads ASCII the fast path takes and must decline everything else to the text, with the same messages.
        var texts = RepositoryFiles("*.yaml", "*.yml", "*.json").Select(File.ReadAllText).ToList();
        var rng = new Random(17);
        for (var i = 0; i < 1500; i++)
        {
            var text = GenerateSpec(rng);
            texts.Add(i % 3 == 0 ? text : Damage(rng, text));
        }

        texts.AddRange(texts.Take(300).Select(t => t.Replace("a", "\u00e9", StringComparison.Ordinal)).ToList());
        texts.AddRange(texts.Take(100).Select(t => t.Replace("\n", "\r\n", StringComparison.Ordinal)).ToList());
        texts.AddRange(["{\"roles\": []}", "[]", " \n{}", "roles: []\n---\nusers: []\n", "", "\n", "# only\n"]);
        var fromBytes = 0;
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            Assert.True(Load(() => SpecLoader.Load(text, "spec.yaml")) == Load(() => SpecLoader.Load(SourceText.FromUtf8(bytes), "spec.yaml")), text);
            fromBytes += Ascii.IsValid(bytes) && YamlLoader.TryLoadManifests(bytes) is not null ? 1 : 0;
        }

        Assert.True(fromBytes > 400, "only " + fromBytes + " specs were read from their bytes: the test hardly compares that path");
    }

    private static string Load(Func<MappingSpec> load)
    {
        try
        {
            var spec = load();
            return Utf8QueryReaderTests.Describe(spec) + "\n" + string.Join(";", spec.Roles.Concat(spec.Users).Select(p => p.Groups.Count + ":" + string.Join("\u0001", p.Groups)));
        }
        catch (InputException ex)
        {
            return "refused: " + ex.Message + " at " + ex.Location;
        }
    }

    [Fact]
    public void The_entry_reader_shares_equal_group_lists_and_joins_paths_only_when_read()
    {
        var spec = SpecLoader.Load(
            """
            roles:
              - arn: arn:aws:iam::111122223333:role/a
                groups: [dev, ops]
              - groups: [dev, ops]
                rolearn: arn:aws:iam::111122223333:role/b
            iam_user_to_rbac_group_mappings:
              "arn:aws:iam::111122223333:user/u": [dev, ops]
            """,
            "spec.yaml");
        Assert.Same(spec.Roles[0].Groups, spec.Roles[1].Groups);
        Assert.Same(spec.Roles[0].Groups, spec.Users[0].Groups);
        Assert.Equal(new SourceLocation("spec.yaml", 4, 5, "roles[1]"), spec.Roles[1].Location);
        Assert.Equal(new SourceLocation("spec.yaml", 7, 3, "iam_user_to_rbac_group_mappings.arn:aws:iam::111122223333:user/u"), spec.Users[0].Location);

        var exact = SpecLoader.FromNode(YamlLoader.LoadSingleManifest("roles: [{arn: x, groups: [a]}, {arn: y, groups: [a]}]", null), null, exact: true);
        Assert.NotSame(exact.Roles[0].Groups, exact.Roles[1].Groups);
    }

    [Fact]
    public void A_location_with_a_path_joined_later_is_the_location_with_that_path()
    {
        var joined = new SourceLocation("f", 3, 4, "map.", "arn:x");
        var indexed = new SourceLocation("f", 3, 4, "roles", 12);
        Assert.Equal(new SourceLocation("f", 3, 4, "map.arn:x"), joined);
        Assert.Equal(new SourceLocation("f", 3, 4, "map.arn:x").GetHashCode(), joined.GetHashCode());
        Assert.Equal(new SourceLocation("f", 3, 4, "roles[12]"), indexed);
        Assert.NotEqual(new SourceLocation("f", 3, 4, "roles[13]"), indexed);
        Assert.NotEqual(new SourceLocation("f", 3, 5, "roles[12]"), indexed);
        Assert.Equal("f:3:4: roles[12]", indexed.ToString());
        Assert.Equal("roles[12]", (indexed with { Line = 9 }).Path);
        Assert.Equal("other", indexed.WithPath("other").Path);
        Assert.Null(indexed.WithPath(null).Path);
        Assert.Equal(new SourceLocation("f", 3, 4), new SourceLocation("f", 3, 4, "x", 1) with { Path = null });
    }

    [Fact]
    public void Every_query_in_the_repository_reads_as_the_exact_path_reads_it()
    {
        var queries = RepositoryFiles("*query*.json").ToList();
        Assert.True(queries.Count > 10, queries.Count + " queries");
        foreach (var path in queries)
        {
            AssertSameQuery(File.ReadAllText(path), path);
        }
    }

    [Fact]
    public void Generated_and_damaged_queries_read_as_the_exact_path_reads_them()
    {
        var fast = 0;
        for (var seed = 0; seed < 400; seed++)
        {
            var rng = new Random(seed);
            var query = GenerateQuery(rng, damage: seed % 2 == 1);
            fast += AssertSameQuery(query, "seed " + seed + ": " + query) ? 1 : 0;
        }

        Assert.True(fast is > 100 and < 400, fast + " read by the fast path");
    }

    /// <summary>Both readers on <paramref name="root"/>: the same spec or the same message. Returns it.</summary>
    private static string AssertSame(YNode? root, string what)
    {
        var exact = Read(root, exact: true);
        Assert.True(exact == Read(root, exact: false), what);
        return exact;
    }

    private static string Read(YNode? root, bool exact)
    {
        return Load(() => SpecLoader.FromNode(root, "spec.yaml", exact));
    }

    /// <summary>The query read both ways: the fast path's spec, when it reads it, is the exact one; the results are equal. True when the fast path read it.</summary>
    private static bool AssertSameQuery(string query, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(query);
        var fast = Utf8QueryReader.TryRead(bytes);
        if (fast is not null)
        {
            var exact = ExternalDataSource.ParseQuery(query);
            Assert.True(exact.Style == fast.Value.Style && exact.Keys.SequenceEqual(fast.Value.Keys), what);
            Assert.True(Utf8QueryReaderTests.Describe(exact.Spec) == Utf8QueryReaderTests.Describe(fast.Value.Spec), what);
        }

        Assert.True(Evaluate(() => ExternalDataSource.Evaluate(query)) == Evaluate(() => Encoding.UTF8.GetString(ExternalDataSource.Evaluate(bytes).Span)), what);
        return fast is not null;
    }

    private static string Evaluate(Func<string> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (InputException ex)
        {
            return "refused: " + ex.Message + " at " + ex.Location;
        }
    }

    private static bool TryRoot(string text, out YNode? root)
    {
        try
        {
            root = YamlLoader.LoadSingleManifest(text, "spec.yaml");
            return true;
        }
        catch (InputException)
        {
            root = null;
            return false;
        }
    }

    private static IEnumerable<string> RepositoryFiles(params string[] patterns) =>
        new[] { Repo.Path("examples"), Repo.Path("tests", "RoleMap.Tests", "testdata"), Repo.Path("bench") }
            .SelectMany(dir => patterns.SelectMany(p => Directory.EnumerateFiles(dir, p, SearchOption.AllDirectories)))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "out" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && new FileInfo(f).Length < 1 << 20)
            .Order(StringComparer.Ordinal);

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static T Pick<T>(Random rng, params T[] choices) => choices[rng.Next(choices.Length)];

    private static string Arn(Random rng, string kind) => "arn:aws:iam::" + Account + ":" + kind + "/" + Pick(rng, "a", "b", "team/c", "d-" + rng.Next(5));

    private static string Group(Random rng) => rng.Next(20) switch
    {
        0 => "\"" + Pick(rng, GroupPool) + "\"",
        1 => "'" + Pick(rng, GroupPool) + "'",
        2 => Pick(rng, "null", "~", "5", "!!str 7", "[x]", "{a: b}", "\"\\ud800\"", "\"\"", "*g"),
        _ => Pick(rng, GroupPool) is var g && g.Contains(' ', StringComparison.Ordinal) ? "'" + g + "'" : g,
    };

    /// <summary>A flow or block list of groups (or another value where a list belongs), as the text after <c>groups:</c>.</summary>
    private static string Groups(Random rng, string indent)
    {
        var count = rng.Next(4);
        var groups = Enumerable.Range(0, count).Select(_ => Group(rng)).ToList();
        return rng.Next(12) switch
        {
            0 => " " + Pick(rng, "null", "~", "x", "{}", "5", string.Empty),
            1 => " &g [" + string.Join(", ", groups) + "]",
            2 when count > 0 => string.Concat(groups.Select(g => "\n" + indent + "- " + g)),
            _ => " [" + string.Join(", ", groups) + "]",
        };
    }

    internal static string GenerateSpec(Random rng)
    {
        var text = new StringBuilder();
        if (rng.Next(2) == 0)
        {
            text.Append("apiVersion: rolemap/v1\nkind: MappingSpec\n");
        }

        if (rng.Next(3) == 0)
        {
            text.Append("nodeRoles:\n");
            for (var i = rng.Next(3); i >= 0; i--)
            {
                text.Append("  - ").Append(Arn(rng, "role")).Append('\n');
            }
        }

        foreach (var (list, kind, alias) in new[] { ("roles", "role", "rolearn"), ("users", "user", "userarn") })
        {
            if (rng.Next(4) == 0)
            {
                continue;
            }

            text.Append(list).Append(':').Append(rng.Next(15) == 0 ? " " + Pick(rng, "{}", "x", "[]", "null") : string.Empty).Append('\n');
            for (var i = rng.Next(1, 6); i > 0; i--)
            {
                var fields = new List<string>();
                var arnKey = rng.Next(10) switch
                {
                    0 => alias,
                    1 => "\"arn\"",
                    2 => Pick(rng, "rolearn", "userarn", "ARN", "arn_"),
                    _ => "arn",
                };
                if (rng.Next(15) != 0)
                {
                    fields.Add(arnKey + ": " + (rng.Next(15) == 0 ? Pick(rng, "5", "null", "[x]", "\"\"", "!!str 12") : Arn(rng, kind)));
                }

                if (rng.Next(4) != 0)
                {
                    fields.Add("groups:" + Groups(rng, "      "));
                }

                if (rng.Next(3) == 0)
                {
                    fields.Add("username: " + Pick(rng, "u", "\"{{SessionName}}\"", "\"\"", "null", "~", "5", "[u]", "'x'"));
                }

                if (rng.Next(12) == 0)
                {
                    fields.Add(Pick(rng, "arn: " + Arn(rng, kind), alias + ": " + Arn(rng, kind), "group: [x]", "groups: [y]", "username: v"));
                }

                fields = [.. fields.OrderBy(_ => rng.Next())];
                if (fields.Count == 0 || rng.Next(25) == 0)
                {
                    text.Append("  - ").Append(Pick(rng, "x", "null", "[a]", "{}")).Append('\n');
                    continue;
                }

                text.Append("  - ").Append(fields[0]).Append('\n');
                foreach (var field in fields.Skip(1))
                {
                    text.Append("    ").Append(field).Append('\n');
                }
            }
        }

        if (rng.Next(3) == 0)
        {
            text.Append(Pick(rng, "iam_role_to_rbac_group_mappings", "iam_user_to_rbac_group_mappings")).Append(":\n");
            for (var i = rng.Next(4); i >= 0; i--)
            {
                var arn = Arn(rng, "role");
                text.Append("  ").Append(rng.Next(2) == 0 ? "\"" + arn + "\"" : arn).Append(':').Append(Groups(rng, "    ")).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>One edit to a line: deleted, repeated, indented differently or given a stray character.</summary>
    internal static string Damage(Random rng, string text)
    {
        var lines = text.Split('\n').ToList();
        var at = rng.Next(lines.Count);
        switch (rng.Next(5))
        {
            case 0:
                lines.RemoveAt(at);
                break;
            case 1:
                lines.Insert(at, lines[at]);
                break;
            case 2:
                lines[at] = (rng.Next(2) == 0 ? "  " : string.Empty) + (lines[at].StartsWith("  ", StringComparison.Ordinal) && rng.Next(2) == 0 ? lines[at][2..] : lines[at]);
                break;
            case 3:
                lines[at] = lines[at].Insert(rng.Next(lines[at].Length + 1), Pick(rng, "[", "]", "{", ",", ":", "-", "#", "'", "\"", "&", "*", "!", "|", " ", "x"));
                break;
            default:
                break; // the generated variety alone
        }

        return string.Join("\n", lines);
    }

    private static string GenerateQuery(Random rng, bool damage)
    {
        var inputs = new List<(string Key, string Value)>();
        string GroupMap(string kind)
        {
            // Sorted keys, as Terraform sends them; lists drawn from a few, so that equal lists repeat.
            var arns = Enumerable.Range(0, rng.Next(8)).Select(i => "arn:aws:iam::" + Account + ":" + kind + "/p" + (i * 7 % 10) + "-" + rng.Next(3)).Distinct().Order(StringComparer.Ordinal);
            var lists = new[] { "[]", "[\"dev\"]", "[\"dev\",\"ops\"]", "[\"caf\\u00e9\",\"x\\\"y\"]", "[\"\"]", "[\"ops\",\"dev\"]" };
            return "{" + string.Join(",", arns.Select(a => "\"" + a + "\":" + lists[rng.Next(lists.Length)])) + "}";
        }

        inputs.Add(("iam_role_to_rbac_group_mappings", GroupMap("role")));
        if (rng.Next(2) == 0)
        {
            inputs.Add(("iam_user_to_rbac_group_mappings", GroupMap("user")));
        }

        if (rng.Next(2) == 0)
        {
            inputs.Add(("eks_worker_iam_role_arns", "[\"arn:aws:iam::" + Account + ":role/node-" + rng.Next(3) + "\"]"));
        }

        if (rng.Next(3) == 0)
        {
            inputs.Add(("config_map_labels", "{\"team\":\"a\"}"));
        }

        if (rng.Next(3) == 0)
        {
            inputs.Add(("style", Pick(rng, "plain", "terraform")));
        }

        if (damage)
        {
            var (key, value) = inputs[rng.Next(inputs.Count)];
            var at = rng.Next(value.Length + 1);
            var edited = rng.Next(3) switch
            {
                0 when value.Length > 0 => value.Remove(Math.Min(at, value.Length - 1), 1),
                1 => value.Insert(at, Pick(rng, "[", "]", "{", "}", ",", ":", "\"", "1", "null", " ")),
                _ => value.Replace("[]", "null", StringComparison.Ordinal).Replace("\"dev\"", "5", StringComparison.Ordinal),
            };
            inputs[inputs.FindIndex(i => i.Key == key)] = (key, edited);
        }

        return RoleMap.Text.JsonText.Write(
            w =>
            {
                w.WriteStartObject();
                foreach (var (key, value) in inputs.OrderBy(_ => rng.Next()))
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
            },
            default);
    }
}
