using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.UseCases;

/// <summary>
/// What EKS makes of a caller, from whichever inputs were given: aws-auth alone (the authenticator's rules), or with
/// access entries and/or an authentication mode (EKS's precedence). Exactly one of the two resolutions is set.
/// </summary>
public sealed record CallerResolution(ResolveResult? AwsAuthOnly, MixedResolution? Mixed)
{
    public bool IsMapped => Mixed?.IsMapped ?? AwsAuthOnly!.IsMapped;

    /// <summary>The aws-auth view of the caller: in mixed mode the aws-auth part (or none) with the mixed notes.</summary>
    public ResolveResult AwsAuthView => Mixed is { } m
        ? (m.AwsAuth ?? new ResolveResult(m.Arn, m.Canonical, null, m.Failure, m.Notes)) with { Notes = m.Notes }
        : AwsAuthOnly!;

    /// <summary>The Kubernetes user EKS authenticates the caller as, or null when it rejects the caller.</summary>
    public UserInfo? User => Mixed?.AccessEntry is { } entry
        ? Identities.Authenticated(entry.Username ?? string.Empty, entry.Groups ?? [])
        : AwsAuthView.Mapping is { } m ? Identities.Authenticated(m.Username, m.Groups) : null;
}

/// <summary>The resolve use case, shared by <c>resolve</c> and <c>explain</c>.</summary>
public static class CallerUseCase
{
    /// <summary>True when the access-entry precedence applies: access entries or a mode were given.</summary>
    public static bool IsMixed(int accessEntryInputs, AuthenticationMode? mode) => accessEntryInputs > 0 || mode is not null;

    /// <summary>
    /// Resolves <paramref name="arn"/>. With <paramref name="accessEntries"/> or <paramref name="mode"/> EKS's
    /// precedence applies (default mode API_AND_CONFIG_MAP); otherwise aws-auth alone. An ARN EKS cannot read at all
    /// is bad input (exit 2), named as <paramref name="argumentName"/>.
    /// </summary>
    public static CallerResolution Resolve(AwsAuthData? awsAuth, ExistingAccessEntries? accessEntries, AuthenticationMode? mode, string arn, CallerFacts facts, string argumentName = "ARN")
    {
        if (accessEntries is not null || mode is not null)
        {
            var mixed = new MixedResolver(awsAuth, accessEntries ?? ExistingAccessEntries.Combine([]), mode ?? AuthenticationMode.ApiAndConfigMap).Resolve(arn, facts);
            return mixed.Canonical.IsValid ? new CallerResolution(null, mixed) : throw new InputException(mixed.Failure!, new SourceLocation(argumentName));
        }

        var result = new Resolver(awsAuth ?? throw new ArgumentNullException(nameof(awsAuth))).Resolve(arn, facts);
        return result.Failure is not null && !result.Canonical.IsValid
            ? throw new InputException(result.Failure, new SourceLocation(argumentName))
            : new CallerResolution(result, null);
    }
}
