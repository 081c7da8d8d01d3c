using System.CommandLine;
using System.Text;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap can-i VERB TARGET</c>: yes or no, as the API server decides, for an identity given directly or as an
/// IAM ARN resolved through aws-auth; <c>--list</c> prints the rules that apply, as <c>kubectl auth can-i --list</c>.
/// </summary>
internal static class CanICommand
{
    public static Command Create(CliIO io)
    {
        var verb = new Argument<string?>("VERB") { Description = "A verb: get, list, watch, create, update, patch, delete, deletecollection, bind, escalate, impersonate, use, approve, ... ('*' is the literal verb *).", Arity = ArgumentArity.ZeroOrOne };
        var target = new Argument<string?>("TARGET") { Description = "TYPE[.GROUP][/NAME] (pods, deploy/web, widgets.example.com) or a non-resource URL starting with '/'.", Arity = ArgumentArity.ZeroOrOne };
        var scope = QueryOptions.Create();
        var identity = IdentityOptions.Create();
        var rbac = RbacInput.Create();
        var list = new Option<bool>("--list") { Description = "Print the rules that apply in the namespace instead of answering one question (kubectl auth can-i --list)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing; answer with the exit code only." };

        var command = new Command("can-i", "Answer yes or no: may this identity do VERB on TARGET? Request mode by default (what a real request gets); --sar asks as 'kubectl auth can-i' does. Exit 0 yes, 1 no, 2 bad input.")
        {
            verb, target, list, quiet,
        };
        scope.AddTo(command);
        identity.AddTo(command);
        rbac.AddTo(command);
        command.SetAction(parse =>
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
            if (isList)
            {
                Output.Result(io, ListText(policy, who, scope.Namespace(parse)));
                return who.User is null ? ExitCodes.No : ExitCodes.Ok;
            }

            if (who.User is null)
            {
                if (!parse.GetValue(quiet))
                {
                    Output.Result(io, "no\nidentity: " + who.Origin + "\nreason:   " + who.Unmapped + "\n");
                }

                return ExitCodes.No;
            }

            var result = CanI.Evaluate(policy, who.User, query!, scope.Mode(parse));
            if (!parse.GetValue(quiet))
            {
                Output.Result(io, Text(result, who));
            }

            return result.Allowed ? ExitCodes.Ok : ExitCodes.No;
        });
        return command;
    }

    private static string Text(CanIResult result, ResolvedIdentity who)
    {
        var sb = new StringBuilder();
        sb.Append(result.Allowed ? "yes" : "no").Append('\n');
        Line(sb, "request", Describe(result.Chosen.Request));
        Line(sb, "identity", who.Describe());
        Line(sb, "reason", result.Chosen.Decision.Reason);
        AppendNotes(sb, result, who.Notes);
        return sb.ToString();
    }

    /// <summary>Notes shared by can-i and explain: how the question was read, the other mode, dangling bindings, what is not modelled.</summary>
    public static void AppendNotes(StringBuilder sb, CanIResult result, IReadOnlyList<string> identityNotes)
    {
        foreach (var note in result.Query.Notes.Concat(identityNotes).Concat(result.Chosen.Request.Adjustments))
        {
            Line(sb, "note", note);
        }

        if (result.ModesDiffer)
        {
            var other = result.Other;
            var name = other.Request.Mode == EvaluationMode.Sar ? "SAR mode (what 'kubectl auth can-i' asks)" : "request mode (a real request)";
            Line(sb, "note", name + " answers " + (other.Decision.Allowed ? "yes" : "no") + ": " + Describe(other.Request) + "; " + other.Decision.Reason);
            foreach (var adjustment in other.Request.Adjustments)
            {
                Line(sb, "note", adjustment);
            }
        }

        foreach (var dangling in result.Chosen.Decision.Dangling)
        {
            Line(sb, "note", dangling.Binding.Display + " applies to this identity but its " + dangling.Error + "; it grants nothing");
        }

        sb.Append(NotModelled.Summary).Append('\n');
    }

    public static string Describe(PreparedRequest request) =>
        request.Attributes + " (" + (request.Mode == EvaluationMode.Sar ? "SAR mode" : "request mode") + ")";

    public static void Line(StringBuilder sb, string label, string value) =>
        sb.Append(label).Append(':').Append(' ', Math.Max(1, 10 - label.Length)).Append(value).Append('\n');

    private static string ListText(RbacPolicy policy, ResolvedIdentity who, string ns)
    {
        if (who.User is null)
        {
            return "identity: " + who.Origin + "\nreason:   " + who.Unmapped + "\n";
        }

        var sb = new StringBuilder();
        var masters = who.User.InGroup(Identities.Masters);
        var rules = policy.RulesFor(who.User, ns);
        sb.Append(RuleListing.Table(RuleListing.Compact(rules.Rules.Select(r => r.Rule))));
        sb.Append('\n');
        Line(sb, "namespace", ns + " (ClusterRoleBindings, and RoleBindings in " + ns + ")");
        Line(sb, "identity", who.Describe());
        foreach (var note in who.Notes)
        {
            Line(sb, "note", note);
        }

        if (masters)
        {
            Line(sb, "note", "the identity is in system:masters: every request is allowed, whatever the rules above");
        }

        foreach (var granted in rules.Rules.Where(r => r.Binding is RoleBinding).DistinctBy(r => (r.Binding, r.Index)))
        {
            var unreachable = Unreachable(granted.Rule, granted.Binding.Namespace);
            if (unreachable is not null)
            {
                Line(sb, "note", granted.Binding.Display + " grants '" + granted.Rule + "' through " + granted.Role.Display + ": " + unreachable);
            }
        }

        foreach (var dangling in rules.Dangling)
        {
            Line(sb, "note", dangling.Binding.Display + " applies to this identity but its " + dangling.Error + "; it grants nothing");
        }

        sb.Append(NotModelled.Summary).Append('\n');
        return sb.ToString();
    }

    /// <summary>Why a rule granted through a RoleBinding never applies to a real request, if it does not.</summary>
    private static string? Unreachable(PolicyRule rule, string ns)
    {
        if (rule.NonResourceUrls.Count > 0)
        {
            return "non-resource URLs are never requested in a namespace, so this part never applies";
        }

        var clusterScoped = rule.ApiGroups
            .SelectMany(g => rule.Resources.Select(r => (Group: g, Resource: r.Split('/')[0])))
            .Where(x => BuiltinResources.Find(x.Group, x.Resource) is { Namespaced: false, IsPseudo: false })
            .Select(x => RuleText.Resource(x.Group, x.Resource))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (clusterScoped.Count == 0)
        {
            return null;
        }

        return string.Join(", ", clusterScoped) + (clusterScoped.Count == 1 ? " is" : " are") + " cluster-scoped: real requests carry no namespace, so this applies only to SAR-style checks in " + ns
            + (clusterScoped.Contains("namespaces") ? " (and to requests for the namespace " + ns + " itself)" : string.Empty);
    }
}

