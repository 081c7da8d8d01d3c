using System.CommandLine;
using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cli.Cluster;
using RoleMap.Diagnostics;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap upsert role|user ARN</c> and <c>rolemap remove role|user</c>: one entry at a time, touching nothing else.</summary>
internal static class UpsertCommand
{
    public static Command Create(CliIO io)
    {
        var command = new Command("upsert", "Add an entry to aws-auth, or update the groups and username of the one that exists for the ARN (matched ignoring case; duplicates are merged into one). Everything else is kept.");
        command.Subcommands.Add(Upsert(io, role: true));
        command.Subcommands.Add(Upsert(io, role: false));
        return command;
    }

    public static Command CreateRemove(CliIO io)
    {
        var command = new Command("remove", "Remove only what is asked from aws-auth: the entry for an ARN, the entries with a username, or one group from an ARN's entry.");
        command.Subcommands.Add(Remove(io, role: true));
        command.Subcommands.Add(Remove(io, role: false));
        return command;
    }

    private static Command Upsert(CliIO io, bool role)
    {
        var arn = new Argument<string>("ARN") { Description = role ? "The role ARN (a path or an assumed-role session is removed, as the authenticator needs)." : "The user ARN." };
        var groups = new Option<string[]>("--group", "-g") { Description = "A Kubernetes group; repeat for several. Replaces the entry's groups (kept when not given).", HelpName = "GROUP" };
        var username = new Option<string?>("--username") { Description = "The Kubernetes username (default for a new entry: the principal's name; kept for an existing one).", HelpName = "NAME" };
        var kind = new Option<string?>("--node") { Description = "Write a standard node entry instead: linux, windows, fargate or hybrid (sets username and groups).", HelpName = "linux|windows|fargate|hybrid" };
        kind.AcceptOnlyFromAmong("linux", "windows", "fargate", "hybrid");
        var command = new Command(role ? "role" : "user", role ? "Add or update a mapRoles entry." : "Add or update a mapUsers entry.") { arn, groups, username };
        if (role)
        {
            command.Options.Add(kind);
        }

        var write = WriteCommand.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var groupList = parse.GetValue(groups) ?? [];
            var name = parse.GetValue(username);
            var entryKind = parse.GetValue(kind) switch
            {
                "linux" => EntryKind.LinuxNode,
                "windows" => EntryKind.WindowsNode,
                "fargate" => EntryKind.Fargate,
                "hybrid" => EntryKind.HybridNode,
                _ => EntryKind.Custom,
            };
            if (entryKind == EntryKind.Custom && groupList.Length == 0 && name is null)
            {
                throw new InputException("give --group (repeatable) and/or --username: what the entry should map to");
            }

            if (entryKind != EntryKind.Custom && (groupList.Length > 0 || name is not null))
            {
                throw new InputException("--node sets the standard username and groups; do not combine it with --group or --username");
            }

            var (entry, diagnostics) = UpsertEntry.Compile(role, parse.GetValue(arn)!, name, groupList, entryKind);
            foreach (var diagnostic in diagnostics)
            {
                io.Error.WriteLine("rolemap: " + Text.Printable.Escape(diagnostic.ToString())); // the values are the caller's own, but may hold line breaks
            }

            if (entry is null)
            {
                throw new InputException("the entry is not valid; nothing was written", new SourceLocation("ARN"));
            }

            var standard = entryKind != EntryKind.Custom;
            var edit = new UpsertEdit(WriteCommandList(role), entry, standard || name is not null, standard || groupList.Length > 0);
            return WriteCommand.RunAsync(io, parse, write, edit, cancellationToken);
        });
        return command;
    }

    private static Command Remove(CliIO io, bool role)
    {
        var arn = new Argument<string?>("ARN") { Description = "The ARN whose entries to remove (matched ignoring case).", Arity = ArgumentArity.ZeroOrOne };
        var username = new Option<string?>("--username") { Description = "Remove the entries (of this list only) with this username; with ARN, only that ARN's entry with this username.", HelpName = "NAME" };
        var group = new Option<string?>("--group", "-g") { Description = "Remove only this group from the ARN's entry; the entry stays.", HelpName = "GROUP" };
        var command = new Command(role ? "role" : "user", role ? "Remove from mapRoles." : "Remove from mapUsers.") { arn, username, group };
        var write = WriteCommand.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var arnValue = parse.GetValue(arn);
            var usernameValue = parse.GetValue(username);
            var groupValue = parse.GetValue(group);
            if (arnValue is null && usernameValue is null)
            {
                throw new InputException("give the ARN to remove, or --username NAME");
            }

            if (groupValue is not null && (arnValue is null || usernameValue is not null))
            {
                throw new InputException("--group removes one group from one ARN's entry: give the ARN and no --username");
            }

            return WriteCommand.RunAsync(io, parse, write, new RemoveEdit(WriteCommandList(role), arnValue, usernameValue, groupValue), cancellationToken);
        });
        return command;
    }

    private static string WriteCommandList(bool role) => role ? AwsAuthRenderer.MapRoles : AwsAuthRenderer.MapUsers;
}
