using RoleMap.AccessEntries;
using RoleMap.Rbac;

namespace RoleMap.AccessPolicies;

/// <summary>How what a principal may do after a change compares with what it may do before.</summary>
public enum PermissionVerdict
{
    /// <summary>Every request of the universe gets the same answer.</summary>
    Same,

    /// <summary>Some requests allowed before are refused after, none the other way.</summary>
    Fewer,

    /// <summary>Some requests refused before are allowed after, none the other way.</summary>
    More,

    /// <summary>Both: some lost, some gained.</summary>
    Different,

    /// <summary>Some answer depends on a policy whose rules AWS does not publish, or on input not given.</summary>
    Unknown,
}

/// <summary>
/// What one side of a comparison is: the identity EKS authenticates the principal as (null when EKS rejects it),
/// and the access policies of its access entry (null without an access entry).
/// </summary>
/// <param name="User">Username and groups (system:authenticated included); null: not authenticated, every request refused.</param>
/// <param name="Policies">The access entry's associations; null for aws-auth identities.</param>
/// <param name="PoliciesUnknown">The principal has an access entry whose associations the input does not give.</param>
/// <param name="IdentityUnknown">Why the identity itself is not known from the input (an access entry not described), if it is not.</param>
public sealed record PermissionSide(UserInfo? User, IReadOnlyList<PolicyAssociation>? Policies, bool PoliciesUnknown = false, string? IdentityUnknown = null)
{
    /// <summary>EKS rejects the principal: no request is allowed.</summary>
    public static PermissionSide Rejected { get; } = new(null, null);

    /// <summary>True when both sides are bound to decide every request alike.</summary>
    public bool SameAs(PermissionSide other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IdentityUnknown is not null || other.IdentityUnknown is not null || PoliciesUnknown != other.PoliciesUnknown)
        {
            return false;
        }

        var usersEqual = (User, other.User) switch
        {
            (null, null) => true,
            ({ } a, { } b) => a.Name == b.Name && a.Groups.ToHashSet(StringComparer.Ordinal).SetEquals(b.Groups),
            _ => false,
        };
        var mine = Policies ?? [];
        var theirs = other.Policies ?? [];
        return usersEqual && mine.Count == theirs.Count && mine.All(p => theirs.Any(t => t.SameAs(p)));
    }
}

/// <summary>
/// A set of requests written as one rule: verbs on resources of one API group (or on non-resource URLs), either
/// without a namespace (cluster-scoped resources, or across all namespaces) or in the listed namespaces.
/// </summary>
/// <param name="ApiGroup">The API group ("" for core); null for a non-resource rule.</param>
/// <param name="ClusterWide">True: requests without a namespace. False: requests in <paramref name="Namespaces"/>.</param>
/// <param name="Namespaces">The namespaces (empty when cluster-wide). <see cref="RequestUniverse.OtherNamespace"/> stands for any namespace nothing names.</param>
/// <param name="ResourceNames">The objects the requests name (empty: requests that name none, such as list or create).</param>
public sealed record PermissionRule(IReadOnlyList<string> Verbs, string? ApiGroup, IReadOnlyList<string> Resources, IReadOnlyList<string> NonResourceUrls, bool ClusterWide, IReadOnlyList<string> Namespaces, IReadOnlyList<string>? ResourceNames = null)
{
    /// <summary>The named objects, never null.</summary>
    public IReadOnlyList<string> Names => ResourceNames ?? [];

    /// <summary><c>get, list pods, services (cluster-wide)</c>, <c>create deployments.apps (in namespaces dev, prod)</c>, <c>get /healthz</c>.</summary>
    public override string ToString()
    {
        var verbs = string.Join(", ", Verbs);
        if (ApiGroup is null)
        {
            return verbs + " " + string.Join(", ", NonResourceUrls);
        }

        var resources = string.Join(", ", Resources.Select(r => RuleText.Resource(ApiGroup, r)))
            + (Names.Count == 0 ? string.Empty : " named " + string.Join(", ", Names));
        return verbs + " " + resources + (ClusterWide ? " (cluster-wide)" : " (in namespace" + (Namespaces.Count == 1 ? " " : "s ") + string.Join(", ", Namespaces) + ")");
    }
}

