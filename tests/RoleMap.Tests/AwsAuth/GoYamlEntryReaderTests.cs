using CsCheck;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// The fast read-back (<see cref="GoYamlEntryReader"/>, used by <see cref="RoundTrip.Check(AwsAuthData, IReadOnlyList{KeyValuePair{string, string}})"/>)
/// may only confirm: whenever it reads a text, the exact reader (<see cref="AwsAuthParser"/>) must read the same entries
/// from it with no finding at all. Differential tests on every YAML file and aws-auth data value in the repository,
/// edge cases, rendered data (plain and Terraform style), damaged renderings and the Go oracle's hostile cases.
/// </summary>
public class GoYamlEntryReaderTests
{
    private static readonly string[] Lists = [AwsAuthRenderer.MapRoles, AwsAuthRenderer.MapUsers, AwsAuthRenderer.MapAccounts];

    [Fact]
    public void Every_yaml_file_and_aws_auth_value_in_the_repository_reads_the_same_or_is_left_to_the_exact_reader()
    {
        var files = new[] { "examples", "tests/RoleMap.Tests/testdata", "docs", "src", "bench" }
            .Where(d => Directory.Exists(Repo.Path(d)))
            .SelectMany(d => Directory.EnumerateFiles(Repo.Path(d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/out/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var values = 0;
        var fast = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Agree(text, file);
            AwsAuthDocument document;
            try
            {
                document = AwsAuthParser.Parse(text, file);
            }
            catch (InputException)
            {
                continue;
            }

            foreach (var item in document.Data.Where(d => d.Value is not null))
            {
                values++;
                fast += Agree(item.Value!, file + " " + item.Key) ? 1 : 0;
            }
        }

        Assert.True(values > 20, "only " + values + " aws-auth data values in the repository");
        Assert.True(fast > 0, "the fast reader read none of the " + values + " aws-auth data values in the repository");
    }

    [Theory]
    [InlineData("[]\n")]
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/a\n  username: a\n  groups:\n  - g1\n  - system:masters\n")]
    [InlineData("- rolearn: arn:aws:iam::111122223333:role/a\n  groups: []\n- rolearn: r\n  username: \"system:node:{{EC2PrivateDNSName}}\"\n  groups:\n  - g\n")]
    [InlineData("- \"groups\":\n  - \"system:bootstrappers\"\n  - \"system:nodes\"\n  \"rolearn\": \"arn:aws:iam::1:role/n\"\n  \"username\": \"system:node:{{EC2PrivateDNSName}}\"\n")]
    [InlineData("- \"groups\": []\n  \"rolearn\": \"r\"\n")]
    [InlineData("- userarn: arn:aws:iam::111122223333:user/u\n  username: u\n  groups: []\n")]
    [InlineData("- rolearn: r\n  username: \"\\x41\\u00e9\\U0001F600\\t\\\"\\\\ \\0\\a\\b\\v\\f\\r\\e\\N\\_\\L\\P\\'\"\n  groups: []\n")]
    [InlineData("- rolearn: r\n  username: \"a\\/b\"\n")]
    [InlineData("- rolearn: r\n  username: \"\\uD800\"\n")]
    [InlineData("- rolearn: r\n  username: \"\\q\"\n")]
    [InlineData("- rolearn: r\n  username: \"a\tb\"\n")]
    [InlineData("- rolearn: r\n  username: \"a\u2028b\"\n")]
    [InlineData("- rolearn: r\n  username: \"a\u0085b\"\n")]
    [InlineData("- rolearn: r\n  username: \"\ufeffa\"\n")]
    [InlineData("- rolearn: r\n  username: \"a\n  b\"\n")]
    [InlineData("- rolearn: r\n  username: yes\n")]
    [InlineData("- rolearn: r\n  username: Null\n")]
    [InlineData("- rolearn: r\n  username: nulls\n")]
    [InlineData("- rolearn: r\n  username: 123\n")]
    [InlineData("- rolearn: r\n  username: a:\n")]
    [InlineData("- rolearn: r\n  username: a::b,c@d+e=f/g_h.i-j\n")]
    [InlineData("- rolearn: r\n  username: a b\n")]
    [InlineData("- rolearn: r\n  username: a  b - c\n")]
    [InlineData("- rolearn: r\n  username: a b \n")]
    [InlineData("- rolearn: r\n  username: a: b\n")]
    [InlineData("- rolearn: r\n  username: a :b\n")]
    [InlineData("- rolearn: r\n  username: a #b\n")]
    [InlineData("- rolearn: r\n  username: a#b\n")]
    [InlineData("- rolearn: r\n  username:\n")]
    [InlineData("- rolearn: r\n  username: \n")]
    [InlineData("- rolearn: r\n  username: ''\n")]
    [InlineData("- rolearn: r\n  username: \"\"\n")]
    [InlineData("- rolearn: \"\"\n")]
    [InlineData("- rolearn: r\n  rolearn: s\n")]
    [InlineData("- rolearn: r\n  RoleArn: s\n")]
    [InlineData("- rolearn: r\n  groups:\n- rolearn: s\n")]
    [InlineData("- rolearn: r\n  groups:\n")]
    [InlineData("- rolearn: r\n  groups: g\n")]
    [InlineData("- rolearn: r\n  groups:\n  - g\n   - h\n")]
    [InlineData("- rolearn: r\n  groups:\n    - g\n")]
    [InlineData("- rolearn: r\n  groups:\n  - g\n  - - h\n")]
    [InlineData("- rolearn: r\n  groups:\n  - g\n  username: u\n  sso: {}\n")]
    [InlineData("- rolearn: r\n  userid: x\n")]
    [InlineData("- rolearn: r\n  - g\n")]
    [InlineData("- rolearn: r\n   username: u\n")]
    [InlineData("- rolearn: r\n# comment\n")]
    [InlineData("- rolearn: r\n---\n- rolearn: s\n")]
    [InlineData("- rolearn: r\n...\n")]
    [InlineData("- rolearn: r")]
    [InlineData("- rolearn: r\r\n")]
    [InlineData("\ufeff- rolearn: r\n")]
    [InlineData("- rolearn: r\n\n")]
    [InlineData("- rolearn: r\u0001\n")]
    [InlineData("- rolearn: \"r\u0001\"\n")]
    [InlineData("- rolearn: \"r\" \n")]
    [InlineData("- rolearn: \"r\"x\n")]
    [InlineData("- rolearn : r\n")]
    [InlineData("- \"rolearn\" : r\n")]
    [InlineData("- \"role\\x61rn\": r\n")]
    [InlineData("-  rolearn: r\n")]
    [InlineData("- - rolearn: r\n")]
    [InlineData("- rolearn: &a r\n- rolearn: *a\n")]
    [InlineData("- rolearn: !!str r\n")]
    [InlineData("- rolearn: \"r\"\n- \"111122223333\"\n")]
    [InlineData("- \"111122223333\"\n- \"444455556666\"\n")]
    [InlineData("- 111122223333\n")]
    [InlineData("- abc\n- null\n- ~\n")]
    [InlineData("[ ]\n")]
    [InlineData("[]")]
    [InlineData("{}\n")]
    [InlineData("")]
    [InlineData("- rolearn: r\n  username: u\n  groups:\n  - system:masters\n  - '{{x}}'\n")]
    [InlineData("- rolearn: r\n  groups:\n  - \"\\u00e9\u00e9\U0001F600\"\n")]
    [InlineData("- rolearn: r\n  groups:\n  - \"\ud800\"\n")]
    public void Edge_cases_read_the_same_or_are_left_to_the_exact_reader(string text) => Agree(text, "case");

    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Rendered_data_reads_the_same_and_mostly_takes_the_fast_path(RenderStyle style)
    {
        var fast = 0;
        var samples = Data.Array[3000].Single();
        foreach (var data in samples)
        {
            var rendered = AwsAuthRenderer.RenderData(data, style, alwaysAccounts: true);
            foreach (var (key, value) in rendered)
            {
                Agree(value, key);
            }

            var confirmed = RoundTrip.ReadsBackExactly(data, rendered);
            fast += confirmed ? 1 : 0;
            Assert.Equal(RoundTrip.Check(data, rendered, fastPath: false), RoundTrip.Check(data, rendered, fastPath: true));
            Assert.True(!confirmed || RoundTrip.Check(data, rendered, fastPath: false) is null);
        }

        Assert.True(fast * 5 > samples.Length * 2, "only " + fast + " of " + samples.Length + " renderings took the fast path");
    }

    [Fact]
    public void Benchmark_shaped_data_takes_the_fast_path_in_both_styles()
    {
        var roles = Enumerable.Range(0, 50).Select(i => i % 10 == 0
                ? new MapEntry("arn:aws:iam::111122223333:role/eks-nodes-" + i, StandardEntries.NodeUsername, [StandardEntries.Bootstrappers, StandardEntries.Nodes])
                : new MapEntry("arn:aws:iam::111122223333:role/team-" + i, "team-" + i + ":{{SessionName}}", ["team-" + (i % 3), "readers"]))
            .ToList();
        var users = new List<MapEntry> { new("arn:aws:iam::111122223333:user/ops", "ops", [StandardEntries.Masters]), new("arn:aws:iam::111122223333:user/nobody", null, []) };
        var data = new AwsAuthData(roles, users, ["111122223333", "444455556666"]);
        foreach (var style in new[] { RenderStyle.Plain, RenderStyle.Terraform })
        {
            var rendered = AwsAuthRenderer.RenderData(data, style, alwaysAccounts: true);
            Assert.True(RoundTrip.ReadsBackExactly(data, rendered), style + " rendering not confirmed by the fast reader");
            Assert.Null(RoundTrip.Check(data, rendered, fastPath: false));

            // A changed entry is never confirmed, and the exact reader's message is the one given.
            var changed = data with { Roles = [.. roles.Take(49), roles[49] with { Groups = ["other"] }] };
            Assert.False(RoundTrip.ReadsBackExactly(changed, rendered));
            Assert.Equal(RoundTrip.Check(changed, rendered, fastPath: false), RoundTrip.Check(changed, rendered));
            Assert.NotNull(RoundTrip.Check(changed, rendered));
        }
    }

    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Damaged_renderings_read_the_same_or_are_left_to_the_exact_reader(RenderStyle style)
    {
        var damaged = Gen.Select(Data, Gen.Int[0, 2], Gen.Int[0, 100_000], Gen.Int[0, Damage.Length - 1]);
        var fast = 0;
        foreach (var (data, which, at, damage) in damaged.Array[6000].Single())
        {
            var rendered = AwsAuthRenderer.RenderData(data, style, alwaysAccounts: true);
            var text = rendered[which].Value;
            var position = at % (text.Length + 1);
            var broken = Damage[damage].Length == 0 && text.Length > 0 ? text.Remove(Math.Min(position, text.Length - 1), 1) : text.Insert(position, Damage[damage]);
            fast += Agree(broken, rendered[which].Key) ? 1 : 0;
            var brokenData = rendered.Select((kv, i) => i == which ? new KeyValuePair<string, string>(kv.Key, broken) : kv).ToList();
            Assert.Equal(RoundTrip.Check(data, brokenData, fastPath: false), RoundTrip.Check(data, brokenData, fastPath: true));
        }

        Assert.True(fast > 100, "only " + fast + " damaged texts were read by the fast reader: the test hardly compares anything");
    }

    [Fact]
    public void The_go_oracles_hostile_data_keys_read_the_same_or_are_left_to_the_exact_reader()
    {
        var generator = new HostileAwsAuth(17);
        for (var i = 0; i < 5000; i++)
        {
            var (roles, users, accounts, _) = generator.Case();
            foreach (var text in new[] { roles, users, accounts })
            {
                if (text is not null)
                {
                    Agree(text, "hostile");
                }
            }
        }
    }

    private static readonly string[] Damage =
        ["", " ", "\n", ":", "- ", "  ", "#", "'", "\"", "\\", "[", "]", "{", "}", "|", ">", "\t", "\r", "&a ", "*a", "!", "---\n", ",", "yes", "~", "  - x\n", "  sso: {}\n", "\u0085", "\u2028", "\ufeff", "\u0000", "é"];

    private static readonly string[] Words =
    [
        "a", "dev", "system:masters", "system:nodes", "arn:aws:iam::111122223333:role/dev", "system:node:{{EC2PrivateDNSName}}", "team:{{SessionName}}",
        "x y", "a/b", "a.b", "_x", "é", "中文", "\U0001F600", "a,b", "a@b", "a=b", "a+b",
        "yes", "no", "null", "~", "123456789012", "0x1F", "1e3", ".inf", "-", "- x", ": ", "#", " #x", "'", "\"", "\\", "\t", "\n", "\r\n", "\u0085",
        "\u2028", "\ufeff", "\u00a0", "\u0000", "\u007f", "{{", "[", "]", "{", "}", "<<", "---", "", " ",
    ];

    private const int SafeWords = 18;

    private static readonly Gen<string> Word = Gen.Frequency(
            (12, Gen.Int[0, SafeWords - 1]),
            (1, Gen.Int[0, Words.Length - 1]))
        .Array[1, 3]
        .Select(parts => string.Concat(parts.Select(p => Words[p])));

    private static readonly Gen<MapEntry> Entry = Gen.Select(
        Gen.Int[0, 999],
        Gen.Int[0, 3],
        Word,
        Word.Array[0, 4],
        (n, username, name, groups) => new MapEntry("arn:aws:iam::111122223333:role/r" + n, username == 0 ? null : name, groups));

    private static readonly Gen<AwsAuthData> Data = Gen.Select(
        Entry.List[0, 6],
        Entry.List[0, 3],
        Gen.Frequency((4, Gen.Long[100000000000, 999999999999].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), (1, Word)).List[0, 3],
        (roles, users, accounts) => new AwsAuthData(roles, [.. users.Select(u => u with { Arn = u.Arn!.Replace("role/", "user/", StringComparison.Ordinal) })], accounts));

    /// <summary>
    /// Reads <paramref name="text"/> as each list with the fast reader; where it reads it, the exact reader must read the
    /// same with no finding. True when the fast reader read it as any of the three lists.
    /// </summary>
    private static bool Agree(string text, string what)
    {
        var read = false;
        foreach (var key in Lists)
        {
            var exact = AwsAuthParser.ParseData([new(key, text)], null, "t");
            if (key == AwsAuthRenderer.MapAccounts)
            {
                if (FastStrings(text) is not { } accounts)
                {
                    continue;
                }

                Assert.True(exact.Diagnostics.Count == 0, what + ": the fast reader read " + key + " but the exact reader finds " + string.Join("; ", exact.Diagnostics) + " in:\n" + HostileAwsAuth.Describe(text));
                Assert.Equal(accounts, exact.Effective.Accounts);
                read = true;
                continue;
            }

            var arnField = key == AwsAuthRenderer.MapRoles ? "rolearn" : "userarn";
            if (FastEntries(text, arnField) is not { } entries)
            {
                continue;
            }

            read = true;
            Assert.True(exact.Diagnostics.Count == 0, what + ": the fast reader read " + key + " but the exact reader finds " + string.Join("; ", exact.Diagnostics) + " in:\n" + HostileAwsAuth.Describe(text));
            var list = key == AwsAuthRenderer.MapRoles ? exact.MapRoles : exact.MapUsers;
            Assert.True(entries.Count == list.Entries.Count, what + ": " + entries.Count + " entries against " + list.Entries.Count + " in:\n" + HostileAwsAuth.Describe(text));
            for (var i = 0; i < entries.Count; i++)
            {
                Assert.True(list.Entries[i].IsValid, what + ": entry " + i + " is invalid for the exact reader in:\n" + HostileAwsAuth.Describe(text));
                Assert.True(entries[i].SameAs(list.Entries[i].Entry), what + ": entry " + i + " differs (" + Show(entries[i]) + " against " + Show(list.Entries[i].Entry) + ") in:\n" + HostileAwsAuth.Describe(text));
            }
        }

        return read;
    }

    private static string Show(MapEntry entry) => HostileAwsAuth.Describe(entry.Arn + " | " + (entry.Username ?? "(none)") + " | " + string.Join(", ", entry.Groups) + " | " + entry.ExtraFields.Count);

    /// <summary>The entries the fast reader reads, or null when it leaves the text to the exact reader.</summary>
    private static List<MapEntry>? FastEntries(string text, string arnField)
    {
        var reader = new GoYamlEntryReader(text, arnField);
        var entries = new List<MapEntry>();
        EntryStep step;
        while ((step = reader.Next()) == EntryStep.Entry)
        {
            var groups = Enumerable.Range(0, reader.GroupCount).Select(i => reader.Group(i).ToString()).ToList();
            entries.Add(new MapEntry(reader.Arn.ToString(), reader.HasUsername ? reader.UsernameValue.ToString() : null, groups));
        }

        return step == EntryStep.End ? entries : null;
    }

    private static List<string>? FastStrings(string text)
    {
        var reader = new GoYamlEntryReader(text, arnField: null);
        var items = new List<string>();
        EntryStep step;
        while ((step = reader.NextString()) == EntryStep.Entry)
        {
            items.Add(reader.Item.ToString());
        }

        return step == EntryStep.End ? items : null;
    }
}
