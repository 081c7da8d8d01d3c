using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Spec;

namespace RoleMap.AccessEntries;

/// <summary>One role or user mapping to plan, from a spec or an aws-auth ConfigMap.</summary>
/// <param name="List">The aws-auth key it is (or would be written) in.</param>
/// <param name="Label">How to name it in output: <c>mapRoles[2]</c>, or the spec path.</param>
/// <param name="Entry">The aws-auth entry as the authenticator reads it (for a spec: as rolemap writes it).</param>
/// <param name="Kind">Node, Fargate, hybrid or custom.</param>
/// <param name="SpecArn">For a spec: the ARN as written there, role path included.</param>
/// <param name="Ignored">Why the authenticator drops this entry, if it does.</param>
/// <param name="Sso">True for an aws-auth <c>sso</c> matcher entry.</param>
/// <param name="Location">Where it was written.</param>
public sealed record SourceMapping(MatchSource List, string Label, MapEntry Entry, EntryKind Kind, string? SpecArn, string? Ignored, bool Sso, SourceLocation? Location);

/// <summary>An account in mapAccounts.</summary>
public sealed record SourceAccount(string Account, string Label, SourceLocation? Location);

/// <summary>What a migration is planned from: every mapping, in the order the authenticator reads them, and notes on the source.</summary>
public sealed record PlanInput(string Source, bool IsSpec, IReadOnlyList<SourceMapping> Roles, IReadOnlyList<SourceMapping> Users, IReadOnlyList<SourceAccount> Accounts, IReadOnlyList<Diagnostic> Notes)
{
    /// <summary>A compiled spec: the entries as generate writes them, with the ARNs as the spec wrote them (paths kept).</summary>
    public static PlanInput FromSpec(CompiledSpec spec, string source)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var roles = spec.Roles.Select((r, i) => FromCompiled(r, MatchSource.MapRoles, i, seen)).ToList();
        var users = spec.Users.Select((u, i) => FromCompiled(u, MatchSource.MapUsers, i, seen)).ToList();
        var accounts = spec.Data.Accounts.Select((a, i) => new SourceAccount(a, "accounts[" + i + "]", null)).ToList();
        return new PlanInput(source, true, roles, users, accounts, []);
    }

    /// <summary>An aws-auth ConfigMap as the authenticator reads it: dropped keys, invalid entries and duplicates included.</summary>
    public static PlanInput FromAwsAuth(AwsAuthDocument document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        var notes = document.Diagnostics.Where(d => d.Rule != "entry-invalid").ToList();
        foreach (var list in new[] { document.MapRoles, document.MapUsers })
        {
            if (list.Dropped)
            {
                notes.Add(new Diagnostic(
                    "key-dropped",
                    Severity.Warning,
                    list.Key + " does not parse, so the authenticator ignores all of it: none of its entries grant access today, and none are planned",
                    list.Location,
                    "fix the YAML of " + list.Key + " and plan again"));
            }
        }

        var roles = document.MapRoles.Entries.Select(e => FromParsed(e, MatchSource.MapRoles)).ToList();
        var users = document.MapUsers.Entries.Select(e => FromParsed(e, MatchSource.MapUsers)).ToList();
        var accounts = document.MapAccounts.Accounts.Select((a, i) => new SourceAccount(a.Account, "mapAccounts[" + i + "]", a.Location)).ToList();
        return new PlanInput(source, false, roles, users, accounts, notes);
    }

    private static SourceMapping FromCompiled(CompiledEntry entry, MatchSource list, int index, Dictionary<string, int> seen)
    {
        var kind = entry.Kind == EntryKind.Custom ? StandardEntries.Classify(entry.Entry) : entry.Kind;
        var label = entry.Location.Path ?? (list == MatchSource.MapRoles ? "roles[" : "users[") + index + "]";
        if (!label.Contains('[', StringComparison.Ordinal) && !label.Contains('.', StringComparison.Ordinal))
        {
            // A list of ARNs (nodeRoles: [...]) gives every item the key's path: number them as the spec lists them.
            var n = seen.GetValueOrDefault(label);
            seen[label] = n + 1;
            label += "[" + n + "]";
        }

        return new SourceMapping(list, label, entry.Entry, kind, entry.OriginalArn, null, false, entry.Location);
    }

    private static SourceMapping FromParsed(ParsedEntry entry, MatchSource list)
    {
        var label = (list == MatchSource.MapRoles ? "mapRoles[" : "mapUsers[") + entry.Index + "]";
        return new SourceMapping(list, label, entry.Entry, StandardEntries.Classify(entry.Entry), null, entry.InvalidReason, entry.HasSso && entry.Entry.Arn is null, entry.Location);
    }

    /// <summary>Parses the ARN an entry maps, as written.</summary>
    internal static IamArn? ParseArn(SourceMapping mapping, out IReadOnlyList<ArnProblem> problems)
    {
        var arn = mapping.SpecArn ?? mapping.Entry.Arn;
        if (arn is null)
        {
            problems = [];
            return null;
        }

        return IamArn.Parse(arn, out problems);
    }
}
