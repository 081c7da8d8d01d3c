using RoleMap.Diagnostics;

namespace RoleMap.Rbac;

/// <summary>
/// One rule of a Role or ClusterRole (<c>rbac.authorization.k8s.io/v1 PolicyRule</c>). Lists keep their order;
/// equality is element by element, as the aggregation controller's semantic equality compares rules
/// (a missing list and an empty list are equal).
/// </summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    /// <summary>A resource rule.</summary>
    public static PolicyRule ForResources(IReadOnlyList<string> verbs, IReadOnlyList<string> apiGroups, IReadOnlyList<string> resources, IReadOnlyList<string>? resourceNames = null) =>
        new(verbs, apiGroups, resources, resourceNames ?? [], []);

    /// <summary>A non-resource rule.</summary>
    public static PolicyRule ForUrls(IReadOnlyList<string> verbs, IReadOnlyList<string> urls) => new(verbs, [], [], [], urls);

    public bool Equals(PolicyRule? other) =>
        other is not null
        && Verbs.SequenceEqual(other.Verbs, StringComparer.Ordinal)
        && ApiGroups.SequenceEqual(other.ApiGroups, StringComparer.Ordinal)
        && Resources.SequenceEqual(other.Resources, StringComparer.Ordinal)
        && ResourceNames.SequenceEqual(other.ResourceNames, StringComparer.Ordinal)
        && NonResourceUrls.SequenceEqual(other.NonResourceUrls, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var list in (IReadOnlyList<string>[])[Verbs, ApiGroups, Resources, ResourceNames, NonResourceUrls])
        {
            hash.Add(list.Count);
            foreach (var item in list)
            {
                hash.Add(item, StringComparer.Ordinal);
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>A short readable form: <c>get,list pods, pods/log</c>, <c>* *.*</c>, <c>get /healthz</c>.</summary>
    public override string ToString() => RuleText.Describe(this);
}

/// <summary>The kinds of subject a binding can name. Anything else is kept as written and never matches.</summary>
public static class SubjectKinds
{
    public const string User = "User";
    public const string Group = "Group";
    public const string ServiceAccount = "ServiceAccount";
}

/// <summary>A subject of a binding, as written (a ServiceAccount's empty namespace is not filled in here).</summary>
public sealed record Subject(string Kind, string Name, string? Namespace = null, string? ApiGroup = null)
{
    public static Subject User(string name) => new(SubjectKinds.User, name);

    public static Subject Group(string name) => new(SubjectKinds.Group, name);

    public static Subject ServiceAccount(string ns, string name) => new(SubjectKinds.ServiceAccount, name, ns);

    /// <summary><c>User alice</c>, <c>Group dev</c>, <c>ServiceAccount kube-system/default</c>.</summary>
    public override string ToString() => Kind == SubjectKinds.ServiceAccount
        ? Kind + " " + (string.IsNullOrEmpty(Namespace) ? string.Empty : Namespace + "/") + Name
        : Kind + " " + Name;
}

/// <summary>The role a binding grants. Only <see cref="Kind"/> and <see cref="Name"/> are used by the authorizer.</summary>
public sealed record RoleRef(string Kind, string Name, string ApiGroup = RoleRef.RbacGroup)
{
    public const string RbacGroup = "rbac.authorization.k8s.io";

    public override string ToString() => Kind + " " + Name;
}

/// <summary>A label selector requirement (<c>matchExpressions</c> item).</summary>
public sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values);

