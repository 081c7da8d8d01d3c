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
        var command = new Command("access-entries", "Plan and export the move from the aws-auth ConfigMap to EKS access entries; read, apply and switch them on a live cluster.");
        command.Subcommands.Add(new Plan().Definition(io));
        command.Subcommands.Add(new Export().Definition(io));
        command.Subcommands.Add(AccessEntriesGetCommand.Create(io));
        command.Subcommands.Add(new AccessEntriesApplyCommand().Definition(io));
        command.Subcommands.Add(new AccessEntriesModeCommand().Definition(io));
        return command;
    }

    /// <summary><c>access-entries plan</c>.</summary>
    private sealed class Plan
    {
        private readonly MigrationInputs inputs = new();
        private readonly Option<string> format = Output.Format("text", "text", "json");
        private readonly RbacInput rbac = RbacInput.Create(required: false);

        public Command Definition(CliIO io)
        {
            var command = inputs.Define(
                "plan",
                "For each aws-auth mapping: the access entry it becomes, or why it is skipped, or what needs attention; then what can be deleted from aws-auth and whether the cluster can switch to API mode. With --rbac, also what each principal may do after the move (API mode) compared with today: same, fewer, more, different or unknown, with the requests lost and gained. Exit 0 when nothing needs attention, API mode is possible and (with --rbac) every principal keeps the same access; 1 otherwise.",
                format,
                parse => Run(io, parse));
            rbac.AddTo(command, inputs.Connection);
            return command;
        }

        private int Run(CliIO io, ParseResult parse)
        {
            var request = inputs.Request(io, parse);
            if (rbac.IsGiven(parse))
            {
                if ((parse.GetValue(rbac.Paths) ?? []).Count(p => p == "-") + (inputs.ReadsStdin(parse) ? 1 : 0) > 1)
                {
                    throw new InputException("only one input can be read from stdin ('-')", new SourceLocation("--rbac"));
                }

                request = request with { Rbac = rbac.Load(io, parse) };
            }
            else if (parse.GetValue(rbac.NoBootstrap))
            {
                throw new InputException("--no-bootstrap applies to --rbac: give the cluster's RBAC with --rbac PATH", new SourceLocation("--no-bootstrap"));
            }

            var report = MigrationUseCase.Plan(request);
            Output.Result(io, parse.GetValue(format) == "json" ? AccessEntriesRendering.Json(report.Plan, report.Proof) : AccessEntriesRendering.Text(report.Plan, report.Proof));
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

    /// <summary>The inputs plan, export and apply share: where the mappings come from, and what restores what aws-auth cannot hold.</summary>
    internal sealed class MigrationInputs
    {
        private Cluster.ClusterOptions? cluster;

        /// <summary>The connection options <see cref="Define"/> added (for --rbac cluster on the same command).</summary>
        public Cluster.ClusterOptions Connection => cluster ?? throw new InvalidOperationException("Define adds the connection options first");

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

        /// <summary>The AWS target: <c>--iam-arns live</c>, and for apply the cluster itself. Its --cluster-name also names the cluster in exports.</summary>
        public LiveAws Aws { get; } = new();

        public Option<string[]> IamArns => iamArns;

        public Option<string[]> AccessEntries => accessEntries;

        private readonly Option<string[]> iamArns = new("--iam-arns")
        {
            Description = "The JSON of 'aws iam list-roles' and/or 'list-users' (or get-role, or a list of ARNs): restores role paths, which aws-auth cannot hold; 'live' lists every role and user through the IAM API. Repeatable.",
            HelpName = "FILE|live",
        };

        private readonly Option<string[]> accessEntries = new("--access-entries")
        {
            Description = "Access entries that already exist: the JSON of 'aws eks list-access-entries', 'describe-access-entry' and/or 'list-associated-access-policies'. Repeatable.",
            HelpName = "FILE",
        };

        /// <summary>A subcommand with these inputs and its output format.</summary>
        public Command Define(string name, string description, Option<string> format, Func<ParseResult, int> run)
        {
            var command = Define(name, description, format);
            command.SetAction(run);
            return command;
        }

        /// <summary>A subcommand with these inputs, its output format and the kubeconfig options (for 'live'), without an action yet.</summary>
        public Command Define(string name, string description, Option<string> format)
        {
            var command = new Command(name, description) { format };
            command.Arguments.Add(source);
            command.Options.Add(awsAuth);
            command.Options.Add(iamArns);
            command.Options.Add(accessEntries);
            cluster = Cluster.ClusterOptions.AddTo(command);
            Aws.AddTo(command);
            return command;
        }

        /// <summary>The mappings read (spec warnings shown), and the IAM and access-entry files to be read as the plan needs them.</summary>
        public MigrationRequest Request(CliIO io, ParseResult parse)
        {
            var iam = parse.GetValue(iamArns) ?? [];
            return new(Input(io, parse), parse.GetValue(Aws.Options.ClusterName), Files(io, [.. iam.Where(p => p != Live)]), Files(io, parse.GetValue(accessEntries)))
            {
                Iam = iam.Contains(Live) ? Aws.LoadIam(io, parse, [Live]) : null,
            };
        }

        /// <summary>True when the mappings come from aws-auth (a file or the cluster), not from a spec.</summary>
        public bool FromAwsAuth(ParseResult parse) => parse.GetValue(awsAuth) is not null || parse.GetValue(source) == Live;

        /// <summary>The mappings: a spec, an aws-auth file, or aws-auth read from the cluster.</summary>
        public PlanInput Input(CliIO io, ParseResult parse)
        {
            var sourcePath = parse.GetValue(source);
            var awsAuthPath = parse.GetValue(awsAuth);
            if (sourcePath is not null && awsAuthPath is not null)
            {
                throw new InputException("give either SOURCE (a spec, or live) or --aws-auth FILE, not both");
            }

            return awsAuthPath is not null ? MigrationUseCase.FromAwsAuth(io.ReadText(awsAuthPath), CliIO.DisplayName(awsAuthPath))
                : sourcePath == Live ? LoadLive(io, parse, cluster ?? throw new InvalidOperationException("'live' needs the connection options on the command"))
                : sourcePath is not null ? PlanInput.FromSpec(SpecInput.Compile(io, sourcePath, showWarning: MigrationUseCase.Applies, iamArns: parse.GetValue(iamArns), liveIam: () => Aws.LoadIam(io, parse, [Live])!), CliIO.DisplayName(sourcePath))
                : throw new InputException("missing input: give a mapping SPEC, --aws-auth FILE, or live");
        }

        /// <summary>True when the mappings come from stdin ('-').</summary>
        public bool ReadsStdin(ParseResult parse) => parse.GetValue(source) == "-" || parse.GetValue(awsAuth) == "-";

        /// <summary>Files read one at a time as they are enumerated, so a bad file is reported before the next is read.</summary>
        private static IEnumerable<NamedText> Files(CliIO io, string[]? paths) => (paths ?? []).Select(p => new NamedText(io.ReadText(p), CliIO.DisplayName(p)));

        /// <summary>aws-auth read from the cluster (--kubeconfig, --context), as the authenticator reads it.</summary>
        public static PlanInput LoadLive(CliIO io, ParseResult parse, Cluster.ClusterOptions cluster)
        {
            var awsAuth = ClusterAwsAuth.Read(io, parse, cluster, Live, "'live' plans");
            if (!awsAuth.Live.Exists)
            {
                throw new InputException("kube-system/aws-auth does not exist in " + awsAuth.Context + "; there is nothing to migrate", new SourceLocation(Live));
            }

            return PlanInput.FromAwsAuth(awsAuth.Live.Document, awsAuth.SourceName);
        }
    }
}
