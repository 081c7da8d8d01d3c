using System.Text;
using RoleMap.Cli;
using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.Terraform;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Terraform;

/// <summary>
/// The query fast path (<see cref="Utf8QueryReader"/>) against the exact path (<see cref="ExternalDataSource.ParseQuery"/>):
/// when it reads a query it must give the same spec, style and keys; when it declines, the exact path decides.
/// </summary>
public class Utf8QueryReaderTests
{
    private const string Role1 = "arn:aws:iam::111122223333:role/A";
    private const string Role2 = "arn:aws:iam::111122223333:role/path/B";

    /// <summary>Queries the fast path reads: what Terraform sends, with every input in use.</summary>
    public static TheoryData<string> ReadQueries() =>
    [
        Query(("eks_worker_iam_role_arns", "[\"" + Role1 + "\"]")),
        Query(("eks_worker_iam_role_arn", Role1), ("eks_worker_iam_role_arns", "[]"), ("style", "terraform")),
        Query(("eks_worker_iam_role_arn", string.Empty), ("windows_worker_iam_role_arns", " [\"" + Role1 + "\", \"" + Role2 + "\"] "), ("eks_fargate_profile_executor_iam_role_arns", "[\"" + Role2 + "\"]")),
        Query(("iam_role_to_rbac_group_mappings", "{\"" + Role2 + "\":[\"a\",\"b\"],\"" + Role1 + "\":[]}"), ("iam_user_to_rbac_group_mappings", "{\"arn:aws:iam::111122223333:user/u\":[\"a\",\"\"]}")),
        Query(("config_map_labels", "{\"app\":\"x\",\"team/name\":\"\"}"), ("map_accounts", "[\"111122223333\",\"bad\",\"111122223333\"]"), ("style", "plain")),
        Query(("map_accounts", "   "), ("config_map_labels", string.Empty), ("iam_role_to_rbac_group_mappings", "\n")),
        Query(("iam_role_to_rbac_group_mappings", "{\"" + Role1 + "\":[\"caf\u00e9\",\"\\u00e9t\u00e9\",\"" + new string('g', 200) + "\"]}")),
        Query(("eks_worker_iam_role_arns", "[\"arn:aws:sts::111122223333:assumed-role/R/s\",\"not an arn\",\"\"]")),
        "\uFEFF" + Query(("eks_worker_iam_role_arns", "[\"" + Role1 + "\"]")),
        "  " + Query(("eks_worker_iam_role_arns", "[\"" + Role1 + "\"]")) + " \n",
    ];

    /// <summary>Queries it declines: other shapes, valid or not, which only the exact path reads or refuses as it does.</summary>
    public static TheoryData<string> DeclinedQueries() =>
    [
        "not json",
        "[1]",
        "{}{}",
        "{\"style\":\"fancy\"}",
        "{\"style\":1}",
        "{\"nodeRoles\":\"[]\"}",
        "{\"worker_arns\":\"[]\"}",
        Query(("map_accounts", "[]"), ("map_accounts", "[]")),
        Query(("eks_worker_iam_role_arns", "[1]")),
        Query(("eks_worker_iam_role_arns", "null")),
        Query(("eks_worker_iam_role_arns", "{}")),
        Query(("eks_worker_iam_role_arns", "[] []")),
        Query(("eks_worker_iam_role_arns", "\u00a0")),
        Query(("iam_role_to_rbac_group_mappings", "{\"" + Role1 + "\":[\"a\"],\"" + Role1 + "\":[\"b\"]}")),
        Query(("iam_role_to_rbac_group_mappings", "{\"" + Role1 + "\":null}")),
        Query(("iam_role_to_rbac_group_mappings", "{\"" + Role1 + "\":[],\"" + Role2 + "\":[],\"" + Role1 + "\":[]}")),
        Query(("iam_role_to_rbac_group_mappings", "{oops")),
        Query(("config_map_labels", "{\"a\":\"1\",\"a\":\"2\"}")),
        Query(("config_map_labels", "{\"a\":1}")),
        Query(("eks_worker_iam_role_arns", "[\"\\ud800\"]")),
        "{\"eks_worker_iam_role_arns\":[\"" + Role1 + "\"]}",
    ];

