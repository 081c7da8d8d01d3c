using System.CommandLine;
using System.Text;
using System.Text.Json;
using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cli.Cluster;
using RoleMap.Cluster;
using RoleMap.Diagnostics;
using RoleMap.Text;
using RoleMap.Yaml;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap get</c>: the live aws-auth as the authenticator reads it, with its findings.</summary>
internal static class GetCommand
{
    private static readonly string[] Header = ["KIND", "ARN", "USERNAME", "GROUPS", "MANAGED BY"];

    public static Command Create(CliIO io)
    {
        var format = Output.Format("table", "table", "yaml", "json");
        var command = new Command("get", "Show the live kube-system/aws-auth parsed with the authenticator's rules: every entry, who manages it, and the findings. Exit 0 with no errors or warnings, 1 with errors or warnings or when aws-auth does not exist.")
        {
            format,
        };
        var cluster = ClusterOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.GetValue(format)!;
            var clients = ClusterConnector.Connect(io, parse, cluster);
            var values = new PerCluster<YamlValue>(clients);
            var code = await Fleet.RunAsync(io, clients, async (client, ct) =>
            {
                var configMap = await client.GetConfigMapAsync(ConfigMapDocument.KubeSystem, ConfigMapDocument.AwsAuthName, ct).ConfigureAwait(false);
                if (configMap is null)
                {
                    values.Add(client, new YamlMapping([new("cluster", YamlValue.Of(client.Name)), new("exists", new YamlPlain("false"))]));
                    return new ClusterResult(client.Name, ExitCodes.No, output == "table" ? "kube-system/aws-auth does not exist in " + client.Name + "\n" : string.Empty, "absent", "kube-system/aws-auth does not exist");
                }

                var live = LiveAwsAuth.From(configMap, client.Name + ":kube-system/aws-auth");
                var findings = Findings(live.Document);
                values.Add(client, Model(client.Name, live, findings));
                var text = output == "table" ? Table(client.Name, live, findings) : string.Empty;
                var count = findings.Count(f => f.Severity != Severity.Info);
                return new ClusterResult(client.Name, count > 0 ? ExitCodes.No : ExitCodes.Ok, text, count > 0 ? "findings" : "ok", Entries(live.Document) + (count > 0 ? "; " + count + " finding" + (count == 1 ? string.Empty : "s") : string.Empty));
            }, cancellationToken).ConfigureAwait(false);
            if (output != "table" && values.Count > 0)
            {
                var value = values.Count == 1 ? values[0] : new YamlSequence([.. values]);
                Output.Result(io, output == "json" ? JsonOut.Write(w => YamlValueJson.Write(w, value)) : PlainYamlWriter.Write(value));
            }

            return code;
        });
        return command;
    }

    /// <summary>The findings shown for a live aws-auth: everything 'rolemap lint --aws-auth' reports.</summary>
    internal static IReadOnlyList<Diagnostic> Findings(AwsAuthDocument document) => RoleMap.Lint.Linter.LintAwsAuth(document).Findings;

    private static string Entries(AwsAuthDocument document) =>
        document.MapRoles.Entries.Count + " roles, " + document.MapUsers.Entries.Count + " users, " + document.MapAccounts.Accounts.Count + " accounts";

    private static string Table(string cluster, LiveAwsAuth live, IReadOnlyList<Diagnostic> findings)
    {
        var document = live.Document;
        var sb = new StringBuilder();
        sb.Append("kube-system/aws-auth in ").Append(cluster).Append(" (resourceVersion ").Append(live.Object!.ResourceVersion).Append("): ").Append(Entries(document)).Append('\n');
        var rows = new List<string[]> { Header };
        foreach (var (kind, list) in new[] { ("role", document.MapRoles), ("user", document.MapUsers) })
        {
            foreach (var entry in list.Entries)
            {
                var owned = kind == "role" ? live.Owned.OwnsRole(entry.Entry.Arn) : live.Owned.OwnsUser(entry.Entry.Arn);
                var arn = entry.Entry.Arn is { } value ? Printable.Quote(value) : entry.HasSso ? "(sso matcher)" : "(none)";
                rows.Add([kind, arn + (entry.IsValid ? string.Empty : " [dropped: " + Printable.Escape(entry.InvalidReason!) + "]"), entry.Entry.Username is { } username ? Printable.Quote(username) : "(none)", string.Join(",", entry.Entry.Groups.Select(PlanText.ListItem)), owned ? "rolemap" : StandardEntries.Classify(entry.Entry) != EntryKind.Custom ? "(node entry)" : string.Empty]);
            }
        }

        foreach (var account in document.MapAccounts.Accounts)
        {
            rows.Add(["account", Printable.Quote(account.Account), "(the caller's ARN)", string.Empty, live.Owned.OwnsAccount(account.Account) ? "rolemap" : string.Empty]);
        }

        sb.Append(Fleet.Table(rows));
        var others = document.Data.Where(d => d.Key is not (AwsAuthRenderer.MapRoles or AwsAuthRenderer.MapUsers or AwsAuthRenderer.MapAccounts)).Select(d => d.Key).ToList();
        if (others.Count > 0)
        {
            sb.Append("other data keys (not read by the authenticator, kept by rolemap): ").Append(string.Join(", ", others.Select(Printable.Quote))).Append('\n');
        }

        if (findings.Count > 0)
        {
            sb.Append("findings:\n");
            foreach (var finding in findings)
            {
                sb.Append("  ").Append(Printable.Escape(finding.ToString())).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static YamlMapping Model(string cluster, LiveAwsAuth live, IReadOnlyList<Diagnostic> findings)
    {
        var document = live.Document;
        var pairs = new List<KeyValuePair<string, YamlValue>>
        {
            new("cluster", YamlValue.Of(cluster)),
            new("exists", new YamlPlain("true")),
            new("resourceVersion", YamlValue.Of(live.Object!.ResourceVersion ?? string.Empty)),
            new("mapRoles", new YamlSequence([.. document.MapRoles.Entries.Select(e => Entry(e, "rolearn", live.Owned.OwnsRole(e.Entry.Arn)))])),
            new("mapUsers", new YamlSequence([.. document.MapUsers.Entries.Select(e => Entry(e, "userarn", live.Owned.OwnsUser(e.Entry.Arn)))])),
            new("mapAccounts", YamlValue.Of(document.MapAccounts.Accounts.Select(a => a.Account))),
            new("otherKeys", YamlValue.Of(document.Data.Select(d => d.Key).Where(k => k is not (AwsAuthRenderer.MapRoles or AwsAuthRenderer.MapUsers or AwsAuthRenderer.MapAccounts)))),
            new("findings", new YamlSequence([.. findings.Select(Finding)])),
        };
        return new YamlMapping(pairs);
    }

    private static YamlMapping Entry(ParsedEntry entry, string arnField, bool owned)
    {
        var value = (YamlMapping)AwsAuthRenderer.ToYaml(entry.Entry, arnField);
        var pairs = value.Pairs.ToList();
        pairs.Add(new("managedByRolemap", new YamlPlain(owned ? "true" : "false")));
        pairs.Add(new("valid", new YamlPlain(entry.IsValid ? "true" : "false")));
        if (entry.InvalidReason is not null)
        {
            pairs.Add(new("invalidReason", YamlValue.Of(entry.InvalidReason)));
        }

        return new YamlMapping(pairs);
    }

    private static YamlMapping Finding(Diagnostic diagnostic)
    {
        var pairs = new List<KeyValuePair<string, YamlValue>>
        {
            new("rule", YamlValue.Of(diagnostic.Rule)),
            new("severity", YamlValue.Of(diagnostic.Severity.ToString().ToLowerInvariant())),
            new("message", YamlValue.Of(diagnostic.Message)),
        };
        if (diagnostic.Location?.Path is { } path)
        {
            pairs.Add(new("path", YamlValue.Of(path)));
        }

        if (diagnostic.Fix is { } fix)
        {
            pairs.Add(new("fix", YamlValue.Of(fix)));
        }

        return new YamlMapping(pairs);
    }
}
