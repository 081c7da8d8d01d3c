using RoleMap.Cli;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>
/// A command started with standard input, output or error closed (<c>&lt;&amp;-</c>, <c>&gt;&amp;-</c>, <c>2&gt;&amp;-</c>, as some
/// schedulers and daemons start programs) fails with one line and exit code 2 when it needs the stream, never with a
/// stack trace, and runs as usual when it does not.
/// </summary>
public sealed class ClosedStandardStreamsTests
{
    private const string Unreadable = "cannot read standard input: Bad file descriptor";

    [Theory]
    [InlineData("terraform-external")]
    [InlineData("lint", "-")]
    [InlineData("generate", "-")]
    public async Task A_command_that_reads_a_closed_stdin_fails_with_one_line(params string[] args)
    {
        var (code, stdout, stderr) = await RunWithClosedInput(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("rolemap: " + Unreadable + "\n", stderr);
    }

    [Fact]
    public async Task A_command_that_does_not_read_stdin_runs_as_usual_with_it_closed()
    {
        var (code, stdout, stderr) = await RunWithClosedInput("lint", Repo.Path("examples/quickstart/spec.yaml"));
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, code);
        Assert.NotEqual(string.Empty, stdout);
    }

    [Theory]
    [InlineData("\"$0\" \"$1\" --version >&-; echo \"exit $?\" >&2", "rolemap: cannot write standard output: Bad file descriptor\nexit 2\n")]
    [InlineData("\"$0\" \"$1\" generate examples/api-backend/spec.yaml >&-; echo \"exit $?\" >&2", "rolemap: cannot write standard output: Bad file descriptor\nexit 2\n")]
    [InlineData("\"$0\" \"$1\" lint no-such-spec.yaml 2>&-; echo \"exit $?\" >&2", "exit 2\n")]
    [InlineData("\"$0\" \"$1\" --version 2>&-; echo \"exit $?\" >&2", "exit 0\n")]
    public async Task A_closed_stdout_or_stderr_is_a_failure_reported_where_it_can_be(string script, string expectedStderr)
    {
        var run = await TestSupport.Cli.RunProcessScript(script);
        Assert.Equal(expectedStderr, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunWithClosedInput(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var io = new CliIO { InputStream = new CliIO.UnreadableInput(Unreadable), Out = stdout, Error = stderr, WorkingDirectory = Repo.Root };
        var code = await CliApp.RunAsync(args, io);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
