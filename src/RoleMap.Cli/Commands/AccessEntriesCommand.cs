using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap access-entries plan|export</c>: the move from aws-auth to EKS access entries, planned entry by entry
/// from a spec, an aws-auth file or the live cluster, and exported as AWS CLI calls, JSON, Terraform or CloudFormation.
/// </summary>
internal static class AccessEntriesCommand
{
    /// <summary>The word that reads aws-auth from the cluster instead of a file.</summary>
    public const string Live = "live";

    public static Command Create(CliIO io)
    {
        var command = new Command("access-entries", "Plan and export the move from the aws-auth ConfigMap to EKS access entries.");
        command.Subcommands.Add(PlanCommand(io));
        command.Subcommands.Add(ExportCommand(io));
        return command;
    }

    private static Command PlanCommand(CliIO io)
    {
        var inputs = new Inputs();
        var format = Output.Format("text", "text", "json");
        var command = new Command("plan", "For each aws-auth mapping: the access entry it becomes, or why it is skipped, or what needs attention; then what can be deleted from aws-auth and whether the cluster can switch to API mode. Exit 0 when nothing needs attention and API mode is possible, 1 otherwise.")
        {
            format,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var plan = inputs.Plan(io, parse);
            Output.Result(io, parse.GetValue(format) == "json" ? PlanWriter.Json(plan) : PlanWriter.Text(plan));
            return plan.NeedsAttention || !plan.ApiMode.Possible ? ExitCodes.No : ExitCodes.Ok;
        });
        return command;
    }

    private static Command ExportCommand(CliIO io)
    {
        var inputs = new Inputs();
        var format = Output.Format("cli", [.. AccessEntryExport.FormatNames]);
        var command = new Command("export", "Export the convertible access entries of the plan as AWS CLI commands (cli), API request inputs (json), Terraform (terraform) or a CloudFormation template (cloudformation, cloudformation-json). Entries that need attention are listed, not exported. Exit 0 when everything was exported, 1 when some entries need attention.")
        {
            format,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var plan = inputs.Plan(io, parse);
            var text = AccessEntryExport.Render(plan, AccessEntryExport.ParseFormat(parse.GetValue(format)!));
            var attention = plan.Count(PlanStatus.NeedsAttention);
            if (attention > 0)
            {
                io.Error.WriteLine("rolemap: warning: " + attention + (attention == 1 ? " entry needs" : " entries need") + " attention and " + (attention == 1 ? "was" : "were") + " not exported; 'rolemap access-entries plan' says what to do");
            }

            var unreadable = plan.Notes.Where(n => n.Severity == RoleMap.Diagnostics.Severity.Error && n.Rule is "yaml-invalid" or "list-not-sequence" or "data-not-string").ToList();
            foreach (var note in unreadable)
            {
                io.Error.WriteLine("rolemap: " + note + "; its entries are not exported");
            }

            Output.Result(io, text);
            return attention > 0 || unreadable.Count > 0 ? ExitCodes.No : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The inputs plan and export share.</summary>
    private sealed class Inputs
    {
        private readonly Argument<string?> source = new("SOURCE")
        {
            Description = "A mapping spec (YAML or JSON, '-' for stdin), or 'live' to read aws-auth from the cluster. Leave it out with --aws-auth.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        private readonly Option<string?> awsAuth = new("--aws-auth")
        {
            Description = "Plan from an aws-auth ConfigMap: a manifest or 'kubectl get configmap aws-auth -n kube-system -o yaml|json' output ('-' for stdin).",
            HelpName = "FILE",
        };

        private readonly Option<string?> clusterName = new("--cluster-name")
        {
            Description = "The cluster's name, written into the exported commands and templates (otherwise a variable or parameter).",
            HelpName = "NAME",
        };

        private readonly Option<string[]> iamArns = new("--iam-arns")
        {
            Description = "The JSON of 'aws iam list-roles' and/or 'list-users' (or get-role, or a list of ARNs): restores role paths, which aws-auth cannot hold. Repeatable.",
            HelpName = "FILE",
        };

        private readonly Option<string[]> accessEntries = new("--access-entries")
        {
            Description = "Access entries that already exist: the JSON of 'aws eks list-access-entries', 'describe-access-entry' and/or 'list-associated-access-policies'. Repeatable.",
            HelpName = "FILE",
        };

        public void AddTo(Command command)
        {
            command.Arguments.Add(source);
            command.Options.Add(awsAuth);
            command.Options.Add(clusterName);
            command.Options.Add(iamArns);
            command.Options.Add(accessEntries);
            Cluster.ClusterOptions.AddTo(command);
        }

        public MigrationPlan Plan(CliIO io, ParseResult parse)
        {
            var sourcePath = parse.GetValue(source);
            var awsAuthPath = parse.GetValue(awsAuth);
            if (sourcePath is not null && awsAuthPath is not null)
            {
                throw new InputException("give either SOURCE (a spec, or live) or --aws-auth FILE, not both");
            }

            PlanInput input;
            if (awsAuthPath is not null)
            {
                var name = CliIO.DisplayName(awsAuthPath);
                input = PlanInput.FromAwsAuth(AwsAuthParser.Parse(io.ReadText(awsAuthPath), name), name);
            }
            else if (sourcePath == Live)
            {
                input = LoadLive(io, parse);
            }
            else if (sourcePath is not null)
            {
                // Role paths are what access entries need, so the spec warnings about removing them do not apply here.
                var compiled = SpecInput.Compile(io, sourcePath, showWarning: d => d.Rule is not ("arn-role-path" or "arn-assumed-role"));
                input = PlanInput.FromSpec(compiled, CliIO.DisplayName(sourcePath));
            }
            else
            {
                throw new InputException("missing input: give a mapping SPEC, --aws-auth FILE, or live");
            }

            var iam = IamDirectory.Combine((parse.GetValue(iamArns) ?? []).Select(p => IamDirectory.Parse(io.ReadText(p), CliIO.DisplayName(p))));
            var existing = ExistingAccessEntries.Combine((parse.GetValue(accessEntries) ?? []).Select(p => ExistingAccessEntries.Parse(io.ReadText(p), CliIO.DisplayName(p))));
            return MigrationPlanner.Plan(input, new PlanOptions(parse.GetValue(clusterName), iam, existing));
        }

        /// <summary>aws-auth read from the cluster (--kubeconfig, --context), as the authenticator reads it.</summary>
        private static PlanInput LoadLive(CliIO io, ParseResult parse)
        {
            var clients = Cluster.ClusterConnector.Connect(io, parse);
            if (clients.Count != 1)
            {
                throw new InputException("'live' plans one cluster at a time; give a single --context", new SourceLocation(Live));
            }

            var client = clients[0];
            var configMap = client.GetConfigMapAsync(ConfigMapDocument.KubeSystem, ConfigMapDocument.AwsAuthName, CancellationToken.None).GetAwaiter().GetResult()
                ?? throw new InputException("kube-system/aws-auth does not exist in " + client.Name + "; there is nothing to migrate", new SourceLocation(Live));
            var name = client.Name + ":kube-system/aws-auth";
            return PlanInput.FromAwsAuth(RoleMap.Apply.LiveAwsAuth.From(configMap, name).Document, name);
        }
    }
}
