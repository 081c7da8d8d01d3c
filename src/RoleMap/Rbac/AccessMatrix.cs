namespace RoleMap.Rbac;

/// <summary>One cell of an access matrix.</summary>
public enum Access
{
    /// <summary>Denied.</summary>
    None,

    /// <summary>Allowed only for named objects (rules with resourceNames): a request naming one of them is allowed.</summary>
    Named,

    /// <summary>Allowed.</summary>
    Full,

    /// <summary>Not allowed by what is known, but an access policy whose rules are not known could allow it.</summary>
    Unknown,
}

/// <summary>A resource's row: one cell per verb.</summary>
public sealed record MatrixRow(string Group, string Resource, ResourceScope Scope, IReadOnlyList<Access> Cells)
{
    public string Display => RuleText.Resource(Group, Resource);

    public bool Any => Cells.Any(c => c != Access.None);
}

/// <summary>The rows evaluated in one namespace, or at cluster scope (<see cref="Namespace"/> "").</summary>
public sealed record MatrixSection(string Namespace, IReadOnlyList<MatrixRow> Rows);

/// <summary>An identity's access: resources × verbs, per namespace, in request mode.</summary>
public sealed record AccessMatrixResult(UserInfo User, IReadOnlyList<string> Verbs, IReadOnlyList<MatrixSection> Sections, IReadOnlyList<DanglingBinding> Dangling);

/// <summary>A resource to put in a matrix row.</summary>
public sealed record MatrixResource(string Group, string Resource, ResourceScope Scope);

/// <summary>
/// Access matrices (what rakkess shows, computed offline): every cell is a request-mode check without an object
/// name, so a cluster-scoped resource is evaluated at cluster scope and only ClusterRoleBindings count for it.
/// </summary>
public static class AccessMatrix
{
    /// <summary>A verdict of <see cref="RowVerdicts"/>: no rule allows the request.</summary>
    internal const int Denied = -1;

    /// <summary>A verdict of <see cref="RowVerdicts"/>: only rules that name objects (resourceNames) allow the verb.</summary>
    internal const int NamedOnly = -2;

    public static IReadOnlyList<string> DefaultVerbs { get; } = ["get", "list", "watch", "create", "update", "patch", "delete"];

    /// <summary>
    /// The built-in API resources, then every other resource named in a rule of an input role (custom resources,
    /// sorted), without wildcards or subresources. Rules of the defaults add none (they name retired APIs).
    /// </summary>
    public static IReadOnlyList<MatrixResource> DefaultResources(RbacPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var result = BuiltinResources.ApiResources.Select(r => new MatrixResource(r.Group, r.Resource, r.Scope)).ToList();
        var known = new HashSet<(string, string)>(BuiltinResources.All.Select(r => (r.Group, r.Resource)));
        var custom = new SortedSet<(string Group, string Resource)>();
        var rules = policy.ClusterRoles.Cast<RbacObject>().Concat(policy.Objects.Roles)
            .Where(r => !r.Source.IsDefault)
            .SelectMany(r => r is Role role ? role.Rules : ((ClusterRole)r).Rules);
        foreach (var rule in rules)
        {
            foreach (var group in rule.ApiGroups)
            {
                foreach (var resource in rule.Resources)
                {
                    if (group != RuleMatcher.All && !resource.Contains('*', StringComparison.Ordinal) && !resource.Contains('/', StringComparison.Ordinal) && !known.Contains((group, resource)))
                    {
                        custom.Add((group, resource));
                    }
                }
            }
        }

        result.AddRange(custom.Select(c => new MatrixResource(c.Group, c.Resource, ResourceScope.Unknown)));
        return result;
    }

