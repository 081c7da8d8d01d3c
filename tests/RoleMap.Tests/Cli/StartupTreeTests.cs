using RoleMap.Cli;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>
/// Start-up builds only the subcommand the first word names (<see cref="CliApp.BuildFor"/>); whatever the words, the
/// output must be the one the whole command tree gives.
/// </summary>
public sealed class StartupTreeTests
{
    public static TheoryData<string[]> Words()
    {
        var data = new TheoryData<string[]>
        {
            new[] { "--version" },
            new[] { "--version", "lint" },
            new[] { "--help" },
            Array.Empty<string>(),
            new[] { "bogus" },
            new[] { "--bogus" },
            new[] { "access-entries", "plan", "--help" },
            new[] { "access-entries", "bogus" },
            new[] { "upsert", "role", "--help" },
            new[] { "upsert", "user", "--bogus" },
            new[] { "remove", "role", "--help" },
            new[] { "lint", "--strict", "--no-such-option", "x.yaml" },
        };
        foreach (var (name, _) in CliApp.Subcommands)
        {
            data.Add([name, "--help"]);
            data.Add([name, "-h"]);
            data.Add([name, "--bogus"]);
            data.Add([name, "--version"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Words))]
    public void The_tree_built_for_the_words_answers_as_the_whole_tree_does(string[] args)
    {
        var whole = Run(io => CliApp.Build(io), args);
        var lazy = Run(io => CliApp.BuildFor(io, args), args);
        Assert.Equal(whole, lazy);
        Assert.NotEqual(string.Empty, whole.Stdout + whole.Stderr);
    }

    [Fact]
    public void Each_subcommand_is_listed_under_the_name_it_builds_with()
    {
        var io = Io(new StringWriter(), new StringWriter());
        Assert.Equal(CliApp.Subcommands.Select(s => s.Name), CliApp.Subcommands.Select(s => s.Create(io).Name));
        Assert.Equal(CliApp.Subcommands.Select(s => s.Name), CliApp.Build(io).Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void A_lone_version_prints_the_version_System_CommandLine_prints_for_rolemap()
    {
        // The version option prints the entry assembly's informational version: in the shipped binary, rolemap's.
        var stamped = typeof(CliApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal(new CliRun(ExitCodes.Ok, stamped + "\n", string.Empty), TestSupport.Cli.Run("--version"));
        Assert.StartsWith(typeof(CliApp).Assembly.GetName().Version!.ToString(3), stamped, StringComparison.Ordinal);
    }

    private static CliRun Run(Func<CliIO, System.CommandLine.RootCommand> build, string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var io = Io(stdout, stderr);
        var code = CliApp.RunAsync(build(io), args, io).GetAwaiter().GetResult();
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private static CliIO Io(StringWriter stdout, StringWriter stderr) => new()
    {
        In = new StringReader(string.Empty),
        Out = stdout,
        Error = stderr,
        WorkingDirectory = Repo.Root,
    };
}
