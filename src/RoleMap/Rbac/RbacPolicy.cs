using RoleMap.Diagnostics;

namespace RoleMap.Rbac;

/// <summary>A rule a binding grants, with where it comes from.</summary>
/// <param name="Index">The rule's position in the role (0-based).</param>
public sealed record GrantedRule(Binding Binding, RbacObject Role, int Index, PolicyRule Rule)
{
    /// <summary><c>ClusterRoleBinding dev -> ClusterRole dev, rule 0: get,list,update pods</c>.</summary>
    public override string ToString() => Binding.Display + " -> " + Role.Display + ", rule " + Index + ": " + Rule;
}

/// <summary>A binding whose role does not exist (or cannot be referenced): it grants nothing, and evaluation goes on.</summary>
public sealed record DanglingBinding(Binding Binding, string Error)
{
    public override string ToString() => Binding.Display + ": " + Error;
}

/// <summary>
/// The RBAC state rolemap evaluates against: the objects (with the defaults unless turned off), aggregated
/// ClusterRoles computed, and bindings indexed by subject so that a user's bindings are found without scanning
/// every binding. Build once, query many times; instances are immutable.
/// </summary>
public sealed partial class RbacPolicy
{
    private readonly Dictionary<string, ClusterRole> clusterRoles;
    private readonly Dictionary<(string Namespace, string Name), Role> roles;
    private readonly BindingIndex<ClusterRoleBinding> clusterIndex;
    private readonly Dictionary<string, BindingIndex<RoleBinding>> namespaceIndex;
    private readonly Lazy<AcrossNamespaces> acrossNamespaces;

    private RbacPolicy(RbacObjects objects, IReadOnlyList<ClusterRole> aggregated, IReadOnlyList<Diagnostic> diagnostics, bool includesDefaults)
    {
        Objects = objects;
        Diagnostics = diagnostics;
        IncludesDefaults = includesDefaults;
        ClusterRoles = aggregated;
        clusterRoles = aggregated.ToDictionary(r => r.Name, StringComparer.Ordinal);
        roles = objects.Roles.ToDictionary(r => (r.Namespace, r.Name));
        clusterIndex = new BindingIndex<ClusterRoleBinding>(objects.ClusterRoleBindings, string.Empty);
        namespaceIndex = objects.RoleBindings
            .GroupBy(b => b.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new BindingIndex<RoleBinding>([.. g], g.Key), StringComparer.Ordinal);
        acrossNamespaces = new(() => new AcrossNamespaces(namespaceIndex));
    }

    /// <summary>The objects evaluated (ClusterRoles as read, before aggregation).</summary>
    public RbacObjects Objects { get; }

    /// <summary>ClusterRoles with aggregated rules computed.</summary>
    public IReadOnlyList<ClusterRole> ClusterRoles { get; }

    /// <summary>ClusterRoleBindings in evaluation order (by name).</summary>
    public IReadOnlyList<ClusterRoleBinding> ClusterRoleBindings => clusterIndex.Bindings;

    /// <summary>Namespaces that have RoleBindings.</summary>
    public IEnumerable<string> BindingNamespaces => namespaceIndex.Keys.Order(StringComparer.Ordinal);

    /// <summary>RoleBindings of one namespace in evaluation order (by name).</summary>
    public IReadOnlyList<RoleBinding> RoleBindingsIn(string ns) => namespaceIndex.TryGetValue(ns, out var index) ? index.Bindings : [];

    /// <summary>Whether the Kubernetes defaults were added.</summary>
    public bool IncludesDefaults { get; }

    /// <summary>What was noticed while reading and aggregating, and bindings that refer to missing roles.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Builds the policy from objects read from input; adds the Kubernetes defaults unless told not to.</summary>
    public static RbacPolicy Build(RbacObjects input, bool includeDefaults = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        var objects = includeDefaults ? BootstrapPolicy.AddTo(input) : input;
        var aggregation = Aggregation.Compute(objects.ClusterRoles);
        var diagnostics = new List<Diagnostic>(input.Diagnostics);
        diagnostics.AddRange(aggregation.Diagnostics);
        var policy = new RbacPolicy(objects, aggregation.ClusterRoles, diagnostics, includeDefaults);
        foreach (var binding in objects.ClusterRoleBindings.Cast<Binding>().Concat(objects.RoleBindings))
        {
            if (policy.ResolveRole(binding).Error is { } error)
            {
                diagnostics.Add(new Diagnostic("rbac-missing-role", Severity.Warning, binding.Display + " refers to " + binding.RoleRef + ", which " + error + "; the binding grants nothing", binding.Source.Location("roleRef")));
            }
        }

        return policy;
    }

    public ClusterRole? FindClusterRole(string name) => clusterRoles.GetValueOrDefault(name);

    public Role? FindRole(string ns, string name) => roles.GetValueOrDefault((ns, name));

    /// <summary>
    /// <c>GetRoleReferenceRules</c>: a RoleBinding's Role is looked up in the binding's namespace (a
    /// ClusterRoleBinding's in namespace "", so never found); any other kind is unsupported.
    /// </summary>
    public (RbacObject? Role, IReadOnlyList<PolicyRule> Rules, string? Error) ResolveRole(Binding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        switch (binding.RoleRef.Kind)
        {
            case "Role":
                return roles.TryGetValue((binding.Namespace, binding.RoleRef.Name), out var role)
                    ? (role, role.Rules, null)
                    : (null, [], binding.Namespace.Length == 0 ? "a ClusterRoleBinding cannot use (a Role has a namespace)" : "does not exist in namespace " + binding.Namespace);
            case "ClusterRole":
                return clusterRoles.TryGetValue(binding.RoleRef.Name, out var clusterRole)
                    ? (clusterRole, clusterRole.Rules, null)
                    : (null, [], "does not exist");
            default:
                return (null, [], "is not a supported role reference kind");
        }
    }

