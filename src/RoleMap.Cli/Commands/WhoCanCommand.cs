using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
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
    private readonly AccessEntryOptions accessEntries = new(
        "Access entries (JSON of 'aws eks describe-access-entry', 'list-associated-access-policies', 'list-access-entries', or 'rolemap access-entries export -o json'): their principals are listed with the access policies that allow them, and the aws-auth entries they replace are left out. Repeatable.",
        "API_AND_CONFIG_MAP (the default with --access-entries), API or CONFIG_MAP.");

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
        accessEntries.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        rbac.EnsureOneStdin(parse, mappings);
        var query = QueryParser.Parse(scope.Query(parse, parse.GetValue(verb)!, parse.GetValue(target)!));
        var withEntries = accessEntries.IsGiven(parse);
        EksPrincipalSet? principals = null;
        if (mappings.IsGiven(parse) || withEntries)
        {
            var data = mappings.IsGiven(parse) ? mappings.Load(io, parse).Data : null;
            var (entries, mode) = accessEntries.Load(io, parse);
            principals = EksPrincipals.From(data, entries, mode ?? AuthenticationMode.ConfigMap);
        }

        var report = AccessQueries.WhoCan(rbac.Load(io, parse), query, scope.Mode(parse), principals, withEntries);
        Output.Result(io, parse.GetValue(format) == "json" ? WhoCanRendering.JsonText(report) : WhoCanRendering.Text(report));
        return ExitCodes.Ok;
    }
}
