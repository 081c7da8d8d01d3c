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
        AssertAlike(Run(io => CliApp.Build(io), args), Run(io => CliApp.BuildFor(io, args), args));
    }

    /// <summary>The same answer, and one that says something.</summary>
    private static void AssertAlike(CliRun whole, CliRun other)
    {
        Assert.Equal(whole, other);
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

    public static TheoryData<string, string[]> Runs() => new()
    {
        { "example.query.json", ["terraform-external"] },
        { "example.query.json", ["terraform-external", "--bogus"] },
        { "example.query.json", ["terraform-external", "extra"] },
        { "example.query.json", ["terraform-external", "-h"] },
        { "example.query.json", ["terraform-external", "@" + Repo.Path("bench", "example.query.json")] },
        { string.Empty, ["terraform-external"] },
        { "{\"style\":1}", ["terraform-external"] },
        { string.Empty, ["generate", "examples/quickstart/spec.yaml"] },
        { string.Empty, ["generate", "examples/quickstart/spec.yaml", "--style", "terraform", "-o", "json"] },
        { string.Empty, ["generate", "examples/quickstart/spec.yaml", "--style=terraform", "--data-only"] },
        { string.Empty, ["generate", "examples/quickstart/spec.yaml", "--style", "bogus"] },
        { string.Empty, ["generate", "examples/quickstart/no-such.yaml"] },
        { string.Empty, ["generate"] },
        { string.Empty, ["lint", "examples/quickstart/spec.yaml"] },
        { string.Empty, ["lint", "examples/quickstart/spec.yaml", "--strict"] },
        { string.Empty, ["lint", "examples/quickstart/spec.yaml", "--", "-h"] },
        { string.Empty, ["resolve", "arn:aws:sts::111122223333:assumed-role/dev/jane", "--spec", "examples/quickstart/spec.yaml"] },
        { string.Empty, ["resolve", "arn:aws:sts::111122223333:assumed-role/nobody/jane", "--spec=examples/quickstart/spec.yaml"] },
        { string.Empty, ["resolve", "--spec", "examples/quickstart/spec.yaml"] },
        { string.Empty, ["access-entries"] },
    };

    /// <summary>The real entry point (which parses the common words with <see cref="CliApp.BuildFast"/>) against the whole tree, actions run.</summary>
    [Theory]
    [MemberData(nameof(Runs))]
    public void The_fast_tree_runs_as_the_whole_tree_does(string stdin, string[] args)
    {
        var input = stdin.EndsWith(".json", StringComparison.Ordinal) ? File.ReadAllText(Repo.Path("bench", stdin)) : stdin;
        AssertAlike(Run(io => CliApp.RunAsync(CliApp.Build(io), args, io), input), Run(io => CliApp.RunAsync(args, io), input));
    }

    [Fact]
    public void The_fast_tree_is_taken_for_a_subcommand_and_its_own_words_only()
    {
        var io = Io(new StringWriter(), new StringWriter());
        foreach (var args in new[] { ["terraform-external"], ["lint", "/home/x.yaml", "--strict"], ["generate", "-", "-o", "json", "--style=terraform"], new[] { "who-can", "get", "pods", "-A" } })
        {
            var fast = CliApp.BuildFast(io, args);
            Assert.NotNull(fast);
            Assert.IsNotType<System.CommandLine.RootCommand>(fast);
            Assert.Equal(System.CommandLine.RootCommand.ExecutableName, fast.Name);
            Assert.Equal([args[0]], fast.Subcommands.Select(c => c.Name));
        }

        foreach (var args in new[]
        {
            [], ["--version"], ["--help"], ["bogus"], ["lint", "-h"], ["lint", "--help"], ["lint", "/h"], ["lint", "-?"], ["lint", "/?"], ["lint", "--help=x"],
            ["lint", "/h:x"], ["lint", "-?=1"], ["who-can", "get", "pods", "-Ah"], ["who-can", "-n?"], ["lint", "@args.rsp"], new[] { "terraform-external", "-x", "-h" },
        })
        {
            Assert.Null(CliApp.BuildFast(io, args));
        }
    }

    /// <summary>
    /// Generated and damaged command lines: wherever the fast tree parses without errors, the whole tree parses the same
    /// (the same diagram: commands, options, values and unmatched words) without errors.
    /// </summary>
    [Fact]
    public void The_fast_tree_parses_generated_words_as_the_whole_tree_does()
    {
        var io = Io(new StringWriter(), new StringWriter());
        var whole = CliApp.Build(io);
        var random = new Random(17);
        string[] extra = ["--help", "-h", "/h", "-?", "/?", "--version", "--", "-", "@x", "[suggest]", "x.yaml", "/home/a.yaml", "json", "yaml", "1", "", " ", "h", "?", "-x", "=", ":"];
        var fastParses = 0;
        for (var i = 0; i < 3000; i++)
        {
            var (name, _) = CliApp.Subcommands[random.Next(CliApp.Subcommands.Length)];
            var words = Words(whole.Subcommands.Single(c => c.Name == name)).Concat(extra).ToArray();
            var args = new string[1 + random.Next(6)];
            args[0] = name;
            for (var j = 1; j < args.Length; j++)
            {
                var word = words[random.Next(words.Length)];
                args[j] = random.Next(8) switch
                {
                    0 => word + (random.Next(2) == 0 ? "=" : ":") + words[random.Next(words.Length)],
                    1 => "-" + new string(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => "hnAo?xv-="[random.Next(9)]).ToArray()),
                    2 when word.Length > 1 => word[..random.Next(1, word.Length)],
                    _ => word,
                };
            }

            if (CliApp.BuildFast(io, args) is not { } tree)
            {
                continue;
            }

            // A validator that throws on some values (ClusterOptions' --parallel) must throw alike in both trees.
            var fast = Diagram(tree, args);
            if (fast is not null)
            {
                fastParses++;
                Assert.Equal(fast, Diagram(whole, args));
            }
        }

        Assert.InRange(fastParses, 300, 3000);
    }

    /// <summary>The parse diagram when the words parse without errors (or the exception a parse throws); null for errors.</summary>
    private static string? Diagram(System.CommandLine.Command tree, string[] args)
    {
        try
        {
            return tree.Parse(args) is { Errors.Count: 0 } parse ? parse.ToString() : null;
        }
        catch (InvalidOperationException ex)
        {
            return "throws " + ex.Message;
        }
    }

    /// <summary>Every word a command line can use for a command and its subcommands, options and aliases.</summary>
    private static IEnumerable<string> Words(System.CommandLine.Command command) =>
        command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Subcommands.SelectMany(c => Words(c).Prepend(c.Name)))
            .Concat(command.Aliases);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16383)]
    [InlineData(16384)]
    [InlineData(16385)]
    [InlineData(100_000)]
    public void Stdin_is_read_whole_into_an_array_of_its_length(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        Assert.Equal(bytes, RoleMap.Cli.Commands.TerraformExternalCommand.ReadAll(new TrickleStream(bytes)));
    }

    /// <summary>A pipe's reads: at most a few thousand bytes at a time.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3000));
    }

    private static CliRun Run(Func<CliIO, System.CommandLine.RootCommand> build, string[] args) => Run(io => CliApp.RunAsync(build(io), args, io), string.Empty);

    private static CliRun Run(Func<CliIO, Task<int>> run, string stdin)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var io = Io(stdout, stderr, stdin);
        var code = run(io).GetAwaiter().GetResult();
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private static CliIO Io(StringWriter stdout, StringWriter stderr, string stdin = "") => new()
    {
        In = new StringReader(stdin),
        Out = stdout,
        Error = stderr,
        WorkingDirectory = Repo.Root,
    };
}
