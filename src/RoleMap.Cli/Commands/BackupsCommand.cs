using System.CommandLine;
using System.Globalization;
using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cli.Cluster;
using RoleMap.Cluster;
using RoleMap.Diagnostics;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap backups</c> and <c>rolemap restore [BACKUP]</c>.</summary>
internal static class BackupsCommand
{
    private static readonly string[] Header = ["NAME", "CREATED (UTC)", "FROM RESOURCEVERSION", "ENTRIES", "REASON"];

    public static Command Create(CliIO io)
    {
        var format = Output.Format("table", "table", "json");
        var command = new Command("backups", "List the backups rolemap keeps of aws-auth (kube-system/aws-auth-backup-*), newest first.") { format };
        var cluster = ClusterOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(format) == "json";
            var clients = ClusterConnector.Connect(io, parse, cluster);
            var all = new PerCluster<(string Cluster, IReadOnlyList<BackupInfo> Backups)>(clients);
            var code = await Fleet.RunAsync(io, clients, async (client, ct) =>
            {
                var backups = await ListAsync(client, ct).ConfigureAwait(false);
                all.Add(client, (client.Name, backups));
                var rows = new List<string[]> { Header };
                rows.AddRange(backups.Select(b => new[]
                {
                    b.Name,
                    b.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "?",
                    b.SourceResourceVersion ?? "?",
                    Entries(b),
                    b.Reason ?? string.Empty,
                }));
                var text = backups.Count == 0 ? "no backups of aws-auth in " + client.Name + "\n" : Fleet.Table(rows);
                return new ClusterResult(client.Name, ExitCodes.Ok, json ? string.Empty : text, backups.Count + " backups", backups.Count == 0 ? "none" : "newest " + backups[0].Name);
            }, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                Output.Result(io, Rendering.ClusterRendering.Backups(all));
            }

            return code;
        });
        return command;
    }

    public static Command CreateRestore(CliIO io)
    {
        var backup = new Argument<string?>("BACKUP") { Description = "A backup name from 'rolemap backups', or a backup file written with --backup-dir (default: the newest backup in the cluster).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("restore", "Write a backup of aws-auth back, through the same guarded path as apply: per-entry diff, confirmation, lockout guards, a backup of the current state, conflict retry.") { backup };
        var write = WriteCommand.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var name = parse.GetValue(backup);
            if (name is not null && File.Exists(io.FullPath(name)))
            {
                return WriteCommand.RunAsync(io, parse, write, FromFile(io, name), cancellationToken);
            }

            return WriteCommand.RunAsync(io, parse, write, async (client, ct) =>
            {
                var backups = await ListAsync(client, ct).ConfigureAwait(false);
                var chosen = name is null ? (backups.Count > 0 ? backups[0] : null) : backups.FirstOrDefault(b => b.Name == name);
                if (chosen is null)
                {
                    var close = name is null ? null : Text.Suggest.Closest(name, backups.Select(b => b.Name));
                    throw new ClusterException(client.Name + ": " + (name is null ? "there are no backups of aws-auth to restore" : "no backup named '" + name + "'" + (close is null ? string.Empty : " (did you mean " + close + "?)") + "; 'rolemap backups' lists them"));
                }

                return chosen.Restore();
            }, cancellationToken);
        });
        return command;
    }

    private static async Task<IReadOnlyList<BackupInfo>> ListAsync(IClusterClient client, CancellationToken cancellationToken) =>
        Backups.Describe(await client.ListConfigMapsAsync(ConfigMapDocument.KubeSystem, Backups.Selector, cancellationToken).ConfigureAwait(false));

    private static string Entries(BackupInfo backup)
    {
        var document = AwsAuthParser.ParseData(backup.Object.Data, null, backup.Name);
        return document.MapRoles.Entries.Count + " roles, " + document.MapUsers.Entries.Count + " users";
    }

    /// <summary>A backup manifest written with --backup-dir (or any aws-auth manifest): its data is restored verbatim.</summary>
    private static RestoreEdit FromFile(CliIO io, string path)
    {
        var document = AwsAuthParser.Parse(io.ReadText(path), CliIO.DisplayName(path));
        if (document.Data.Any(d => d.Value is null))
        {
            throw new InputException("a data value is not a string; the API server would reject this ConfigMap", new SourceLocation(CliIO.DisplayName(path)));
        }

        var annotations = document.Metadata?.Annotations ?? [];
        var owned = annotations.LastOrDefault(a => a.Key == Backups.OwnedAnnotation).Value ?? annotations.LastOrDefault(a => a.Key == Ownership.Annotation).Value;
        return new RestoreEdit(Path.GetFileName(path), [.. document.Data.Select(d => new KeyValuePair<string, string>(d.Key, d.Value!))], owned is null ? OwnedEntries.None : Ownership.Parse(owned, out _));
    }
}
