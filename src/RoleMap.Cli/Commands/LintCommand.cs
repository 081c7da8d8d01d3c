using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap lint (SPEC | --aws-auth FILE)</c>: the mistakes that lock people out or silently grant nothing.</summary>
internal static class LintCommand
{
    public static Command Create(CliIO io)
    {
        var spec = new Argument<string?>("SPEC") { Description = "Mapping spec to lint (as rolemap would write it).", Arity = ArgumentArity.ZeroOrOne };
        var awsAuth = new Option<string?>("--aws-auth") { Description = "Lint an aws-auth ConfigMap (manifest or kubectl output, '-' for stdin) as the authenticator reads it.", HelpName = "FILE" };
        var format = Output.Format("text", "text", "json", "sarif");
        var strict = new Option<bool>("--strict") { Description = "Warnings count as errors for the exit code." };
        var expectNodes = new Option<bool>("--expect-nodes") { Description = "The cluster has EC2 node groups: a missing node role is a lockout." };
        var rbac = RbacInput.Create(required: false);
        var command = new Command("lint", "Find aws-auth mistakes that lock people out or silently grant nothing. Exit 0 when clean, 1 with errors (--strict: or warnings), 2 when the input cannot be read.")
        {
            spec, awsAuth, format, strict, expectNodes,
        };
        rbac.AddTo(command);
        command.SetAction(parse =>
        {
            var specPath = parse.GetValue(spec);
            var awsAuthPath = parse.GetValue(awsAuth);
            if ((specPath is null) == (awsAuthPath is null))
            {
                throw new InputException("give either a SPEC or --aws-auth FILE");
            }

            var references = rbac.IsGiven(parse) ? References(rbac.Load(io, parse)) : null;
            var options = new LintOptions(references, ExpectNodes: parse.GetValue(expectNodes));
            LintResult result;
            if (specPath is not null)
            {
                var compiled = SpecCompiler.Compile(SpecLoader.Load(io.ReadText(specPath), CliIO.DisplayName(specPath)));
                result = Linter.LintSpec(compiled, options);
            }
            else
            {
                var document = AwsAuthParser.Parse(io.ReadText(awsAuthPath!), CliIO.DisplayName(awsAuthPath!));
                result = Linter.LintAwsAuth(document, options);
            }

            var text = parse.GetValue(format) switch
            {
                "json" => FindingFormats.Json(result),
                "sarif" => FindingFormats.Sarif(result, Version),
                _ => FindingFormats.Text(result, io.OutIsTerminal && io.Environment("NO_COLOR") is null),
            };
            Output.Result(io, text);
            var failing = result.Errors + (parse.GetValue(strict) ? result.Warnings : 0);
            return failing > 0 ? ExitCodes.No : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Every binding subject of the policy (bootstrap defaults included unless --no-bootstrap).</summary>
    private static RbacReferences References(RoleMap.Rbac.RbacPolicy policy)
    {
        var subjects = new List<SubjectReference>();
        foreach (var binding in policy.ClusterRoleBindings)
        {
            subjects.AddRange(binding.Subjects.Select(s => new SubjectReference(s.Kind, s.Name, "ClusterRoleBinding/" + binding.Name, binding.Source.IsDefault ? null : binding.Source.Location())));
        }

        foreach (var ns in policy.BindingNamespaces)
        {
            foreach (var binding in policy.RoleBindingsIn(ns))
            {
                subjects.AddRange(binding.Subjects.Select(s => new SubjectReference(s.Kind, s.Name, "RoleBinding " + ns + "/" + binding.Name, binding.Source.IsDefault ? null : binding.Source.Location())));
            }
        }

        return new RbacReferences(subjects);
    }

    public static string Version { get; } =
        typeof(LintCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
