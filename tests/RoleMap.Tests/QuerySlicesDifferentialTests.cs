using System.Text;
using System.Text.Json;
using RoleMap.Cli.Commands;
using RoleMap.Diagnostics;
using RoleMap.Terraform;
using RoleMap.Tests.Terraform;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests;

/// <summary>
/// The query reader's slice path (jsonencode()d lists and maps read from the query's own bytes, without unescaping them)
/// against the exact path (<see cref="ExternalDataSource.ParseQuery"/>) on generated, hostile and damaged queries: when
/// the fast reader reads a query its spec is the exact one, and the evaluation gives the same bytes or the same message.
/// Also stdin read whole from files (one buffer of the file's length), pipes and empty input.
/// </summary>
public class QuerySlicesDifferentialTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Arns =
    [
        "arn:aws:iam::111122223333:role/A",
        "arn:aws:iam::111122223333:role/path/B",
        "arn:aws:iam::111122223333:user/u",
        "arn:aws:iam::444455556666:role/Admin",
        "arn:aws-cn:iam::111122223333:role/x",
        "arn:aws:sts::111122223333:assumed-role/R/s",
        "ARN:AWS:IAM::111122223333:ROLE/A",
        "not an arn",
        string.Empty,
        "arn:aws:iam::111122223333:role/caf\u00e9",
        "arn:aws:iam::111122223333:role/\U0001F600",
        "arn:aws:iam::111122223333:role/" + new string('r', 300),
        "arn:aws:iam::111122223333:role/q\"uote",
        "arn:aws:iam::111122223333:role/back\\slash",
        "arn:aws:iam::111122223333:role/tab\t",
        "arn:aws:iam::111122223333:role/a/b",
    ];

    private static readonly string[] Groups =
    [
        "dev", "ops", "system:masters", "system:nodes", "eks:x", string.Empty, " ", "caf\u00e9", "\U0001F600", "a\"b", "c\\d",
        "line\nbreak", "{{SessionName}}", "yes", "null", "1", "- x", new string('g', 129), new string('h', 128), "a/b", "\u00e9t\u00e9",
    ];

    [Fact]
    public void Generated_queries_in_terraforms_spelling_read_as_the_exact_path_reads_them()
    {
        var sliced = 0;
        for (var seed = 0; seed < 600; seed++)
        {
            var rng = new Random(seed);
            var query = Query(rng, damage: false);
            sliced += AssertSame(query, "seed " + seed + ": " + query) ? 1 : 0;
        }

        Assert.True(sliced > 300, sliced + " read by the fast reader");
    }

    [Fact]
    public void Damaged_queries_read_as_the_exact_path_reads_them()
    {
        for (var seed = 0; seed < 1500; seed++)
        {
            var rng = new Random(10_000 + seed);
            var query = Query(rng, damage: true);
            AssertSame(query, "seed " + seed + ": " + query);
        }
    }

    [Fact]
    public void Queries_damaged_byte_by_byte_read_as_the_exact_path_reads_them()
    {
        for (var seed = 0; seed < 1500; seed++)
        {
            var rng = new Random(20_000 + seed);
            var bytes = Encoding.UTF8.GetBytes(Query(rng, damage: false));
            var at = rng.Next(bytes.Length);
            switch (rng.Next(4))
            {
                case 0:
                    bytes[at] = (byte)"\\\"[]{},: x\u00ff"[rng.Next(11)];
                    break;
                case 1:
                    bytes = [.. bytes[..at], .. bytes[(at + 1)..]];
                    break;
                case 2:
                    bytes = [.. bytes[..at], (byte)"\\\"[]{},: \t"[rng.Next(9)], .. bytes[at..]];
                    break;
                default:
                    bytes = bytes[..at];
                    break;
            }

            AssertSame(bytes, "seed " + seed + ": " + Encoding.UTF8.GetString(bytes));
        }
    }

    [Theory]
    [InlineData("[\"dev\",\"ops\"]", true)]
    [InlineData("[\"dev\", \"ops\"]", false)]
    [InlineData("[\"dev\",\"ops\"] ", false)]
    public void Terraforms_spelling_is_read_from_slices_and_any_other_the_general_way(string list, bool sliced)
    {
        // The general way shares equal group lists (one array); the slice path makes one array per list. Which one read
        // the query shows, so that the differential tests above are known to exercise both.
        var map = "{\"arn:aws:iam::111122223333:role/a\":" + list + ",\"arn:aws:iam::111122223333:role/b\":" + list + "}";
        var query = JsonSerializer.Serialize(new Dictionary<string, string> { ["iam_role_to_rbac_group_mappings"] = map }, Relaxed);
        var read = Utf8QueryReader.TryRead(Encoding.UTF8.GetBytes(query));
        Assert.NotNull(read);
        var roles = read.Value.Spec.Roles;
        Assert.Equal(["dev", "ops"], roles[0].Groups);
        Assert.Equal(sliced, !ReferenceEquals(roles[0].Groups, roles[1].Groups));
        AssertSame(query, query);
    }

    [Fact]
    public void The_benchmarks_query_shape_reads_as_the_exact_path_reads_it()
    {
        AssertSame(File.ReadAllText(Repo.Path("bench", "example.query.json")), "example");
        foreach (var path in Directory.EnumerateFiles(Repo.Root, "*.json", SearchOption.AllDirectories).Where(p => p.Contains("query", StringComparison.OrdinalIgnoreCase) && !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal) && new FileInfo(p).Length < 2_000_000))
        {
            AssertSame(File.ReadAllText(path), path);
        }
    }

    [Fact]
    public void A_result_larger_than_the_stdout_buffer_is_written_whole()
    {
        // Enough mappings for mapRoles to pass the 256 KiB buffer several times, with non-ASCII and escapes on the way.
        var map = "{" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => JsonSerializer.Serialize("arn:aws:iam::111122223333:role/r" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), Relaxed) + ":[\"caf\u00e9\",\"a\\\"b\"]")) + "}";
        var query = JsonSerializer.Serialize(new Dictionary<string, string> { ["iam_role_to_rbac_group_mappings"] = map }, Relaxed);
        Assert.True(AssertSame(query, "20,000 mappings"));
        Assert.True(ExternalDataSource.Evaluate(query).Length > 3 * 256 * 1024);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16384)]
    [InlineData(100_001)]
    public void A_file_on_stdin_is_read_into_one_array_of_its_length(int length)
    {
        var bytes = new byte[length + 7];
        new Random(length).NextBytes(bytes);
        var path = Path.Combine(Path.GetTempPath(), "rolemap-query-slices-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllBytes(path, bytes);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            file.Position = 7; // a shell may hand over a file already partly read
            Assert.Equal(bytes[7..], TerraformExternalCommand.ReadAll(file));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 5)]
    [InlineData(100_000, 1)]
    [InlineData(100_000, 70_000)]
    public void A_file_that_grows_while_it_is_read_is_read_to_its_end(int length, int extra)
    {
        var bytes = new byte[length + extra];
        new Random(length + extra).NextBytes(bytes);
        Assert.Equal(bytes, TerraformExternalCommand.ReadAll(new GrowingStream(bytes, length)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(300_000)]
    public async Task A_pipe_on_stdin_is_read_whole(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        using var server = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var client = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, server.ClientSafePipeHandle);
        var writer = Task.Run(() =>
        {
            server.Write(bytes);
            server.Dispose();
        });
        Assert.False(client.CanSeek);
        Assert.Equal(bytes, TerraformExternalCommand.ReadAll(client));
        await writer;
    }

    [Fact]
    public void The_cli_evaluates_a_query_file_on_stdin_as_its_text()
    {
        var query = File.ReadAllText(Repo.Path("bench", "example.query.json"));
        var path = Path.Combine(Path.GetTempPath(), "rolemap-query-slices-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(path, query);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            Assert.Equal(ExternalDataSource.Evaluate(query), Encoding.UTF8.GetString(ExternalDataSource.Evaluate(TerraformExternalCommand.ReadAll(file)).Span));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A query the module could send: its inputs jsonencode()d as Terraform does; damaged, anything else too.</summary>
    private static string Query(Random rng, bool damage)
    {
        var inputs = new List<(string Key, string Value)>();
        var keys = new[]
        {
            "iam_role_to_rbac_group_mappings", "iam_user_to_rbac_group_mappings", "eks_worker_iam_role_arns", "windows_worker_iam_role_arns",
            "eks_fargate_profile_executor_iam_role_arns", "eks_worker_iam_role_arn", "map_accounts", "config_map_labels", "style",
        };
        foreach (var key in keys.OrderBy(_ => rng.Next()).Take(rng.Next(1, keys.Length + 1)))
        {
            inputs.Add((key, key switch
            {
                "iam_role_to_rbac_group_mappings" or "iam_user_to_rbac_group_mappings" => Map(rng, damage),
                "eks_worker_iam_role_arns" or "windows_worker_iam_role_arns" or "eks_fargate_profile_executor_iam_role_arns" => List(rng, Arns, damage),
                "eks_worker_iam_role_arn" => Pick(rng, Arns),
                "map_accounts" => rng.Next(2) == 0 ? "[]" : "[\"111122223333\"]",
                "config_map_labels" => rng.Next(2) == 0 ? "{}" : "{\"app\":\"x\"}",
                _ => rng.Next(8) == 0 ? "terraform" : "plain",
            }));
        }

        if (damage && rng.Next(6) == 0)
        {
            inputs.Add(inputs[rng.Next(inputs.Count)]); // a key given twice
        }

        var json = new StringBuilder("{");
        foreach (var (key, value) in inputs)
        {
            json.Append(json.Length > 1 ? "," : string.Empty).Append(JsonSerializer.Serialize(key, Relaxed)).Append(':');
            json.Append(damage && rng.Next(12) == 0 ? Pick(rng, ["1", "null", "[]", "{}", "true"]) : JsonSerializer.Serialize(value, Relaxed));
        }

        return json.Append('}').ToString();
    }

    /// <summary>A map of ARNs to group lists as jsonencode() writes it (keys sorted), or, damaged, as it does not.</summary>
    private static string Map(Random rng, bool damage)
    {
        var arns = Enumerable.Range(0, rng.Next(0, 12)).Select(_ => Pick(rng, Arns) + (rng.Next(3) == 0 ? rng.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)).Distinct().ToList();
        arns.Sort(StringComparer.Ordinal);
        if (damage && arns.Count > 1 && rng.Next(3) == 0)
        {
            (arns[0], arns[^1]) = (arns[^1], arns[0]); // out of order
        }

        if (damage && arns.Count > 0 && rng.Next(4) == 0)
        {
            arns.Insert(rng.Next(arns.Count), arns[rng.Next(arns.Count)]); // an ARN given twice
        }

        var text = new StringBuilder("{");
        foreach (var arn in arns)
        {
            text.Append(text.Length > 1 ? "," : string.Empty).Append(Encode(arn, rng, damage)).Append(':');
            text.Append(damage && rng.Next(15) == 0 ? Pick(rng, ["null", "\"x\"", "[1]", "{}", "[[]]"]) : List(rng, Groups, damage));
        }

        return Damage(text.Append('}').ToString(), rng, damage);
    }

    private static string List(Random rng, string[] from, bool damage)
    {
        var items = Enumerable.Range(0, rng.Next(0, 5)).Select(_ => Encode(Pick(rng, from), rng, damage));
        return Damage("[" + string.Join(",", items) + "]", rng, damage);
    }

    /// <summary>A string as jsonencode() writes it; damaged, with escapes it would not write.</summary>
    private static string Encode(string text, Random rng, bool damage)
    {
        var encoded = JsonSerializer.Serialize(text, Relaxed);
        return !damage || encoded.Length < 3 || rng.Next(5) != 0 ? encoded : rng.Next(3) switch
        {
            0 => "\"\\u" + ((int)encoded[1]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + encoded[2..],
            1 => "\"\\ud800" + encoded[1..], // a lone surrogate
            _ => encoded.Replace("/", "\\/", StringComparison.Ordinal),
        };
    }

    /// <summary>Whitespace, a trailing character or a cut where jsonencode() writes none.</summary>
    private static string Damage(string json, Random rng, bool damage) => !damage || rng.Next(4) != 0 ? json : rng.Next(5) switch
    {
        0 => " " + json,
        1 => json + "\n",
        2 => json.Replace(",", ", ", StringComparison.Ordinal),
        3 => json[..rng.Next(json.Length)],
        _ => json.Replace(":", " : ", StringComparison.Ordinal),
    };

    private static string Pick(Random rng, string[] from) => from[rng.Next(from.Length)];

    private static bool AssertSame(string query, string what) => AssertSame(Encoding.UTF8.GetBytes(query), what, query);

    /// <summary>
    /// The fast reader's spec, when it reads the bytes, is the exact path's (of the text stdin's reader decodes); the
    /// evaluations give the same result or message. True when the fast reader read it.
    /// </summary>
    private static bool AssertSame(byte[] bytes, string what, string? text = null)
    {
        text ??= new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false)).ReadToEnd();
        var fast = Utf8QueryReader.TryRead(bytes);
        Assert.True(fast is null || Summary(fast.Value) == Summary(ExternalDataSource.ParseQuery(text)), what);

        var expected = Evaluate(() => ExternalDataSource.Evaluate(text));
        Assert.True(expected == Evaluate(() => Encoding.UTF8.GetString(ExternalDataSource.Evaluate(bytes).Span)), what);

        // Written to a stream through the small buffer stdout gets: the same bytes, and nothing at all for a refusal.
        var stdout = new MemoryStream();
        Assert.True(expected == Evaluate(() => { ExternalDataSource.Evaluate(bytes, stdout); return Encoding.UTF8.GetString(stdout.ToArray()); }), what);
        Assert.True(!expected.StartsWith("refused: ", StringComparison.Ordinal) || stdout.Length == 0, what);
        return fast is not null;
    }

    /// <summary>Everything a reading of the query gives, as text to compare.</summary>
    private static string Summary((RoleMap.Spec.MappingSpec Spec, RoleMap.AwsAuth.RenderStyle Style, IReadOnlyList<string> Keys) query) =>
        query.Style + " " + string.Join(",", query.Keys) + "\n" + Utf8QueryReaderTests.Describe(query.Spec);

    /// <summary>The result, or the refusal: its message and where (an escaped lone surrogate is refused like any bad input).</summary>
    private static string Evaluate(Func<string> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (InputException input)
        {
            return "refused: " + input.Message + " at " + input.Location;
        }
    }

    /// <summary>A file that reports <paramref name="known"/> bytes but holds more by the time it is read (it grew).</summary>
    private sealed class GrowingStream(byte[] bytes, int known) : MemoryStream(bytes)
    {
        public override long Length => known;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 40_000));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 40_000)]);
    }
}
