using System.Text;
using System.Text.Json.Serialization;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.UseCases;

namespace RoleMap.Cli.Rendering;

/// <summary>resolve's answer as labelled text and as JSON (aws-auth alone, or with access entries and the mode).</summary>
internal static class ResolveRendering
{
    private const string NotMappedByAwsAuth = "no mapRoles or mapUsers entry matches, and the account is not in mapAccounts; EKS rejects this caller (401 Unauthorized)";
    private static readonly ResolveJsonContext Json = new(JsonOutput.NewOptions());

    public static string Text(CallerResolution caller)
    {
        if (caller.Mixed is not { } mixed)
        {
            return Text(caller.AwsAuthOnly!);
        }

        if (mixed.AwsAuth is { } awsAuth)
        {
            return Text(awsAuth with { Notes = mixed.Notes });
        }

        var identity = mixed.AccessEntry;
        return Text(mixed.Arn, mixed.Canonical.Canonical, identity is null ? null : sb =>
        {
            sb.Append("matched by:    access entry (").Append(identity.Entry.PrincipalArn);
            if (identity.Entry.Type is { } type)
            {
                sb.Append(", ").Append(type.Wire());
            }

            sb.Append(")\n");
            sb.Append("username:      ").Append(identity.Username ?? "(not known)").Append('\n');
            sb.Append("groups:        ").Append(List(identity.Groups)).Append('\n');
            sb.Append("policies:      ").Append(List(identity.Policies?.Select(p => p.ToString()).ToList())).Append('\n');
        }, mixed.Failure, "EKS rejects this caller (401 Unauthorized)", mixed.Notes);

        static string List(IReadOnlyList<string>? items) => items is null ? "(not known)" : items.Count == 0 ? "(none)" : string.Join(", ", items);
    }

    public static string JsonText(CallerResolution caller)
    {
        if (caller.Mixed is not { } mixed)
        {
            var result = caller.AwsAuthOnly!;
            var m = result.Mapping;
            return JsonOutput.Render(new ResolveJson(result.Arn, result.Canonical.Canonical, m?.Username, m?.Groups ?? [], m?.MatchedBy.Wire(), result.Failure, result.Notes), Json.ResolveJson);
        }

        var identity = mixed.AccessEntry;
        var mapping = mixed.AwsAuth?.Mapping;
        return JsonOutput.Render(
            new MixedResolveJson(
                mixed.Arn,
                mixed.Canonical.Canonical,
                identity is not null ? identity.Username : mapping?.Username,
                identity is not null ? identity.Groups : mapping?.Groups ?? [],
                identity is not null ? "accessEntry" : mapping?.MatchedBy.Wire(),
                mixed.Failure,
                mixed.Mode.Wire(),
                identity is null ? null : new AccessEntryRefJson(identity.Entry.PrincipalArn, identity.Entry.Type?.Wire()),
                identity?.Policies?.Select(AccessPolicyJson.From).ToList(),
                mixed.Notes),
            Json.MixedResolveJson);
    }

    private static string Text(ResolveResult result) =>
        Text(result.Arn, result.Canonical.Canonical, result.Mapping is not { } m ? null : sb =>
        {
            sb.Append("matched by:    ").Append(m.MatchedBy.Wire());
            if (m.Entry?.Arn is { } entryArn)
            {
                sb.Append(" (").Append(entryArn).Append(')');
            }

            sb.Append('\n');
            sb.Append("username:      ").Append(m.Username).Append('\n');
            sb.Append("groups:        ").Append(m.Groups.Count == 0 ? "(none)" : string.Join(", ", m.Groups)).Append('\n');
        }, result.Failure, NotMappedByAwsAuth, result.Notes);

    private static string Text(string arn, string canonical, Action<StringBuilder>? mapped, string? failure, string notMapped, IReadOnlyList<string> notes)
    {
        var sb = new StringBuilder();
        sb.Append("arn:           ").Append(arn).Append('\n');
        sb.Append("canonical arn: ").Append(canonical).Append('\n');
        if (mapped is not null)
        {
            mapped(sb);
        }
        else if (failure is not null)
        {
            sb.Append("rejected:      ").Append(failure).Append('\n');
        }
        else
        {
            sb.Append("not mapped:    ").Append(notMapped).Append('\n');
        }

        foreach (var note in notes)
        {
            sb.Append("note: ").Append(note).Append('\n');
        }

        return sb.ToString();
    }
}

internal sealed record ResolveJson(
    string Arn,
    string CanonicalArn,
    string? Username,
    IReadOnlyList<string>? Groups,
    string? MatchedBy,
    [property: JsonPropertyName("rejected"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rejected,
    IReadOnlyList<string> Notes);

internal sealed record MixedResolveJson(
    string Arn,
    string CanonicalArn,
    string? Username,
    IReadOnlyList<string>? Groups,
    string? MatchedBy,
    [property: JsonPropertyName("rejected"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rejected,
    string AuthenticationMode,
    AccessEntryRefJson? AccessEntry,
    IReadOnlyList<AccessPolicyJson>? AccessPolicies,
    IReadOnlyList<string> Notes);

internal sealed record AccessEntryRefJson(string PrincipalArn, string? Type);

/// <summary>An associated access policy in the EKS API's shape: <c>{"policyArn", "accessScope": {"type", "namespaces"?}}</c>.</summary>
internal sealed record AccessPolicyJson(string PolicyArn, AccessScopeJson AccessScope)
{
    public static AccessPolicyJson From(PolicyAssociation policy) =>
        new(policy.PolicyArn, new AccessScopeJson(policy.Scope.Type, policy.Scope.IsCluster ? null : policy.Scope.Namespaces));
}

internal sealed record AccessScopeJson(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Namespaces);

[JsonSerializable(typeof(ResolveJson))]
[JsonSerializable(typeof(MixedResolveJson))]
internal sealed partial class ResolveJsonContext : JsonSerializerContext;
