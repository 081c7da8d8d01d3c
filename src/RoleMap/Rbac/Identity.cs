using System.Text.RegularExpressions;

namespace RoleMap.Rbac;

/// <summary>The authenticated user as the authorizer sees it: a name and groups (extra and UID are not used by RBAC).</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public bool InGroup(string group) => Groups.Contains(group, StringComparer.Ordinal);

    /// <summary><c>"alice" [dev, system:authenticated]</c>.</summary>
    public override string ToString() => "\"" + Name + "\" [" + string.Join(", ", Groups) + "]";
}

/// <summary>
/// The identities the API server builds: the groups it adds to authenticated users
/// (staging/src/k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go), ServiceAccount usernames
/// and groups (…/authentication/serviceaccount/util.go) and impersonation (…/endpoints/filters/impersonation.go).
/// </summary>
public static partial class Identities
{
    public const string AllAuthenticated = "system:authenticated";
    public const string AllUnauthenticated = "system:unauthenticated";
    public const string Anonymous = "system:anonymous";
    public const string Masters = "system:masters";
    public const string ServiceAccountsGroup = "system:serviceaccounts";
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary><c>system:serviceaccount:NS:NAME</c>.</summary>
    public static string ServiceAccountUsername(string ns, string name) => ServiceAccountPrefix + ns + ":" + name;

    /// <summary><c>system:serviceaccounts</c> and <c>system:serviceaccounts:NS</c>.</summary>
    public static IReadOnlyList<string> ServiceAccountGroups(string ns) => [ServiceAccountsGroup, ServiceAccountsGroup + ":" + ns];

    /// <summary>
    /// <c>serviceaccount.SplitUsername</c>: true for <c>system:serviceaccount:NS:NAME</c> with exactly two parts, a valid
    /// namespace name (DNS-1123 label) and a valid ServiceAccount name (DNS-1123 subdomain).
    /// </summary>
    public static bool TrySplitServiceAccount(string username, out string ns, out string name)
    {
        ArgumentNullException.ThrowIfNull(username);
        ns = name = string.Empty;
        if (!username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = username[ServiceAccountPrefix.Length..].Split(':');
        if (parts.Length != 2 || !IsDnsLabel(parts[0]) || !IsDnsSubdomain(parts[1]))
        {
            return false;
        }

        ns = parts[0];
        name = parts[1];
        return true;
    }

    /// <summary>
    /// What an authenticator's answer becomes after <c>AuthenticatedGroupAdder</c>: <c>system:authenticated</c> is
    /// appended unless the user is <c>system:anonymous</c> or already has it or <c>system:unauthenticated</c>.
    /// This is the identity EKS gives an IAM principal mapped through aws-auth.
    /// </summary>
    public static UserInfo Authenticated(string name, IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.ToList();
        if (name != Anonymous && !list.Contains(AllAuthenticated, StringComparer.Ordinal) && !list.Contains(AllUnauthenticated, StringComparer.Ordinal))
        {
            list.Add(AllAuthenticated);
        }

        return new UserInfo(name, list);
    }

    /// <summary>A ServiceAccount token's identity: its username, the two ServiceAccount groups and <c>system:authenticated</c>.</summary>
    public static UserInfo ServiceAccount(string ns, string name) => Authenticated(ServiceAccountUsername(ns, name), ServiceAccountGroups(ns));

    /// <summary>
    /// The identity <c>kubectl --as USER --as-group G</c> produces (the impersonation filter): a ServiceAccount username
    /// without groups gets the ServiceAccount groups; a non-anonymous user gets <c>system:authenticated</c> unless
    /// <c>system:authenticated</c> or <c>system:unauthenticated</c> was given; <c>system:anonymous</c> gets
    /// <c>system:unauthenticated</c>.
    /// </summary>
    public static UserInfo Impersonated(string name, IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.ToList();
        if (list.Count == 0 && TrySplitServiceAccount(name, out var ns, out _))
        {
            list.AddRange(ServiceAccountGroups(ns));
        }

        if (name != Anonymous)
        {
            if (!list.Contains(AllAuthenticated, StringComparer.Ordinal) && !list.Contains(AllUnauthenticated, StringComparer.Ordinal))
            {
                list.Add(AllAuthenticated);
            }
        }
        else if (!list.Contains(AllUnauthenticated, StringComparer.Ordinal))
        {
            list.Add(AllUnauthenticated);
        }

        return new UserInfo(name, list);
    }

    private static bool IsDnsLabel(string value) => value.Length is > 0 and <= 63 && DnsLabel().IsMatch(value);

    private static bool IsDnsSubdomain(string value) => value.Length is > 0 and <= 253 && DnsSubdomain().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();
}
