using System.CommandLine;
using RoleMap.Apply;
using RoleMap.Cli.Cluster;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap diff SPEC</c>: per-entry differences between what apply would write and the live aws-auth.</summary>
internal static class DiffCommand
{
    public static Command Create(CliIO io)
    {
        var spec = new Argument<string>("SPEC") { Description = "Mapping spec (YAML or JSON; '-' for stdin), as for generate and apply." };
        var iamArns = SpecInput.IamArnsOption();
        var prune = new Option<bool>("--prune") { Description = "Compare as 'apply --prune' would write: entries not in the spec removed." };
        var asArn = new Option<string?>("--as-arn") { Description = "Your IAM ARN, for the self-lockout check (default: asked from the cluster).", HelpName = "ARN" };
        var format = Output.Format("text", "text", "json");
        var command = new Command("diff", "Show per-entry differences (added, removed, changed fields) between the spec and the live aws-auth, as 'apply' would make them. Exit 0 with no differences, 1 with differences.")
        {
            spec, prune, iamArns, asArn, format,
        };
        var cluster = ClusterOptions.AddTo(command);
        var aws = new LiveAws();
        aws.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(spec)!;
            var compiled = SpecInput.Compile(io, path, lint: true, iamArns: parse.GetValue(iamArns), liveIam: () => aws.LoadIam(io, parse, [LiveAws.Live])!);
            var edit = new SpecEdit(compiled, parse.GetValue(prune), CliIO.DisplayName(path));
            var json = parse.GetValue(format) == "json";
            var clients = ClusterConnector.Connect(io, parse, cluster);
            var outcomes = new PerCluster<(string Cluster, ApplyOutcome Outcome)>(clients);
            var code = await Fleet.RunAsync(io, clients, async (client, ct) =>
            {
                var outcome = await new Applier(client, new ApplyOptions { DryRun = DryRun.Client, CallerArn = parse.GetValue(asArn) }).RunAsync(edit, ct).ConfigureAwait(false);
                outcomes.Add(client, (client.Name, outcome));
                if (outcome.Status == ApplyStatus.Failed)
                {
                    return new ClusterResult(client.Name, ExitCodes.Failure, string.Empty, "failed", outcome.Error!) { Error = outcome.Error };
                }

                var plan = outcome.Plan!;
                var kept = plan.After.MapRoles.ValidEntries.Select(e => e.Entry.Arn).Concat(plan.After.MapUsers.ValidEntries.Select(e => e.Entry.Arn))
                    .Count(arn => arn is not null && !compiled.Data.Roles.Concat(compiled.Data.Users).Any(d => d.Arn!.Equals(arn, StringComparison.OrdinalIgnoreCase)));
                var text = outcome.Status == ApplyStatus.Unchanged
                    ? "kube-system/aws-auth in " + client.Name + " matches the spec: no differences\n"
                    : PlanText.Describe(client.Name, plan, forced: false);
                if (kept > 0)
                {
                    text += kept == 1
                        ? "1 entry in aws-auth is not in the spec and is kept (not managed by rolemap: EKS's node entries, other tools' and teams'); --prune would remove it\n"
                        : kept + " entries in aws-auth are not in the spec and are kept (not managed by rolemap: EKS's node entries, other tools' and teams'); --prune would remove them\n";
                }

                var differs = outcome.Status != ApplyStatus.Unchanged;
                return new ClusterResult(client.Name, differs ? ExitCodes.No : ExitCodes.Ok, json ? string.Empty : text, differs ? "differences" : "no differences", differs ? PlanText.Counts(plan) : "matches the spec");
            }, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                Output.Result(io, Rendering.ClusterRendering.Outcomes(outcomes));
            }

            return code;
        });
        return command;
    }
}
