using System.CommandLine;
using RoleMap.AwsAuth;
using RoleMap.Terraform;
using RoleMap.UseCases;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap generate SPEC</c>: the aws-auth ConfigMap (or its data) exactly as EKS reads it.</summary>
internal sealed class GenerateCommand
{
    private readonly Argument<string> spec = new("SPEC") { Description = "Mapping spec (YAML or JSON; '-' for stdin), in rolemap's or the original module's vocabulary." };
    private readonly Option<string> format = Output.Format("yaml", "yaml", "json");
    private readonly Option<bool> dataOnly = new("--data-only") { Description = "Print only the data keys (mapRoles, mapUsers, mapAccounts), not the whole ConfigMap." };
    private readonly Option<string> style = Style();
    private readonly Option<string[]> iamArns = SpecInput.IamArnsOption();
    private readonly LiveAws aws = new();

    public static Command Create(CliIO io) => new GenerateCommand().Definition(io);

    private static Option<string> Style()
    {
        var option = new Option<string>("--style") { Description = "plain: the authenticator's layout; terraform: Terraform's yamlencode, byte for byte.", DefaultValueFactory = _ => "plain", HelpName = "plain|terraform" };
        option.AcceptOnlyFromAmong("plain", "terraform");
        return option;
    }

    private Command Definition(CliIO io)
    {
        var command = new Command("generate", "Render aws-auth from a mapping spec: node roles, Fargate, then the rest sorted by ARN; role paths stripped; every value quoted where YAML could misread it.")
        {
            spec, format, dataOnly, style, iamArns,
        };
        aws.AddTo(command);
        command.SetAction(parse => Run(io, parse));
        return command;
    }

    private int Run(CliIO io, ParseResult parse)
    {
        var compiled = SpecInput.Compile(io, parse.GetValue(spec)!, lint: true, iamArns: parse.GetValue(iamArns), liveIam: () => aws.LoadIam(io, parse, [LiveAws.Live])!);
        var generated = SpecUseCase.Generate(compiled, ExternalDataSource.ParseStyle(parse.GetValue(style)!));
        var data = generated.RenderedData;
        var json = parse.GetValue(format) == "json";
        var text = parse.GetValue(dataOnly)
            ? (json ? ConfigMapWriter.DataToJson(data) : ConfigMapWriter.DataToYaml(data))
            : (json ? ConfigMapWriter.ToJson(ConfigMapDocument.AwsAuth(data, generated.Labels)) : ConfigMapWriter.ToYaml(ConfigMapDocument.AwsAuth(data, generated.Labels)));
        Output.Result(io, text);
        return ExitCodes.Ok;
    }
}
