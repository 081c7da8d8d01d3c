using System.Text;
using CsCheck;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;
using YamlDotNet.Core;

namespace RoleMap.Tests.Yaml;

/// <summary>
/// The fast block-YAML reader must build exactly the tree YamlDotNet's path builds (values, styles, tags, positions),
/// or decline (null) so that YamlDotNet reads the text. Differential tests: every YAML file in the repository,
/// hand-picked edge cases, and generated documents with random damage.
/// </summary>
public class BlockYamlReaderTests
{
    [Fact]
    public void Every_yaml_file_in_the_repository_reads_the_same_and_most_take_the_fast_path()
    {
        var files = new[] { "examples", "tests/RoleMap.Tests/testdata", "docs", "src" }
            .SelectMany(d => Directory.EnumerateFiles(Repo.Path(d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var fast = 0;
        foreach (var file in files)
        {
            if (Compare(File.ReadAllText(file), file))
            {
                fast++;
            }
        }

        Assert.True(fast * 10 >= files.Count * 8, "only " + fast + " of " + files.Count + " files took the fast path");
    }

    [Theory]
    [InlineData("a: 1\nb: x y \nc: 'it''s'\nd: \"q\\\"\\u00e9\\x41\\n\"\n")]
    [InlineData("- a\n- b: 1\n  c: [x, 'y', \"z\"]\n- []\n- {}\n")]
    [InlineData("k:\n- a\n- b\nl:\n  - c\nm:\nn: ~\n")]
    [InlineData("a: b#c\nd: e # comment\n# full line\n\n  # indented comment\nf: x[1] {y}\n")]
    [InlineData("data:\n  mapRoles: |\n    - rolearn: r\n\n      groups:\n      - g\n  mapUsers: |-\n    []\n  keep: |+\n    x\n\n\nz: 1\n")]
    [InlineData("---\na: 1\n---\n- b\n")]
    [InlineData("  a: 1\n  b:\n    c: 2\n")]
    [InlineData("\"quoted key\": v\n'single': w\nspaced key: x\n")]
    [InlineData("groups: [system:masters, a:b, \"c\"]\n")]
    [InlineData("- - a\n")]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("a: plain\n  continued\n")]
    [InlineData("a: \"multi\n  line\"\n")]
    [InlineData("a: >\n  folded\n")]
    [InlineData("a:\tb\n")]
    [InlineData("a: b\r\nc: d\r\n")]
    [InlineData("a: b: c\n")]
    [InlineData("- a\nb: 1\n")]
    [InlineData("a:\n  - b\n c: 1\n")]
    [InlineData("a: [b, c\n")]
    [InlineData("a: 'unterminated\n")]
    [InlineData("a: |\n  x")]
    [InlineData("a: |2\n   x\n")]
    [InlineData("a: |\n\n  x\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("a: 1\n...\n")]
    [InlineData("a: 1\n---\n")]
    [InlineData("%YAML 1.1\n---\na: 1\n")]
    [InlineData("-\n  a: 1\n")]
    [InlineData("a: -\n")]
    [InlineData("a: -1\nb: - 1\n")]
    [InlineData("a: [-1, - 1]\n")]
    [InlineData("a:    \nb: 1\n")]
    [InlineData("a: \"\\ud83d\\ude00\"\n")]
    [InlineData("a: \"\\U0001F600\"\n")]
    [InlineData("a: x\n b\n")]
    [InlineData("key with: colon: inside\n")]
    [InlineData("'a': 1\n\"b\" : 2\n")]
    [InlineData("a: [x, y,]\n")]
    [InlineData("a: [x: y]\n")]
    [InlineData("a: [x #c\n  , y]\n")]
    [InlineData("-x: 1\n- y\n")]
    [InlineData("a: |\n  x\n y\n")]
    [InlineData("a: |\n  x\n   \n  y\n")]
    [InlineData("- |\n a\n- |-\n  b\n\n")]
    public void Edge_cases_read_the_same_or_fall_back(string text) => Compare(text, "case");

    [Fact]
    public void Generated_documents_and_damaged_ones_read_the_same_or_fall_back()
    {
        // Sampled as a batch rather than with Sample(), so that a failure shows the document and the first difference.
        var fast = 0;
        foreach (var text in Document.Select(d => d.Yaml()).Array[10000].Single())
        {
            fast += Compare(text, "generated") ? 1 : 0;
        }

        Assert.True(fast > 3000, "only " + fast + " of 10000 generated documents took the fast path");

        var damaged = Gen.Select(Document.Select(d => d.Yaml()), Gen.Int[0, 10_000], Gen.Int[0, Damage.Length - 1])
            .Select((text, at, damage) => Damaged(text, at % (text.Length + 1), Damage[damage]));
        foreach (var text in damaged.Array[10000].Single())
        {
            Compare(text, "damaged");
        }
    }

    [Fact]
    public void The_loader_uses_the_fast_path_only_where_it_agrees_with_yamldotnet()
    {
        // A document the fast path handles, and one it declines: both load to YamlDotNet's tree through YamlLoader.
        foreach (var text in new[] { "a:\n- b\n", "a: &x 1\nb: *x\n" })
        {
            Assert.Null(Difference(YamlLoader.ParseWithYamlDotNet(text, null), [.. YamlLoader.LoadAll(text, null)]));
        }
    }

    [Theory]
    [InlineData("a: 1\nb: [x, y]\nc: \"q\"\nd: yes\ne: 1.5\nf: inf\ng: '.inf'\nh: |\n  .nan\n", true)]
    [InlineData("true: 1\nyes: 2\nx.y: 3\nnone: 4\n", true)]
    [InlineData("a: .inf\n", false)]
    [InlineData("a: [1, -.Inf]\n", false)]
    [InlineData("- .NaN\n", false)]
    [InlineData("~: 1\n", false)]
    [InlineData("null: 1\n", false)]
    [InlineData("18446744073709551615: x\n", false)]
    [InlineData("base:\n  a: 1\n<<:\n  b: 2\n", false)]
    public void The_fast_path_says_when_go_yamls_checks_and_decoding_can_be_skipped(string text, bool expected)
    {
        // Skipping them is only right when they would find nothing: checked here and for every input Compare sees.
        var documents = BlockYamlReader.TryParse(text, out var untouched);
        Assert.NotNull(documents);
        Assert.Equal(expected, untouched);
        if (untouched)
        {
            AssertGoYamlLeavesAlone(text, documents, "case");
        }
        else
        {
            Assert.True(documents.Exists(d => GoYaml.Decode(d, out var error) is var decoded && (error is not null || !ReferenceEquals(decoded, d) || GoYaml.JsonConversionError(decoded) is not null)));
        }
    }

    /// <summary>What YamlLoader skips for an untouched fast-path read must indeed do nothing.</summary>
    private static void AssertGoYamlLeavesAlone(string text, List<YNode?> documents, string what)
    {
        Assert.True(GoYaml.ReaderError(text, text.Length) is null, what + ": the reader refuses a character in:\n" + text);
        foreach (var document in documents)
        {
            Assert.True(GoYaml.ScannerError(document) is null, what + ": scanner error in:\n" + text);
            var decoded = GoYaml.Decode(document, out var error);
            Assert.True(error is null && ReferenceEquals(decoded, document), what + ": decoding changes or refuses:\n" + text);
            Assert.True(GoYaml.JsonConversionError(document) is null, what + ": the JSON conversion refuses:\n" + text);
        }
    }

    private static readonly string[] Damage = ["", " ", "\n", ":", "- ", "#", "'", "\"", "[", "]", "{", "|", "\t", "&a ", "*a", "!", "---\n", "\\", ",", "  ", "\r\n", "\u00e9", "\u0085", "\u007f", "\u0000", "\uFEFF"];

    // Words the fast path reads, then words that make it (or YAML) give up; the second kind is drawn rarely.
    private static readonly string[] Words =
    [
        "a", "name", "system:masters", "arn:aws:iam::111122223333:role/dev", "{{SessionName}}", "x y", "yes", "123456789012", "0x1F", "~", "null",
        "-1", "1.5", "é", "a#b", "x[1]", "{y}", "/path", "a,b", "true", "..", "a'b", "a\"b", "x:y", "ok ",
        "key:", "-", "?", "<<", ".inf", "-.Inf", ".NaN", "18446744073709551616", "%x", "@x", "`x`", "!x", "*x", "&x", "a: b", "[", "'", "x #y",
    ];

    private const int SafeWords = 25;

    private static readonly Gen<int> Word = Gen.Frequency((20, Gen.Int[0, SafeWords - 1]), (1, Gen.Int[0, Words.Length - 1]));

    private static string Damaged(string text, int at, string damage) =>
        damage.Length == 0 && text.Length > 0 ? text.Remove(Math.Min(at, text.Length - 1), 1) : text.Insert(at, damage);

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (6, Word.Select(i => Words[i])),
        (2, Word.Select(i => "'" + Words[i].Replace("'", "''", StringComparison.Ordinal) + "'")),
        (2, Word.Select(i => "\"" + Words[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\\t\\u00e9\"")),
        (1, Word.Array[0, 3].Select(items => "[" + string.Join(", ", items.Select(i => Words[i])) + "]")),
        (1, Gen.Const("{}")),
        (1, Gen.Const(string.Empty)),
        (1, Gen.Const("x # comment")));

    private static readonly Gen<Node> Document = Gen.Recursive<Node>((depth, self) => depth >= 4
        ? Scalar.Select(s => (Node)new ScalarNode(s))
        : Gen.Frequency(
            (3, Scalar.Select(s => (Node)new ScalarNode(s))),
            (1, Gen.Select(Gen.Int[0, 2], Gen.Bool, Word.Array[1, 3]).Select((chomp, blank, lines) => (Node)new LiteralNode(chomp, blank, [.. lines.Select(i => Words[i])]))),
            (2, Gen.Select(Gen.Int[1, 4], self.Array[1, 4]).Select((indent, items) => (Node)new SequenceNode(indent, items))),
            (2, Gen.Select(Gen.Int[1, 4], Gen.Select(Word, self).Array[1, 4]).Select((indent, pairs) => (Node)new MappingNode(indent, [.. pairs.Select(p => (Words[p.Item1], p.Item2))])))))
        .Select(root => root is ScalarNode or LiteralNode ? new MappingNode(2, [("root", root)]) : root);

    private enum Place
    {
        Root,
        AfterKey,
        AfterDash,
    }

    private abstract record Node
    {
        public string Yaml()
        {
            var sb = new StringBuilder();
            Write(sb, 0, Place.Root);
            return sb.ToString();
        }

        /// <summary>Writes the node; <paramref name="indent"/> is its own indentation (for a compact mapping after '- ', its keys' column).</summary>
        public abstract void Write(StringBuilder sb, int indent, Place place);
    }

    private sealed record ScalarNode(string Text) : Node
    {
        public override void Write(StringBuilder sb, int indent, Place place) => sb.Append(' ').Append(Text).Append('\n');
    }

    private sealed record LiteralNode(int Chomp, bool Blank, string[] Lines) : Node
    {
        public override void Write(StringBuilder sb, int indent, Place place)
        {
            sb.Append(" |").Append(Chomp switch { 1 => "-", 2 => "+", _ => string.Empty }).Append('\n');
            for (var i = 0; i < Lines.Length; i++)
            {
                sb.Append(' ', indent).Append(Lines[i]).Append('\n');
                if (Blank)
                {
                    sb.Append('\n');
                }
            }
        }
    }

    private sealed record SequenceNode(int Step, Node[] Items) : Node
    {
        public override void Write(StringBuilder sb, int indent, Place place)
        {
            if (place != Place.Root)
            {
                sb.Append('\n');
            }

            foreach (var item in Items)
            {
                sb.Append(' ', indent).Append('-');
                item.Write(sb, item is MappingNode ? indent + 2 : indent + Step, Place.AfterDash);
            }
        }
    }

    private sealed record MappingNode(int Step, (string Key, Node Value)[] Pairs) : Node
    {
        public override void Write(StringBuilder sb, int indent, Place place)
        {
            if (place == Place.AfterKey)
            {
                sb.Append('\n');
            }

            for (var i = 0; i < Pairs.Length; i++)
            {
                var (key, value) = Pairs[i];
                // After '- ' the first key shares the dash's line (kubectl's compact form).
                sb.Append(' ', place == Place.AfterDash && i == 0 ? 1 : indent).Append(key).Append(':');
                // A list under a key is written without extra indentation half of the time, as kubectl does.
                value.Write(sb, value is SequenceNode && key.Length % 2 == 0 ? indent : indent + Step, Place.AfterKey);
            }
        }
    }

    /// <summary>Asserts the fast path agrees with YamlDotNet; true when the fast path took the text.</summary>
    private static bool Compare(string text, string what)
    {
        var fast = BlockYamlReader.TryParse(text, out var untouched);
        CompareAscii(text, fast, untouched, what);
        if (untouched)
        {
            AssertGoYamlLeavesAlone(text, fast!, what);
        }

        List<YNode?>? reference;
        try
        {
            reference = YamlLoader.ParseWithYamlDotNet(text, null);
        }
        catch (Exception ex) when (ex is YamlException or RoleMap.Diagnostics.InputException or InvalidOperationException)
        {
            Assert.True(fast is null, what + ": YamlDotNet fails (" + ex.Message + ") but the fast path read:\n" + text);
            return false;
        }

        if (fast is null)
        {
            return false;
        }

        var difference = Difference(reference, fast);
        Assert.True(difference is null, what + ": " + difference + " in:\n" + text);
        return true;
    }

    /// <summary>
    /// The reader over the text's UTF-8 bytes reads what it reads over the string when every byte is ASCII (the same
    /// tree, positions and verdict), and declines otherwise.
    /// </summary>
    private static void CompareAscii(string text, List<YNode?>? fast, bool untouched, string what)
    {
        var overBytes = BlockYamlReader.TryParseAscii(Encoding.UTF8.GetBytes(text), out var bytesUntouched);
        if (!Ascii.IsValid(text))
        {
            Assert.True(overBytes is null, what + ": the bytes path read non-ASCII text:\n" + text);
            return;
        }

        Assert.True((fast is null) == (overBytes is null), what + ": over the string " + (fast is null ? "declined" : "read") + " but over the bytes not, for:\n" + text);
        Assert.True(untouched == bytesUntouched, what + ": untouched differs over the bytes for:\n" + text);
        if (fast is not null)
        {
            var difference = Difference(fast, overBytes!);
            Assert.True(difference is null, what + ": over the bytes " + difference + " in:\n" + text);
        }
    }

    private static string? Difference(IReadOnlyList<YNode?> expected, IReadOnlyList<YNode?> actual)
    {
        if (expected.Count != actual.Count)
        {
            return expected.Count + " documents, fast path " + actual.Count;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (Difference(expected[i], actual[i], "doc" + i) is { } d)
            {
                return d;
            }
        }

        return null;
    }

    private static string? Difference(YNode? expected, YNode? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : path + ": null vs not null";
        }

        if (expected.GetType() != actual.GetType() || expected.Start != actual.Start || expected.Tag != actual.Tag)
        {
            return path + ": " + expected.GetType().Name + "@" + expected.Start + " tag " + expected.Tag + " vs " + actual.GetType().Name + "@" + actual.Start + " tag " + actual.Tag;
        }

        switch (expected)
        {
            case YScalar e:
                var a = (YScalar)actual;
                return e.Value == a.Value && e.Style == a.Style && e.ContentLineOffset == a.ContentLineOffset
                    ? null
                    : path + ": " + Show(e) + " vs " + Show(a);
            case YSequence e:
                var seq = (YSequence)actual;
                if (e.Items.Count != seq.Items.Count)
                {
                    return path + ": " + e.Items.Count + " items vs " + seq.Items.Count;
                }

                return e.Items.Select((item, i) => Difference(item, seq.Items[i], path + "[" + i + "]")).FirstOrDefault(d => d is not null);
            case YMapping e:
                var map = (YMapping)actual;
                if (e.Pairs.Count != map.Pairs.Count)
                {
                    return path + ": " + e.Pairs.Count + " pairs vs " + map.Pairs.Count;
                }

                return e.Pairs.Select((pair, i) => Difference(pair.Key, map.Pairs[i].Key, path + ".key" + i) ?? Difference(pair.Value, map.Pairs[i].Value, path + ".value" + i))
                    .FirstOrDefault(d => d is not null);
            default:
                return path + ": unknown node";
        }

        static string Show(YScalar s) => "'" + s.Value.Replace("\n", "\\n", StringComparison.Ordinal) + "' " + s.Style + " +" + s.ContentLineOffset;
    }
}
