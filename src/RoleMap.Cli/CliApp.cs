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
    public static RootCommand Build(CliIO io)
    {
        var root = new RootCommand("rolemap: generate, lint, explain and safely apply the EKS aws-auth ConfigMap, and evaluate Kubernetes RBAC for IAM principals.");
        root.Subcommands.Add(GenerateCommand.Create(io));
        root.Subcommands.Add(ResolveCommand.Create(io));
        root.Subcommands.Add(TerraformExternalCommand.Create(io));
        root.Subcommands.Add(LintCommand.Create(io));
        root.Subcommands.Add(AccessEntriesCommand.Create(io));
        root.Subcommands.Add(GetCommand.Create(io));
        root.Subcommands.Add(DiffCommand.Create(io));
        root.Subcommands.Add(ApplyCommand.Create(io));
        root.Subcommands.Add(UpsertCommand.Create(io));
        root.Subcommands.Add(UpsertCommand.CreateRemove(io));
        root.Subcommands.Add(BackupsCommand.CreateRestore(io));
        root.Subcommands.Add(BackupsCommand.Create(io));
        root.Subcommands.Add(CanICommand.Create(io));
        root.Subcommands.Add(WhoCanCommand.Create(io));
        root.Subcommands.Add(ExplainCommand.Create(io));
        root.Subcommands.Add(MatrixCommand.Create(io));
        root.Subcommands.Add(ReportCommand.Create(io));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliIO io, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(io);
        var root = Build(io);
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

        var configuration = new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (InputException ex)
        {
            await io.Error.WriteLineAsync("rolemap: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (RoleMap.Cluster.ClusterException ex)
        {
            await io.Error.WriteLineAsync("rolemap: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (RoleMap.AwsApi.AwsApiException ex)
        {
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
