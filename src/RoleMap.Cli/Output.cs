using System.CommandLine;
using System.Text;
using RoleMap.Diagnostics;

namespace RoleMap.Cli;

/// <summary>Shared output helpers: diagnostics on stderr, whole results on stdout in one write.</summary>
internal static class Output
{
    public static void Diagnostics(CliIO io, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            io.Error.WriteLine("rolemap: " + diagnostic);
        }
    }

    /// <summary>Writes a complete result. Results are built first and written once, so a failure never leaves partial output.</summary>
    public static void Result(CliIO io, string text) => io.Out.Write(text);

    /// <summary>A complete result already in UTF-8: written to stdout's bytes as it is, without a string of it.</summary>
    public static void Result(CliIO io, ReadOnlySpan<byte> utf8)
    {
        if (io.Out is StreamWriter { BaseStream: var stdout } writer && writer.Encoding is UTF8Encoding)
        {
            writer.Flush();
            stdout.Write(utf8);
            stdout.Flush();
        }
        else
        {
            io.Out.Write(Encoding.UTF8.GetString(utf8));
        }
    }

    public static Option<string> Format(string defaultValue, params string[] allowed)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: " + string.Join(", ", allowed) + ".",
            DefaultValueFactory = _ => defaultValue,
            HelpName = string.Join('|', allowed),
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }
}
