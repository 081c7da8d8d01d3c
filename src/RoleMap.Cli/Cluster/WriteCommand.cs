using System.CommandLine;
using System.Text;
using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cluster;
using RoleMap.Diagnostics;

namespace RoleMap.Cli.Cluster;

/// <summary>
/// What every command that writes aws-auth shares: the options (<c>--dry-run</c>, <c>--force</c>, <c>--yes</c>,
/// <c>--as-arn</c>, <c>--keep-backups</c>, <c>--backup-dir</c>, <c>--style</c>, <c>-o</c>), confirmation on a terminal,
/// and running the guarded <see cref="Applier"/> on each selected cluster.
/// </summary>
internal static class WriteCommand
{
    /// <summary>Adds the connection options and the write options to <paramref name="command"/>.</summary>
    public static WriteOptions AddTo(Command command) => WriteOptions.AddTo(command);

    /// <summary>Runs <paramref name="edit"/> on every selected cluster with the guarded applier.</summary>
    public static async Task<int> RunAsync(CliIO io, ParseResult parse, WriteOptions write, Func<IClusterClient, CancellationToken, Task<IAwsAuthEdit>> edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(edit);
        var json = parse.GetValue(write.Output) == "json";
        var clients = ClusterConnector.Connect(io, parse, write.Cluster);
        var outcomes = new PerCluster<(string Cluster, ApplyOutcome Outcome)>(clients);

        // Clusters are planned and written concurrently, but a cluster that asks for confirmation (or shows its plan
        // for it) waits until every earlier cluster has finished: prompts never interleave, and they come in the order
        // of the contexts with the same text as one cluster at a time. No progress line then: it would overwrite them.
        var turns = new ContextTurns(clients);
        var prompting = !parse.GetValue(write.Yes) && parse.GetValue(write.DryRun) is null;
        var code = await Fleet.RunAsync(io, clients, async (client, ct) =>
        {
            try
            {
                var shown = false;
                var options = Options(io, parse, write, client, json, () => shown = true, turns);
                var outcome = await new Applier(client, options).RunAsync(await edit(client, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                outcomes.Add(client, (client.Name, outcome));
                return Result(client.Name, outcome, options, json ? null : shown);
            }
            finally
            {
                turns.Finish(client);
            }
        }, cancellationToken, progress: !(prompting && io.InIsTerminal)).ConfigureAwait(false);
        if (json)
        {
            Output.Result(io, Rendering.ClusterRendering.Outcomes(outcomes));
        }

        return code;
    }

    /// <summary>Runs the same edit on every selected cluster.</summary>
    public static Task<int> RunAsync(CliIO io, ParseResult parse, WriteOptions write, IAwsAuthEdit edit, CancellationToken cancellationToken) =>
        RunAsync(io, parse, write, (_, _) => Task.FromResult(edit), cancellationToken);

    private static ApplyOptions Options(CliIO io, ParseResult parse, WriteOptions write, IClusterClient client, bool json, Action onShown, ContextTurns turns)
    {
        var dryRun = parse.GetValue(write.DryRun) switch
        {
            "server" => DryRun.Server,
            "client" => DryRun.Client,
            _ => DryRun.None,
        };
        var yes = parse.GetValue(write.Yes);
        var force = parse.GetValue(write.Force);
        var backupDir = parse.GetValue(write.BackupDir);
        var keep = parse.GetValue(write.KeepBackups);
        if (keep < 0)
        {
            throw new InputException("--keep-backups must be 0 or more");
        }

        return new ApplyOptions
        {
            DryRun = dryRun,
            Force = force,
            KeepBackups = keep,
            CallerArn = parse.GetValue(write.AsArn),
            Style = parse.GetValue(write.Style) switch
            {
                "terraform" => RenderStyle.Terraform,
                "plain" => RenderStyle.Plain,
                _ => null,
            },
            Confirm = async (plan, ct) =>
            {
                if (yes)
                {
                    return true;
                }

                await turns.WaitAsync(client, ct).ConfigureAwait(false);
                if (!json)
                {
                    io.Out.Write(PlanText.Describe(client.Name, plan, force));
                    onShown();
                }

                if (!io.InIsTerminal)
                {
                    return false;
                }

                io.Error.Write("Write these changes to kube-system/aws-auth in " + client.Name + "? [y/N] ");
                var answer = io.In.ReadLine()?.Trim();
                return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
            },
            LocalBackup = backupDir is null ? null : (backup, ct) => WriteLocalBackupAsync(io, backupDir, client.Name, backup, ct),
        };
    }

    private static async Task WriteLocalBackupAsync(CliIO io, string directory, string cluster, ConfigMapObject backup, CancellationToken cancellationToken)
    {
        var full = io.FullPath(directory);
        Directory.CreateDirectory(full);
        var safe = new string([.. cluster.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_')]);
        var path = Path.Combine(full, safe + "." + backup.Name + ".yaml");
        var document = new ConfigMapDocument(backup.Name, backup.Namespace, backup.Labels, backup.Annotations, backup.Data);
        await File.WriteAllTextAsync(path, ConfigMapWriter.ToYaml(document), cancellationToken).ConfigureAwait(false);
    }

    private static ClusterResult Result(string cluster, ApplyOutcome outcome, ApplyOptions options, bool? shown)
    {
        var sb = new StringBuilder();
        var plan = outcome.Plan;
        if (shown == false && plan is not null && outcome.Status != ApplyStatus.Unchanged)
        {
            sb.Append(PlanText.Describe(cluster, plan, options.Force));
        }

        if (shown is not null && outcome.Status == ApplyStatus.Unchanged && plan is not null)
        {
            foreach (var note in plan.Notes)
            {
                sb.Append("note: ").Append(note).Append('\n');
            }
        }

        if (shown is not null)
        {
            foreach (var note in outcome.Notes)
            {
                sb.Append("note: ").Append(note).Append('\n');
            }
        }

        var counts = plan is null ? string.Empty : PlanText.Counts(plan);
        ClusterResult result = outcome.Status switch
        {
            ApplyStatus.Unchanged => new(cluster, ExitCodes.Ok, string.Empty, "unchanged", "aws-auth already matches; nothing written"),
            ApplyStatus.Applied => new(cluster, ExitCodes.Ok, string.Empty, plan!.Creates ? "created" : "applied", counts + (outcome.BackupName is null ? string.Empty : "; backup " + outcome.BackupName) + (outcome.Attempts > 1 ? "; " + outcome.Attempts + " attempts" : string.Empty) + (outcome.ConfirmedByRereading ? "; confirmed by re-reading" : string.Empty)),
            ApplyStatus.DryRun => new(cluster, ExitCodes.Ok, string.Empty, "dry run", counts + "; nothing written" + (options.DryRun == DryRun.Server ? " (accepted by the API server with dryRun=All)" : string.Empty)),
            ApplyStatus.Refused => new(cluster, ExitCodes.Failure, string.Empty, "refused", string.Join("; ", plan!.Violations.Select(v => v.Rule)) + "; nothing written") { Error = cluster + ": refused by the lockout guards (" + string.Join(", ", plan.Violations.Select(v => v.Rule).Distinct()) + "); nothing was written. Fix the input, or pass --force if this is really intended." },
            ApplyStatus.Declined => new(cluster, ExitCodes.Failure, string.Empty, "not confirmed", "nothing written") { Error = cluster + ": not written: the changes were not confirmed" + (options.Confirm is not null ? "; in scripts and CI pass --yes" : string.Empty) },
            _ => new(cluster, ExitCodes.Failure, string.Empty, "failed", outcome.Error ?? "failed") { Error = outcome.Error },
        };
        if (shown is not null)
        {
            sb.Append(outcome.Status switch
            {
                ApplyStatus.Unchanged => "kube-system/aws-auth in " + cluster + " already matches: no changes, nothing written\n",
                ApplyStatus.Applied => (plan!.Creates ? "created" : "applied") + ": " + result.Detail + (outcome.ResourceVersion is null ? string.Empty : " (resourceVersion " + outcome.ResourceVersion + ")") + "\n",
                ApplyStatus.DryRun => "dry run: " + result.Detail + "\n",
                _ => string.Empty,
            });
        }

        return result with { Output = sb.ToString() };
    }
}

/// <summary>
/// The options every command that writes aws-auth takes: the connection options, <c>--dry-run</c>, <c>--force</c>,
/// <c>--yes</c>, <c>--as-arn</c>, <c>--keep-backups</c>, <c>--backup-dir</c>, <c>--style</c> and <c>-o</c>.
/// </summary>
internal sealed class WriteOptions
{
    private WriteOptions(ClusterOptions cluster)
    {
        Cluster = cluster;
        DryRun.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[0].Value is not ("client" or "server"))
            {
                result.AddError("--dry-run must be 'client' or 'server', not '" + result.Tokens[0].Value + "'");
            }
        });
        Style.AcceptOnlyFromAmong("plain", "terraform");
    }

    public ClusterOptions Cluster { get; }

    public Option<string?> DryRun { get; } = new("--dry-run")
    {
        Description = "client: show the changes and send nothing; server: also have the API server validate the write (dryRun=All). '--dry-run' alone means client.",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "client|server",
        CustomParser = result => result.Tokens.Count == 0 ? "client" : result.Tokens[0].Value,
    };

    public Option<bool> Force { get; } = new("--force") { Description = "Write even when a lockout guard objects (the objections are still printed)." };

    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Do not ask for confirmation (needed when stdin is not a terminal, e.g. in CI)." };

    public Option<string?> AsArn { get; } = new("--as-arn") { Description = "Your IAM ARN, for the check that you keep your own access (default: asked from the cluster with a SelfSubjectReview; 'aws sts get-caller-identity' prints it).", HelpName = "ARN" };

    public Option<int> KeepBackups { get; } = new("--keep-backups") { Description = "Backups (ConfigMaps kube-system/aws-auth-backup-*) to keep; 0 stores none in the cluster.", DefaultValueFactory = _ => 10, HelpName = "N" };

    public Option<string?> BackupDir { get; } = new("--backup-dir") { Description = "Also write each backup as a manifest file into this directory.", HelpName = "DIR" };

    public Option<string?> Style { get; } = new("--style") { Description = "Layout for lists rolemap creates: plain or terraform (existing lists keep theirs).", HelpName = "plain|terraform" };

    public Option<string> Output { get; } = Cli.Output.Format("text", "text", "json");

    public static WriteOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new WriteOptions(ClusterOptions.AddTo(command));
        command.Options.Add(options.DryRun);
        command.Options.Add(options.Force);
        command.Options.Add(options.Yes);
        command.Options.Add(options.AsArn);
        command.Options.Add(options.KeepBackups);
        command.Options.Add(options.BackupDir);
        command.Options.Add(options.Style);
        command.Options.Add(options.Output);
        return options;
    }
}
