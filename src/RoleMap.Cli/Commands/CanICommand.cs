using System.CommandLine;
using RoleMap.AccessPolicies;
using RoleMap.Cli.Rendering;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap can-i VERB TARGET</c>: yes or no, as the API server decides, for an identity given directly or as an
/// IAM ARN resolved through aws-auth; <c>--list</c> prints the rules that apply, as <c>kubectl auth can-i --list</c>.
/// </summary>
internal sealed class CanICommand
{
    private readonly Argument<string?> verb = new("VERB") { Description = "A verb: get, list, watch, create, update, patch, delete, deletecollection, bind, escalate, impersonate, use, approve, ... ('*' is the literal verb *).", Arity = ArgumentArity.ZeroOrOne };
    private readonly Argument<string?> target = new("TARGET") { Description = "TYPE[.GROUP][/NAME] (pods, deploy/web, widgets.example.com) or a non-resource URL starting with '/'.", Arity = ArgumentArity.ZeroOrOne };
    private readonly QueryOptions scope = QueryOptions.Create();
    private readonly IdentityOptions identity = IdentityOptions.Create();
    private readonly RbacInput rbac = RbacInput.Create();
    private readonly Option<bool> list = new("--list") { Description = "Print the rules that apply in the namespace instead of answering one question (kubectl auth can-i --list)." };
    private readonly Option<bool> quiet = new("--quiet", "-q") { Description = "Print nothing; answer with the exit code only." };

    public static Command Create(CliIO io) => new CanICommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("can-i", "Answer yes or no: may this identity do VERB on TARGET? Request mode by default (what a real request gets); --sar asks as 'kubectl auth can-i' does. Exit 0 yes, 1 no, 2 bad input.")
        {
            verb, target, list, quiet,
        };
        scope.AddTo(command);
        identity.AddTo(command);
        rbac.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        rbac.EnsureOneStdin(parse, identity.Mappings);
        var isList = parse.GetValue(list);
        var (verbValue, targetValue) = (parse.GetValue(verb), parse.GetValue(target));
        if (isList && (verbValue is not null || parse.GetValue(scope.AllNamespaces) || parse.GetValue(scope.Subresource) is not null || parse.GetValue(quiet)))
        {
            throw new InputException("--list takes no VERB or TARGET, and no -A, --subresource or --quiet (as kubectl)");
        }

        if (!isList && (verbValue is null || targetValue is null))
        {
            throw new InputException("expected VERB and TARGET, e.g. 'rolemap can-i list pods --as-arn ARN --aws-auth aws-auth.yaml --rbac rbac/' (or --list)");
        }

        var query = isList ? null : QueryParser.Parse(scope.Query(parse, verbValue!, targetValue!));
        var who = identity.Resolve(io, parse);
        var policy = rbac.Load(io, parse);
        if (who.User is null)
        {
            if (!parse.GetValue(quiet))
            {
                Output.Result(io, CanIRendering.Unmapped(who, withAnswer: !isList));
            }

            return ExitCodes.No;
        }

        if (isList)
        {
            var ns = scope.Namespace(parse);
            Output.Result(io, CanIRendering.List(AccessQueries.List(policy, who.User, ns, who.Notes, who.Policies), who, ns));
            return ExitCodes.Ok;
        }

        var report = AccessQueries.CanI(policy, who.User, query!, scope.Mode(parse), who.Notes, who.Policies);
        if (!parse.GetValue(quiet))
        {
            Output.Result(io, CanIRendering.Text(report, who));
        }

        return report.Verdict == Verdict.Yes ? ExitCodes.Ok : ExitCodes.No;
    }
}
