using System.CommandLine;
using RoleMap.AccessEntries;

namespace RoleMap.Cli;

/// <summary>
/// <c>--access-entries FILE</c> (repeatable) and <c>--authentication-mode MODE</c>: the access entries that may
/// replace a caller's aws-auth entry, and the cluster's mode. Descriptions are the command's own.
/// </summary>
internal sealed class AccessEntryOptions(string entriesDescription, string modeDescription)
{
    public Option<string[]> Files { get; } = new("--access-entries") { Description = entriesDescription, HelpName = "FILE" };

    public Option<string?> Mode { get; } = CreateMode(modeDescription);

    public void AddTo(Command command)
    {
        command.Options.Add(Files);
        command.Options.Add(Mode);
    }

    /// <summary>True when EKS's precedence applies: access entries or a mode were given.</summary>
    public bool IsGiven(ParseResult parse) => (parse.GetValue(Files) ?? []).Length > 0 || parse.GetValue(Mode) is not null;

    /// <summary>The access entries (null when none were given) and the mode (null when not given).</summary>
    public (ExistingAccessEntries? Entries, AuthenticationMode? Mode) Load(CliIO io, ParseResult parse)
    {
        var files = parse.GetValue(Files) ?? [];
        var entries = files.Length == 0 ? null : ExistingAccessEntries.Combine(files.Select(p => ExistingAccessEntries.Parse(io.ReadText(p), CliIO.DisplayName(p))));
        var mode = parse.GetValue(Mode) is { } given ? AccessEntryNames.ParseMode(given) : null;
        return (entries, IsGiven(parse) ? mode ?? AuthenticationMode.ApiAndConfigMap : null);
    }

    private static Option<string?> CreateMode(string description)
    {
        var option = new Option<string?>("--authentication-mode") { Description = description, HelpName = "MODE" };
        option.AcceptOnlyFromAmong([.. AccessEntryNames.ModeNames]);
        return option;
    }
}
