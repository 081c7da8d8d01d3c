using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsAuth;
using RoleMap.Cli.Rendering;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap matrix</c>: resources × verbs per namespace for one identity or every principal aws-auth maps,
/// evaluated in request mode; "names" marks access limited to objects named in resourceNames.
/// </summary>
internal sealed class MatrixCommand
{
    private readonly IdentityOptions identity = IdentityOptions.Create();
    private readonly Option<bool> allMapped = new("--all-mapped") { Description = "One matrix for every IAM principal aws-auth maps (needs --aws-auth or --spec)." };
    private readonly Option<string[]> namespaces = new("--namespace", "-n") { Description = "Namespace to show (repeatable). Default: every namespace with a RoleBinding in the input, and default.", HelpName = "NS" };
    private readonly Option<string?> verbs = new("--verbs") { Description = "Comma-separated verbs (default: " + string.Join(",", AccessMatrix.DefaultVerbs) + ").", HelpName = "VERBS" };
    private readonly Option<string[]> resources = new("--resource") { Description = "Only these resources, TYPE[.GROUP] (repeatable). Default: the built-in resources and every resource named in a rule.", HelpName = "TYPE" };
    private readonly Option<bool> allResources = new("--all-resources") { Description = "Show resources with no access too (hidden by default, except those named with --resource)." };
    private readonly RbacInput rbac = RbacInput.Create();
    private readonly Option<string> format = Output.Format("table", "table", "json", "csv");

    public static Command Create(CliIO io) => new MatrixCommand().Definition(io);

    private Command Definition(CliIO io)
    {
        var command = new Command("matrix", "Show an access matrix (resources x verbs per namespace) for --as-arn ARN, --as USER/--as-group G, or every principal aws-auth maps (--all-mapped).")
        {
            allMapped, namespaces, verbs, resources, allResources, format,
        };
        identity.AddTo(command);
        rbac.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        rbac.EnsureOneStdin(parse, identity.Mappings);
        var subjects = Identities(io, parse);
        var policy = rbac.Load(io, parse);
        var verbList = (parse.GetValue(verbs) ?? string.Join(",", AccessMatrix.DefaultVerbs)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (verbList.Length == 0)
        {
            throw new InputException("--verbs is empty", new SourceLocation("--verbs"));
        }

        var chosen = (parse.GetValue(resources) ?? []).Select(BuiltinResources.Resolve).Select(r => new MatrixResource(r.Group, r.Resource, r.Scope)).ToList();
        var report = AccessQueries.Matrix(policy, subjects, parse.GetValue(namespaces), chosen, verbList, parse.GetValue(allResources));
        Output.Result(io, parse.GetValue(format) switch
        {
            "json" => MatrixRendering.JsonText(report),
            "csv" => MatrixRendering.Csv(report),
            _ => MatrixRendering.Text(report),
        });
        return report.AllMapped ? ExitCodes.Ok : ExitCodes.No;
    }

    private List<MatrixIdentity> Identities(CliIO io, ParseResult parse)
    {
        if (!parse.GetValue(allMapped))
        {
            var who = identity.Resolve(io, parse);
            return [Of(parse.GetValue(identity.Arn) ?? who.Origin, who)];
        }

        if (identity.IsGiven(parse))
        {
            throw new InputException("give --all-mapped, or one identity (--as-arn, --as/--as-group), not both", new SourceLocation("--all-mapped"));
        }

        var withEntries = identity.AccessEntries.IsGiven(parse);
        var data = identity.Mappings.IsGiven(parse) || !withEntries ? identity.Mappings.Load(io, parse).Data : null;
        var (entries, mode) = identity.AccessEntries.Load(io, parse);
        var result = EksPrincipals.From(data, entries, mode ?? AuthenticationMode.ConfigMap).Principals
            .Where(p => p.Principal.NeverMatches is null && p.Principal.Account is null)
            .Select(p => Of(p.Principal.Arn, new ResolvedIdentity(p.Principal.User, null, p.Principal.Arn + " (" + p.Principal.MatchedBy.Wire() + ")")) with
            {
                Policies = p.AccessEntry is null ? IdentityPolicies.None : new IdentityPolicies(p.Policies, p.PoliciesUnknown),
            })
            .ToList();
        return result.Count > 0 ? result : throw new InputException(withEntries ? "neither aws-auth nor the access entries map a role or user ARN to show" : "aws-auth maps no role or user ARN to show");
    }

    private static MatrixIdentity Of(string label, ResolvedIdentity who) => new(label, who.Describe(), who.User, who.Unmapped, who.Notes, null) { Policies = who.Policies };
}
