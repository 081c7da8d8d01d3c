using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AwsApi;
using RoleMap.Cli.Rendering;
using RoleMap.Diagnostics;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap access-entries mode API_AND_CONFIG_MAP|API</c>: switches the cluster's authentication mode, one way
/// only, after the migration verdicts and a second, explicit confirmation: typing the cluster's name, or
/// <c>--yes --confirm-cluster NAME</c> where no one can type.
/// </summary>
internal sealed class AccessEntriesModeCommand
{
    private readonly LiveAws aws = new();
    private readonly Argument<string> mode = new("MODE") { Description = "API_AND_CONFIG_MAP (access entries and aws-auth) or API (access entries only)." };
    private readonly Option<string?> awsAuth = new("--aws-auth") { Description = "For API: the cluster's aws-auth from a file (default: read from the cluster through the kubeconfig, --kubeconfig, --context).", HelpName = "FILE" };
    private readonly Option<string[]> iamArns = new("--iam-arns") { Description = "For API: IAM listings that restore role paths (default: 'live', the IAM API). Repeatable.", HelpName = "FILE|live" };
    private readonly Option<bool> dryRun = new("--dry-run") { Description = "Say what would happen and change nothing (exit 1 when the mode would change)." };
    private readonly Option<bool> yes = new("--yes", "-y") { Description = "Do not ask; needs --confirm-cluster NAME as the second confirmation." };
    private readonly Option<string?> confirmCluster = new("--confirm-cluster") { Description = "The cluster's name, repeated as the explicit confirmation with --yes.", HelpName = "NAME" };
    private readonly RbacInput rbac = RbacInput.Create(required: false);
    private readonly Option<string> format = Output.Format("text", "text", "json");
    private Cluster.ClusterOptions? kube;

    public Command Definition(CliIO io)
    {
        mode.AcceptOnlyFromAmong(AuthenticationMode.ApiAndConfigMap.Wire(), AuthenticationMode.Api.Wire());
        var command = new Command("mode", "Switch the cluster's authentication mode, one way only as EKS allows (CONFIG_MAP -> API_AND_CONFIG_MAP -> API). API only when the migration verdicts show no principal losing access: every principal aws-auth maps has its access entry (with --rbac: the same permissions). Asks you to type the cluster's name; without a terminal give --yes --confirm-cluster NAME. Polls the cluster update until it ends. With -o json the outcome is one JSON object on stdout. Exit 0 done or nothing to do, 1 a change with --dry-run, 2 refused or failed.")
        {
            mode, awsAuth, iamArns, dryRun, yes, confirmCluster, rbac.Paths, rbac.NoBootstrap, format,
        };
        kube = Cluster.ClusterOptions.AddTo(command);
        aws.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(io, parse, ct));
        return command;
    }

    private async Task<int> RunAsync(CliIO io, ParseResult parse, CancellationToken cancellationToken)
    {
        var target = AccessEntryNames.ParseMode(parse.GetValue(mode)!)!.Value;
        var session = aws.Connect(io, parse);
        var cluster = aws.ClusterName(io, parse);
        var confirmation = parse.GetValue(confirmCluster);
        if (confirmation is not null && confirmation != cluster)
        {
            throw new InputException("--confirm-cluster " + confirmation + " does not name the cluster being switched, " + cluster + "; nothing changed", new SourceLocation("--confirm-cluster"));
        }

        if (parse.GetValue(yes) && confirmation is null && !parse.GetValue(dryRun))
        {
            throw new InputException("switching the authentication mode cannot be undone: with --yes, also give --confirm-cluster " + cluster, new SourceLocation("--yes"));
        }

        // DescribeCluster decides; every entry and its policies are read only for the proof a switch to API needs.
        var described = await session.Eks.DescribeClusterAsync(cluster, cancellationToken).ConfigureAwait(false);
        (MigrationReport, ExistingAccessEntries)? migration = null;
        if (target == AuthenticationMode.Api && described.AuthenticationMode != AuthenticationMode.Api)
        {
            var live = await LiveAccess.ReadAsync(session.Eks, described, cancellationToken).ConfigureAwait(false);
            var awsAuthPath = parse.GetValue(awsAuth);
            var input = awsAuthPath is not null
                ? MigrationUseCase.FromAwsAuth(io.ReadText(awsAuthPath), CliIO.DisplayName(awsAuthPath))
                : AccessEntriesCommand.MigrationInputs.LoadLive(io, parse, kube!);
            var iam = aws.LoadIam(io, parse, parse.GetValue(iamArns) is { Length: > 0 } given ? given : [LiveAws.Live]) ?? IamDirectory.Empty;
            migration = AuthenticationModeSwitch.Migration(input, live, iam, LoadRbac(io, parse));
        }

        var request = new ModeSwitchRequest(target, migration, parse.GetValue(dryRun))
        {
            Confirm = confirmation is not null ? null : (from, to, _) =>
            {
                if (!io.InIsTerminal)
                {
                    return Task.FromResult(false);
                }

                io.Error.Write("Switching " + cluster + " from " + from.Wire() + " to " + to.Wire() + " cannot be undone. Type the cluster's name to go ahead: ");
                return Task.FromResult(io.In.ReadLine()?.Trim() == cluster);
            },
        };
        var outcome = await AuthenticationModeSwitch.RunAsync(session.Eks, described, request, cancellationToken).ConfigureAwait(false);
        Output.Result(io, parse.GetValue(format) == "json" ? AccessEntriesLiveRendering.ModeJson(outcome, cluster) : AccessEntriesLiveRendering.Mode(outcome, cluster));
        switch (outcome.Status)
        {
            case ModeSwitchStatus.AlreadyThere or ModeSwitchStatus.Switched:
                return ExitCodes.Ok;
            case ModeSwitchStatus.DryRun:
                return ExitCodes.No;
            case ModeSwitchStatus.Declined:
                io.Error.WriteLine("rolemap: " + cluster + ": not switched: the cluster's name was not confirmed" + (io.InIsTerminal ? string.Empty : " (stdin is not a terminal); give --yes --confirm-cluster " + cluster));
                return ExitCodes.Failure;
            default:
                io.Error.WriteLine("rolemap: " + cluster + ": not switched: " + outcome.Error);
                return ExitCodes.Failure;
        }
    }

    /// <summary>--rbac files (the live cluster's RBAC is not read here: save it with kubectl).</summary>
    private RoleMap.Rbac.RbacPolicy? LoadRbac(CliIO io, ParseResult parse)
    {
        if ((parse.GetValue(rbac.Paths) ?? []).Contains(RbacInput.ClusterSource))
        {
            throw new InputException("--rbac cluster is not read here: give files ('kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml')", new SourceLocation("--rbac"));
        }

        return rbac.IsGiven(parse) ? rbac.Load(io, parse) : null;
    }
}
