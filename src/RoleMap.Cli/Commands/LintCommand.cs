using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.Cli.Rendering;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap lint (SPEC | --aws-auth FILE | --access-entries FILE...)</c>: the mistakes that lock people out or silently grant nothing.</summary>
internal sealed class LintCommand
{
    private readonly Argument<string?> spec = new("SPEC") { Description = "Mapping spec to lint (as rolemap would write it).", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> awsAuth = new("--aws-auth") { Description = "Lint an aws-auth ConfigMap (manifest or kubectl output, '-' for stdin) as the authenticator reads it.", HelpName = "FILE" };
    private readonly Option<string> format = Output.Format("text", "text", "json", "sarif");
    private readonly Option<bool> strict = new("--strict") { Description = "Warnings count as errors for the exit code." };
    private readonly Option<bool> expectNodes = new("--expect-nodes") { Description = "The cluster has EC2 node groups: a missing node role is a lockout." };
    private readonly RbacInput rbac = RbacInput.Create(required: false);

    private readonly AccessEntryOptions accessEntries = new(
        "The cluster's access entries to lint (with or without SPEC/--aws-auth): the JSON of 'aws eks describe-access-entry' and 'list-associated-access-policies' (also list-access-entries, or 'rolemap access-entries export -o json'). Repeatable.",
        "The cluster's authentication mode with --access-entries: API_AND_CONFIG_MAP (default; an access entry replaces the principal's aws-auth entry), API or CONFIG_MAP.");

    private readonly Option<string[]> iamArns = new("--iam-arns")
    {
        Description = "With --access-entries: the JSON of 'aws iam list-roles'/'list-users' (or get-role/get-user) with CreateDate, to find entries whose principal was re-created; 'live' lists every role and user through the IAM API. Repeatable.",
        HelpName = "FILE|live",
    };

    /// <summary>rolemap's version, as SARIF's driver reports it.</summary>
    private static string Version { get; } = typeof(LintCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Command Create(CliIO io) => new LintCommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("lint", "Find aws-auth and access-entry mistakes that lock people out or silently grant nothing. Exit 0 when clean, 1 with errors (--strict: or warnings), 2 when the input cannot be read.")
        {
            spec, awsAuth, format, strict, expectNodes,
        };
        rbac.AddTo(command);
        accessEntries.AddTo(command);
        command.Options.Add(iamArns);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        var specPath = parse.GetValue(spec);
        var awsAuthPath = parse.GetValue(awsAuth);
        var (entries, mode) = accessEntries.Load(io, parse);
        var iamFiles = parse.GetValue(iamArns) ?? [];
        if (specPath is not null && awsAuthPath is not null || specPath is null && awsAuthPath is null && entries is null)
        {
            throw new InputException("give either a SPEC or --aws-auth FILE" + (entries is null ? ", or --access-entries FILE" : string.Empty));
        }

        // IAM data serves the access entries, and a spec's permission sets (ssoPermissionSets).
        if (entries is null && (mode is not null || (iamFiles.Length > 0 && specPath is null)))
        {
            throw new InputException("--authentication-mode applies to --access-entries, and --iam-arns to --access-entries or a SPEC: give them too", new SourceLocation(mode is not null ? "--authentication-mode" : "--iam-arns"));
        }

        var iam = accessEntries.Aws.LoadIam(io, parse, iamFiles);
        var request = new LintRequest(
            rbac.IsGiven(parse) ? rbac.Load(io, parse) : null,
            parse.GetValue(expectNodes),
            parse.GetValue(strict),
            entries is null ? null : new AccessEntryLintInput(entries, mode ?? AuthenticationMode.ApiAndConfigMap, iam),
            iam);
        var path = specPath ?? awsAuthPath;
        var report = LintUseCase.Run(path is null ? null : new LintInput(io.ReadSource(path), CliIO.DisplayName(path), IsAwsAuth: specPath is null), request);
        Output.Result(io, parse.GetValue(format) switch
        {
            "json" => LintRendering.Json(report.Result),
            "sarif" => LintRendering.Sarif(report.Result, Version),
            _ => LintRendering.Text(report.Result, Colour.Enabled(io)),
        });
        return report.Failed ? ExitCodes.No : ExitCodes.Ok;
    }
}
