using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;

namespace RoleMap.AccessEntries;

/// <summary>
/// The input of CreateAccessEntry as the EKS API and <c>aws eks create-access-entry --cli-input-json</c> take it.
/// Members that are not set are left out; <see cref="ClusterName"/> too when the cluster is not named.
/// </summary>
internal sealed record CreateAccessEntryInput(
    [property: JsonPropertyName("clusterName"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClusterName,
    [property: JsonPropertyName("principalArn")] string PrincipalArn,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username,
    [property: JsonPropertyName("kubernetesGroups"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? KubernetesGroups)
{
    public static CreateAccessEntryInput From(AccessEntry entry, string? clusterName) =>
        new(clusterName, entry.PrincipalArn, entry.Type.Wire(), entry.Username, entry.KubernetesGroups.Count > 0 ? entry.KubernetesGroups : null);
}

/// <summary>The input of AssociateAccessPolicy (<c>aws eks associate-access-policy --cli-input-json</c>).</summary>
internal sealed record AssociateAccessPolicyInput(
    [property: JsonPropertyName("clusterName"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClusterName,
    [property: JsonPropertyName("principalArn")] string PrincipalArn,
    [property: JsonPropertyName("policyArn")] string PolicyArn,
    [property: JsonPropertyName("accessScope")] AccessScopeInput AccessScope)
{
    public static AssociateAccessPolicyInput From(string principalArn, PolicyAssociation policy, string? clusterName) =>
        new(clusterName, principalArn, policy.PolicyArn, new AccessScopeInput(policy.Scope.Type, policy.Scope.IsCluster ? null : policy.Scope.Namespaces));
}

/// <summary><c>{"type": "cluster"}</c> or <c>{"type": "namespace", "namespaces": [...]}</c>.</summary>
internal sealed record AccessScopeInput(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("namespaces"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Namespaces);

/// <summary>The <c>json</c> export: every request, what was not exported, and what aws-auth can lose afterwards.</summary>
internal sealed record JsonExportDocument(
    [property: JsonPropertyName("clusterName")] string? ClusterName,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("createAccessEntry")] IReadOnlyList<CreateAccessEntryInput> CreateAccessEntry,
    [property: JsonPropertyName("associateAccessPolicy")] IReadOnlyList<AssociateAccessPolicyInput> AssociateAccessPolicy,
    [property: JsonPropertyName("notExported")] IReadOnlyList<NotExportedEntry> NotExported,
    [property: JsonPropertyName("deleteFromAwsAuthAfterCreate")] IReadOnlyList<string> DeleteFromAwsAuthAfterCreate);

/// <summary>An entry that needs attention, and why.</summary>
internal sealed record NotExportedEntry(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("written")] string Written,
    [property: JsonPropertyName("findings")] IReadOnlyList<NotExportedFinding> Findings);

internal sealed record NotExportedFinding(
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("fix"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Fix);

/// <summary>The API inputs' JSON, by source generation (no reflection, NativeAOT-safe).</summary>
[JsonSerializable(typeof(JsonExportDocument))]
[JsonSerializable(typeof(CreateAccessEntryInput))]
[JsonSerializable(typeof(AssociateAccessPolicyInput))]
internal sealed partial class ApiInputJsonContext : JsonSerializerContext
{
    /// <summary>A file: indented, non-ASCII kept readable.</summary>
    public static ApiInputJsonContext Indented { get; } = new(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" });

    /// <summary>One line for a shell word: the default encoder escapes quotes, '&lt;', '&gt;', '&amp;' and non-ASCII, so nothing in it needs the shell.</summary>
    public static ApiInputJsonContext Compact { get; } = new(new JsonSerializerOptions());
}
