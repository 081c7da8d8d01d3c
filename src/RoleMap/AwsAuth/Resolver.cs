using RoleMap.Arns;

namespace RoleMap.AwsAuth;

/// <summary>Which part of aws-auth produced the mapping.</summary>
public enum MatchSource
{
    MapRoles,
    MapUsers,
    MapAccounts,

    /// <summary>Not aws-auth: an EKS access entry, which replaces the principal's aws-auth entry.</summary>
    AccessEntry,
}

/// <summary>The data key names of <see cref="MatchSource"/>, as outputs show them.</summary>
public static class MatchSourceNames
{
    public static string Wire(this MatchSource source) => source switch
    {
        MatchSource.MapRoles => "mapRoles",
        MatchSource.MapUsers => "mapUsers",
        MatchSource.AccessEntry => "accessEntry",
        _ => "mapAccounts",
    };
}

/// <summary>What the caller is known to present besides its ARN (all optional offline).</summary>
public sealed record CallerFacts(string? AccessKeyId = null, string? Ec2PrivateDnsName = null, string? SessionName = null);

/// <summary>The Kubernetes identity EKS gives a caller through aws-auth.</summary>
/// <param name="Arn">The caller ARN as given.</param>
/// <param name="CanonicalArn">The authenticator's canonical form.</param>
/// <param name="Username">Rendered username (placeholders unknown offline stay literal).</param>
/// <param name="Groups">Rendered groups, in order. <c>system:authenticated</c> is added by the API server, not here.</param>
/// <param name="MatchedBy">The key that matched.</param>
/// <param name="Entry">The entry that matched (null for mapAccounts).</param>
/// <param name="Notes">What the reader should know: unresolved placeholders, ambiguous duplicates, shadowed entries.</param>
public sealed record Resolution(string Arn, string CanonicalArn, string Username, IReadOnlyList<string> Groups, MatchSource MatchedBy, MapEntry? Entry, IReadOnlyList<string> Notes);

/// <summary>The answer to "what does EKS make of this caller": mapped, not mapped, or rejected, with the reason.</summary>
public sealed record ResolveResult(string Arn, CanonicalArn Canonical, Resolution? Mapping, string? Failure, IReadOnlyList<string> Notes)
{
    public bool IsMapped => Mapping is not null;
}

/// <summary>
/// Looks a caller up in aws-auth like the authenticator's ConfigMap mapper and server: canonicalise, lower-case,
/// roles first (last duplicate wins), then users, then mapAccounts (username = canonical ARN, no groups), then
/// render templates.
/// </summary>
public sealed class Resolver
{
    // Like the authenticator's MapStore: roles keyed by strings.ToLower(rolearn) (the last duplicate wins), users by
    // the ARN as written; a caller then matches every entry whose ARN strings.EqualFold-s its lower-cased canonical
    // ARN. Both indexes are grouped by GoStrings.FoldKey, which is equal exactly when EqualFold holds.
    private readonly Dictionary<string, MapEntry> roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MapEntry>> rolesAll = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> roleKeysByFold = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MapEntry>> users = new(StringComparer.Ordinal);
    private readonly HashSet<string> accounts;

    public Resolver(AwsAuthData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        foreach (var role in data.Roles)
        {
            if (role.Arn is null)
            {
                continue; // sso matchers: the SSORoleMatch feature gate is off by default and not known to be on in EKS
            }

            var key = GoStrings.ToLower(role.Arn);
            roles[key] = role;
            Add(rolesAll, key, role);
        }

        // The authenticator compares the entry each key ends up holding (the last duplicate), whose ARN may fold
        // differently from the first one's: 'İ' lower-cases to 'i' but does not fold to it.
        foreach (var (key, role) in roles)
        {
            Add(roleKeysByFold, GoStrings.FoldKey(role.Arn!), key);
        }

        // Users are keyed by the ARN as written; exact duplicates collapse to the last, case variants stay apart.
        var byRaw = new Dictionary<string, MapEntry>(StringComparer.Ordinal);
        foreach (var user in data.Users)
        {
            if (user.Arn is not null)
            {
                byRaw[user.Arn] = user;
            }
        }

        foreach (var user in byRaw.Values)
        {
            Add(users, GoStrings.FoldKey(user.Arn!), user);
        }

        accounts = [.. data.Accounts];
    }

    public AwsAuthData Data { get; }

