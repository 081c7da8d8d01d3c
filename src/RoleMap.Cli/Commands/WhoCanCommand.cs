using System.CommandLine;
using RoleMap.Cli.Rendering;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap who-can VERB TARGET</c>: every subject RBAC allows (system:masters first), with the bindings that
/// allow it, and with aws-auth, the IAM principals that are those users and groups.
/// </summary>
internal sealed class WhoCanCommand
{
    private readonly Argument<string> verb = new("VERB") { Description = "A verb: get, list, create, delete, bind, impersonate, ..." };
    private readonly Argument<string> target = new("TARGET") { Description = "TYPE[.GROUP][/NAME] or a non-resource URL starting with '/'." };
    private readonly QueryOptions scope = QueryOptions.Create();
    private readonly RbacInput rbac = RbacInput.Create();
    private readonly MappingSource mappings = MappingSource.Create(required: false);
    private readonly Option<string> format = Output.Format("text", "text", "json");

    public static Command Create(CliIO io) => new WhoCanCommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("who-can", "List every subject allowed to do VERB on TARGET, with the binding and role that allow it; with --aws-auth or --spec, also the IAM principals mapped to them.")
        {
            verb, target, format,
        };
        scope.AddTo(command);
        rbac.AddTo(command);
        mappings.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        rbac.EnsureOneStdin(parse, mappings);
        var query = QueryParser.Parse(scope.Query(parse, parse.GetValue(verb)!, parse.GetValue(target)!));
        IReadOnlyList<IamPrincipal>? principals = mappings.IsGiven(parse) ? IamPrincipal.FromAwsAuth(mappings.Load(io, parse).Data) : null;
        var report = AccessQueries.WhoCan(rbac.Load(io, parse), query, scope.Mode(parse), principals);
        Output.Result(io, parse.GetValue(format) == "json" ? WhoCanRendering.JsonText(report) : WhoCanRendering.Text(report));
        return ExitCodes.Ok;
    }
}
