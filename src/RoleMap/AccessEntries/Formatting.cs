using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RoleMap.AccessEntries;

/// <summary>Small helpers the exporters share: the EKS API's JSON shapes of an entry, a policy association and a scope, and resource names.</summary>
internal static class Formatting
{
    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

    /// <summary><c>{"type": "cluster"}</c> or <c>{"type": "namespace", "namespaces": [...]}</c>.</summary>
    public static void WriteScope(Utf8JsonWriter writer, string name, AccessScope scope)
    {
        writer.WriteStartObject(name);
        writer.WriteString("type", scope.Type);
        if (!scope.IsCluster)
        {
            WriteStrings(writer, "namespaces", scope.Namespaces);
        }

        writer.WriteEndObject();
    }

    /// <summary>The members of a CreateAccessEntry input, cluster name aside.</summary>
    public static void WriteCreateInput(Utf8JsonWriter writer, AccessEntry entry)
    {
        writer.WriteString("principalArn", entry.PrincipalArn);
        writer.WriteString("type", entry.Type.Wire());
        if (entry.Username is not null)
        {
            writer.WriteString("username", entry.Username);
        }

        if (entry.KubernetesGroups.Count > 0)
        {
            WriteStrings(writer, "kubernetesGroups", entry.KubernetesGroups);
        }
    }

    /// <summary>The members of an AssociateAccessPolicy input, cluster name aside.</summary>
    public static void WriteAssociateInput(Utf8JsonWriter writer, string principalArn, PolicyAssociation policy)
    {
        writer.WriteString("principalArn", principalArn);
        writer.WriteString("policyArn", policy.PolicyArn);
        WriteScope(writer, "accessScope", policy.Scope);
    }

    /// <summary>Lower-case words of a name joined by '_' (for Terraform), or capitalised and joined (for CloudFormation).</summary>
    public static string Identifier(string text, bool pascal)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return pascal
            ? string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]))
            : string.Join('_', words).ToLowerInvariant();
    }

    /// <summary>Returns <paramref name="name"/>, or it with a numeric suffix, so that it is not yet in <paramref name="taken"/>.</summary>
    public static string Unique(string name, HashSet<string> taken, string separator)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            candidate = name + separator + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>"role" or "user" and the principal's name, for resource names.</summary>
    public static (string Kind, string Name) PrincipalWords(string principalArn)
    {
        var parsed = Arns.IamArn.Parse(principalArn, out _);
        return parsed is null ? ("principal", principalArn) : (parsed.Kind == Arns.IamArnKind.User ? "user" : "role", parsed.Name);
    }
}
