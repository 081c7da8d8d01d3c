using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Rbac;
using IamPrincipal = RoleMap.Rbac.IamPrincipal;

namespace RoleMap.AccessPolicies;

/// <summary>
/// An IAM principal EKS authenticates, through aws-auth or an access entry, with the access policies the EKS
/// authorizer checks for it (access entries only).
/// </summary>
/// <param name="Principal">The identity the API server sees (username and groups, placeholders as written).</param>
/// <param name="AccessEntry">The access entry, when the principal authenticates through one.</param>
/// <param name="Policies">The entry's associated access policies; null when the input does not tell.</param>
public sealed record EksPrincipal(IamPrincipal Principal, KnownAccessEntry? AccessEntry, IReadOnlyList<PolicyAssociation>? Policies)
{
    /// <summary>True when the entry's policies are not in the input, so a decision RBAC does not allow is unknown.</summary>
    public bool PoliciesUnknown => AccessEntry is not null && (Policies is null || !AccessEntry.Described);
}

/// <summary>Every principal of a cluster under an authentication mode, and the aws-auth entries that no longer apply.</summary>
/// <param name="Shadowed">aws-auth principals an access entry replaces (API_AND_CONFIG_MAP) or that EKS ignores (API).</param>
public sealed record EksPrincipalSet(IReadOnlyList<EksPrincipal> Principals, IReadOnlyList<(IamPrincipal Principal, string Why)> Shadowed);

public static class EksPrincipals
{
    /// <summary>
    /// The principals EKS authenticates: aws-auth's (unless the mode is API), less those an access entry replaces;
    /// then every access entry (unless the mode is CONFIG_MAP), with the username EKS uses (the entry's or the one it
    /// generates) and its groups.
    /// </summary>
    public static EksPrincipalSet From(AwsAuthData? awsAuth, ExistingAccessEntries? accessEntries, AuthenticationMode mode)
    {
        var principals = new List<EksPrincipal>();
        var shadowed = new List<(IamPrincipal, string)>();
        var entries = mode == AuthenticationMode.ConfigMap ? null : accessEntries;
        foreach (var principal in awsAuth is null ? [] : IamPrincipal.FromAwsAuth(awsAuth))
        {
            if (mode == AuthenticationMode.Api)
            {
                shadowed.Add((principal, "the cluster is in API mode, where EKS ignores aws-auth"));
            }
            else if (principal.Account is null && entries?.Find(principal.Arn) is { } entry)
            {
                shadowed.Add((principal, "the access entry for " + entry.PrincipalArn + " replaces this aws-auth entry"));
            }
            else
            {
                principals.Add(new EksPrincipal(principal, null, null));
            }
        }

        foreach (var entry in entries?.Entries ?? [])
        {
            var username = entry.EffectiveUsername;
            var groups = MixedResolver.GroupsOf(entry) ?? [];
            var notes = new List<string>();
            if (username is null)
            {
                notes.Add("the entry's username is not in the input (give 'aws eks describe-access-entry' output); its RBAC is not evaluated");
            }

            var identity = new IamPrincipal(entry.PrincipalArn, MatchSource.AccessEntry, username ?? string.Empty, Identities.Authenticated(username ?? string.Empty, groups).Groups, notes);
            principals.Add(new EksPrincipal(identity, entry, MixedResolver.PoliciesOf(entry)));
        }

        return new EksPrincipalSet(principals, shadowed);
    }
}
