using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.Cli.Rendering.Report;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Report;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap report (SPEC | --aws-auth FILE|cluster) --rbac PATH|cluster... [--access-entries FILE|live...] [--iam-arns FILE|live...] -o html|json [--out FILE]</c>:
/// one self-contained page of who can do what, from the same use cases as <c>matrix --all-mapped</c>, <c>lint</c> and
/// <c>access-entries plan</c>. <c>-o</c> is the format, as in every other command; <c>--out</c> is the file.
/// </summary>
internal sealed class ReportCommand
{
    private readonly Argument<string?> spec = new("SPEC") { Description = "Mapping spec (as rolemap would write it).", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> awsAuth = new("--aws-auth") { Description = "Or an aws-auth ConfigMap (manifest or 'kubectl get cm aws-auth -n kube-system -o yaml|json' output), read as the authenticator reads it; 'cluster' reads it from the cluster (--kubeconfig, --context).", HelpName = "FILE|cluster" };
    private readonly RbacInput rbac = RbacInput.Create();

    private readonly AccessEntryOptions accessEntries = new(
        "The cluster's access entries: the JSON of 'aws eks describe-access-entry' and 'list-associated-access-policies' (also list-access-entries, or 'rolemap access-entries export -o json'). Repeatable.",
        "The cluster's authentication mode: API_AND_CONFIG_MAP (default with --access-entries), API or CONFIG_MAP (default without).");

    private readonly Option<string[]> iamArns = new("--iam-arns")
    {
        Description = "The JSON of 'aws iam list-roles'/'list-users': the permission sets a spec maps by name, re-created principals of access entries, and role paths for --migration; 'live' lists every role and user through the IAM API. Repeatable.",
        HelpName = "FILE|live",
    };

    private readonly Option<string[]> namespaces = new("--namespace", "-n") { Description = "Namespace to show in the matrix (repeatable). Default: every namespace with a RoleBinding or named by an access policy's scope, and default.", HelpName = "NS" };
    private readonly Option<bool> expectNodes = new("--expect-nodes") { Description = "The cluster has EC2 node groups: a missing node role is a lockout (as lint --expect-nodes)." };
    private readonly Option<bool> migration = new("--migration") { Description = "Plan the move to access entries (as 'access-entries plan --rbac') and show each entry's fate and whether its principal keeps the same access." };
    private readonly Option<string> format = Output.Format("html", "html", "json");
    private readonly Option<string?> outFile = new("--out") { Description = "Write the report to FILE (default: stdout).", HelpName = "FILE" };

    public static Command Create(CliIO io) => new ReportCommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("report", "Write one self-contained HTML page (or its data as JSON) of who can do what: summary, identities, access graph, matrix, who-can search, lint findings and migration verdicts. The page makes no network requests; the same inputs give the same bytes. Mappings, access entries, IAM and RBAC may also be read from the cluster (--aws-auth cluster, --access-entries live, --iam-arns live, --rbac cluster).")
        {
            spec, awsAuth, iamArns, namespaces, expectNodes, migration, format, outFile,
        };
        rbac.AddTo(command);
        accessEntries.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        var specPath = parse.GetValue(spec);
        var awsAuthPath = parse.GetValue(awsAuth);
        var (entries, mode) = accessEntries.Load(io, parse);
        if (specPath is not null && awsAuthPath is not null || specPath is null && awsAuthPath is null && entries is null)
        {
            throw new InputException("give either a SPEC or --aws-auth FILE|cluster" + (entries is null ? ", or --access-entries FILE|live" : string.Empty));
        }

        if ((specPath == "-" || awsAuthPath == "-") && (parse.GetValue(rbac.Paths) ?? []).Contains("-"))
        {
            throw new InputException("only one input can come from stdin ('-'): the mappings or the RBAC", new SourceLocation(specPath is not null ? "SPEC" : "--aws-auth"));
        }

        var aws = accessEntries.Aws;
        var iamValues = parse.GetValue(iamArns) ?? [];
        var iam = aws.LoadIam(io, parse, iamValues);

        // The listings already read (files and the IAM API) stand in for --iam-arns, so the IAM API is called once.
        var iamForSpec = iam is null ? null : new[] { LiveAws.Live };
        var policy = rbac.Load(io, parse);
        var lintRequest = new LintRequest(policy, parse.GetValue(expectNodes), Strict: false, entries is null ? null : new AccessEntryLintInput(entries, mode ?? AuthenticationMode.ApiAndConfigMap, iam), iam);

        // The mappings are read and compiled (or parsed) once, for the principals, lint and the plan; so they may come from stdin.
        var fromCluster = awsAuthPath == RbacInput.ClusterSource ? ReadClusterAwsAuth(io, parse) : null;
        var path = fromCluster is null ? specPath ?? awsAuthPath : null;
        RoleMap.AwsAuth.AwsAuthData? awsAuthData = null;
        LintReport lint;
        PlanInput? planInput = null;
        if (specPath is not null)
        {
            var compiled = SpecInput.Compile(io, specPath, iamArns: iamForSpec, liveIam: () => iam!);
            awsAuthData = compiled.Data;
            lint = LintUseCase.Run(compiled, lintRequest);
            planInput = PlanInput.FromSpec(compiled, CliIO.DisplayName(specPath));
        }
        else if (awsAuthPath is not null)
        {
            var document = fromCluster?.Live.Document ?? RoleMap.AwsAuth.AwsAuthParser.Parse(io.ReadText(awsAuthPath), CliIO.DisplayName(awsAuthPath));
            awsAuthData = document.Effective;
            lint = LintUseCase.Run(document, lintRequest);
            planInput = PlanInput.FromAwsAuth(document, fromCluster?.SourceName ?? CliIO.DisplayName(awsAuthPath));
        }
        else
        {
            lint = LintUseCase.Run((LintInput?)null, lintRequest);
        }

        MigrationReport? plan = null;
        if (parse.GetValue(migration))
        {
            var input = planInput ?? throw new InputException("--migration plans aws-auth's move to access entries: give a SPEC or --aws-auth FILE|cluster", new SourceLocation("--migration"));
            plan = MigrationUseCase.Plan(new MigrationRequest(input, null, [], []) { Rbac = policy, Iam = iam, Existing = entries });
        }

        var model = ReportBuilder.Build(new ReportRequest(policy, awsAuthData, entries, mode, Inputs(io, parse, path, fromCluster))
        {
            Namespaces = parse.GetValue(namespaces),
            Lint = lint,
            Migration = plan,
        });

        var text = parse.GetValue(format) == "json" ? ReportJson.Document(model) : ReportHtml.Page(model);
        if (parse.GetValue(outFile) is { } file && file != "-")
        {
            WriteWhole(io, file, text);
        }
        else
        {
            Output.Result(io, text);
        }

        return ExitCodes.Ok;
    }

