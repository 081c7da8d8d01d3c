using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using RoleMap.AwsAuth;
using RoleMap.Terraform;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// aws-auth lists are rendered as UTF-8 bytes, read back from the bytes and escaped into the Terraform result from the
/// bytes. Differential tests of each step against the string forms it replaced: the entry-by-entry writers against the
/// tree writers, the byte read-back against the exact reader, and the result's escaping against
/// <see cref="Utf8JsonWriter"/> writing strings, on hostile text (quotes, backslashes, control characters, non-ASCII,
/// emoji, line and paragraph separators, unassigned code points); CsCheck reports the seed of a failing case.
/// </summary>
public class Utf8RenderingTests
{
    private static readonly string[] Fragments =
    [
        "\n", "\r", "\r\n", "\t", " ", "  ", "\"", "'", "\\", "/", "<", ">", "&", "+", "`", "{{SessionName}}", ": ", " #", "- ", "yes", "123",
        "~", "é", "中文", "\U0001F600", "\U0001F469\u200D\U0001F4BB", "\ufeff", "\u00a0", "\u0085", "\u2028", "\u2029", "\u0000", "\u0001",
        "\u001b", "\u001f", "\u007f", "\u0080", "\u009f", "\u00ad", "\u0378", "\ue000", "\ufffd", "\ufffe", "\uffff", "\U0010FFFF",
        "\u0301", "\u200b", "\u061c", "system:masters", "a", "word",
    ];

