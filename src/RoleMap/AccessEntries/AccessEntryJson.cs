using System.Text.Json;

namespace RoleMap.AccessEntries;

/// <summary>Access entry values in the EKS API's JSON shapes, for every writer of them.</summary>
public static class AccessEntryJson
{
    /// <summary><c>{"type": "cluster"}</c> or <c>{"type": "namespace", "namespaces": [...]}</c>.</summary>
    public static void WriteScope(Utf8JsonWriter writer, string name, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scope);
        writer.WriteStartObject(name);
        writer.WriteString("type", scope.Type);
        if (!scope.IsCluster)
        {
            writer.WriteStartArray("namespaces");
            foreach (var ns in scope.Namespaces)
            {
                writer.WriteStringValue(ns);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>A list of associated policies: <c>[{"policyArn": ..., "accessScope": {...}}]</c>.</summary>
    public static void WritePolicies(Utf8JsonWriter writer, string name, IEnumerable<PolicyAssociation> policies)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(policies);
        writer.WriteStartArray(name);
        foreach (var policy in policies)
        {
            writer.WriteStartObject();
            writer.WriteString("policyArn", policy.PolicyArn);
            WriteScope(writer, "accessScope", policy.Scope);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
