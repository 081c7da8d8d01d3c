using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.Cli.Rendering.Report;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Report;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap report (SPEC | --aws-auth FILE) --rbac PATH... [--access-entries FILE...] -o html|json [--out FILE]</c>:
/// one self-contained page of who can do what, from the same use cases as <c>matrix --all-mapped</c>, <c>lint</c> and
/// <c>access-entries plan</c>. <c>-o</c> is the format, as in every other command; <c>--out</c> is the file.
/// </summary>
internal sealed class ReportCommand
{
    private readonly Argument<string?> spec = new("SPEC") { Description = "Mapping spec (as rolemap would write it).", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> awsAuth = new("--aws-auth") { Description = "Or an aws-auth ConfigMap (manifest or 'kubectl get cm aws-auth -n kube-system -o yaml|json' output), read as the authenticator reads it.", HelpName = "FILE" };
    private readonly RbacInput rbac = RbacInput.Create();

    private readonly AccessEntryOptions accessEntries = new(
        "The cluster's access entries: the JSON of 'aws eks describe-access-entry' and 'list-associated-access-policies' (also list-access-entries, or 'rolemap access-entries export -o json'). Repeatable.",
        "The cluster's authentication mode: API_AND_CONFIG_MAP (default with --access-entries), API or CONFIG_MAP (default without).");

    private readonly Option<string[]> iamArns = new("--iam-arns")
    {
        Description = "The JSON of 'aws iam list-roles'/'list-users': the permission sets a spec maps by name, re-created principals of access entries, and role paths for --migration. Repeatable.",
        HelpName = "FILE",
    };

    private readonly Option<string[]> namespaces = new("--namespace", "-n") { Description = "Namespace to show in the matrix (repeatable). Default: every namespace with a RoleBinding or named by an access policy's scope, and default.", HelpName = "NS" };
    private readonly Option<bool> expectNodes = new("--expect-nodes") { Description = "The cluster has EC2 node groups: a missing node role is a lockout (as lint --expect-nodes)." };
    private readonly Option<bool> migration = new("--migration") { Description = "Plan the move to access entries (as 'access-entries plan --rbac') and show each entry's fate and whether its principal keeps the same access." };
    private readonly Option<string> format = Output.Format("html", "html", "json");
    private readonly Option<string?> outFile = new("--out") { Description = "Write the report to FILE (default: stdout).", HelpName = "FILE" };

    public static Command Create(CliIO io) => new ReportCommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("report", "Write one self-contained HTML page (or its data as JSON) of who can do what: summary, identities, access graph, matrix, who-can search, lint findings and migration verdicts. No network requests; the same inputs give the same bytes.")
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
            throw new InputException("give either a SPEC or --aws-auth FILE" + (entries is null ? ", or --access-entries FILE" : string.Empty));
        }

        // The mappings are read twice (for the principals and for lint), so they cannot come from stdin.
        if (specPath == "-" || awsAuthPath == "-")
        {
            throw new InputException("report reads the mappings from a file, not stdin ('-'); RBAC may come from stdin", new SourceLocation(specPath is not null ? "SPEC" : "--aws-auth"));
        }

        var iamFiles = parse.GetValue(iamArns) ?? [];
        var iam = iamFiles.Length == 0 ? null : IamDirectory.Combine(iamFiles.Select(p => IamDirectory.Parse(io.ReadText(p), CliIO.DisplayName(p))));
        var policy = rbac.Load(io, parse);
        var path = specPath ?? awsAuthPath;
        var awsAuthData = specPath is not null ? SpecInput.Compile(io, specPath, iamArns: iamFiles).Data
            : awsAuthPath is not null ? RoleMap.AwsAuth.AwsAuthParser.Parse(io.ReadText(awsAuthPath), CliIO.DisplayName(awsAuthPath)).Effective
            : null;

        var lint = LintUseCase.Run(
            path is null ? null : new LintInput(io.ReadText(path), CliIO.DisplayName(path), IsAwsAuth: specPath is null),
            new LintRequest(policy, parse.GetValue(expectNodes), Strict: false, entries is null ? null : new AccessEntryLintInput(entries, mode ?? AuthenticationMode.ApiAndConfigMap, iam), iam));

        MigrationReport? plan = null;
        if (parse.GetValue(migration))
        {
            var input = specPath is not null ? PlanInput.FromSpec(SpecInput.Compile(io, specPath, showWarning: _ => false, iamArns: iamFiles), CliIO.DisplayName(specPath))
                : awsAuthPath is not null ? MigrationUseCase.FromAwsAuth(io.ReadText(awsAuthPath), CliIO.DisplayName(awsAuthPath))
                : throw new InputException("--migration plans aws-auth's move to access entries: give a SPEC or --aws-auth FILE", new SourceLocation("--migration"));
            plan = MigrationUseCase.Plan(new MigrationRequest(input, null, Files(io, iamFiles), Files(io, parse.GetValue(accessEntries.Files))) { Rbac = policy });
        }

        var inputs = new List<string>();
        inputs.AddRange(path is null ? [] : [CliIO.DisplayName(path)]);
        inputs.AddRange((parse.GetValue(accessEntries.Files) ?? []).Select(CliIO.DisplayName));
        inputs.AddRange((parse.GetValue(rbac.Paths) ?? []).Select(p => "RBAC " + CliIO.DisplayName(p)));
        var model = ReportBuilder.Build(new ReportRequest(policy, awsAuthData, entries, mode, inputs)
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

    private static IEnumerable<NamedText> Files(CliIO io, string[]? paths) => (paths ?? []).Select(p => new NamedText(io.ReadText(p), CliIO.DisplayName(p)));

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
