using System.CommandLine;
using System.Text;
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
        command.SetAction(_ => Run(io));
        return command;
    }

    /// <summary>The command's action (it takes no options or arguments, so the CLI may run it without parsing).</summary>
    internal static int Run(CliIO io)
    {
        if (io.InputBytes is { } stdin && io.Out is StreamWriter { BaseStream: var stdout } writer && writer.Encoding is UTF8Encoding)
        {
            // The bytes as they come: the common query is read from them directly, without decoding it to text first,
            // and the result goes to stdout's bytes as it is written, never whole in memory (nothing is written unless
            // the evaluation succeeds).
            var query = ReadAll(stdin);
            writer.Flush();
            ExternalDataSource.Evaluate(query, stdout);
            stdout.Flush();
        }
        else if (io.InputBytes is { } input)
        {
            Output.Result(io, ExternalDataSource.Evaluate(ReadAll(input)).Span);
        }
        else
        {
            Output.Result(io, ExternalDataSource.Evaluate(io.In.ReadToEnd()));
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// A stream's bytes in an array of their exact length. A stream that knows its length (stdin redirected from a file,
    /// see <see cref="CliIO.OpenStandardInput"/>) is read into one array of that size, not cleared first (the reads fill
    /// it), and a last read confirms the end; anything else, or a file that turns out longer, grows a buffer by doubling.
    /// </summary>
    internal static byte[] ReadAll(Stream stream)
    {
        var known = KnownLength(stream);
        var buffer = known > 0 ? GC.AllocateUninitializedArray<byte>((int)known) : new byte[16 * 1024];
        var length = 0;
        Span<byte> probe = stackalloc byte[1];
        int read;
        while ((read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length < buffer.Length)
            {
                continue;
            }

            var more = length == known ? stream.Read(probe) : -1;
            if (more == 0)
            {
                return buffer; // exactly the length the stream gave
            }

            Array.Resize(ref buffer, buffer.Length * 2);
            if (more > 0)
            {
                buffer[length++] = probe[0]; // the file grew while it was read: the rest as for a pipe
            }
        }

        return length == buffer.Length ? buffer : buffer[..length];
    }

    /// <summary>The bytes left in a seekable stream, or 0 when unknown (or too many for one array).</summary>
    private static long KnownLength(Stream stream)
    {
        try
        {
            return stream.CanSeek && stream.Length - stream.Position is var left && left > 0 && left < Array.MaxLength ? left : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (NotSupportedException)
        {
            return 0;
        }
    }
}
