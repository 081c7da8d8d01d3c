using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;
using RoleMap.Terraform;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap generate SPEC</c>: the aws-auth ConfigMap (or its data) exactly as EKS reads it.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliIO io)
    {
        var spec = new Argument<string>("SPEC") { Description = "Mapping spec (YAML or JSON; '-' for stdin), in rolemap's or the original module's vocabulary." };
        var format = Output.Format("yaml", "yaml", "json");
        var dataOnly = new Option<bool>("--data-only") { Description = "Print only the data keys (mapRoles, mapUsers, mapAccounts), not the whole ConfigMap." };
        var style = new Option<string>("--style") { Description = "plain: the authenticator's layout; terraform: Terraform's yamlencode, byte for byte.", DefaultValueFactory = _ => "plain", HelpName = "plain|terraform" };
        style.AcceptOnlyFromAmong("plain", "terraform");

        var command = new Command("generate", "Render aws-auth from a mapping spec: node roles, Fargate, then the rest sorted by ARN; role paths stripped; every value quoted where YAML could misread it.")
        {
            spec, format, dataOnly, style,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(spec)!;
            var compiled = CompileSpec(io, path, lint: true);
            var renderStyle = ExternalDataSource.ParseStyle(parse.GetValue(style)!);
            var data = AwsAuthRenderer.RenderData(compiled.Data, renderStyle);
            RoundTrip.Verify(compiled.Data, data);
            var json = parse.GetValue(format) == "json";
            var text = parse.GetValue(dataOnly)
                ? (json ? ConfigMapWriter.DataToJson(data) : ConfigMapWriter.DataToYaml(data))
                : (json ? ConfigMapWriter.ToJson(ConfigMapDocument.AwsAuth(data, compiled.Labels)) : ConfigMapWriter.ToYaml(ConfigMapDocument.AwsAuth(data, compiled.Labels)));
            Output.Result(io, text);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Loads and compiles a spec; prints warnings (those <paramref name="showWarning"/> keeps); refuses (exit 2) when
    /// there are errors. With <paramref name="lint"/>, the linter's checks count too (commands that write aws-auth).
    /// </summary>
    public static CompiledSpec CompileSpec(CliIO io, string path, Func<Diagnostic, bool>? showWarning = null, bool lint = false)
    {
        var text = io.ReadText(path);
        var spec = SpecLoader.Load(text, CliIO.DisplayName(path));
        var compiled = SpecCompiler.Compile(spec);
        var findings = lint ? Linter.LintSpec(compiled).Findings : compiled.Diagnostics;
        Output.Diagnostics(io, findings.Where(d => d.Severity == Severity.Warning && (showWarning?.Invoke(d) ?? true)));
        var errors = findings.Where(d => d.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            Output.Diagnostics(io, errors);
            throw new InputException(errors.Count + " error" + (errors.Count == 1 ? string.Empty : "s") + " in the spec; nothing was written", new SourceLocation(CliIO.DisplayName(path)));
        }

        return compiled;
    }
}
