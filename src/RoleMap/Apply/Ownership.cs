using System.Text;
using System.Text.Json;

namespace RoleMap.Apply;

/// <summary>
/// The entries rolemap wrote declaratively (by <c>apply</c>) and therefore may remove again when a later spec no
/// longer lists them. ARNs compare ignoring case, as the authenticator matches them.
/// </summary>
public sealed record OwnedEntries(IReadOnlyList<string> Roles, IReadOnlyList<string> Users, IReadOnlyList<string> Accounts)
{
    public static OwnedEntries None { get; } = new([], [], []);

    public bool IsEmpty => Roles.Count == 0 && Users.Count == 0 && Accounts.Count == 0;

    public bool OwnsRole(string? arn) => arn is not null && Roles.Contains(arn, StringComparer.OrdinalIgnoreCase);

    public bool OwnsUser(string? arn) => arn is not null && Users.Contains(arn, StringComparer.OrdinalIgnoreCase);

    public bool OwnsAccount(string account) => Accounts.Contains(account, StringComparer.Ordinal);

    /// <summary>Drops one ARN (a removed entry is no longer owned).</summary>
    public OwnedEntries Without(string list, string arn) => list switch
    {
        AwsAuth.AwsAuthRenderer.MapRoles => this with { Roles = [.. Roles.Where(r => !r.Equals(arn, StringComparison.OrdinalIgnoreCase))] },
        AwsAuth.AwsAuthRenderer.MapUsers => this with { Users = [.. Users.Where(r => !r.Equals(arn, StringComparison.OrdinalIgnoreCase))] },
        _ => this with { Accounts = [.. Accounts.Where(a => a != arn)] },
    };
}

/// <summary>
/// Reads and writes the ownership annotation on aws-auth: a JSON object of the ARNs (and accounts) rolemap manages,
/// <c>{"mapRoles":[...],"mapUsers":[...],"mapAccounts":[...]}</c>, sorted so that the value is stable.
/// </summary>
public static class Ownership
{
    public const string Annotation = "rolemap/owned-entries";

    /// <summary>The owned entries recorded in <paramref name="annotations"/>; <paramref name="problem"/> says why an unreadable value was ignored.</summary>
    public static OwnedEntries Read(IReadOnlyList<KeyValuePair<string, string>> annotations, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        problem = null;
        var value = annotations.LastOrDefault(a => a.Key == Annotation).Value;
        return value is null ? OwnedEntries.None : Parse(value, out problem);
    }

    /// <summary>Parses an annotation value. Unreadable values own nothing, so nothing is removed because of them.</summary>
    public static OwnedEntries Parse(string value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "the annotation " + Annotation + " is not a JSON object; rolemap treats no entry as its own";
                return OwnedEntries.None;
            }

            return new OwnedEntries(Strings(document.RootElement, "mapRoles"), Strings(document.RootElement, "mapUsers"), Strings(document.RootElement, "mapAccounts"));
        }
        catch (JsonException ex)
        {
            problem = "the annotation " + Annotation + " is not valid JSON (" + ex.Message + "); rolemap treats no entry as its own";
            return OwnedEntries.None;
        }
    }

    public static string Format(OwnedEntries owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            Write(json, "mapRoles", owned.Roles);
            Write(json, "mapUsers", owned.Users);
            Write(json, "mapAccounts", owned.Accounts);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Annotations with the ownership value set (or removed when nothing is owned), other annotations untouched and in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> WithOwnership(IReadOnlyList<KeyValuePair<string, string>> annotations, OwnedEntries owned)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(owned);
        var result = annotations.Where(a => a.Key != Annotation).ToList();
        if (!owned.IsEmpty)
        {
            result.Add(new(Annotation, Format(owned)));
        }

        return result;
    }

    private static void Write(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static List<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}