/// <summary>A Kubernetes label selector: every matchLabels pair and every requirement must hold; an empty selector selects everything.</summary>
public sealed record LabelSelector(IReadOnlyList<KeyValuePair<string, string>> MatchLabels, IReadOnlyList<LabelRequirement> MatchExpressions)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var pair in MatchLabels)
        {
            if (!labels.TryGetValue(pair.Key, out var value) || !string.Equals(value, pair.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var requirement in MatchExpressions)
        {
            var present = labels.TryGetValue(requirement.Key, out var value);
            var holds = requirement.Operator switch
            {
                "In" => present && requirement.Values.Contains(value!, StringComparer.Ordinal),
                "NotIn" => !present || !requirement.Values.Contains(value!, StringComparer.Ordinal),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString()
    {
        var parts = MatchLabels.Select(p => p.Key + "=" + p.Value)
            .Concat(MatchExpressions.Select(e => e.Operator switch
            {
                "Exists" => e.Key,
                "DoesNotExist" => "!" + e.Key,
                _ => e.Key + " " + e.Operator.ToLowerInvariant() + " (" + string.Join(",", e.Values) + ")",
            }))
            .ToList();
        return parts.Count == 0 ? "(everything)" : string.Join(",", parts);
    }
}

/// <summary>Where an RBAC object came from: an input file and document, a live cluster, or the built-in defaults.</summary>
public sealed record ObjectSource(string Origin, int? Document = null, int? Line = null, bool IsDefault = false)
{
    public static ObjectSource Default(string version) => new("built-in default (Kubernetes " + version + ")", IsDefault: true);

    public SourceLocation Location(string? path = null) => new(Origin, Line, null, path);

    public override string ToString() => IsDefault || Line is null ? Origin : Origin + ":" + Line.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Common shape of the four RBAC kinds.</summary>
public abstract record RbacObject(string Name, string Namespace, ObjectSource Source)
{
    public abstract string Kind { get; }

    /// <summary><c>ClusterRole dev</c> or <c>RoleBinding apiteam/dev</c>.</summary>
    public string Display => Kind + " " + (Namespace.Length == 0 ? Name : Namespace + "/" + Name);
}

/// <summary>A namespaced Role.</summary>
public sealed record Role(string Name, string Namespace, IReadOnlyList<PolicyRule> Rules, ObjectSource Source) : RbacObject(Name, Namespace, Source)
{
    public override string Kind => "Role";
}

/// <summary>A ClusterRole; <see cref="AggregationSelectors"/> is non-null when it has an aggregationRule.</summary>
public sealed record ClusterRole(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<PolicyRule> Rules,
    IReadOnlyList<LabelSelector>? AggregationSelectors,
    ObjectSource Source) : RbacObject(Name, string.Empty, Source)
{
    public override string Kind => "ClusterRole";

    public bool IsAggregated => AggregationSelectors is not null;
}

/// <summary>Common shape of RoleBinding and ClusterRoleBinding.</summary>
public abstract record Binding(string Name, string Namespace, RoleRef RoleRef, IReadOnlyList<Subject> Subjects, ObjectSource Source) : RbacObject(Name, Namespace, Source);

/// <summary>A RoleBinding: grants its role only for requests in its own namespace.</summary>
public sealed record RoleBinding(string Name, string Namespace, RoleRef RoleRef, IReadOnlyList<Subject> Subjects, ObjectSource Source)
    : Binding(Name, Namespace, RoleRef, Subjects, Source)
{
    public override string Kind => "RoleBinding";
}

/// <summary>A ClusterRoleBinding: grants its ClusterRole everywhere, including cluster scope.</summary>
public sealed record ClusterRoleBinding(string Name, RoleRef RoleRef, IReadOnlyList<Subject> Subjects, ObjectSource Source)
    : Binding(Name, string.Empty, RoleRef, Subjects, Source)
{
    public override string Kind => "ClusterRoleBinding";
}

/// <summary>The RBAC objects read from one or more inputs, with what was noticed while reading them.</summary>
public sealed record RbacObjects(
    IReadOnlyList<Role> Roles,
    IReadOnlyList<ClusterRole> ClusterRoles,
    IReadOnlyList<RoleBinding> RoleBindings,
    IReadOnlyList<ClusterRoleBinding> ClusterRoleBindings,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    public static RbacObjects Empty { get; } = new([], [], [], [], []);

    public int Count => Roles.Count + ClusterRoles.Count + RoleBindings.Count + ClusterRoleBindings.Count;
}