    [Theory]
    [MemberData(nameof(ReadQueries))]
    public void Reads_the_same_spec_as_the_exact_path(string query)
    {
        var bytes = Encoding.UTF8.GetBytes(query.TrimStart('\uFEFF'));
        var fast = Utf8QueryReader.TryRead(bytes);
        Assert.NotNull(fast);
        var exact = ExternalDataSource.ParseQuery(query.TrimStart('\uFEFF'));
        Assert.Equal(exact.Style, fast.Value.Style);
        Assert.Equal(exact.Keys, fast.Value.Keys);
        Assert.Equal(Describe(exact.Spec), Describe(fast.Value.Spec));
        Assert.Equal(Evaluate(query.TrimStart('\uFEFF')), Evaluate(Encoding.UTF8.GetBytes(query))); // stdin's reader drops the mark
    }

    [Theory]
    [MemberData(nameof(DeclinedQueries))]
    public void Declines_other_queries_which_read_as_before(string query)
    {
        Assert.Null(Utf8QueryReader.TryRead(Encoding.UTF8.GetBytes(query)));
        Assert.Equal(Evaluate(query), Evaluate(Encoding.UTF8.GetBytes(query)));
    }

    [Fact]
    public void Invalid_utf8_is_decoded_with_replacement_as_stdin_was()
    {
        var bytes = Encoding.UTF8.GetBytes(Query(("eks_worker_iam_role_arns", "[\"arn:aws:iam::111122223333:role/X\"]")));
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xFF;
        Assert.Null(Utf8QueryReader.TryRead(bytes));
        Assert.Equal(Evaluate(Encoding.UTF8.GetString(bytes)), Evaluate(bytes));
    }

    [Fact]
    public async Task The_cli_writes_the_same_bytes_from_stdin_bytes_as_from_text()
    {
        var query = File.ReadAllText(Repo.Path("bench", "example.query.json"));
        var text = TestSupport.Cli.RunWithInput(query, "terraform-external");
        var stdout = new MemoryStream();
        var io = new CliIO
        {
            In = new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(query)), new UTF8Encoding(false)),
            Out = new StreamWriter(stdout, new UTF8Encoding(false)) { AutoFlush = true },
            Error = TextWriter.Null,
        };
        Assert.Equal(0, await CliApp.RunAsync(["terraform-external"], io));
        Assert.Equal(0, text.ExitCode);
        Assert.Equal(text.Stdout, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    private static string Query(params (string Key, string Value)[] inputs) =>
        RoleMap.Text.JsonText.Write(
            w =>
            {
                w.WriteStartObject();
                foreach (var (key, value) in inputs)
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
            },
            default);

    /// <summary>The result, or the message of the refusal.</summary>
    private static string Evaluate(string query)
    {
        try
        {
            return ExternalDataSource.Evaluate(query);
        }
        catch (InputException ex)
        {
            return "refused: " + ex.Message + " at " + ex.Location;
        }
    }

    private static string Evaluate(byte[] query)
    {
        try
        {
            return Encoding.UTF8.GetString(ExternalDataSource.Evaluate(query).Span);
        }
        catch (InputException ex)
        {
            return "refused: " + ex.Message + " at " + ex.Location;
        }
    }

    /// <summary>Every field of the spec, locations included, as text to compare.</summary>
    internal static string Describe(MappingSpec spec) =>
        string.Join("\n", [
            "file " + spec.File,
            .. spec.Roles.Select(r => "role " + Principal(r)),
            .. spec.Users.Select(u => "user " + Principal(u)),
            .. spec.Accounts.Select(a => "account " + a.Account + " " + Where(a.Location)),
            .. spec.Labels.Select(l => "label " + l.Key + "=" + l.Value),
            "permission sets " + spec.PermissionSets.Count,
        ]);

    private static string Principal(SpecPrincipal p) =>
        p.Arn + " " + p.Kind + " " + (p.Username ?? "(none)") + " [" + string.Join(",", p.Groups) + "] " + Where(p.Location) + " " + p.PermissionSet;

    private static string Where(SourceLocation l) => l.File + ":" + l.Line + ":" + l.Column + ":" + l.Path;
}
