using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Cli.Rendering;
using RoleMap.Diagnostics;
using RoleMap.UseCases;

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
        command.Subcommands.Add(new Plan().Definition(io));
        command.Subcommands.Add(new Export().Definition(io));
        return command;
    }

    /// <summary><c>access-entries plan</c>.</summary>
    private sealed class Plan
    {
        private readonly MigrationInputs inputs = new();
        private readonly Option<string> format = Output.Format("text", "text", "json");

        public Command Definition(CliIO io) => inputs.Define(
            "plan",
            "For each aws-auth mapping: the access entry it becomes, or why it is skipped, or what needs attention; then what can be deleted from aws-auth and whether the cluster can switch to API mode. Exit 0 when nothing needs attention and API mode is possible, 1 otherwise.",
            format,
            parse => Run(io, parse));

        private int Run(CliIO io, ParseResult parse)
        {
            var report = MigrationUseCase.Plan(inputs.Request(io, parse));
            Output.Result(io, parse.GetValue(format) == "json" ? AccessEntriesRendering.Json(report.Plan) : AccessEntriesRendering.Text(report.Plan));
            return report.Failed ? ExitCodes.No : ExitCodes.Ok;
        }
    }

    /// <summary><c>access-entries export</c>.</summary>
    private sealed class Export
    {
        private readonly MigrationInputs inputs = new();
        private readonly Option<string> format = Output.Format("cli", [.. AccessEntryExport.FormatNames]);

        public Command Definition(CliIO io) => inputs.Define(
            "export",
            "Export the convertible access entries of the plan as AWS CLI commands (cli), API request inputs (json), Terraform (terraform) or a CloudFormation template (cloudformation, cloudformation-json). Entries that need attention are listed, not exported. Exit 0 when everything was exported, 1 when some entries need attention.",
            format,
            parse => Run(io, parse));

        private int Run(CliIO io, ParseResult parse)
        {
            var export = MigrationUseCase.Export(inputs.Request(io, parse), AccessEntryExport.ParseFormat(parse.GetValue(format)!));
            if (export.NotExported is var attention and > 0)
            {
                io.Error.WriteLine("rolemap: warning: " + attention + (attention == 1 ? " entry needs" : " entries need") + " attention and " + (attention == 1 ? "was" : "were") + " not exported; 'rolemap access-entries plan' says what to do");
            }

            foreach (var note in export.Unreadable)
            {
                io.Error.WriteLine("rolemap: " + note + "; its entries are not exported");
            }

            Output.Result(io, export.Text);
            return export.Failed ? ExitCodes.No : ExitCodes.Ok;
        }
    }

    /// <summary>The inputs plan and export share: where the mappings come from, and what restores what aws-auth cannot hold.</summary>
    private sealed class MigrationInputs
    {
        private Cluster.ClusterOptions? cluster;

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

        /// <summary>A subcommand with these inputs and its output format.</summary>
        public Command Define(string name, string description, Option<string> format, Func<ParseResult, int> run)
        {
            var command = new Command(name, description) { format };
            command.Arguments.Add(source);
            command.Options.Add(awsAuth);
            command.Options.Add(clusterName);
            command.Options.Add(iamArns);
            command.Options.Add(accessEntries);
            cluster = Cluster.ClusterOptions.AddTo(command);
            command.SetAction(run);
            return command;
        }

        /// <summary>The mappings read (spec warnings shown), and the IAM and access-entry files to be read as the plan needs them.</summary>
        public MigrationRequest Request(CliIO io, ParseResult parse)
        {
            var sourcePath = parse.GetValue(source);
            var awsAuthPath = parse.GetValue(awsAuth);
            if (sourcePath is not null && awsAuthPath is not null)
            {
                throw new InputException("give either SOURCE (a spec, or live) or --aws-auth FILE, not both");
            }

            var input = awsAuthPath is not null ? MigrationUseCase.FromAwsAuth(io.ReadText(awsAuthPath), CliIO.DisplayName(awsAuthPath))
                : sourcePath == Live ? LoadLive(io, parse)
                : sourcePath is not null ? PlanInput.FromSpec(SpecInput.Compile(io, sourcePath, showWarning: MigrationUseCase.Applies, iamArns: parse.GetValue(iamArns)), CliIO.DisplayName(sourcePath))
                : throw new InputException("missing input: give a mapping SPEC, --aws-auth FILE, or live");
            return new MigrationRequest(input, parse.GetValue(clusterName), Files(io, parse.GetValue(iamArns)), Files(io, parse.GetValue(accessEntries)));
        }

        /// <summary>Files read one at a time as they are enumerated, so a bad file is reported before the next is read.</summary>
        private static IEnumerable<NamedText> Files(CliIO io, string[]? paths) => (paths ?? []).Select(p => new NamedText(io.ReadText(p), CliIO.DisplayName(p)));

        /// <summary>aws-auth read from the cluster (--kubeconfig, --context), as the authenticator reads it.</summary>
        private PlanInput LoadLive(CliIO io, ParseResult parse)
        {
            var clients = Cluster.ClusterConnector.Connect(io, parse, cluster ?? throw new InvalidOperationException("'live' needs the connection options on the command"));
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