    public ResolveResult Resolve(string callerArn, CallerFacts? facts = null)
    {
        ArgumentNullException.ThrowIfNull(callerArn);
        facts ??= new CallerFacts();
        var canonical = Canonicalizer.Canonicalize(callerArn);
        if (!canonical.IsValid)
        {
            return new ResolveResult(callerArn, canonical, null, canonical.Error, []);
        }

        var notes = new List<string>();
        var parsed = Arn.TryParse(canonical.Canonical)!;
        var values = ValuesFor(callerArn, canonical, facts);
        var key = GoStrings.FoldKey(GoStrings.ToLower(canonical.Canonical));

        MapEntry? entry = null;
        MatchSource source = MatchSource.MapRoles;
        if (roleKeysByFold.TryGetValue(key, out var roleKeys))
        {
            entry = roles[roleKeys[^1]];
            if (roleKeys.Count > 1)
            {
                notes.Add("mapRoles has " + roleKeys.Count + " entries that match this role under Unicode case folding but lower-case differently (" + string.Join(", ", roleKeys.Select(k => roles[k].Arn)) + "); the authenticator picks one at random on each request");
            }
            else if (rolesAll[roleKeys[0]].Count > 1)
            {
                notes.Add("mapRoles has " + rolesAll[roleKeys[0]].Count + " entries for this role (ignoring case); the authenticator uses only the last one, and does not merge groups");
            }
        }
        else if (users.TryGetValue(key, out var candidates))
        {
            entry = candidates[^1];
            source = MatchSource.MapUsers;
            if (candidates.Count > 1)
            {
                notes.Add("mapUsers has " + candidates.Count + " entries that differ only in case (" + string.Join(", ", candidates.Select(c => c.Arn)) + "); the authenticator picks one at random on each request");
            }
        }

        if (entry is null)
        {
            if (accounts.Contains(parsed.Account))
            {
                notes.Add("no role or user entry matches; account " + parsed.Account + " is in mapAccounts, so the username is the canonical ARN and there are no groups");
                var mapping = new Resolution(callerArn, canonical.Canonical, canonical.Canonical, [], MatchSource.MapAccounts, null, notes);
                return new ResolveResult(callerArn, canonical, mapping, null, notes);
            }

            return new ResolveResult(callerArn, canonical, null, null, notes);
        }

        var username = Templates.Render(entry.Username ?? string.Empty, values);
        var groups = entry.Groups.Select(g => Templates.Render(g, values)).ToList();
        var failure = username.Failure ?? groups.FirstOrDefault(g => g.Failure is not null)?.Failure;
        if (failure is not null)
        {
            return new ResolveResult(callerArn, canonical, null, "the matching " + (source == MatchSource.MapRoles ? "mapRoles" : "mapUsers") + " entry uses {{EC2PrivateDNSName}}, which the authenticator only renders for an EC2 instance session (session 'i-...'); it rejects this caller: " + failure, notes);
        }

        if (entry.Username is null || entry.Username.Length == 0)
        {
            notes.Add("the entry has no username, so the username is empty; some API calls (aggregated APIs such as metrics, 'kubectl top') then fail");
        }

        var unresolved = username.Unresolved.Concat(groups.SelectMany(g => g.Unresolved)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var placeholder in unresolved)
        {
            notes.Add(placeholder + " is not known offline and is shown as written" + Hint(placeholder));
        }

        var unknown = Templates.UnknownPlaceholders(entry.Username ?? string.Empty).Concat(entry.Groups.SelectMany(Templates.UnknownPlaceholders)).Distinct(StringComparer.Ordinal);
        foreach (var placeholder in unknown)
        {
            notes.Add(placeholder + " is not a placeholder the authenticator knows; it stays in the name literally");
        }

        var resolution = new Resolution(callerArn, canonical.Canonical, username.Text, [.. groups.Select(g => g.Text)], source, entry, notes);
        return new ResolveResult(callerArn, canonical, resolution, null, notes);
    }

    /// <summary>The template values a caller presents: its account, its session (from an assumed-role ARN or the facts), and the facts given.</summary>
    public static TemplateValues ValuesFor(string callerArn, CanonicalArn canonical, CallerFacts facts)
    {
        ArgumentNullException.ThrowIfNull(callerArn);
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(facts);
        var session = facts.SessionName ?? canonical.Type switch
        {
            PrincipalType.AssumedRole => callerArn.Split('/')[^1],
            PrincipalType.Role => null, // a real caller presents an assumed-role ARN; the session is unknown here
            _ => string.Empty, // users, root and federated users have no session name
        };
        return new TemplateValues(Arn.TryParse(canonical.Canonical)?.Account, session, facts.AccessKeyId, facts.Ec2PrivateDnsName);
    }

    /// <summary>A hint on how to give the value of a placeholder that is unknown offline.</summary>
    public static string Hint(string placeholder) => placeholder switch
    {
        Templates.Ec2PrivateDnsName => " (give --ec2-private-dns-name)",
        Templates.AccessKeyId => " (give --access-key-id)",
        Templates.SessionName or Templates.SessionNameRaw => " (give an assumed-role ARN with the session, or --session-name)",
        _ => string.Empty,
    };

    private static void Add<T>(Dictionary<string, List<T>> index, string key, T entry)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(entry);
    }
}
