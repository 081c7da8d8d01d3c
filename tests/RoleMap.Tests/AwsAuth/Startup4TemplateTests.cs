using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using RoleMap.AwsAuth;
using RoleMap.Lint;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// The hand-written placeholder scanner of <see cref="Templates.UnknownPlaceholders"/> and the control-character check
/// of the linter against what they replaced (a regular expression with LINQ, a SearchValues), on the repository's
/// files and on generated and hostile text.
/// </summary>
public class Startup4TemplateTests
{
    private static readonly Regex Placeholder = new(@"\{\{[^{}]*\}\}", RegexOptions.CultureInvariant);

    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c), '\u2028', '\u2029']);

    /// <summary>What UnknownPlaceholders returned before: the regular expression's matches, known ones left out, each once.</summary>
    private static List<string> Expected(string template) =>
        [.. Placeholder.Matches(template).Select(m => m.Value).Where(p => !Templates.Known.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];

    private static void Same(string template) => Assert.Equal(Expected(template), Templates.UnknownPlaceholders(template));

    [Theory]
    [InlineData("")]
    [InlineData("{{")]
    [InlineData("}}")]
    [InlineData("{{}}")]
    [InlineData("{{{}}}")]
    [InlineData("{{{a}}")]
    [InlineData("{{a}}}")]
    [InlineData("{{a}}{{b}}{{a}}")]
    [InlineData("{{a}{{b}}")]
    [InlineData("{{a{b}}")]
    [InlineData("{{a}b}}")]
    [InlineData("{{{{x}}}}")]
    [InlineData("{{ line\nbreak }}")]
    [InlineData("system:node:{{EC2PrivateDNSName}}")]
    [InlineData("{{SessionName}}{{sessionname}}{{SessionName }}")]
    [InlineData("x{{AccountID}}{{Unknown}}{{AccessKeyID}}{{Unknown}}{{SessionNameRaw}}")]
    [InlineData("{{é}}{{\u2028}}{{\uD83D\uDE00}}")]
    public void Hostile_templates_are_read_as_the_regular_expression_reads_them(string template) => Same(template);

    [Fact]
    public void Every_line_and_file_of_the_repository_is_read_as_the_regular_expression_reads_it()
    {
        var checkedWithBraces = 0;
        foreach (var file in RepositoryTextFiles())
        {
            var text = File.ReadAllText(file);
            Same(text);
            foreach (var line in text.Split('\n'))
            {
                if (line.Contains("{{", StringComparison.Ordinal))
                {
                    Same(line);
                    checkedWithBraces++;
                }
            }
        }

        Assert.True(checkedWithBraces > 50, "the repository's placeholders were not found: " + checkedWithBraces);
    }

    [Fact]
    public void Generated_templates_are_read_as_the_regular_expression_reads_them()
    {
        var random = new Random(1704);
        string[] pieces = ["{", "}", "{{", "}}", "a", "Z", " ", "\n", "é", "\uD83D", "\uDE00", ":", "-", .. Templates.Known, "{{Unknown}}", "{{AccountId}}", "{{}}"];
        var withFindings = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, 16);
            for (var i = 0; i < count; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            var template = builder.ToString();
            Same(template);
            withFindings += Expected(template).Count > 0 ? 1 : 0;
        }

        Assert.True(withFindings > 1_000, "too few generated templates with unknown placeholders: " + withFindings);
    }

    [Fact]
    public void Long_runs_of_braces_are_read_as_the_regular_expression_reads_them()
    {
        foreach (var length in new[] { 1, 2, 3, 63, 64, 65, 1000 })
        {
            Same(new string('{', length) + "x" + new string('}', length));
            Same(string.Concat(Enumerable.Repeat("{{a}", length)) + "}");
            Same(string.Concat(Enumerable.Repeat("{{" + new string('b', length) + "}}", 3)));
        }
    }

    [Fact]
    public void Control_characters_are_every_character_the_search_values_held()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            var expected = ControlCharacters.Contains(ch);
            Assert.Equal(expected, char.IsControl(ch) || ch is '\u2028' or '\u2029');
            Assert.Equal(expected, Linter.HasControlCharacters([ch]));
            var embedded = "system:masters-" + ch + "-a-longer-group-name-past-one-vector-of-characters";
            Assert.Equal(embedded.AsSpan().IndexOfAny(ControlCharacters) >= 0, Linter.HasControlCharacters(embedded));
        }

        Assert.False(Linter.HasControlCharacters(string.Empty));
    }

    private static IEnumerable<string> RepositoryTextFiles()
    {
        string[] extensions = [".yaml", ".yml", ".json", ".md", ".tf", ".txt", ".go"];
        foreach (var folder in new[] { "examples", "docs", "terraform", Path.Combine("tests", "RoleMap.Tests", "testdata") })
        {
            var root = Repo.Path(folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                if (extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) && new FileInfo(file).Length < 4_000_000)
                {
                    yield return file;
                }
            }
        }
    }
}
