using System.Text;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;
using RoleMap.Text;
using RoleMap.Tests.Terraform;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.Spec;

/// <summary>
/// A spec read from its bytes with its <c>roles</c> and <c>users</c> streamed item by item
/// (<see cref="SpecLoader.StreamedEntries"/>) against the exact path: the text's tree read field by field
/// (<c>FromNode(root, file, exact: true)</c>), and the text path <see cref="SpecLoader.Load(string, string?)"/>. The same
/// spec (locations included), the same lint findings, or the same message; on the repository's specs and on seeded
/// generated ones damaged the ways a fast path can go wrong.
/// </summary>
public class LintStreamDifferentialTests
{
    [Fact]
    public void Repository_specs_stream_as_the_exact_path_reads_them()
    {
        var streamed = 0;
        foreach (var path in SpecFiles())
        {
            streamed += AssertSame(File.ReadAllText(path), path) == Outcome.Streamed ? 1 : 0;
        }

        Assert.True(streamed > 10, streamed + " repository specs streamed");
    }

    [Fact]
    public void Generated_and_damaged_specs_stream_as_the_exact_path_reads_them()
    {
        var outcomes = new Dictionary<Outcome, int>();
        for (var seed = 0; seed < 2500; seed++)
        {
            var rng = new Random(1000 + seed);
            var text = SpecReadingDifferentialTests.GenerateSpec(rng);
            text = (seed % 4) switch
            {
                0 => text,
                1 => SpecReadingDifferentialTests.Damage(rng, text),
                _ => Damage(rng, text),
            };
            var outcome = AssertSame(text, "seed " + seed + ":\n" + text);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Every way out is common: streamed, declined to the tree, and refused with a message.
        var summary = string.Join(", ", outcomes);
        Assert.True(outcomes.GetValueOrDefault(Outcome.Streamed) > 150, summary);
        Assert.True(outcomes.GetValueOrDefault(Outcome.Declined) > 150, summary);
        Assert.True(outcomes.GetValueOrDefault(Outcome.NotStreamed) > 150, summary);
    }

    [Fact]
    public void Large_generated_specs_stream_whole()
    {
        var rng = new Random(5);
        var text = new StringBuilder("apiVersion: rolemap/v1\nkind: MappingSpec\nnodeRoles:\n  - arn:aws:iam::111122223333:role/node\n");
        foreach (var list in new[] { "roles", "users" })
        {
            text.Append(list).Append(":\n");
            for (var i = 0; i < 3000; i++)
            {
                text.Append("  - arn: arn:aws:iam::").Append(100000000000 + rng.Next(1000)).Append(':').Append(list[..^1]).Append("/p").Append(i).Append('\n');
                text.Append("    groups: [team-").Append(rng.Next(50)).Append(", team-").Append(rng.Next(50)).Append("]\n");
                if (i % 7 == 0)
                {
                    text.Append("    username: u").Append(i).Append('\n');
                }
            }
        }

        Assert.Equal(Outcome.Streamed, AssertSame(text.ToString(), "large spec"));
    }

    [Fact]
    public void Streamed_lists_are_told_from_empty_lists_and_repeated_keys()
    {
        // An empty flow list, a list given twice (the exact path's message), and lists after other keys.
        Assert.Equal(Outcome.Streamed, AssertSame("roles: []\nusers:\n- arn: arn:aws:iam::111122223333:user/u\n  groups: [a]\n", "empty roles"));
        Assert.Equal(Outcome.Streamed, AssertSame("roles:\n- arn: arn:aws:iam::111122223333:role/r\nusers:\n  - userarn: arn:aws:iam::111122223333:user/u\nlabels:\n  a: b\n", "indented users"));
        AssertSame("roles:\n- arn: arn:aws:iam::111122223333:role/r\nroles:\n- arn: arn:aws:iam::111122223333:role/s\n", "roles twice");
        AssertSame("roles:\n- arn: arn:aws:iam::111122223333:role/r\n---\nroles:\n- arn: arn:aws:iam::111122223333:role/s\n", "two documents");
        Assert.Equal(Outcome.Declined, AssertSame("roles:\n- arn: arn:aws:iam::111122223333:role/r\n- arn: [x]\n", "a list for an ARN"));
    }

    private enum Outcome
    {
        Streamed,
        Declined,
        NotStreamed,
    }

    /// <summary>The spec read from its bytes (streamed where it can be) is the exact path's; returns which way it went.</summary>
    private static Outcome AssertSame(string text, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var exact = Read(() => SpecLoader.FromNode(YamlLoader.LoadSingleManifest(text, "spec.yaml"), "spec.yaml", exact: true));
        Assert.True(exact == Read(() => SpecLoader.Load(SourceText.FromUtf8(bytes), "spec.yaml")), what);
        Assert.True(exact == Read(() => SpecLoader.Load(text, "spec.yaml")), what);

        var visitor = new SpecLoader.StreamedEntries("spec.yaml");
        return Ascii.IsValid(bytes) && YamlLoader.TryStreamManifests(bytes, visitor) ? Outcome.Streamed
            : visitor.Declined ? Outcome.Declined
            : Outcome.NotStreamed;
    }

    /// <summary>The spec, compiled and linted: everything a finding could read from it, or the message.</summary>
    private static string Read(Func<MappingSpec> load)
    {
        try
        {
            var spec = load();
            var lint = Linter.LintSpec(SpecCompiler.Compile(spec));
            return Utf8QueryReaderTests.Describe(spec) + "\n" + string.Join("\n", lint.Findings);
        }
        catch (InputException ex)
        {
            return "refused: " + ex.Message + " at " + ex.Location;
        }
    }

    /// <summary>Damage a streaming reader could mishandle: tabs, anchors and aliases, flow mappings, comments, non-ASCII, repeated or re-indented lines, types, CR, documents.</summary>
    private static string Damage(Random rng, string text)
    {
        var lines = text.Split('\n').ToList();
        var at = rng.Next(lines.Count);
        var line = lines[at];
        var dash = line.IndexOf("- ", StringComparison.Ordinal);
        switch (rng.Next(12))
        {
            case 0:
                lines[at] = line.Replace("  ", "\t", StringComparison.Ordinal);
                break;
            case 1 when dash >= 0:
                lines[at] = line.Insert(dash + 2, "&a" + rng.Next(3) + " ");
                break;
            case 2 when dash >= 0:
                lines.Insert(at + 1, line[..(dash + 2)] + "*a0");
                break;
            case 3 when dash >= 0:
                lines.Insert(at, line[..(dash + 2)] + "{arn: arn:aws:iam::111122223333:role/flow, groups: [f]}");
                break;
            case 4:
                lines.Insert(at, new string(' ', rng.Next(5)) + "# comment - arn: x");
                lines[at + 1] += rng.Next(2) == 0 ? " # trailing" : string.Empty;
                break;
            case 5:
                lines[at] = line.Replace("a", "\u00e4", StringComparison.Ordinal);
                break;
            case 6:
                lines.Insert(at, line);
                break;
            case 7:
                lines[at] = " " + line;
                break;
            case 8:
                lines[at] = line.Replace("arn:aws", rng.Next(2) == 0 ? "!!str arn:aws" : "5", StringComparison.Ordinal);
                break;
            case 9:
                lines[at] = line + "\r";
                break;
            case 10:
                lines.Insert(at, rng.Next(2) == 0 ? "---" : "roles:");
                break;
            default:
                lines[at] = line.Replace("groups: [", "groups: [" + (rng.Next(2) == 0 ? "{x: y}, " : "'q''s', "), StringComparison.Ordinal);
                break;
        }

        return string.Join("\n", lines);
    }

    private static IEnumerable<string> SpecFiles() =>
        new[] { Repo.Path("examples"), Repo.Path("tests", "RoleMap.Tests", "testdata") }
            .SelectMany(dir => new[] { "*.yaml", "*.yml" }.SelectMany(p => Directory.EnumerateFiles(dir, p, SearchOption.AllDirectories)))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && new FileInfo(f).Length < 1 << 20)
            .Order(StringComparer.Ordinal);
}
