using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Terraform;
using RoleMap.UseCases;

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
            var compiled = SpecInput.Compile(io, path, lint: true);
            var generated = SpecUseCase.Generate(compiled, ExternalDataSource.ParseStyle(parse.GetValue(style)!));
            var data = generated.RenderedData;
            var json = parse.GetValue(format) == "json";
            var text = parse.GetValue(dataOnly)
                ? (json ? ConfigMapWriter.DataToJson(data) : ConfigMapWriter.DataToYaml(data))
                : (json ? ConfigMapWriter.ToJson(ConfigMapDocument.AwsAuth(data, generated.Labels)) : ConfigMapWriter.ToYaml(ConfigMapDocument.AwsAuth(data, generated.Labels)));
            Output.Result(io, text);
            return ExitCodes.Ok;
        });
        return command;
    }
}
