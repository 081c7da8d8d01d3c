using System.CommandLine;
using RoleMap.Cli.Rendering;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap access-entries get</c>: the cluster's authentication mode and every access entry, read through the EKS API.</summary>
internal static class AccessEntriesGetCommand
{
    public static Command Create(CliIO io)
    {
        var format = Output.Format("text", "text", "json", "yaml");
        var command = new Command("get", "Show the cluster's authentication mode and every access entry (type, username, groups, associated policies and their scopes), marking the entries EKS created itself (node groups, Fargate, Auto Mode, the cluster creator) and those rolemap created. Reads the EKS API with your AWS credentials.")
        {
            format,
        };
        var aws = new LiveAws();
        aws.AddTo(command);
        command.SetAction(parse =>
        {
            var snapshot = aws.Read(io, parse);
            var region = aws.Connect(io, parse).Eks.Region;
            Output.Result(io, parse.GetValue(format) switch
            {
                "json" => AccessEntriesLiveRendering.Json(snapshot, region),
                "yaml" => AccessEntriesLiveRendering.Yaml(snapshot, region),
                _ => AccessEntriesLiveRendering.Text(snapshot, region),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
