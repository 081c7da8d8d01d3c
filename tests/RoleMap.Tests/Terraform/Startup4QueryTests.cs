using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using RoleMap.Terraform;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Terraform;

/// <summary>
/// The query's outer object read by hand (<see cref="Utf8QueryReader.TryReadSlices"/>) against the Utf8JsonReader way it
/// declines to (<see cref="Utf8QueryReader.TryReadJson"/>), on the repository's queries and on generated queries in
/// Terraform's spelling, then damaged at the outer level (whitespace, escapes, repeated or unknown keys, other value
/// types, trailing commas, control characters, truncation).
/// </summary>
public class Startup4QueryTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Keys =
    [
        "iam_role_to_rbac_group_mappings", "iam_user_to_rbac_group_mappings", "eks_worker_iam_role_arns", "windows_worker_iam_role_arns",
        "eks_fargate_profile_executor_iam_role_arns", "eks_worker_iam_role_arn", "map_accounts", "config_map_labels", "style",
    ];

    /// <summary>Reads the query both ways; true when the hand-written reader read it (and then both read the same).</summary>
    private static bool AssertSame(byte[] bytes, string what)
    {
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }

        var json = Utf8QueryReader.TryReadJson(bytes);
        var slices = Utf8QueryReader.TryReadSlices(bytes);
        if (slices is null)
        {
            Assert.Equal(Summary(json), Summary(Utf8QueryReader.TryRead(bytes)));
            return false;
        }

        Assert.True(json is not null, "read by hand but declined by Utf8JsonReader: " + what);
        Assert.Equal(Summary(json), Summary(slices));
        return true;
    }

    private static string Summary((RoleMap.Spec.MappingSpec Spec, RoleMap.AwsAuth.RenderStyle Style, IReadOnlyList<string> Keys)? query) =>
        query is not { } read ? "(declined)" : read.Style + " " + string.Join(",", read.Keys) + "\n" + Utf8QueryReaderTests.Describe(read.Spec);

    [Fact]
    public void The_repositorys_queries_are_read_by_hand_as_utf8_json_reader_reads_them()
    {
        Assert.True(AssertSame(File.ReadAllBytes(Repo.Path("bench", "example.query.json")), "example"), "the example was not read by hand");
        foreach (var path in Directory.EnumerateFiles(Repo.Root, "*.json", SearchOption.AllDirectories).Where(p => p.Contains("query", StringComparison.OrdinalIgnoreCase) && !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal) && new FileInfo(p).Length < 2_000_000))
        {
            AssertSame(File.ReadAllBytes(path), path);
        }
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{}\n", true)]
    [InlineData("{} \t\r\n", true)]
    [InlineData(" {}", false)]
    [InlineData("{} x", false)]
    [InlineData("{\"style\":\"plain\"}", true)]
    [InlineData("{\"style\":\"terraform\"}", true)]
    [InlineData("{\"style\":\"Plain\"}", false)]
    [InlineData("{\"style\":\"pl\\u0061in\"}", false)]
    [InlineData("{\"st\\u0079le\":\"plain\"}", false)]
    [InlineData("{\"style\":\"plain\",}", false)]
    [InlineData("{\"style\":\"plain\",", false)]
    [InlineData("{\"style\":\"plain\"", false)]
    [InlineData("{\"style\":\"plain\",\"style\":\"plain\"}", false)]
    [InlineData("{\"style\" : \"plain\"}", false)]
    [InlineData("{\"style\":1}", false)]
    [InlineData("{\"other\":\"x\"}", false)]
    [InlineData("{\"eks_worker_iam_role_arn\":\"\"}", true)]
    [InlineData("{\"eks_worker_iam_role_arn\":\"arn:aws:iam::111122223333:role/é\"}", true)]
    [InlineData("{\"eks_worker_iam_role_arn\":\"a\\\\b\"}", false)]
    [InlineData("{\"eks_worker_iam_role_arn\":\"a\tb\"}", false)]
    [InlineData("{\"eks_worker_iam_role_arns\":\"[\\\"arn:aws:iam::111122223333:role/a\\\"]\"}", true)]
    [InlineData("{\"eks_worker_iam_role_arns\":\"[\\\"arn:aws:iam::111122223333:role/a\\\"\\\\]\"}", false)]
    [InlineData("{\"eks_worker_iam_role_arns\":\"\"}", false)]
    [InlineData("{\"map_accounts\":\"[]\",\"config_map_labels\":\"{}\"}", true)]
    [InlineData("{\"map_accounts\":\"[\\\"111122223333\\\"]\"}", false)]
    [InlineData("{\"config_map_labels\":\"{\\\"a\\\":\\\"b\\\"}\"}", false)]
    [InlineData("{\"iam_role_to_rbac_group_mappings\":\"{\\\"arn:aws:iam::111122223333:role/a\\\":[\\\"dev\\\"]}\"}", true)]
    public void Hostile_outer_objects_are_read_by_hand_only_in_terraforms_spelling(string query, bool byHand) =>
        Assert.Equal(byHand, AssertSame(Encoding.UTF8.GetBytes(query), query));

    [Fact]
    public void Generated_and_damaged_queries_are_read_by_hand_as_utf8_json_reader_reads_them()
    {
        var rng = new Random(1717);
        var (byHand, declined) = (0, 0);
        for (var seed = 0; seed < 4_000; seed++)
        {
            var query = Query(rng);
            var damaged = seed % 2 == 1 ? Damage(rng, query) : query;
            if (AssertSame(Encoding.UTF8.GetBytes(damaged), "seed " + seed + ": " + damaged))
            {
                byHand++;
            }
            else
            {
                declined++;
            }
        }

        Assert.True(byHand > 1_000 && declined > 500, "by hand " + byHand + ", declined " + declined);
    }

    private static string Query(Random rng)
    {
        var json = new StringBuilder("{");
        foreach (var key in Keys.OrderBy(_ => rng.Next()).Take(rng.Next(0, Keys.Length + 1)))
        {
            var value = key switch
            {
                "iam_role_to_rbac_group_mappings" or "iam_user_to_rbac_group_mappings" => Map(rng),
                "eks_worker_iam_role_arns" or "windows_worker_iam_role_arns" or "eks_fargate_profile_executor_iam_role_arns" => JsonSerializer.Serialize(Arns(rng), Relaxed),
                "eks_worker_iam_role_arn" => rng.Next(3) == 0 ? string.Empty : "arn:aws:iam::111122223333:role/w" + rng.Next(10),
                "map_accounts" => rng.Next(3) == 0 ? "[\"111122223333\"]" : "[]",
                "config_map_labels" => rng.Next(3) == 0 ? "{\"app\":\"x\"}" : "{}",
                _ => rng.Next(3) == 0 ? "terraform" : "plain",
            };
            json.Append(json.Length > 1 ? "," : string.Empty).Append(JsonSerializer.Serialize(key, Relaxed)).Append(':').Append(JsonSerializer.Serialize(value, Relaxed));
        }

        return json.Append('}').ToString();
    }

    private static List<string> Arns(Random rng) =>
        [.. Enumerable.Range(0, rng.Next(0, 4)).Select(i => "arn:aws:iam::111122223333:role/r" + rng.Next(20) + (rng.Next(8) == 0 ? "é" : string.Empty))];

    private static string Map(Random rng)
    {
        var map = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var arn in Arns(rng))
        {
            map[arn] = [.. Enumerable.Range(0, rng.Next(0, 3)).Select(g => "team" + rng.Next(5))];
        }

        return JsonSerializer.Serialize(map, Relaxed);
    }

    private static string Damage(Random rng, string json)
    {
        var at = rng.Next(json.Length);
        return rng.Next(10) switch
        {
            0 => json.Insert(at, " "),
            1 => json.Insert(at, "\\u0041"),
            2 => json.Insert(at, "\t"),
            3 => json[..at],
            4 => json.Replace("\"style\"", "\"sty\\u006ce\"", StringComparison.Ordinal),
            5 => json.Length > 2 ? json[..^1] + ",\"style\":\"plain\"}" : json,
            6 => json.Insert(at, ","),
            7 => json.Replace(":\"[]\"", ":[]", StringComparison.Ordinal).Replace(":\"plain\"", ":null", StringComparison.Ordinal),
            8 => json + (rng.Next(2) == 0 ? "\n" : " x"),
            _ => json.Insert(at, "\\\\"),
        };
    }
}
