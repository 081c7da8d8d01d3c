using System.CommandLine;
using RoleMap.Cli.Commands;
using RoleMap.Diagnostics;

namespace RoleMap.Cli;

/// <summary>Process exit codes, the same for every command.</summary>
public static class ExitCodes
{
    /// <summary>Success, yes, or no differences.</summary>
    public const int Ok = 0;

    /// <summary>No, not mapped, findings, or differences.</summary>
    public const int No = 1;

    /// <summary>Bad input or failure.</summary>
    public const int Failure = 2;
}

/// <summary>The rolemap command line: a thin shell over the library.</summary>
public static class CliApp
{
    /// <summary>Every subcommand in the order help lists them, each built only when asked for.</summary>
    internal static readonly (string Name, Func<CliIO, Command> Create)[] Subcommands =
    [
        ("generate", GenerateCommand.Create),
        ("resolve", ResolveCommand.Create),
        ("terraform-external", TerraformExternalCommand.Create),
        ("lint", LintCommand.Create),
        ("access-entries", AccessEntriesCommand.Create),
        ("get", GetCommand.Create),
        ("diff", DiffCommand.Create),
        ("apply", ApplyCommand.Create),
        ("upsert", UpsertCommand.Create),
        ("remove", UpsertCommand.CreateRemove),
        ("restore", BackupsCommand.CreateRestore),
        ("backups", BackupsCommand.Create),
        ("can-i", CanICommand.Create),
        ("who-can", WhoCanCommand.Create),
        ("explain", ExplainCommand.Create),
        ("matrix", MatrixCommand.Create),
        ("report", ReportCommand.Create),
    ];

    /// <summary>The whole command tree (root help, completions and errors list every subcommand).</summary>
    public static RootCommand Build(CliIO io) => Build(io, Subcommands.Select(s => s.Create));

    /// <summary>
    /// The tree that parses <paramref name="args"/> exactly as the whole tree would, built for start-up time: the root has no
    /// arguments and no options that take a value, so a first word naming a subcommand can only be that subcommand, and
    /// its siblings can never be matched; a lone --version needs none of them. Anything else gets the whole tree.
    /// </summary>
    internal static RootCommand BuildFor(CliIO io, string[] args)
    {
        if (args is ["--version"])
        {
            return Build(io, []);
        }

        return Named(args) is { } named ? Build(io, [named]) : Build(io);
    }

