using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.Spec;

/// <summary>A principal declared in a spec, exactly as written.</summary>
/// <param name="Arn">The ARN as written (may carry a path or be an assumed-role ARN; the compiler decides).</param>
/// <param name="Kind">Node, Fargate, hybrid or custom.</param>
/// <param name="Username">An explicit username, or null for the default.</param>
/// <param name="Groups">Groups for custom entries (standard kinds take theirs from <see cref="StandardEntries"/>).</param>
/// <param name="Location">Where it was declared.</param>
public sealed record SpecPrincipal(string Arn, EntryKind Kind, string? Username, IReadOnlyList<string> Groups, SourceLocation Location)
{
    /// <summary>The IAM Identity Center permission set this role was found for (its path is expected, and removed silently).</summary>
    public string? PermissionSet { get; init; }
}

/// <summary>
/// An IAM Identity Center permission set mapped by name (<c>ssoPermissionSets</c>): every role IAM Identity Center created
/// for it (<c>AWSReservedSSO_NAME_SUFFIX</c> under <c>/aws-reserved/sso.amazonaws.com/</c>) in the IAM data, optionally in
/// the listed accounts only, gets the groups and username.
/// </summary>
public sealed record SpecPermissionSet(string Name, IReadOnlyList<string> Groups, string? Username, IReadOnlyList<string> Accounts, SourceLocation Location);

/// <summary>An account in <c>mapAccounts</c>, as written.</summary>
public sealed record SpecAccount(string Account, SourceLocation Location);

/// <summary>
/// What a spec file declares: role mappings (node, Fargate, hybrid and custom), user mappings, mapped accounts
/// and ConfigMap labels. Produced by <see cref="SpecLoader"/> from either the native or the original module's format.
/// </summary>
public sealed record MappingSpec(
    IReadOnlyList<SpecPrincipal> Roles,
    IReadOnlyList<SpecPrincipal> Users,
    IReadOnlyList<SpecAccount> Accounts,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    string? File)
{
    public static MappingSpec Empty(string? file) => new([], [], [], [], file);

    /// <summary>Permission sets mapped by name; expanded into roles with the IAM data given to the compiler.</summary>
    public IReadOnlyList<SpecPermissionSet> PermissionSets { get; init; } = [];
}