    private static readonly Gen<string> Hostile = Gen.Frequency(
            (3, Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i])),
            (2, Gen.Char['a', 'z'].Array[1, 12].Select(c => new string(c))),
            (1, Gen.Int[0, 0x10FFFF].Where(cp => cp is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)))
        .Array[0, 30]
        .Select(parts => string.Concat(parts));

    private static readonly Gen<MapEntry> Entry = Gen.Select(
        Gen.Int[0, 999],
        Gen.Int[0, 3],
        Hostile,
        Hostile.Array[0, 4],
        (n, username, name, groups) => new MapEntry(username == 3 ? name : "arn:aws:iam::111122223333:role/r" + n, username == 0 ? null : name, groups));

    private static readonly Gen<AwsAuthData> Data = Gen.Select(
        Entry.List[0, 6],
        Entry.List[0, 3],
        Hostile.List[0, 3],
        (roles, users, accounts) => new AwsAuthData(roles, users, accounts));

    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Entries_written_one_by_one_equal_the_tree_writers(RenderStyle style)
    {
        Data.Sample(
            data =>
            {
                var rendered = AwsAuthRenderer.RenderDataUtf8(data, style, alwaysAccounts: true);
                Assert.Equal(Tree(data.Roles, "rolearn", style), Encoding.UTF8.GetString(rendered[0].Value.Span));
                Assert.Equal(Tree(data.Users, "userarn", style), Encoding.UTF8.GetString(rendered[1].Value.Span));
            },
            iter: 2000);
    }

    [Fact]
    public void Long_values_fold_as_the_tree_writer_folds_them()
    {
        // Terraform style folds double-quoted strings at spaces past column 80; runs of ASCII are copied at once.
        var words = string.Join(' ', Enumerable.Range(0, 60).Select(i => new string((char)('a' + (i % 26)), 1 + (i % 13))));
        var entries = new List<MapEntry>
        {
            new("arn:aws:iam::111122223333:role/" + words.Replace(' ', '-'), words, [words, "  " + words + "  ", words.Replace(" ", "  ", StringComparison.Ordinal), "\ufeff" + words, words + "\u2028" + words]),
        };
        Assert.Equal(Tree(entries, "rolearn", RenderStyle.Terraform), AwsAuthRenderer.RenderRoles(entries, RenderStyle.Terraform));
        Assert.Equal(Tree(entries, "rolearn", RenderStyle.Plain), AwsAuthRenderer.RenderRoles(entries, RenderStyle.Plain));
    }

    [Fact]
    public void A_lone_surrogate_is_refused_as_before()
    {
        foreach (var style in new[] { RenderStyle.Plain, RenderStyle.Terraform })
        {
            var entries = new List<MapEntry> { new("arn:aws:iam::111122223333:role/r", "a\ud800b", []) };
            var error = Assert.Throws<ArgumentException>(() => AwsAuthRenderer.RenderDataUtf8(new AwsAuthData(entries, [], []), style));
            Assert.Equal("string contains an unpaired UTF-16 surrogate and cannot be written as UTF-8 (Parameter 'text')", error.Message);
        }
    }

    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Bytes_read_back_as_the_strings_do(RenderStyle style)
    {
        var fast = 0;
        Data.Sample(
            data =>
            {
                var rendered = AwsAuthRenderer.RenderDataUtf8(data, style, alwaysAccounts: true);
                var text = AwsAuthRenderer.Decode(rendered);
                var confirmed = RoundTrip.ReadsBackExactly(data, rendered);
                Assert.Equal(RoundTrip.ReadsBackExactly(data, text), confirmed);
                Assert.Equal(RoundTrip.Check(data, text, fastPath: false), RoundTrip.Check(data, rendered));
                Interlocked.Add(ref fast, confirmed ? 1 : 0);
            },
            iter: 2000);
        Assert.True(fast > 100, "only " + fast + " renderings were confirmed by the fast reader: the test hardly compares anything");
    }

    private static readonly byte[][] Damage =
    [
        [], [0xFF], [0xC0, 0x80], [0xC3], [0xE2, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0x80], [0xC2, 0x85],
        [0xE2, 0x80, 0xA8], [0xEF, 0xBB, 0xBF], [(byte)'"'], [(byte)'\\'], [(byte)'\n'], [(byte)' '], [(byte)':'], [0x00], [0x7F], [0xC3, 0xA9],
    ];

    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Damaged_bytes_read_the_same_as_their_decoded_text_or_are_left_to_the_exact_reader(RenderStyle style)
    {
        var read = 0;
        Gen.Select(Data, Gen.Int[0, 2], Gen.Int[0, 100_000], Gen.Int[0, Damage.Length - 1]).Sample(
            (data, which, at, damage) =>
            {
                var rendered = AwsAuthRenderer.RenderDataUtf8(data, style, alwaysAccounts: true);
                var bytes = rendered[which].Value.ToArray().ToList();
                var position = at % (bytes.Count + 1);
                if (Damage[damage].Length == 0 && bytes.Count > 0)
                {
                    bytes.RemoveAt(Math.Min(position, bytes.Count - 1));
                }
                else
                {
                    bytes.InsertRange(position, Damage[damage]);
                }

                var broken = bytes.ToArray();
                var key = rendered[which].Key;
                var arnField = which switch { 0 => "rolearn", 1 => "userarn", _ => null };
                if (FastRead(new GoYamlEntryReader(broken, arnField), arnField) is not { } entries)
                {
                    return;
                }

                // Read from the bytes: they are valid UTF-8, and the exact reader reads the same from their text, with no finding.
                Interlocked.Increment(ref read);
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(broken);
                Assert.Equal(entries, FastRead(new GoYamlEntryReader(text, arnField), arnField));
                var exact = AwsAuthParser.ParseData([new(key, text)], null, "t");
                Assert.Empty(exact.Diagnostics);
                var back = which switch { 0 => exact.Effective.Roles.Select(Show), 1 => exact.Effective.Users.Select(Show), _ => exact.Effective.Accounts };
                Assert.Equal(entries, back);
            },
            iter: 6000);
        Assert.True(read > 100, "only " + read + " damaged texts were read by the fast reader: the test hardly compares anything");
    }

    [Fact]
    public void The_result_escapes_bytes_as_the_json_writer_escapes_strings()
    {
        Gen.Select(Hostile.Array[0, 4], Hostile.Array[0, 3]).Sample(
            (values, warnings) =>
            {
                var data = values.Select((v, i) => new KeyValuePair<string, string>(i == 3 ? v : "key" + i.ToString(CultureInfo.InvariantCulture), v)).ToList();
                var expected = Reference(data, warnings);
                Assert.Equal(expected, ExternalDataSource.WriteResult(Utf8(data), warnings).ToArray());
                Assert.Equal(Encoding.UTF8.GetString(expected), ExternalDataSource.RenderResult(data, warnings));
            },
            iter: 3000);
    }

    [Fact]
    public void Every_code_point_is_escaped_as_the_json_writer_escapes_it()
    {
        var all = new StringBuilder();
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is < 0xD800 or > 0xDFFF)
            {
                all.Append(char.ConvertFromUtf32(cp));
            }
        }

        var data = new List<KeyValuePair<string, string>> { new("mapRoles", all.ToString()), new("\u2028\"\\\u0000é", "x") };
        Assert.Equal(Reference(data, ["\u2028", "\U0001F600"]), ExternalDataSource.WriteResult(Utf8(data), ["\u2028", "\U0001F600"]).ToArray());
    }

    [Fact]
    public void Ascii_is_escaped_as_the_json_writer_escapes_it_without_its_encoder()
    {
        // Each ASCII character alone (key, value and warning), then random ASCII texts: the result's own ASCII path.
        for (var c = 0; c < 0x80; c++)
        {
            var text = ((char)c).ToString();
            var data = new List<KeyValuePair<string, string>> { new("mapRoles" + text, text + "x" + text) };
            Assert.Equal(Reference(data, [text]), ExternalDataSource.WriteResult(Utf8(data), [text]).ToArray());
        }

        Gen.String[Gen.Char[(char)0, (char)0x7F], 0, 40].Array[1, 4].Sample(
            values =>
            {
                var data = values.Select(v => new KeyValuePair<string, string>(v, v)).ToList();
                Assert.Equal(Reference(data, values), ExternalDataSource.WriteResult(Utf8(data), values).ToArray());
            },
            iter: 3000);
    }

    [Theory]
    [InlineData("bench/example.query.json")]
    [InlineData("tests/RoleMap.Tests/testdata/terraform/cases")]
    public void Terraform_external_results_equal_the_string_path(string path)
    {
        var full = Repo.Path(path);
        var queries = Directory.Exists(full) ? Directory.EnumerateFiles(full, "query.json", SearchOption.AllDirectories).ToList() : [full];
        Assert.NotEmpty(queries);
        foreach (var file in queries)
        {
            foreach (var style in new[] { "plain", "terraform" })
            {
                var query = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))!;
                query["style"] = style;
                var bytes = JsonSerializer.SerializeToUtf8Bytes(query);
                var (spec, renderStyle, keys) = ExternalDataSource.ParseQuery(Encoding.UTF8.GetString(bytes));
                var compilation = RoleMap.UseCases.SpecUseCase.Compile(spec, "<terraform query>", lint: true);
                if (compilation.Refused)
                {
                    continue;
                }

                var data = AwsAuthRenderer.RenderData(compilation.Spec.Data, renderStyle, alwaysAccounts: true);
                var warnings = compilation.Warnings.Select(w => ExternalDataSource.Describe(w, keys)).ToList();
                Assert.Equal(Reference(data, warnings), ExternalDataSource.Evaluate(bytes).ToArray());
            }
        }
    }

    /// <summary>The result as it was written before: Utf8JsonWriter given strings.</summary>
    private static byte[] Reference(IReadOnlyList<KeyValuePair<string, string>> data, IReadOnlyList<string> warnings)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var list = new MemoryStream();
        using (var writer = new Utf8JsonWriter(list, options))
        {
            writer.WriteStartArray();
            foreach (var warning in warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in data)
            {
                writer.WriteString(key, value);
            }

            writer.WriteString("warnings", Encoding.UTF8.GetString(list.ToArray()));
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static List<KeyValuePair<string, ReadOnlyMemory<byte>>> Utf8(IEnumerable<KeyValuePair<string, string>> data) =>
        [.. data.Select(d => new KeyValuePair<string, ReadOnlyMemory<byte>>(d.Key, Encoding.UTF8.GetBytes(d.Value)))];

    private static string Tree(IReadOnlyList<MapEntry> entries, string arnField, RenderStyle style) =>
        AwsAuthRenderer.RenderItems([.. entries.Select(e => AwsAuthRenderer.ToYaml(e, arnField))], style);

    private static string Show(MapEntry entry) => entry.Arn + " | " + (entry.Username ?? "(none)") + " | " + string.Join(", ", entry.Groups);

    /// <summary>What the fast reader reads (entries shown as text, or the strings of a list), or null when it declines.</summary>
    private static List<string>? FastRead(GoYamlEntryReader reader, string? arnField)
    {
        var items = new List<string>();
        EntryStep step;
        if (arnField is null)
        {
            while ((step = reader.NextString()) == EntryStep.Entry)
            {
                items.Add(reader.Item.ToString());
            }
        }
        else
        {
            while ((step = reader.Next()) == EntryStep.Entry)
            {
                var groups = Enumerable.Range(0, reader.GroupCount).Select(i => reader.Group(i).ToString()).ToList();
                items.Add(Show(new MapEntry(reader.Arn.ToString(), reader.HasUsername ? reader.UsernameValue.ToString() : null, groups)));
            }
        }

        return step == EntryStep.End ? items : null;
    }
}
