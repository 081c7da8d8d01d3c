using RoleMap.Arns;
using RoleMap.Diagnostics;
using RoleMap.Yaml;

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
    /// <summary>When EKS created the entry (describe-access-entry's <c>createdAt</c>), when the input gives it.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The entry's own ARN (<c>accessEntryArn</c>), whose account is the cluster's, when the input gives it.</summary>
    public string? AccessEntryArn { get; init; }

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
    private const string Expected = "the JSON of 'aws eks describe-access-entry' ({\"accessEntry\": {...}}), 'aws eks list-associated-access-policies' ({\"associatedAccessPolicies\": [...]}), 'aws eks list-access-entries' ({\"accessEntries\": [...]}), 'rolemap access-entries export -o json' or 'rolemap access-entries get -o json'";

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

    /// <summary>A set made of entries already read (or planned), merged as files are.</summary>
    public static ExistingAccessEntries Of(IEnumerable<KnownAccessEntry> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var result = new ExistingAccessEntries();
        foreach (var entry in known)
        {
            result.Merge(entry);
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
        var json = JsonInput.Reader(file);
        var set = new ExistingAccessEntries();
        foreach (var (value, path) in JsonInput.Values(json, text, Expected))
        {
            set.Read(json, value, path);
        }

        return set;
    }

    private void Read(NodeReader json, YNode node, string path)
    {
        var value = json.Mapping(node, path, Expected);
        var cluster = json.OptionalStringField(value, "clusterName", path);
        if (value.Get("accessEntry") is { } described)
        {
            ReadDescribed(json, json.Mapping(described, path + ".accessEntry", "an object"), path + ".accessEntry", cluster);
        }
        else if (value.Get("associatedAccessPolicies") is { } policies)
        {
            var principal = json.RequiredStringField(value, "principalArn", path);
            Merge(new KnownAccessEntry(principal, null, null, null, ReadPolicies(json, policies, path + ".associatedAccessPolicies"), cluster, json.At(value, path)));
        }
        else if (value.Get("associatedAccessPolicy") is { } one)
        {
            var principal = json.RequiredStringField(value, "principalArn", path);
            Merge(new KnownAccessEntry(principal, null, null, null, [ReadPolicy(json, json.Mapping(one, path + ".associatedAccessPolicy", "an object"), path + ".associatedAccessPolicy")], cluster, json.At(value, path)), addPolicies: true);
        }
        else if (value.Get("accessEntries") is { } listed)
        {
            var items = json.List(listed, path + ".accessEntries", "a list").Items;
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = path + ".accessEntries[" + i + "]";
                if (items[i] is YMapping full)
                {
                    // 'rolemap access-entries get -o json': each entry described, with its policies.
                    ReadDescribed(json, full, itemPath, cluster, policiesKnown: true);
                    var associations = full.Get("associatedAccessPolicies") is { } associated ? ReadPolicies(json, associated, itemPath + ".associatedAccessPolicies") : [];
                    Merge(new KnownAccessEntry(json.RequiredStringField(full, "principalArn", itemPath), null, null, null, associations, cluster, json.At(full, itemPath)), addPolicies: true);
                    continue;
                }

                var principal = json.String(items[i], itemPath, "a principal ARN string");
                Merge(new KnownAccessEntry(principal, null, null, null, null, cluster, json.At(items[i], itemPath)));
            }
        }
        else if (value.Get("createAccessEntry") is { } creates)
        {
            // rolemap's own export: the complete set of entries and of their policy associations.
            var items = json.List(creates, path + ".createAccessEntry", "a list").Items;
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = path + ".createAccessEntry[" + i + "]";
                ReadDescribed(json, json.Mapping(items[i], itemPath, "an object"), itemPath, cluster, policiesKnown: true);
            }

            if (value.Get("associateAccessPolicy") is { } associations)
            {
                items = json.List(associations, path + ".associateAccessPolicy", "a list").Items;
                for (var i = 0; i < items.Count; i++)
                {
                    var itemPath = path + ".associateAccessPolicy[" + i + "]";
                    ReadAssociation(json, json.Mapping(items[i], itemPath, "an object"), itemPath, cluster);
                }
            }
        }
        else if (value.Get("policyArn") is not null && value.Get("principalArn") is not null)
        {
            ReadAssociation(json, value, path, cluster);
        }
        else if (value.Get("principalArn") is not null)
        {
            ReadDescribed(json, value, path, cluster);
        }
        else
        {
            throw json.Error(value, path, "expected " + Expected);
        }
    }

    private void ReadDescribed(NodeReader json, YMapping entry, string path, string? cluster, bool policiesKnown = false)
    {
        var principal = json.RequiredStringField(entry, "principalArn", path);
        var typeText = json.OptionalStringField(entry, "type", path) ?? AccessEntryType.Standard.Wire();
        var type = AccessEntryNames.ParseType(typeText)
            ?? throw json.Error(entry, path + ".type", "unknown access entry type '" + typeText + "'; expected one of " + string.Join(", ", AccessEntryNames.TypeNames));
        var groups = json.StringListField(entry, "kubernetesGroups", path);
        var username = json.OptionalStringField(entry, "username", path);
        Merge(new KnownAccessEntry(principal, type, groups, username, policiesKnown ? [] : null, json.OptionalStringField(entry, "clusterName", path) ?? cluster, json.At(entry, path))
        {
            CreatedAt = JsonInput.OptionalTimestamp(json, entry, "createdAt", path),
            AccessEntryArn = json.OptionalStringField(entry, "accessEntryArn", path),
        });
    }

    private void ReadAssociation(NodeReader json, YMapping association, string path, string? cluster)
    {
        var principal = json.RequiredStringField(association, "principalArn", path);
        Merge(new KnownAccessEntry(principal, null, null, null, [ReadPolicy(json, association, path)], json.OptionalStringField(association, "clusterName", path) ?? cluster, json.At(association, path)), addPolicies: true);
    }

    private static List<PolicyAssociation> ReadPolicies(NodeReader json, YNode policies, string path)
    {
        var result = new List<PolicyAssociation>();
        var items = json.List(policies, path, "a list").Items;
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = path + "[" + i + "]";
            result.Add(ReadPolicy(json, json.Mapping(items[i], itemPath, "an object"), itemPath));
        }

        return result;
    }

    private static PolicyAssociation ReadPolicy(NodeReader json, YMapping policy, string path)
    {
        var arn = json.RequiredStringField(policy, "policyArn", path);
        if (AccessPolicyNames.NameFromArn(arn) is null)
        {
            throw json.Error(policy.Get("policyArn"), path + ".policyArn", "'" + arn + "' is not an access policy ARN; expected arn:PARTITION:eks::aws:cluster-access-policy/NAME, e.g. arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
        }

        var scopePath = path + ".accessScope";
        var scope = json.Mapping(policy.Get("accessScope") ?? throw json.Missing(policy, scopePath, "accessScope"), scopePath, "an object");
        var type = json.RequiredStringField(scope, "type", scopePath);
        var namespaces = json.StringListField(scope, "namespaces", scopePath);
        if (namespaces.Select(AccessPolicyNames.ScopeNamespaceProblem).OfType<string>().FirstOrDefault() is { } problem)
        {
            throw json.Error(scope, scopePath + ".namespaces", "bad namespace in the access scope: " + problem);
        }

        return type switch
        {
            "cluster" => new PolicyAssociation(arn, AccessScope.Cluster),
            "namespace" when namespaces.Count > 0 => new PolicyAssociation(arn, new AccessScope(namespaces)),
            "namespace" => throw json.Error(scope, scopePath + ".namespaces", "a namespace scope needs at least one namespace"),
            _ => throw json.Error(scope, scopePath + ".type", "unknown scope type '" + type + "'; expected cluster or namespace"),
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
            CreatedAt = entry.CreatedAt ?? known.CreatedAt,
            AccessEntryArn = entry.AccessEntryArn ?? known.AccessEntryArn,
        };
    }
}