/// <summary>The comparison of one principal: the verdict, and the requests lost, gained and undecided, as rules.</summary>
/// <param name="Unknown">Requests whose answer on one side depends on a policy with unpublished rules (or on policies not given).</param>
/// <param name="Notes">Why a verdict is unknown, in words.</param>
public sealed record PermissionComparison(PermissionVerdict Verdict, IReadOnlyList<PermissionRule> Lost, IReadOnlyList<PermissionRule> Gained, IReadOnlyList<PermissionRule> Unknown, IReadOnlyList<string> Notes)
{
    public static PermissionComparison Same { get; } = new(PermissionVerdict.Same, [], [], [], []);
}

/// <summary>One request of the universe.</summary>
/// <param name="Namespace">"" for a request without a namespace.</param>
public sealed record UniverseRequest(Attributes Attributes, string Namespace);

/// <summary>
/// The finite set of requests a comparison asks both sides: every verb (the API's own and any a rule names) on
/// every resource and subresource (the built-in resources, and any a rule or access policy names), without a
/// namespace and in every namespace that matters (each namespace a RoleBinding or access scope names, <c>default</c>,
/// and one that nothing names), plus every non-resource URL a rule names and <c>/healthz</c>. Cluster-scoped
/// resources are asked without a namespace only, as real requests carry none.
/// </summary>
public sealed class RequestUniverse
{
    /// <summary>The namespace that stands for every namespace no RoleBinding or access scope names (not a valid name, so it never collides).</summary>
    public const string OtherNamespace = "(other)";

