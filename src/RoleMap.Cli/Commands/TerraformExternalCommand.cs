using System.CommandLine;
using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.Terraform;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap terraform-external</c>: the Terraform external data source protocol on stdin/stdout.</summary>
internal static class TerraformExternalCommand
{
    public static Command Create(CliIO io)
    {
        var command = new Command(
            "terraform-external",
            "Terraform 'external' data source: reads one JSON object of strings on stdin (the original module's inputs, lists and maps jsonencode()d, optional style), prints mapRoles, mapUsers, mapAccounts and warnings as one JSON object of strings.");
        command.SetAction(_ =>
        {
            var (spec, style) = ExternalDataSource.ParseQuery(io.In.ReadToEnd());
            var compiled = SpecCompiler.Compile(spec);
            var errors = compiled.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new InputException(string.Join("\n", errors.Select(e => e.ToString())));
            }

            var result = ExternalDataSource.RenderResult(compiled, style);
            Output.Result(io, result);
            return ExitCodes.Ok;
        });
        return command;
    }
}
