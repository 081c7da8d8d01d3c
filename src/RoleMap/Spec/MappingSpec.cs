using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.Spec;

/// <summary>A principal declared in a spec, exactly as written.</summary>
/// <param name="Arn">The ARN as written (may carry a path or be an assumed-role ARN; the compiler decides).</param>
/// <param name="Kind">Node, Fargate, hybrid or custom.</param>
/// <param name="Username">An explicit username, or null for the default.</param>
/// <param name="Groups">Groups for custom entries (standard kinds take theirs from <see cref="StandardEntries"/>).</param>
/// <param name="Location">Where it was declared.</param>
public sealed record SpecPrincipal(string Arn, EntryKind Kind, string? Username, IReadOnlyList<string> Groups, SourceLocation Location);

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
}