    /// <summary>The subcommand the first word names, if any (a loop: Array.Find over the tuples was a visible part of start-up).</summary>
    private static Func<CliIO, Command>? Named(string[] args)
    {
        if (args.Length > 0)
        {
            foreach (var (name, create) in Subcommands)
            {
                if (string.Equals(name, args[0], StringComparison.Ordinal))
                {
                    return create;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// For the common command line (a subcommand and its own words, no help): the named subcommand under a plain root
    /// named as <see cref="RootCommand"/> names itself, without the root's help and version options and directives.
    /// Building those costs start-up time every run (the root asks reflection for the entry assembly, and the options
    /// read their descriptions from System.CommandLine's resources), and none of them can match such words: directives
    /// only come before the first word, the version option only at the root, and the help option is declined here
    /// (any word a tokenizer could read as a help alias, alone, with a value, bundled, or from a response file).
    /// Null when that cannot be shown; the caller parses anything with errors again with <see cref="BuildFor"/>, so every
    /// message comes from the real tree.
    /// </summary>
    internal static Command? BuildFast(CliIO io, string[] args)
    {
        if (Named(args) is not { } create || AnyMayBeHelp(args) || ExecutableName() is not { } name)
        {
            return null;
        }

        var root = new Command(name);
        root.Subcommands.Add(create(io));
        return root;
    }

    /// <summary>Whether any word <see cref="MayBeHelp"/> (loops and patterns: no generic array helpers at start-up).</summary>
    private static bool AnyMayBeHelp(string[] args)
    {
        foreach (var word in args)
        {
            if (MayBeHelp(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Could System.CommandLine's tokenizer read this word as a help option: the alias itself (--help, -h, /h, -?, /?)
    /// or before a ':' or '=' value, one in a bundle of short options, or a response file that could hold one? Errs on yes.
    /// </summary>
    private static bool MayBeHelp(string word)
    {
        var separator = word.AsSpan().IndexOfAny(':', '=');
        var head = separator < 0 ? word.AsSpan() : word.AsSpan(0, separator);
        return word.StartsWith('@')
            || head is "--help" or "-h" or "/h" or "-?" or "/?"
            || (word.StartsWith('-') && !word.StartsWith("--", StringComparison.Ordinal) && word.AsSpan().IndexOfAny('h', '?') >= 0);
    }

    /// <summary>
    /// <see cref="RootCommand.ExecutableName"/> where it comes from the command line's first element (always, in an
    /// executable with an entry point), without its reflection; null otherwise.
    /// </summary>
    private static string? ExecutableName() =>
        Environment.GetCommandLineArgs() is [{ Length: > 0 } path, ..] ? Path.GetFileNameWithoutExtension(path).Replace(" ", "", StringComparison.Ordinal) : null;

    private static RootCommand Build(CliIO io, IEnumerable<Func<CliIO, Command>> subcommands)
    {
        var root = new RootCommand("rolemap: generate, lint, explain and safely apply the EKS aws-auth ConfigMap, and evaluate Kubernetes RBAC for IAM principals.");
        foreach (var create in subcommands)
        {
            root.Subcommands.Add(create(io));
        }

        return root;
    }

    public static Task<int> RunAsync(string[] args, CliIO io, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(io);
        if (args is ["--version"])
        {
            // What System.CommandLine's version option prints (the entry assembly's informational version), without
            // building the tree: its root asks reflection for the entry assembly, a large part of this command's start-up.
            return WriteVersionAsync(io);
        }

        if (args is ["terraform-external"])
        {
            // A subcommand without options or arguments, alone: any tree parses it without errors and runs its
            // synchronous action, which is all System.CommandLine would do, so it runs directly (building and parsing a
            // tree was a visible part of the Terraform data source's start-up). StartupTreeTests runs it against the whole tree.
            return InvokeAsync(() => Task.FromResult(TerraformExternalCommand.Run(io)), io);
        }

        if (BuildFast(io, args)?.Parse(args) is { Errors.Count: 0 } parse)
        {
            return InvokeAsync(parse, io, cancellationToken);
        }

        return RunAsync(BuildFor(io, args), args, io, cancellationToken);
    }

    /// <summary>Written synchronously, as System.CommandLine does: an asynchronous console write starts the thread pool.</summary>
    private static Task<int> WriteVersionAsync(CliIO io)
    {
        io.Out.WriteLine(BuildVersion.Informational);
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>Parses and runs <paramref name="args"/> with the given tree (tests compare the whole tree with <see cref="BuildFor"/>).</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, CliIO io, CancellationToken cancellationToken = default)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // An unknown word also leaves the required subcommand missing; the first message says it all.
            var errors = parse.Errors.Select(e => e.Message).ToList();
            if (errors.Count > 1 && errors.Any(e => e.StartsWith("Unrecognized command or argument", StringComparison.Ordinal)))
            {
                errors.RemoveAll(e => e.StartsWith("Required command was not provided", StringComparison.Ordinal));
            }

            foreach (var error in errors)
            {
                await io.Error.WriteLineAsync("rolemap: " + error).ConfigureAwait(false);
            }

            await io.Error.WriteLineAsync("Run '" + string.Join(' ', CommandPath(parse).Prepend("rolemap")) + " --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        return await InvokeAsync(parse, io, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the action of a parse without errors.</summary>
    private static Task<int> InvokeAsync(ParseResult parse, CliIO io, CancellationToken cancellationToken)
    {
        var configuration = new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false };
        return InvokeAsync(() => parse.InvokeAsync(configuration, cancellationToken), io);
    }

    /// <summary>Runs an action, every failure reported as one line on stderr with exit code 2.</summary>
    private static async Task<int> InvokeAsync(Func<Task<int>> action, CliIO io)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InputException or RoleMap.Cluster.ClusterException or RoleMap.AwsApi.AwsApiException or StandardStreamException)
        {
            // Failures whose message is written for the user: the message alone.
            await io.Error.WriteLineAsync("rolemap: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await io.Error.WriteLineAsync("rolemap: cancelled").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The CLI must never show a stack trace; report the failure and exit 2.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await io.Error.WriteLineAsync("rolemap: internal error: " + ex.Message + " (please report this at the project's issue tracker)").ConfigureAwait(false);
            if (io.Environment("ROLEMAP_DEBUG") is { Length: > 0 })
            {
                await io.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Failure;
        }
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Insert(0, result.Command.Name);
            }
        }

        return names;
    }
}