    private static readonly string[] ApiVerbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] UrlVerbs = ["get", "head", "post", "put", "patch", "delete", "options"];

    private RequestUniverse(IReadOnlyList<UniverseRequest> requests, IReadOnlyList<string> namespaces)
    {
        Requests = requests;
        Namespaces = namespaces;
    }

    public IReadOnlyList<UniverseRequest> Requests { get; }

    /// <summary>The namespaces asked (without "" for cluster-wide), in order.</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <param name="rbac">The cluster's RBAC: its rules name resources, verbs and URLs, its RoleBindings namespaces.</param>
    /// <param name="associations">Every access policy association on either side: their rules and scopes join the universe.</param>
    public static RequestUniverse Build(RbacPolicy rbac, IEnumerable<PolicyAssociation> associations)
    {
        ArgumentNullException.ThrowIfNull(rbac);
        ArgumentNullException.ThrowIfNull(associations);
        var associationList = associations.ToList();
        var rules = rbac.Objects.ClusterRoles.SelectMany(r => r.Rules)
            .Concat(rbac.ClusterRoles.SelectMany(r => r.Rules))
            .Concat(rbac.Objects.Roles.SelectMany(r => r.Rules))
            .Concat(associationList.Select(a => AccessPolicyCatalogue.ForArn(a.PolicyArn)).OfType<AccessPolicyDefinition>().SelectMany(p => p.Rules))
            .ToList();

        var verbs = new SortedSet<string>(ApiVerbs, StringComparer.Ordinal);
        var urlVerbs = new SortedSet<string>(UrlVerbs, StringComparer.Ordinal);
        var urls = new SortedSet<string>(StringComparer.Ordinal) { "/healthz" };
        var resources = new SortedSet<(string Group, string Resource, string Subresource, bool Namespaced)>(
            BuiltinResources.ApiResources.Select(r => (r.Group, r.Resource, string.Empty, r.Namespaced)));

        // Rules limited to named objects grant nothing to a request that names none: the objects they name are asked
        // by name too, or a migration that loses "get configmaps/aws-auth" would compare as the same.
        var namedObjects = new SortedSet<(string Group, string Resource, string Subresource, bool Namespaced, string Name)>();
        var namedOnAnyResource = new List<(PolicyRule Rule, string Subresource)>();
        foreach (var rule in rules)
        {
            if (rule.NonResourceUrls.Count > 0)
            {
                urlVerbs.UnionWith(rule.Verbs.Where(v => v != "*"));
                urls.UnionWith(rule.NonResourceUrls.Where(u => u != "*")); // "/api/*" stands as written: a path under /api/ no other rule names
                continue;
            }

            verbs.UnionWith(rule.Verbs.Where(v => v != "*"));
            if (rule.ResourceNames.Count > 0)
            {
                // "*" or "*/scale" with names: those objects of every resource the universe asks about.
                namedOnAnyResource.AddRange(rule.Resources.Where(r => r == "*" || r.StartsWith("*/", StringComparison.Ordinal)).Select(r => (rule, r == "*" ? string.Empty : r[2..])));
            }

            foreach (var named in rule.Resources.Where(r => r != "*" && !r.StartsWith("*/", StringComparison.Ordinal)))
            {
                var slash = named.IndexOf('/', StringComparison.Ordinal);
                var (resource, subresource) = slash < 0 ? (named, string.Empty) : (named[..slash], named[(slash + 1)..]);
                var groups = rule.ApiGroups.Contains("*", StringComparer.Ordinal)
                    ? BuiltinResources.ApiResources.Where(b => b.Resource == resource).Select(b => b.Group).DefaultIfEmpty(string.Empty)
                    : rule.ApiGroups;
                foreach (var group in groups)
                {
                    var namespaced = BuiltinResources.Find(group, resource) is not { } info || info.Namespaced;
                    resources.Add((group, resource, subresource, namespaced));
                    foreach (var name in rule.ResourceNames)
                    {
                        namedObjects.Add((group, resource, subresource, namespaced, name));
                    }
                }
            }
        }

        foreach (var (rule, subresource) in namedOnAnyResource)
        {
            var anyGroup = rule.ApiGroups.Contains("*", StringComparer.Ordinal);
            foreach (var (group, resource, _, namespaced) in resources.Where(r => r.Subresource.Length == 0 && (anyGroup || rule.ApiGroups.Contains(r.Group, StringComparer.Ordinal))))
            {
                foreach (var name in rule.ResourceNames)
                {
                    namedObjects.Add((group, resource, subresource, namespaced, name));
                }
            }
        }

        var namespaces = NamespacesOf(rbac, associationList);
        var requests = new List<UniverseRequest>();
        foreach (var (group, resource, subresource, namespaced) in resources)
        {
            // namespaces: a request for the namespace object itself carries its name as the namespace.
            var scopes = namespaced || (group.Length == 0 && resource == "namespaces") ? namespaces.Prepend(string.Empty) : [string.Empty];
            foreach (var ns in scopes)
            {
                requests.AddRange(verbs.Select(v => new UniverseRequest(Attributes.ForResource(v, group, resource, subresource, ns: ns), ns)));
            }
        }

        foreach (var (group, resource, subresource, namespaced, name) in namedObjects)
        {
            var scopes = namespaced || (group.Length == 0 && resource == "namespaces") ? namespaces.Prepend(string.Empty) : [string.Empty];
            foreach (var ns in scopes)
            {
                requests.AddRange(verbs.Select(v => new UniverseRequest(Attributes.ForResource(v, group, resource, subresource, name, ns), ns)));
            }
        }

        foreach (var url in urls)
        {
            requests.AddRange(urlVerbs.Select(v => new UniverseRequest(Attributes.ForUrl(v, url), string.Empty)));
        }

        return new RequestUniverse(requests, namespaces);
    }

    /// <summary>Namespaces RoleBindings and access scopes name (a wildcard scope stands as written: a namespace it matches and nothing else names), default, and the other.</summary>
    private static List<string> NamespacesOf(RbacPolicy rbac, List<PolicyAssociation> associations)
    {
        var named = new SortedSet<string>(StringComparer.Ordinal) { "default" };
        named.UnionWith(rbac.Objects.RoleBindings.Select(b => b.Namespace).Where(n => n.Length > 0));
        named.UnionWith(associations.SelectMany(a => a.Scope.Namespaces));
        return [.. named, OtherNamespace];
    }
}