/// <summary>The options that shape a question: <c>--subresource</c>, <c>-n</c>, <c>-A</c>, <c>--sar</c>.</summary>
internal sealed class QueryOptions
{
    private QueryOptions(Option<string?> subresource, Option<string?> ns, Option<bool> all, Option<bool> sar)
    {
        Subresource = subresource;
        NamespaceOption = ns;
        AllNamespaces = all;
        Sar = sar;
    }

    public Option<string?> Subresource { get; }

    public Option<string?> NamespaceOption { get; }

    public Option<bool> AllNamespaces { get; }

    public Option<bool> Sar { get; }

    public static QueryOptions Create() => new(
        new Option<string?>("--subresource") { Description = "Subresource, e.g. log, exec, status, scale (TYPE/NAME is a name, as in kubectl).", HelpName = "SUB" },
        new Option<string?>("--namespace", "-n") { Description = "Namespace of the request (default: default).", HelpName = "NS" },
        new Option<bool>("--all-namespaces", "-A") { Description = "All namespaces: namespace \"\", so only ClusterRoleBindings count." },
        new Option<bool>("--sar") { Description = "SAR mode: send the attributes exactly as given, as 'kubectl auth can-i' does, instead of as a real request carries them." });

    public void AddTo(Command command)
    {
        command.Options.Add(Subresource);
        command.Options.Add(NamespaceOption);
        command.Options.Add(AllNamespaces);
        command.Options.Add(Sar);
    }

    public string Namespace(ParseResult parse)
    {
        var ns = parse.GetValue(NamespaceOption);
        if (parse.GetValue(AllNamespaces))
        {
            return ns is null ? string.Empty : throw new InputException("give -n NS or -A, not both", new SourceLocation("-A"));
        }

        return ns ?? "default";
    }

    public EvaluationMode Mode(ParseResult parse) => parse.GetValue(Sar) ? EvaluationMode.Sar : EvaluationMode.Request;

    public AccessQuery Query(ParseResult parse, string verb, string target) =>
        new(verb, target, parse.GetValue(Subresource) ?? string.Empty, Namespace(parse));
}
