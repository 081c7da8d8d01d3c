using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>can-i, who-can, explain and matrix through the real command line: golden output, exit codes, errors.</summary>
public class RbacCliTests
{
    private const string Fixture = "tests/RoleMap.Tests/testdata/rbac/team.yaml";
    private const string AwsAuth = "tests/RoleMap.Tests/testdata/rbac/aws-auth.yaml";
    private const string Bob = "arn:aws:sts::111122223333:assumed-role/team/bob";

    private static CliRun Run(params string[] args) => TestSupport.Cli.Run(args);

    [Theory]
    [InlineData("request-mode-no", 1, "can-i", "get", "nodes", "-n", "team")]
    [InlineData("sar-mode-yes", 0, "can-i", "get", "nodes", "-n", "team", "--sar")]
    [InlineData("named-create", 1, "can-i", "create", "configmaps/settings", "-n", "team")]
    [InlineData("subresource", 0, "can-i", "update", "deployments.apps/web", "--subresource", "scale", "-n", "team")]
    [InlineData("url", 0, "can-i", "get", "/healthz")]
    public void Can_i_as_an_iam_caller(string golden, int exit, params string[] args)
    {
        var run = Run([.. args, "--as-arn", Bob, "--aws-auth", AwsAuth, "--rbac", Fixture]);
        Assert.Equal(exit, run.ExitCode);
        Golden.Assert("can-i/" + golden + ".txt", run.Stdout);
        Assert.Contains("warning[rbac-missing-role]", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Can_i_list_prints_kubectls_table_and_marks_rules_that_never_apply()
    {
        var run = Run("can-i", "--list", "-n", "team", "--as-arn", Bob, "--aws-auth", AwsAuth, "--rbac", Fixture);
        Assert.Equal(0, run.ExitCode);
        Golden.Assert("can-i/list.txt", run.Stdout);
    }

    [Fact]
    public void Can_i_with_as_and_as_group_and_quiet()
    {
        var yes = Run("can-i", "list", "deploy", "-n", "team", "--as-group", "team", "--rbac", Fixture, "-q");
        Assert.Equal((0, string.Empty), (yes.ExitCode, yes.Stdout));
        var no = Run("can-i", "delete", "deploy", "-n", "team", "--as", "someone", "--as-group", "team", "--rbac", Fixture, "-q");
        Assert.Equal((1, string.Empty), (no.ExitCode, no.Stdout));
        var sa = Run("can-i", "get", "nodes", "-n", "team", "--sar", "--as", "system:serviceaccount:team:ci", "--rbac", Fixture);
        Assert.Equal(0, sa.ExitCode);
        Assert.Contains("\"system:serviceaccount:team:ci\" [system:serviceaccounts, system:serviceaccounts:team, system:authenticated]", sa.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Can_i_for_an_unmapped_caller_is_no()
    {
        var run = Run("can-i", "get", "pods", "--as-arn", "arn:aws:iam::999999999999:role/stranger", "--aws-auth", AwsAuth, "--rbac", Fixture);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("no\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Who_can_text_and_json()
    {
        var text = Run("who-can", "get", "configmaps/settings", "-n", "team", "--aws-auth", AwsAuth, "--rbac", Fixture);
        Assert.Equal(0, text.ExitCode);
        Golden.Assert("who-can/settings.txt", text.Stdout);

        var json = Run("who-can", "get", "widgets.example.com", "-n", "team", "--aws-auth", AwsAuth, "--rbac", Fixture, "--no-bootstrap", "-o", "json");
        Assert.Equal(0, json.ExitCode);
        Golden.Assert("who-can/widgets.json", json.Stdout);
    }

    [Fact]
    public void Rbac_files_read_alike_in_every_encoding_and_with_a_byte_order_mark()
    {
        // --rbac decodes a file's bytes itself (one copy of a 20 MB dump, not a growing buffer): what it reads must be
        // what the usual text reader gives, byte-order marks and invalid UTF-8 included.
        var text = File.ReadAllText(Repo.Path(Fixture));
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        byte[][] variants =
        [
            utf8,
            [0xEF, 0xBB, 0xBF, .. utf8],
            [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(text)],
            [.. System.Text.Encoding.BigEndianUnicode.GetPreamble(), .. System.Text.Encoding.BigEndianUnicode.GetBytes(text)],
            [.. System.Text.Encoding.UTF32.GetPreamble(), .. System.Text.Encoding.UTF32.GetBytes(text)],
        ];
        var outputs = new List<(int, string, string)>();
        foreach (var bytes in variants)
        {
            outputs.Add(WhoCanIn(bytes));
        }

        Assert.Equal(0, outputs[0].Item1);
        Assert.All(outputs, o => Assert.Equal(outputs[0], o));

        // Invalid UTF-8 (here in a comment) becomes U+FFFD, as the usual text reader makes it: the same answer again.
        Assert.Equal(outputs[0], WhoCanIn([.. utf8, .. "# \u00e9 "u8, 0xC3, 0x28, 0xFF, (byte)'\n']));
        var refused = WhoCanIn([.. utf8, .. "# \u0001\n"u8]);
        Assert.Equal(2, refused.Item1);
        Assert.Contains("control characters are not allowed", refused.Item3, StringComparison.Ordinal);

        static (int, string, string) WhoCanIn(byte[] bytes)
        {
            var dir = Directory.CreateTempSubdirectory("rolemap-rbac-encoding-");
            try
            {
                File.WriteAllBytes(Path.Combine(dir.FullName, "team.yaml"), bytes);
                var run = TestSupport.Cli.RunIn(dir.FullName, string.Empty, null, "who-can", "get", "configmaps/settings", "-n", "team", "--aws-auth", Repo.Path(AwsAuth), "--rbac", "team.yaml");
                return (run.ExitCode, run.Stdout, run.Stderr);
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        }
    }

    [Fact]
    public void Who_can_with_templates_says_may()
    {
        var yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: bob}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: 'team:bob'}]\n";
        var run = TestSupport.Cli.RunWithInput(yaml, "who-can", "list", "pods", "-A", "--aws-auth", AwsAuth, "--rbac", "-");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("arn:aws:iam::111122223333:role/team   team:{{SessionName}}  may: User team:bob", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("'may' marks", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_shows_the_whole_chain_and_the_deciding_rule()
    {
        var run = Run("explain", Bob, "--aws-auth", AwsAuth, "--rbac", Fixture, "update", "deployments/web", "-n", "team", "--no-bootstrap");
        Assert.Equal(0, run.ExitCode);
        Golden.Assert("explain/team-update.txt", run.Stdout);

        var denied = Run("explain", "arn:aws:iam::111122223333:user/auditor", "--aws-auth", AwsAuth, "--rbac", Fixture, "get", "secrets", "-n", "team", "--no-bootstrap");
        Assert.Equal(1, denied.ExitCode);
        Golden.Assert("explain/auditor-denied.txt", denied.Stdout);

        var unmapped = Run("explain", "arn:aws:iam::111122223333:role/other", "--aws-auth", AwsAuth, "--rbac", Fixture);
        Assert.Equal(1, unmapped.ExitCode);
        Assert.Contains("401 Unauthorized", unmapped.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("table", "txt")]
    [InlineData("json", "json")]
    [InlineData("csv", "csv")]
    public void Matrix_formats(string format, string extension)
    {
        var run = Run("matrix", "--all-mapped", "--aws-auth", AwsAuth, "--rbac", Fixture, "-n", "team", "-n", "other", "--resource", "configmaps", "--resource", "deploy", "--resource", "nodes", "--resource", "widgets.example.com", "-o", format);
        Assert.Equal(0, run.ExitCode);
        Golden.Assert("matrix/team." + extension, run.Stdout);
    }

    [Fact]
    public void Malformed_rbac_is_bad_input_naming_file_line_document_and_field()
    {
        var run = TestSupport.Cli.RunWithInput("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: x}\nrules:\n- verbs: get\n", "can-i", "get", "pods", "--as", "a", "--rbac", "-");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal("rolemap: <stdin>:5:10: document 1, Role x/r: rules[0].verbs: expected a list of strings, found a string\n", run.Stderr);
    }

    [Theory]
    [InlineData("rolemap: ", "can-i", "get", "pods", "--as", "a", "--rbac", "cluster", "--kubeconfig", "no/such/kubeconfig")]
    [InlineData("rolemap: who is asking? give --as USER, --as-group GROUP or --as-arn ARN", "can-i", "get", "pods", "--rbac", Fixture)]
    [InlineData("rolemap: -A: give -n NS or -A, not both", "can-i", "get", "pods", "-n", "x", "-A", "--as", "a", "--rbac", Fixture)]
    [InlineData("rolemap: --list takes no VERB or TARGET", "can-i", "get", "pods", "--list", "--as", "a", "--rbac", Fixture)]
    [InlineData("rolemap: no/such/dir: file not found", "who-can", "get", "pods", "--rbac", "no/such/dir")]
    [InlineData("rolemap: Option '--rbac' is required.", "who-can", "get", "pods")]
    [InlineData("rolemap: --rbac: only one input can be read from stdin ('-')", "who-can", "get", "pods", "--rbac", "-", "--aws-auth", "-")]
    [InlineData("rolemap: --subresource: --subresource cannot be used with a non-resource URL", "can-i", "get", "/healthz", "--subresource", "x", "--as", "a", "--rbac", Fixture)]
    public void Bad_input_exits_2(string message, params string[] args)
    {
        var run = Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public void Directories_are_read_recursively_and_other_files_ignored()
    {
        var dir = Directory.CreateTempSubdirectory("rolemap-rbac-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "nested"));
            File.Copy(Repo.Path(Fixture), Path.Combine(dir.FullName, "nested", "team.yml"));
            File.WriteAllText(Path.Combine(dir.FullName, "README.md"), "not yaml: [");
            var run = TestSupport.Cli.RunIn(dir.FullName, string.Empty, null, "can-i", "get", "deploy", "-n", "team", "--as-group", "team", "--rbac", ".", "-q");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("nested/team.yml:55", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
