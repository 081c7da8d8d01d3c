using System.Text;
using System.Text.RegularExpressions;
using RoleMap.Arns;
using RoleMap.AwsAuth;

namespace RoleMap.Rbac;

/// <summary>
/// An IAM principal aws-auth maps, with the identity the API server then sees. Values EKS only knows at login
/// (<c>{{SessionName}}</c>, <c>{{AccessKeyID}}</c>, <c>{{EC2PrivateDNSName}}</c>) stay as written in
/// <see cref="Username"/> and <see cref="Groups"/>; matching treats them as "could be any valid value".
/// </summary>
/// <param name="Arn">The entry's ARN, or <c>arn:PARTITION:iam::ACCOUNT:*</c> for a mapAccounts account.</param>
/// <param name="Groups">The mapped groups plus <c>system:authenticated</c>, as the API server adds it.</param>
/// <param name="NeverMatches">Why no real caller ever gets this mapping, when that is so.</param>
public sealed record IamPrincipal(string Arn, MatchSource MatchedBy, string Username, IReadOnlyList<string> Groups, IReadOnlyList<string> Notes, string? NeverMatches = null)
{
    /// <summary>For a mapAccounts account: the account; the username is then each caller's own canonical ARN.</summary>
    public string? Account { get; init; }

    public UserInfo User => new(Username, Groups);

    /// <summary>
    /// Whether this principal's username can be <paramref name="name"/>: exactly, or (Certain = false) for some value
    /// of the placeholders EKS fills in at login.
    /// </summary>
    public (bool Match, bool Certain) UsernameCouldBe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Account is not null)
        {
            return (AccountCallerPattern(Account).IsMatch(name), false);
        }

        return TemplatePattern.Matches(Username, name);
    }

    /// <summary>
    /// Every principal aws-auth maps, resolved with <see cref="Resolver"/> exactly as a caller with that ARN would be:
    /// mapRoles entries (a later duplicate shadows an earlier one), mapUsers entries, and each mapAccounts account
    /// (any other principal of the account, username = its canonical ARN, no groups).
    /// </summary>
    public static IReadOnlyList<IamPrincipal> FromAwsAuth(AwsAuthData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var resolver = new Resolver(data);
        var principals = new List<IamPrincipal>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (entry, source) in data.Roles.Select(e => (e, MatchSource.MapRoles)).Concat(data.Users.Select(e => (e, MatchSource.MapUsers))))
        {
            if (entry.Arn is null)
            {
                continue; // sso entries: the authenticator's SSO matching is off by default
            }

            var result = resolver.Resolve(entry.Arn);
            if (result.Mapping is not { } mapping || !ReferenceEquals(mapping.Entry, entry) || mapping.MatchedBy != source)
            {
                continue; // shadowed by a later duplicate, or rejected; the entry that wins is listed instead
            }

            if (!seen.Add(source + " " + entry.Arn.ToLowerInvariant()))
            {
                continue;
            }

            var notes = new List<string>(mapping.Notes);
            string? never = null;
            var parsed = IamArn.Parse(entry.Arn, out _);
            if (source == MatchSource.MapRoles && parsed is { Kind: IamArnKind.Role, HasPath: true })
            {
                never = "the rolearn has a path (" + parsed.Path + "); EKS matches an assumed-role caller as " + parsed.RoleArnWithoutPath + ", so no caller ever gets this entry";
            }

            principals.Add(new IamPrincipal(entry.Arn, source, mapping.Username, Identities.Authenticated(mapping.Username, mapping.Groups).Groups, notes, never));
        }

        foreach (var account in data.Accounts.Distinct(StringComparer.Ordinal))
        {
            principals.Add(new IamPrincipal(
                "arn:aws:iam::" + account + ":*",
                MatchSource.MapAccounts,
                "(the caller's canonical ARN)",
                [Identities.AllAuthenticated],
                ["any IAM role or user of account " + account + " that no mapRoles or mapUsers entry matches; its username is its own canonical ARN and it has no groups"])
            { Account = account });
        }

        return principals;
    }

    private static Regex AccountCallerPattern(string account) =>
        new("^arn:[a-z-]+:(iam|sts)::" + Regex.Escape(account) + ":.+$", RegexOptions.CultureInvariant);
}

/// <summary>What values aws-auth placeholders can take at login, for "could this username be X" questions.</summary>
public static class TemplatePattern
{
    private static readonly (string Placeholder, string Pattern)[] Values =
    [
        (Templates.SessionName, "[A-Za-z0-9_+=,.-]{2,64}"), // '@' is replaced by '-'
        (Templates.SessionNameRaw, "[A-Za-z0-9_+=,.@-]{2,64}"),
        (Templates.AccessKeyId, "[A-Z0-9]{16,128}"),
        (Templates.Ec2PrivateDnsName, "[A-Za-z0-9.-]+"),
        (Templates.AccountId, "[0-9]{12}"),
    ];

    private static readonly Dictionary<string, Regex?> Cache = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    /// <summary>True when the text still holds a placeholder EKS fills in at login.</summary>
    public static bool HasPlaceholders(string text) => Values.Any(v => text.Contains(v.Placeholder, StringComparison.Ordinal));

    /// <summary>(true, true) when equal; (true, false) when some login values would make them equal; else (false, false).</summary>
    public static (bool Match, bool Certain) Matches(string template, string value)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(value);
        if (string.Equals(template, value, StringComparison.Ordinal))
        {
            return (true, true);
        }

        var regex = PatternFor(template);
        return regex is not null && regex.IsMatch(value) ? (true, false) : (false, false);
    }

    private static Regex? PatternFor(string template)
    {
        lock (CacheLock)
        {
            if (Cache.TryGetValue(template, out var cached))
            {
                return cached;
            }

            Regex? regex = null;
            if (HasPlaceholders(template))
            {
                var sb = new StringBuilder("^");
                var i = 0;
                while (i < template.Length)
                {
                    var hit = Values.FirstOrDefault(v => string.CompareOrdinal(template, i, v.Placeholder, 0, v.Placeholder.Length) == 0);
                    if (hit.Placeholder is not null)
                    {
                        sb.Append('(').Append(hit.Pattern).Append(')');
                        i += hit.Placeholder.Length;
                    }
                    else
                    {
                        sb.Append(Regex.Escape(template[i].ToString()));
                        i++;
                    }
                }

                regex = new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
            }

            Cache[template] = regex;
            return regex;
        }
    }
}
