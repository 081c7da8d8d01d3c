using System.Text.Json;
using RoleMap.Arns;
using RoleMap.Diagnostics;

namespace RoleMap.AccessEntries;

/// <summary>
/// An access entry that exists on a cluster, as far as the given JSON tells: <c>describe-access-entry</c> gives the
/// type, groups and username; <c>list-associated-access-policies</c> gives the policies; <c>list-access-entries</c>
/// only that the entry exists. Null members are not known.
/// </summary>
public sealed record KnownAccessEntry(
    string PrincipalArn,
    AccessEntryType? Type,
    IReadOnlyList<string>? KubernetesGroups,
    string? Username,
    IReadOnlyList<PolicyAssociation>? Policies,
    string? ClusterName,
    SourceLocation Location)
{
    /// <summary>True when the type, groups and username are known (describe-access-entry output).</summary>
    public bool Described => Type is not null;

    /// <summary>The username in effect: the one set, or the one EKS generates.</summary>
    public string? EffectiveUsername => Username ?? (Type is { } type ? AccessEntryRules.GeneratedUsername(PrincipalArn, type) : null);
}

/// <summary>
/// Access entries read from the JSON of <c>aws eks describe-access-entry</c>, <c>list-associated-access-policies</c>,
/// <c>associate-access-policy</c>, <c>list-access-entries</c>, the input shapes of create-access-entry and
/// associate-access-policy, or rolemap's own <c>access-entries export -o json</c>; one or several in a file.
/// Entries are matched to callers the way the authenticator's access-entry backend does it: the principal ARN with
/// its role path removed, ignoring case, against the caller's canonical ARN.
/// </summary>
public sealed class ExistingAccessEntries
{
    private const string Expected = "the JSON of 'aws eks describe-access-entry' ({\"accessEntry\": {...}}), 'aws eks list-associated-access-policies' ({\"associatedAccessPolicies\": [...]}), 'aws eks list-access-entries' ({\"accessEntries\": [...]}) or 'rolemap access-entries export -o json'";

    private readonly Dictionary<string, KnownAccessEntry> entries = new(StringComparer.OrdinalIgnoreCase);

    public static ExistingAccessEntries Empty { get; } = new();

    /// <summary>The entries, in the order first seen.</summary>
    public IReadOnlyList<KnownAccessEntry> Entries => [.. entries.Values];

    /// <summary>Every cluster name the input mentions.</summary>
    public IReadOnlyList<string> ClusterNames => [.. entries.Values.Select(e => e.ClusterName).OfType<string>().Distinct(StringComparer.Ordinal)];

    public static ExistingAccessEntries Parse(string text, string? file) => Combine([ParseOne(text, file)]);

    public static ExistingAccessEntries Combine(IEnumerable<ExistingAccessEntries> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var result = new ExistingAccessEntries();
        foreach (var set in sets)
        {
            foreach (var entry in set.entries.Values)
            {
                result.Merge(entry);
            }
        }

        return result;
    }

