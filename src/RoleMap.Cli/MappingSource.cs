using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Spec;

namespace RoleMap.Cli;

/// <summary>
/// The options that say where mappings come from: <c>--aws-auth FILE</c> (a ConfigMap as EKS reads it) or
/// <c>--spec SPEC</c> (a mapping spec, compiled as generate would write it).
/// </summary>
internal sealed class MappingSource
{
    private MappingSource(Option<string?> awsAuth, Option<string?> spec)
    {
        AwsAuth = awsAuth;
        Spec = spec;
    }

    public Option<string?> AwsAuth { get; }

    public Option<string?> Spec { get; }

    public static MappingSource Create(bool required = true) => new(
        new Option<string?>("--aws-auth") { Description = "aws-auth ConfigMap: a manifest or 'kubectl get cm aws-auth -n kube-system -o yaml|json' output ('-' for stdin)." + (required ? string.Empty : " Optional."), HelpName = "FILE" },
        new Option<string?>("--spec") { Description = "Or a mapping spec, read as 'rolemap generate' would write it.", HelpName = "SPEC" });

    public void AddTo(Command command)
    {
        command.Options.Add(AwsAuth);
        command.Options.Add(Spec);
    }

    public bool IsGiven(ParseResult parse) => parse.GetValue(AwsAuth) is not null || parse.GetValue(Spec) is not null;

    /// <summary>Loads the mappings. Parse problems that the authenticator tolerates are reported on stderr as warnings.</summary>
    public (AwsAuthData Data, AwsAuthDocument? Document) Load(CliIO io, ParseResult parse)
    {
        var awsAuthPath = parse.GetValue(AwsAuth);
        var specPath = parse.GetValue(Spec);
        if (awsAuthPath is not null && specPath is not null)
        {
            throw new InputException("give either --aws-auth or --spec, not both");
        }

        if (specPath is not null)
        {
            var compiled = SpecInput.Compile(io, specPath);
            return (compiled.Data, null);
        }

        if (awsAuthPath is null)
        {
            throw new InputException("missing --aws-auth FILE (or --spec SPEC): where the mappings come from");
        }

        var document = AwsAuthParser.Parse(io.ReadText(awsAuthPath), CliIO.DisplayName(awsAuthPath));
        foreach (var diagnostic in document.Diagnostics)
        {
            // Reported as what they are; the command still answers, as the authenticator still serves what it could read.
            io.Error.WriteLine("rolemap: " + diagnostic);
        }

        return (document.Effective, document);
    }
}
