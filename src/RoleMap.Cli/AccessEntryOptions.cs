using System.CommandLine;
using RoleMap.AccessEntries;

namespace RoleMap.Cli;

/// <summary>
/// <c>--access-entries FILE|live</c> (repeatable) and <c>--authentication-mode MODE</c>: the access entries that may
/// replace a caller's aws-auth entry, and the cluster's mode. <c>live</c> reads the entries through the EKS API
/// (with --cluster-name, --region, --profile), and then the mode, when not given, is the cluster's own.
/// Descriptions are the command's own.
/// </summary>
internal sealed class AccessEntryOptions(string entriesDescription, string modeDescription)
{
    public Option<string[]> Files { get; } = new("--access-entries") { Description = entriesDescription + " 'live' reads them from the cluster through the EKS API (--cluster-name, --region, --profile).", HelpName = "FILE|live" };

    public Option<string?> Mode { get; } = CreateMode(modeDescription);

    /// <summary>The AWS connection for <c>live</c>.</summary>
    public LiveAws Aws { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Files);
        command.Options.Add(Mode);

        // Only the AWS options: commands that read the cluster's RBAC add --kubeconfig and --context themselves.
        foreach (var option in new Option[] { Aws.Options.ClusterName, Aws.Options.Region, Aws.Options.Profile })
        {
            if (!command.Options.Any(o => o.Name == option.Name))
            {
                command.Options.Add(option);
            }
        }
    }

    /// <summary>True when EKS's precedence applies: access entries or a mode were given.</summary>
    public bool IsGiven(ParseResult parse) => (parse.GetValue(Files) ?? []).Length > 0 || parse.GetValue(Mode) is not null;

    /// <summary>True when the entries are read from the cluster.</summary>
    public bool IsLive(ParseResult parse) => (parse.GetValue(Files) ?? []).Contains(LiveAws.Live);

    /// <summary>The access entries (null when none were given) and the mode (null when not given).</summary>
    public (ExistingAccessEntries? Entries, AuthenticationMode? Mode) Load(CliIO io, ParseResult parse)
    {
        var files = parse.GetValue(Files) ?? [];
        var given = parse.GetValue(Mode) is { } text ? AccessEntryNames.ParseMode(text) : null;
        AuthenticationMode? liveMode = null;
        var sets = files.Select(p =>
        {
            if (p != LiveAws.Live)
            {
                return ExistingAccessEntries.Parse(io.ReadText(p), CliIO.DisplayName(p));
            }

            var snapshot = Aws.Read(io, parse);
            liveMode = snapshot.Cluster.AuthenticationMode;
            return snapshot.ToExisting();
        }).ToList();
        var entries = files.Length == 0 ? null : ExistingAccessEntries.Combine(sets);
        return (entries, IsGiven(parse) ? given ?? liveMode ?? AuthenticationMode.ApiAndConfigMap : null);
    }

    private static Option<string?> CreateMode(string description)
    {
        var option = new Option<string?>("--authentication-mode") { Description = description, HelpName = "MODE" };
        option.AcceptOnlyFromAmong([.. AccessEntryNames.ModeNames]);
        return option;
    }
}