    /// <summary>
    /// <c>appliesTo</c> (pkg/registry/rbac/validation/rule.go): the index of the first subject that matches the user,
    /// or -1. A ServiceAccount subject without a namespace means the evaluation namespace (never matches at cluster
    /// scope).
    /// </summary>
    public static int AppliesTo(UserInfo user, IReadOnlyList<Subject> subjects, string ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(subjects);
        for (var i = 0; i < subjects.Count; i++)
        {
            if (SubjectKey(subjects[i], ns) is { } key && key.Matches(user))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The one string a subject matches on: <c>U:name</c> for users and ServiceAccounts (by username), <c>G:name</c> for groups; null when it matches no one.</summary>
    internal static SubjectName? SubjectKey(Subject subject, string evaluationNamespace)
    {
        switch (subject.Kind)
        {
            case SubjectKinds.User:
                return new(false, subject.Name);
            case SubjectKinds.Group:
                return new(true, subject.Name);
            case SubjectKinds.ServiceAccount:
                var ns = string.IsNullOrEmpty(subject.Namespace) ? evaluationNamespace : subject.Namespace;
                return ns.Length == 0 ? null : new(false, Identities.ServiceAccountUsername(ns, subject.Name));
            default:
                return null;
        }
    }

    /// <summary>
    /// What a subject matches: a user name (a service account's is <c>system:serviceaccount:NS:NAME</c>) or a group
    /// name. A pair rather than a prefixed string: the indexes hold one per subject of every binding.
    /// </summary>
    internal readonly record struct SubjectName(bool IsGroup, string Name)
    {
        public bool Matches(UserInfo user) => IsGroup ? user.InGroup(Name) : string.Equals(Name, user.Name, StringComparison.Ordinal);
    }

    /// <summary>Bindings of one scope, in evaluation order, indexed by the subject keys they name.</summary>
    private sealed class BindingIndex<T>
        where T : Binding
    {
        private readonly Dictionary<SubjectName, List<int>> bySubject = [];

        public BindingIndex(IEnumerable<T> bindings, string ns)
        {
            Bindings = [.. bindings.OrderBy(b => b.Name, StringComparer.Ordinal)];
            for (var i = 0; i < Bindings.Count; i++)
            {
                var subjects = Bindings[i].Subjects;
                for (var s = 0; s < subjects.Count; s++) // by index: a foreach over the interface allocates an enumerator per binding
                {
                    if (SubjectKey(subjects[s], ns) is { } key)
                    {
                        if (!bySubject.TryGetValue(key, out var list))
                        {
                            bySubject[key] = list = [];
                        }

                        if (list.Count == 0 || list[^1] != i)
                        {
                            list.Add(i);
                        }
                    }
                }
            }
        }

        public List<T> Bindings { get; }

        /// <summary>Per subject key, the positions in <see cref="Bindings"/> of the bindings that name it, ascending.</summary>
        public IReadOnlyDictionary<SubjectName, List<int>> BySubject => bySubject;

        /// <summary>The bindings that apply to the user, in evaluation order.</summary>
        public IEnumerable<T> For(UserInfo user) => Hits(bySubject, user).Select(i => Bindings[i]);
    }

    /// <summary>The positions indexed under the user's subject keys (its name, each of its groups), ascending, each once.</summary>
    private static List<TPosition> Hits<TPosition>(Dictionary<SubjectName, List<TPosition>> bySubject, UserInfo user)
        where TPosition : IEquatable<TPosition>, IComparable<TPosition>
    {
        var hits = new List<TPosition>();
        if (bySubject.TryGetValue(new(false, user.Name), out var byName))
        {
            hits.AddRange(byName);
        }

        foreach (var group in user.Groups)
        {
            if (bySubject.TryGetValue(new(true, group), out var byGroup))
            {
                hits.AddRange(byGroup);
            }
        }

        hits.Sort();
        var unique = 0;
        for (var i = 0; i < hits.Count; i++)
        {
            if (unique == 0 || !hits[i].Equals(hits[unique - 1]))
            {
                hits[unique++] = hits[i];
            }
        }

        hits.RemoveRange(unique, hits.Count - unique);
        return hits;
    }

    /// <summary>
    /// The namespaces' binding indexes merged by subject key, so that a user's RoleBindings in every namespace are
    /// found without visiting each namespace: per key, (namespace rank in ordinal order, position in its index).
    /// </summary>
    private sealed class AcrossNamespaces
    {
        private readonly Dictionary<SubjectName, List<(int Namespace, int Binding)>> bySubject = [];

        public AcrossNamespaces(Dictionary<string, BindingIndex<RoleBinding>> namespaceIndex)
        {
            Namespaces = [.. namespaceIndex.Keys.Order(StringComparer.Ordinal)];
            Indexes = [.. Namespaces.Select(ns => namespaceIndex[ns])];
            for (var rank = 0; rank < Indexes.Count; rank++)
            {
                foreach (var (key, positions) in Indexes[rank].BySubject)
                {
                    if (!bySubject.TryGetValue(key, out var list))
                    {
                        bySubject[key] = list = [];
                    }

                    list.AddRange(positions.Select(position => (rank, position)));
                }
            }
        }

        public List<string> Namespaces { get; }

        public List<BindingIndex<RoleBinding>> Indexes { get; }

        /// <summary>The (namespace rank, position) of every RoleBinding that applies to the user, in that order, each once.</summary>
        public List<(int Namespace, int Binding)> For(UserInfo user) => Hits(bySubject, user);
    }
}
