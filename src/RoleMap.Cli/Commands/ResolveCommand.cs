using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Cli.Rendering;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap resolve ARN --aws-auth FILE</c>: the username and groups EKS gives a caller.</summary>
internal sealed class ResolveCommand
{
    private readonly Argument<string> arn = new("ARN") { Description = "The caller's ARN, e.g. from 'aws sts get-caller-identity' (assumed-role ARNs are canonicalised)." };
    private readonly MappingSource source = MappingSource.Create();
    private readonly Option<string> format = Output.Format("text", "text", "json");
    private readonly Option<string?> accessKey = new("--access-key-id") { Description = "Value for {{AccessKeyID}}." };
    private readonly Option<string?> dns = new("--ec2-private-dns-name") { Description = "Value for {{EC2PrivateDNSName}} (the node's private DNS name)." };
    private readonly Option<string?> session = new("--session-name") { Description = "Role session name, when ARN is a role ARN without a session." };
    private readonly AccessEntryOptions accessEntries = new(
        "Access entries: the JSON of 'aws eks describe-access-entry', 'list-associated-access-policies' or 'list-access-entries', or of 'rolemap access-entries export -o json'. An access entry replaces the principal's aws-auth entry. Repeatable.",
        "The cluster's authentication mode: API_AND_CONFIG_MAP (the default with --access-entries), API (access entries only) or CONFIG_MAP (aws-auth only).");

    public static Command Create(CliIO io) => new ResolveCommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("resolve", "Show the Kubernetes username and groups EKS maps an IAM caller to, with the authenticator's rules, and with --access-entries the precedence of access entries. Exit 0 when mapped, 1 when not.")
        {
            arn, format, accessKey, dns, session,
        };
        accessEntries.AddTo(command);
        source.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        var facts = new CallerFacts(parse.GetValue(accessKey), parse.GetValue(dns), parse.GetValue(session));
        var data = source.IsGiven(parse) || (parse.GetValue(accessEntries.Files) ?? []).Length == 0 ? source.Load(io, parse).Data : null;
        var (entries, mode) = accessEntries.Load(io, parse);
        var caller = CallerUseCase.Resolve(data, entries, mode, parse.GetValue(arn)!, facts);
        Output.Result(io, parse.GetValue(format) == "json" ? ResolveRendering.JsonText(caller) : ResolveRendering.Text(caller));
        return caller.IsMapped ? ExitCodes.Ok : ExitCodes.No;
    }
}