/// <summary>
/// Compares what a principal may do on two sides (before and after a change) over a <see cref="RequestUniverse"/>,
/// each request decided by EKS authorization (system:masters, RBAC, then the access policies in scope), and writes
/// the difference as rules: per namespace and resource the verbs that differ, resources with the same verbs together,
/// namespaces with the same rule together.
/// </summary>
public static class PermissionComparer
{
    public static PermissionComparison Compare(RbacPolicy rbac, RequestUniverse universe, PermissionSide before, PermissionSide after)
    {
        ArgumentNullException.ThrowIfNull(rbac);
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.SameAs(after))
        {
            return PermissionComparison.Same;
        }

        var notes = new List<string>();
        foreach (var (side, name) in new[] { (before, "before"), (after, "after") })
        {
            if (side.IdentityUnknown is { } why)
            {
                notes.Add(name + ": " + why);
            }
        }

        if (notes.Count > 0)
        {
            return new PermissionComparison(PermissionVerdict.Unknown, [], [], [], notes);
        }

        var beforeDecider = new SideDecider(rbac, before);
        var afterDecider = new SideDecider(rbac, after);
        var lost = new List<UniverseRequest>();
        var gained = new List<UniverseRequest>();
        var unknown = new List<UniverseRequest>();
        var undecided = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var request in universe.Requests)
        {
            var (was, wasWhy) = beforeDecider.Decide(request);
            var (will, willWhy) = afterDecider.Decide(request);
            if (was == will && (was != Verdict.Unknown || wasWhy == willWhy))
            {
                continue;
            }

            if (was == Verdict.Unknown || will == Verdict.Unknown)
            {
                unknown.Add(request);
                undecided.UnionWith(new[] { was == Verdict.Unknown ? "before: " + wasWhy : null, will == Verdict.Unknown ? "after: " + willWhy : null }.OfType<string>());
            }
            else if (was == Verdict.Yes)
            {
                lost.Add(request);
            }
            else
            {
                gained.Add(request);
            }
        }

        notes.AddRange(undecided);
        var verdict = unknown.Count > 0 ? PermissionVerdict.Unknown
            : lost.Count > 0 && gained.Count > 0 ? PermissionVerdict.Different
            : lost.Count > 0 ? PermissionVerdict.Fewer
            : gained.Count > 0 ? PermissionVerdict.More
            : PermissionVerdict.Same;
        return new PermissionComparison(verdict, Compress(lost, universe), Compress(gained, universe), Compress(unknown, universe), notes);
    }

    /// <summary>Requests as rules: verbs per (namespace, group, resource); resources with equal verbs joined; then namespaces with equal rules joined.</summary>
    public static IReadOnlyList<PermissionRule> Compress(IReadOnlyList<UniverseRequest> requests, RequestUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(universe);
        var order = universe.Namespaces.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i + 1, StringComparer.Ordinal);
        order[string.Empty] = 0;

        var urlRules = requests.Where(r => !r.Attributes.IsResourceRequest)
            .GroupBy(r => r.Attributes.Path, StringComparer.Ordinal)
            .Select(g => (Url: g.Key, Verbs: Verbs(g)))
            .GroupBy(x => string.Join(",", x.Verbs), StringComparer.Ordinal)
            .Select(g => new PermissionRule(g.First().Verbs, null, [], [.. g.Select(x => x.Url).Order(StringComparer.Ordinal)], true, []));

        var perNamespace = requests.Where(r => r.Attributes.IsResourceRequest)
            .GroupBy(r => (r.Namespace, r.Attributes.ApiGroup, Resource: r.Attributes.CombinedResource, r.Attributes.Name))
            .Select(g => (g.Key.Namespace, g.Key.ApiGroup, g.Key.Resource, g.Key.Name, Verbs: Verbs(g)))
            .GroupBy(x => (x.Namespace, x.ApiGroup, x.Name, VerbKey: string.Join(",", x.Verbs)))
            .Select(g => (g.Key.Namespace, g.Key.ApiGroup, g.Key.Name, g.First().Verbs, Resources: g.Select(x => x.Resource).Order(StringComparer.Ordinal).ToList()));

        var resourceRules = perNamespace
            .GroupBy(x => (Cluster: x.Namespace.Length == 0, x.ApiGroup, x.Name, Key: string.Join(",", x.Verbs) + "|" + string.Join(",", x.Resources)))
            .Select(g => new PermissionRule(
                g.First().Verbs,
                g.Key.ApiGroup,
                g.First().Resources,
                [],
                g.Key.Cluster,
                g.Key.Cluster ? [] : [.. g.Select(x => x.Namespace).OrderBy(n => order.GetValueOrDefault(n, int.MaxValue)).ThenBy(n => n, StringComparer.Ordinal)],
                g.Key.Name.Length == 0 ? null : [g.Key.Name]));

        return [.. resourceRules
            .OrderBy(r => r.ClusterWide ? 0 : 1)
            .ThenBy(r => r.Namespaces.Count == 0 ? 0 : order.GetValueOrDefault(r.Namespaces[0], int.MaxValue))
            .ThenBy(r => r.ApiGroup, StringComparer.Ordinal)
            .ThenBy(r => r.Resources[0], StringComparer.Ordinal)
            .ThenBy(r => r.Names.Count == 0 ? string.Empty : r.Names[0], StringComparer.Ordinal)
            .ThenBy(r => string.Join(",", r.Verbs), StringComparer.Ordinal)
            .Concat(urlRules.OrderBy(r => r.NonResourceUrls[0], StringComparer.Ordinal))];
    }

    private static readonly string[] VerbOrder = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    /// <summary>Verbs in the API's usual order, then the others alphabetically.</summary>
    private static List<string> Verbs(IEnumerable<UniverseRequest> requests) =>
        [.. requests.Select(r => r.Attributes.Verb).Distinct(StringComparer.Ordinal)
            .OrderBy(v => Array.IndexOf(VerbOrder, v) is var i and >= 0 ? i : VerbOrder.Length)
            .ThenBy(v => v, StringComparer.Ordinal)];

    /// <summary>One side's decisions, with the RBAC rules of each namespace gathered once.</summary>
    private sealed class SideDecider(RbacPolicy rbac, PermissionSide side)
    {
        private readonly Dictionary<string, List<PolicyRule>> rulesByNamespace = new(StringComparer.Ordinal);
        private readonly bool masters = side.User?.InGroup(Identities.Masters) == true;
        private readonly Decision denied = new(false, false, null, []);
        private readonly Decision allowed = new(true, false, null, []);

        public (Verdict Verdict, string? Why) Decide(UniverseRequest request)
        {
            if (side.User is not { } user)
            {
                return (Verdict.No, null);
            }

            if (!rulesByNamespace.TryGetValue(request.Namespace, out var rules))
            {
                rules = [.. rbac.RulesFor(user, request.Namespace).Rules.Select(r => r.Rule)];
                rulesByNamespace[request.Namespace] = rules;
            }

            var rbacAllows = masters || rules.Any(r => RuleMatcher.RuleAllows(request.Attributes, r));
            var eks = EksAuthorizer.Authorize(rbacAllows ? allowed : denied, request.Attributes, side.Policies, side.PoliciesUnknown);
            return eks.Verdict != Verdict.Unknown
                ? (eks.Verdict, null)
                : (Verdict.Unknown, eks.PoliciesUnknown
                    ? "the access entry's policies are not in the input"
                    : "depends on " + string.Join(", ", eks.Undecided.Select(a => a.Name + " (" + a.Scope + ")")) + ", whose rules AWS does not publish");
        }
    }
}
