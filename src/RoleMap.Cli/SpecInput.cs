using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.UseCases;

namespace RoleMap.Cli;

/// <summary>The shell around <see cref="SpecUseCase.Compile"/>: reads the file, shows warnings, and on errors shows them and refuses (exit 2).</summary>
internal static class SpecInput
{
    /// <param name="showWarning">Which warnings to show (default all); a command may leave out those that do not apply to it.</param>
    /// <param name="iamArns">IAM listing files (<c>--iam-arns</c>) for the permission sets a spec maps by name; <c>live</c> reads the IAM API.</param>
    /// <param name="liveIam">Reads the IAM API for <c>live</c>; null where the command has no AWS options.</param>
    /// <summary><c>--iam-arns FILE</c> (repeatable), for commands that compile a spec.</summary>
    public static Option<string[]> IamArnsOption() => new("--iam-arns")
    {
        Description = "The JSON of 'aws iam list-roles' (e.g. --path-prefix /aws-reserved/sso.amazonaws.com/): the roles of the IAM Identity Center permission sets the spec maps by name (ssoPermissionSets); 'live' lists them through the IAM API (--region, --profile). Repeatable.",
        HelpName = "FILE|live",
    };

    public static CompiledSpec Compile(CliIO io, string path, bool lint = false, Func<Diagnostic, bool>? showWarning = null, IReadOnlyList<string>? iamArns = null, Func<IamDirectory>? liveIam = null)
    {
        var source = io.ReadSource(path);
        var iam = iamArns is { Count: > 0 }
            ? IamDirectory.Combine(iamArns.Select(p => p == LiveAws.Live
                ? (liveIam ?? throw new InputException("'live' is not available here: give the JSON of 'aws iam list-roles'", new SourceLocation("--iam-arns")))()
                : IamDirectory.Parse(io.ReadText(p), CliIO.DisplayName(p))))
            : null;
        var compilation = SpecUseCase.Compile(source, CliIO.DisplayName(path), lint, iam);
        Output.Diagnostics(io, compilation.Warnings.Where(d => showWarning?.Invoke(d) ?? true));
        if (compilation.Refused)
        {
            Output.Diagnostics(io, compilation.Errors);
            throw compilation.Refusal();
        }

        return compilation.Spec;
    }
}
