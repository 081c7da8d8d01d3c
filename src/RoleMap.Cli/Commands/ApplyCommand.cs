using System.CommandLine;
using RoleMap.Apply;
using RoleMap.Cli.Cluster;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap apply SPEC</c>: merge the spec into the live aws-auth and write it, guarded.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliIO io)
    {
        var spec = new Argument<string>("SPEC") { Description = "Mapping spec (YAML or JSON; '-' for stdin), as for generate." };
        var iamArns = SpecInput.IamArnsOption();
        var prune = new Option<bool>("--prune") { Description = "Remove every entry the spec does not list, not only the ones rolemap applied before (lockout guards still apply)." };
        var command = new Command("apply", "Write the spec's entries into the live aws-auth: entries rolemap applied before and the spec dropped are removed, everything else (EKS node entries, other tools' and teams') is kept. Creates aws-auth when missing; shows the per-entry diff, asks for confirmation, keeps a backup, retries on conflicts.")
        {
            spec, prune, iamArns,
        };
        var write = WriteCommand.AddTo(command);
        var aws = new LiveAws();
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetValue(spec)!;
            var compiled = SpecInput.Compile(io, path, lint: true, iamArns: parse.GetValue(iamArns), liveIam: () => aws.LoadIam(io, parse, [LiveAws.Live])!);
            return WriteCommand.RunAsync(io, parse, write, new SpecEdit(compiled, parse.GetValue(prune), CliIO.DisplayName(path)), cancellationToken);
        });
        return command;
    }
}
