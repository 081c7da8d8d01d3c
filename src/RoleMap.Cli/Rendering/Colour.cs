namespace RoleMap.Cli.Rendering;

/// <summary>The one colour policy: ANSI colours only on a terminal, and never when NO_COLOR is set (no-color.org).</summary>
internal static class Colour
{
    public static bool Enabled(CliIO io) => io.OutIsTerminal && io.Environment("NO_COLOR") is null;

    /// <summary>Wraps <paramref name="text"/> in an SGR code when <paramref name="enabled"/>.</summary>
    public static string Paint(string text, string sgr, bool enabled) => enabled ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
}
