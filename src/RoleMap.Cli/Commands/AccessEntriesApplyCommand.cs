using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Cli.Aws;
using RoleMap.Cli.Rendering;
using RoleMap.Diagnostics;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap access-entries apply (SPEC | --aws-auth FILE | live)</c>: makes the cluster's access entries match the
/// migration plan through the EKS API, with the per-entry diff, a confirmation, the self-access guard and a read-back.
/// </summary>
internal sealed class AccessEntriesApplyCommand
{
    private readonly AccessEntriesCommand.MigrationInputs inputs = new();
    private readonly Option<bool> prune = new("--prune") { Description = "Also delete access entries the plan does not have that rolemap did not create (never the ones EKS created itself)." };
    private readonly Option<bool> dryRun = new("--dry-run") { Description = "Show the per-entry diff and change nothing (exit 1 when there are changes)." };
    private readonly Option<bool> yes = new("--yes", "-y") { Description = "Do not ask for confirmation (needed when stdin is not a terminal, e.g. in CI)." };
    private readonly Option<bool> force = new("--force") { Description = "Apply even when you would lose your own admin access (the objection is still printed)." };
    private readonly Option<string?> asArn = new("--as-arn") { Description = "Your IAM ARN, for the check that you keep your own admin access (default: the caller STS GetCallerIdentity names).", HelpName = "ARN" };
    private readonly RbacInput rbac = RbacInput.Create(required: false);
    private readonly Option<string> format = Output.Format("text", "text", "json");

    public Command Definition(CliIO io)
    {
        var command = inputs.Define(
            "apply",
            "Make the cluster's access entries match the migration plan of a spec, an aws-auth file or the cluster's aws-auth (live): create, update, re-create (when the type must change), delete (only entries rolemap created, tagged " + RoleMap.AwsApi.LiveAccess.ManagedByTag + "=" + RoleMap.AwsApi.LiveAccess.ManagedByValue + ", unless --prune; never those EKS created), associate and disassociate policies and change their scopes. Shows the per-entry diff, asks for confirmation, refuses when you would lose your own admin access (--force), then re-reads the entries to confirm. Role paths come from the IAM API unless --iam-arns is given. With -o json the outcome (status, per-entry changes, calls made and not made) is one JSON object on stdout and the diff shown for confirmation goes to stderr. Exit 0 nothing to do or done, 1 differences with --dry-run, 2 failure.",
            format);
        foreach (var option in new Option[] { prune, dryRun, yes, force, asArn, rbac.Paths, rbac.NoBootstrap })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => RunAsync(io, parse, ct));
        return command;
    }

    private async Task<int> RunAsync(CliIO io, ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetResult(inputs.AccessEntries) is { Implicit: false })
        {
            throw new InputException("apply reads the cluster's access entries itself; leave out --access-entries", new SourceLocation("--access-entries"));
        }

        var aws = inputs.Aws;
        var input = inputs.Input(io, parse);
        var session = aws.Connect(io, parse);
        var cluster = aws.ClusterName(io, parse);
        var iamValues = parse.GetValue(inputs.IamArns) is { Length: > 0 } given ? given : [LiveAws.Live];
        var plan = MigrationPlanner.Plan(input, new PlanOptions(cluster, aws.LoadIam(io, parse, iamValues)));
        if (plan.NeedsAttention)
        {
            throw new InputException(plan.Count(PlanStatus.NeedsAttention) + " of the plan's entries need attention (" + string.Join(", ", plan.Entries.Where(e => e.Status == PlanStatus.NeedsAttention).Select(e => e.Label)) + "); nothing changed: 'rolemap access-entries plan' says what to do");
        }

        var caller = parse.GetValue(asArn) ?? (await session.Sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false)).Arn;
        var awsAuth = inputs.FromAwsAuth(parse) ? new AwsAuthData(
            [.. input.Roles.Where(m => m.Ignored is null).Select(m => m.Entry)],
            [.. input.Users.Where(m => m.Ignored is null).Select(m => m.Entry)],
            [.. input.Accounts.Select(a => a.Account)]) : null;
        var json = parse.GetValue(format) == "json";
        var shown = false;
        var request = new SyncRequest(AccessEntrySync.Desired(plan), parse.GetValue(prune), parse.GetValue(dryRun), parse.GetValue(force), caller, awsAuth, LoadRbac(io, parse))
        {
            Confirm = parse.GetValue(yes) ? null : (syncPlan, guard, _) =>
            {
                (json ? io.Error : io.Out).Write(AccessEntriesLiveRendering.Diff(syncPlan, guard, parse.GetValue(force)));
                shown = true;
                if (!io.InIsTerminal)
                {
                    return Task.FromResult(false);
                }

                io.Error.Write("Make these changes to the access entries of " + cluster + "? [y/N] ");
                var answer = io.In.ReadLine()?.Trim();
                return Task.FromResult(answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase)));
            },
        };
        var outcome = await AccessEntryApplier.RunAsync(session.Eks, cluster, request, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            Output.Result(io, AccessEntriesLiveRendering.OutcomeJson(outcome));
        }
        else
        {
            if (!shown && outcome.Status != SyncStatus.Unchanged)
            {
                io.Out.Write(AccessEntriesLiveRendering.Diff(outcome.Plan, outcome.Guard, parse.GetValue(force)));
            }

            Output.Result(io, AccessEntriesLiveRendering.Outcome(outcome));
        }

        switch (outcome.Status)
        {
            case SyncStatus.Unchanged or SyncStatus.Applied:
                return ExitCodes.Ok;
            case SyncStatus.DryRun:
                return ExitCodes.No;
            case SyncStatus.Refused:
                io.Error.WriteLine("rolemap: " + cluster + ": refused: " + outcome.Error + "; nothing changed. Fix the input, or pass --force if this is really intended.");
                return ExitCodes.Failure;
            case SyncStatus.Declined:
                io.Error.WriteLine("rolemap: " + cluster + ": nothing changed: the changes were not confirmed" + (io.InIsTerminal ? string.Empty : " (stdin is not a terminal); in scripts and CI pass --yes"));
                return ExitCodes.Failure;
            default:
                io.Error.WriteLine("rolemap: " + cluster + ": " + outcome.Error + (outcome.Done.Count > 0 ? "; " + outcome.Done.Count + " of " + outcome.Plan.Operations.Count + " calls were made (listed above); run apply again to finish" : string.Empty));
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
