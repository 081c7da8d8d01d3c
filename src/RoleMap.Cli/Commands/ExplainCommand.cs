using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Cli.Rendering;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap explain ARN</c>: the whole chain from an IAM caller to what Kubernetes allows it, and with a question,
/// why it is allowed or denied and which rule decided.
/// </summary>
internal sealed class ExplainCommand
{
    private readonly Argument<string> arn = new("ARN") { Description = "The caller's ARN (an assumed-role ARN carries the session name)." };
    private readonly Argument<string?> verb = new("VERB") { Description = "Optional question: a verb.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Argument<string?> target = new("TARGET") { Description = "Optional question: TYPE[.GROUP][/NAME] or /URL.", Arity = ArgumentArity.ZeroOrOne };
    private readonly QueryOptions scope = QueryOptions.Create();
    private readonly RbacInput rbac = RbacInput.Create();
    private readonly MappingSource mappings = MappingSource.Create();
    private readonly Option<string?> session = new("--session-name") { Description = "Role session name for {{SessionName}} when ARN is a role ARN without a session.", HelpName = "NAME" };
    private readonly AccessEntryOptions accessEntries = new(
        "Access entries (JSON of 'aws eks describe-access-entry', 'list-associated-access-policies', 'list-access-entries', or 'rolemap access-entries export -o json'): an access entry replaces the principal's aws-auth entry. Repeatable.",
        "API_AND_CONFIG_MAP (the default with --access-entries), API or CONFIG_MAP.");

    public static Command Create(CliIO io) => new ExplainCommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("explain", "Explain an IAM caller: ARN -> canonical ARN -> aws-auth entry -> username and groups -> bindings -> roles -> rules; with VERB TARGET, why it is allowed or denied. Exit 0 allowed (or mapped), 1 denied (or not mapped).")
        {
            arn, verb, target, session,
        };
        accessEntries.AddTo(command);
        scope.AddTo(command);
        rbac.AddTo(command);
        mappings.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        rbac.EnsureOneStdin(parse, mappings);
        var (verbValue, targetValue) = (parse.GetValue(verb), parse.GetValue(target));
        if (verbValue is not null && targetValue is null)
        {
            throw new InputException("a question needs VERB and TARGET, e.g. 'get pods'", new SourceLocation("TARGET"));
        }

        var query = verbValue is null ? null : QueryParser.Parse(scope.Query(parse, verbValue, targetValue!));
        var ns = query is null && (parse.GetValue(scope.NamespaceOption) is not null || parse.GetValue(scope.AllNamespaces)) ? scope.Namespace(parse) : null;
        var data = !accessEntries.IsGiven(parse) || mappings.IsGiven(parse) ? mappings.Load(io, parse).Data : null;
        var policy = rbac.Load(io, parse);
        var (entries, mode) = accessEntries.Load(io, parse);
        var caller = CallerUseCase.Resolve(data, entries, mode, parse.GetValue(arn)!, new CallerFacts(SessionName: parse.GetValue(session)));
        var report = AccessQueries.Explain(policy, caller, query, scope.Mode(parse), ns);
        Output.Result(io, ExplainRendering.Text(report));
        return report.Allowed ? ExitCodes.Ok : ExitCodes.No;
    }
}
