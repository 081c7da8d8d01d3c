using System.CommandLine;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.Cli;

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
