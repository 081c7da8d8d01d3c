using RoleMap.Diagnostics;

namespace RoleMap.Rbac;

/// <summary>The ClusterRoles after aggregation, and what was noticed.</summary>
public sealed record AggregationResult(IReadOnlyList<ClusterRole> ClusterRoles, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Aggregated ClusterRoles as the clusterrole-aggregation controller computes them
/// (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go, <c>syncClusterRole</c>): for each
/// selector in order, every other ClusterRole whose labels match, sorted by name, contributes its current rules,
/// skipping rules already taken; the result replaces the role's own rules. The controller re-syncs whenever any
/// ClusterRole changes, so this repeats until nothing changes (aggregation is transitive: admin ⊇ edit ⊇ view).
/// <para>
/// When the selected roles hold no rules at all, what the API server stores depends on the version: since
/// Kubernetes 1.21 the controller writes <c>.rules</c> by server-side apply as field manager
/// <c>clusterrole-aggregation-controller</c>, and an apply with no rules claims no rules, so rules written by the
/// role's author stay and keep granting. That is what is modelled (docs/rbac.md); 1.20 and earlier emptied them.
/// </para>
/// </summary>
public static class Aggregation
{
    public static AggregationResult Compute(IReadOnlyList<ClusterRole> clusterRoles)
    {
        ArgumentNullException.ThrowIfNull(clusterRoles);
        var byName = clusterRoles.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var current = byName.ToDictionary(r => r.Name, r => r.Rules, StringComparer.Ordinal);
        var aggregated = byName.Where(r => r.IsAggregated).ToList();
        var diagnostics = new List<Diagnostic>();
        if (aggregated.Count == 0)
        {
            return new AggregationResult(clusterRoles, diagnostics);
        }

        // Which roles each selector picks does not change: labels are not rewritten, only rules.
        var selected = aggregated.ToDictionary(
            r => r.Name,
            r => r.AggregationSelectors!.Select(s => byName.Where(c => c.Name != r.Name && s.Matches(c.Labels)).Select(c => c.Name).ToList()).ToList(),
            StringComparer.Ordinal);

        var limit = aggregated.Count + 2;
        var passes = 0;
        bool changed;
        do
        {
            changed = false;
            foreach (var role in aggregated)
            {
                var rules = new List<PolicyRule>();
                var seen = new HashSet<PolicyRule>();
                foreach (var names in selected[role.Name])
                {
                    foreach (var name in names)
                    {
                        foreach (var rule in current[name])
                        {
                            if (seen.Add(rule))
                            {
                                rules.Add(rule);
                            }
                        }
                    }
                }

                if (rules.Count == 0)
                {
                    rules = [.. role.Rules]; // an apply with no rules leaves the author's rules in place
                }

                if (!rules.SequenceEqual(current[role.Name]))
                {
                    current[role.Name] = rules;
                    changed = true;
                }
            }

            passes++;
        }
        while (changed && passes < limit);

        if (changed)
        {
            diagnostics.Add(new Diagnostic("rbac-aggregation-unstable", Severity.Warning,
                "aggregated ClusterRoles did not settle after " + passes + " passes (selectors form a cycle); their rules depend on the order the controller happens to sync them"));
        }

        foreach (var role in aggregated)
        {
            var declared = role.Rules;
            if (declared.Count > 0 && declared.SequenceEqual(current[role.Name]) && !role.Source.IsDefault && SelectsNothing(selected[role.Name], current))
            {
                diagnostics.Add(new Diagnostic("rbac-aggregation-kept-rules", Severity.Warning,
                    "ClusterRole " + role.Name + " has an aggregationRule whose selectors match no ClusterRole with rules, so the " + declared.Count + " rules written in it stay and grant access: since Kubernetes 1.21 the aggregation controller applies an empty rule list, which claims no rules (1.20 and earlier emptied them)",
                    role.Source.Location("rules")));
            }

            if (declared.Count > 0 && !declared.SequenceEqual(current[role.Name]) && !role.Source.IsDefault)
            {
                diagnostics.Add(new Diagnostic("rbac-aggregation-replaced-rules", Severity.Info,
                    "ClusterRole " + role.Name + " has an aggregationRule, so the rules written in it (" + declared.Count + ") are replaced by the " + current[role.Name].Count + " rules of the roles it selects, as the controller does",
                    role.Source.Location("rules")));
            }
        }

        return new AggregationResult([.. clusterRoles.Select(r => r.IsAggregated ? r with { Rules = current[r.Name] } : r)], diagnostics);
    }

    private static bool SelectsNothing(List<List<string>> selectors, Dictionary<string, IReadOnlyList<PolicyRule>> current) =>
        selectors.All(names => names.All(name => current[name].Count == 0));
}
