using System.CommandLine;
using RoleMap.Terraform;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap terraform-external</c>: the Terraform external data source protocol on stdin/stdout.</summary>
internal static class TerraformExternalCommand
{
    public static Command Create(CliIO io)
    {
        var command = new Command(
            "terraform-external",
            "Terraform 'external' data source: reads one JSON object of strings on stdin (the original module's inputs, lists and maps jsonencode()d, optional style), prints mapRoles, mapUsers, mapAccounts and the lint warnings as one JSON object of strings. Lint errors fail with every error on stderr.");
        command.SetAction(_ =>
        {
            if (io.In is StreamReader { BaseStream: var stdin })
            {
                // The bytes as they come: the common query is read from them directly, without decoding it to text first.
                Output.Result(io, ExternalDataSource.Evaluate(ReadAll(stdin)).Span);
            }
            else
            {
                Output.Result(io, ExternalDataSource.Evaluate(io.In.ReadToEnd()));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A stream's bytes, read once into a growing buffer and returned in an array of their exact length.</summary>
    internal static byte[] ReadAll(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        int read;
        while ((read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        return buffer[..length];
    }
}