    /// <summary>
    /// Computes the matrix: one section per namespace for namespaced resources (and those of unknown scope), then
    /// one at cluster scope for cluster-scoped resources.
    /// </summary>
    public static AccessMatrixResult Compute(RbacPolicy policy, UserInfo user, IReadOnlyList<string> namespaces, IReadOnlyList<MatrixResource> resources, IReadOnlyList<string> verbs)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(verbs);
        var sections = new List<MatrixSection>();
        var dangling = new List<DanglingBinding>();
        var namespaced = resources.Where(r => r.Scope != ResourceScope.Cluster).ToList();
        var clusterScoped = resources.Where(r => r.Scope == ResourceScope.Cluster).ToList();
        foreach (var ns in namespaces)
        {
            if (namespaced.Count > 0)
            {
                sections.Add(Section(policy, user, ns, namespaced, verbs, dangling));
            }
        }

        if (clusterScoped.Count > 0)
        {
            sections.Add(Section(policy, user, string.Empty, clusterScoped, verbs, dangling));
        }

        var unique = dangling.DistinctBy(d => d.Binding).ToList();
        return new AccessMatrixResult(user, verbs, sections, unique);
    }

    private static MatrixSection Section(RbacPolicy policy, UserInfo user, string ns, List<MatrixResource> resources, IReadOnlyList<string> verbs, List<DanglingBinding> dangling)
    {
        var masters = user.InGroup(Identities.Masters);
        var granted = policy.RulesFor(user, ns);
        dangling.AddRange(granted.Dangling);
        var rules = granted.Rules.Select(r => r.Rule).Distinct().ToList();
        var rows = new List<MatrixRow>(resources.Count);
        var forResource = new List<int>();
        var verdicts = new int[verbs.Count];
        foreach (var resource in resources)
        {
            if (!masters)
            {
                RowVerdicts(rules, resource, verbs, verdicts, forResource);
            }

            var cells = new Access[verbs.Count];
            for (var v = 0; v < verbs.Count; v++)
            {
                cells[v] = masters ? Access.Full : CellOf(verdicts[v]);
            }

            rows.Add(new MatrixRow(resource.Group, resource.Resource, resource.Scope, cells));
        }

        return new MatrixSection(ns, rows);
    }

    /// <summary>The cell a verdict of <see cref="RowVerdicts"/> stands for.</summary>
    internal static Access CellOf(int verdict) => verdict >= 0 ? Access.Full : verdict == NamedOnly ? Access.Named : Access.None;

    /// <summary>
    /// One row's verdicts, per verb: the position in <paramref name="rules"/> of the first rule that allows the
    /// request without a name (the rule RBAC's authorizer stops at, when the rules are in its visiting order), else
    /// <see cref="NamedOnly"/> or <see cref="Denied"/>.
    /// </summary>
    /// <param name="forResource">Scratch space for the positions of the rules that match the row's group and resource.</param>
    internal static void RowVerdicts(IReadOnlyList<PolicyRule> rules, MatrixResource resource, IReadOnlyList<string> verbs, Span<int> verdicts, List<int> forResource)
    {
        // The verb is the only part of a cell's request that changes along a row: the rules that can match the
        // group and resource are found once per row, not once per cell.
        forResource.Clear();
        for (var i = 0; i < rules.Count; i++)
        {
            if (RuleMatcher.ApiGroupMatches(rules[i], resource.Group) && RuleMatcher.ResourceMatches(rules[i], resource.Resource, string.Empty))
            {
                forResource.Add(i);
            }
        }

        for (var v = 0; v < verbs.Count; v++)
        {
            verdicts[v] = Verdict(rules, forResource, verbs[v]);
        }
    }

    /// <summary>
    /// A cell: <see cref="RuleMatcher.RuleAllows"/> for a request without a name, over the rules (positions in
    /// <paramref name="rules"/>) that already match its group and resource.
    /// </summary>
    private static int Verdict(IReadOnlyList<PolicyRule> rules, List<int> forResource, string verb)
    {
        var named = false;
        foreach (var i in forResource)
        {
            var rule = rules[i];
            if (!RuleMatcher.VerbMatches(rule, verb))
            {
                continue;
            }

            if (RuleMatcher.ResourceNameMatches(rule, string.Empty))
            {
                return i;
            }

            // A named rule cannot allow create or deletecollection: those requests never carry a name.
            named |= verb is not ("create" or "deletecollection");
        }

        return named ? NamedOnly : Denied;
    }
}