    /// <summary>aws-auth from the cluster of the kubeconfig context; a cluster without one (API mode) has no mappings there.</summary>
    private ClusterAwsAuth ReadClusterAwsAuth(CliIO io, ParseResult parse)
    {
        var read = ClusterAwsAuth.Read(io, parse, Connection(), "--aws-auth", "--aws-auth cluster reads");
        if (!read.Live.Exists)
        {
            io.Error.WriteLine("rolemap: kube-system/aws-auth does not exist in " + read.Context + "; the report has no aws-auth mappings");
        }

        return read;
    }

    /// <summary>How the inputs are named on the page: files as given, live sources by the cluster they were read from.</summary>
    private List<string> Inputs(CliIO io, ParseResult parse, string? mappingsPath, ClusterAwsAuth? fromCluster)
    {
        var inputs = new List<string>();
        inputs.AddRange(fromCluster is not null ? ["aws-auth from context " + fromCluster.Context] : mappingsPath is null ? [] : [CliIO.DisplayName(mappingsPath)]);
        inputs.AddRange((parse.GetValue(accessEntries.Files) ?? []).Select(p => p == LiveAws.Live ? LiveEntriesName(io, parse) : CliIO.DisplayName(p)));
        inputs.AddRange((parse.GetValue(rbac.Paths) ?? []).Select(p => p == RbacInput.ClusterSource ? "RBAC from context " + ContextName(io, parse) : "RBAC " + CliIO.DisplayName(p)));
        return inputs;
    }

    private string LiveEntriesName(CliIO io, ParseResult parse)
    {
        var target = accessEntries.Aws.Connect(io, parse).Target;
        return "access entries of cluster " + accessEntries.Aws.ClusterName(io, parse) + " (EKS, " + target.Region + ")";
    }

    /// <summary>The context's name: the clients are built on first use, so naming it makes no request.</summary>
    private string ContextName(CliIO io, ParseResult parse) => Cluster.ClusterConnector.Connect(io, parse, Connection())[0].Name;

    private Cluster.ClusterOptions Connection() => rbac.Connection ?? throw new InvalidOperationException("the connection options are added with --rbac");

    /// <summary>Writes beside the target and renames, so a failure never leaves a half-written report.</summary>
    private static void WriteWhole(CliIO io, string file, string text)
    {
        var full = io.FullPath(file);
        var temporary = full + ".tmp";
        try
        {
            File.WriteAllText(temporary, text, new System.Text.UTF8Encoding(false));
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException("cannot write the report: " + ex.Message, new SourceLocation(file));
        }
    }
}