    /// <summary>The entry for a caller's canonical ARN (or any ARN of the principal, path or not), if there is one.</summary>
    public KnownAccessEntry? Find(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var key = MatchKey(arn);
        return entries.Values.FirstOrDefault(e => string.Equals(MatchKey(e.PrincipalArn), key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The authenticator's access-entry comparison key: StripPath, lower case (pkg/mapper/dynamicfile).</summary>
    public static string MatchKey(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        return (Canonicalizer.StripPath(arn, out _) ?? arn).ToLowerInvariant();
    }

    private static ExistingAccessEntries ParseOne(string text, string? file)
    {
        var json = new JsonInput(file);
        var set = new ExistingAccessEntries();
        foreach (var (value, path) in json.Values(text, Expected))
        {
            set.Read(json, value, path);
        }

        return set;
    }

    private void Read(JsonInput json, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw json.Error(path, "expected " + Expected + ", found " + JsonInput.Describe(value));
        }

        var cluster = json.OptionalString(value, "clusterName", path);
        if (value.TryGetProperty("accessEntry", out var described))
        {
            ReadDescribed(json, Object(json, described, path + ".accessEntry"), path + ".accessEntry", cluster);
        }
        else if (value.TryGetProperty("associatedAccessPolicies", out var policies))
        {
            var principal = json.RequiredString(value, "principalArn", path);
            Merge(new KnownAccessEntry(principal, null, null, null, ReadPolicies(json, policies, path + ".associatedAccessPolicies"), cluster, new SourceLocation(json.File, Path: path)));
        }
        else if (value.TryGetProperty("associatedAccessPolicy", out var one))
        {
            var principal = json.RequiredString(value, "principalArn", path);
            Merge(new KnownAccessEntry(principal, null, null, null, [ReadPolicy(json, Object(json, one, path + ".associatedAccessPolicy"), path + ".associatedAccessPolicy")], cluster, new SourceLocation(json.File, Path: path)), addPolicies: true);
        }
        else if (value.TryGetProperty("accessEntries", out var listed))
        {
            var i = 0;
            foreach (var arn in Array(json, listed, path + ".accessEntries"))
            {
                var itemPath = path + ".accessEntries[" + i++ + "]";
                var principal = arn.ValueKind == JsonValueKind.String ? arn.GetString()! : throw json.Error(itemPath, "expected a principal ARN string, found " + JsonInput.Describe(arn));
                Merge(new KnownAccessEntry(principal, null, null, null, null, cluster, new SourceLocation(json.File, Path: itemPath)));
            }
        }
        else if (value.TryGetProperty("createAccessEntry", out var creates))
        {
            // rolemap's own export: the complete set of entries and of their policy associations.
            var i = 0;
            foreach (var create in Array(json, creates, path + ".createAccessEntry"))
            {
                var itemPath = path + ".createAccessEntry[" + i++ + "]";
                ReadDescribed(json, Object(json, create, itemPath), itemPath, cluster, policiesKnown: true);
            }

            if (value.TryGetProperty("associateAccessPolicy", out var associations))
            {
                i = 0;
                foreach (var association in Array(json, associations, path + ".associateAccessPolicy"))
                {
                    ReadAssociation(json, Object(json, association, path + ".associateAccessPolicy[" + i + "]"), path + ".associateAccessPolicy[" + i++ + "]", cluster);
                }
            }
        }
        else if (value.TryGetProperty("policyArn", out _) && value.TryGetProperty("principalArn", out _))
        {
            ReadAssociation(json, value, path, cluster);
        }
        else if (value.TryGetProperty("principalArn", out _))
        {
            ReadDescribed(json, value, path, cluster);
        }
        else
        {
            throw json.Error(path, "expected " + Expected);
        }
    }

    private void ReadDescribed(JsonInput json, JsonElement entry, string path, string? cluster, bool policiesKnown = false)
    {
        var principal = json.RequiredString(entry, "principalArn", path);
        var typeText = json.OptionalString(entry, "type", path) ?? AccessEntryType.Standard.Wire();
        var type = AccessEntryNames.ParseType(typeText)
            ?? throw json.Error(path + ".type", "unknown access entry type '" + typeText + "'; expected one of " + string.Join(", ", AccessEntryNames.TypeNames));
        var groups = json.OptionalStrings(entry, "kubernetesGroups", path) ?? [];
        var username = json.OptionalString(entry, "username", path);
        Merge(new KnownAccessEntry(principal, type, groups, username, policiesKnown ? [] : null, json.OptionalString(entry, "clusterName", path) ?? cluster, new SourceLocation(json.File, Path: path)));
    }

    private void ReadAssociation(JsonInput json, JsonElement association, string path, string? cluster)
    {
        var principal = json.RequiredString(association, "principalArn", path);
        Merge(new KnownAccessEntry(principal, null, null, null, [ReadPolicy(json, association, path)], json.OptionalString(association, "clusterName", path) ?? cluster, new SourceLocation(json.File, Path: path)), addPolicies: true);
    }

    private static List<PolicyAssociation> ReadPolicies(JsonInput json, JsonElement policies, string path)
    {
        var result = new List<PolicyAssociation>();
        var i = 0;
        foreach (var policy in Array(json, policies, path))
        {
            var itemPath = path + "[" + i++ + "]";
            result.Add(ReadPolicy(json, Object(json, policy, itemPath), itemPath));
        }

        return result;
    }

    private static PolicyAssociation ReadPolicy(JsonInput json, JsonElement policy, string path)
    {
        var arn = json.RequiredString(policy, "policyArn", path);
        if (!policy.TryGetProperty("accessScope", out var scope))
        {
            throw json.Error(path + ".accessScope", "missing 'accessScope'");
        }

        var scopePath = path + ".accessScope";
        Object(json, scope, scopePath);
        var type = json.RequiredString(scope, "type", scopePath);
        var namespaces = json.OptionalStrings(scope, "namespaces", scopePath) ?? [];
        return type switch
        {
            "cluster" => new PolicyAssociation(arn, AccessScope.Cluster),
            "namespace" when namespaces.Count > 0 => new PolicyAssociation(arn, new AccessScope(namespaces)),
            "namespace" => throw json.Error(scopePath + ".namespaces", "a namespace scope needs at least one namespace"),
            _ => throw json.Error(scopePath + ".type", "unknown scope type '" + type + "'; expected cluster or namespace"),
        };
    }

    private void Merge(KnownAccessEntry entry, bool addPolicies = false)
    {
        var key = entry.PrincipalArn;
        if (!entries.TryGetValue(key, out var known))
        {
            entries[key] = entry;
            return;
        }

        var policies = entry.Policies;
        if (addPolicies && known.Policies is not null && entry.Policies is not null)
        {
            // Associating the same policy again replaces its scope.
            policies = [.. known.Policies.Where(p => entry.Policies.All(n => n.PolicyArn != p.PolicyArn)), .. entry.Policies];
        }

        entries[key] = known with
        {
            Type = entry.Type ?? known.Type,
            KubernetesGroups = entry.KubernetesGroups ?? known.KubernetesGroups,
            Username = entry.Described ? entry.Username : known.Username,
            Policies = policies ?? known.Policies,
            ClusterName = entry.ClusterName ?? known.ClusterName,
        };
    }

    private static JsonElement Object(JsonInput json, JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object ? value : throw json.Error(path, "expected an object, found " + JsonInput.Describe(value));

    private static JsonElement.ArrayEnumerator Array(JsonInput json, JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw json.Error(path, "expected a list, found " + JsonInput.Describe(value));
}
