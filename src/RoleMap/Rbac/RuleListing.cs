namespace RoleMap.Rbac;

/// <summary>
/// The rule list <c>kubectl auth can-i --list</c> prints (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go
/// <c>printStatus</c>, pkg/util/rbac/rbac.go): rules broken down to one verb, group, resource and name each,
/// single-resource rules merged by (group, resource, name), sorted by the rule's Go string form, printed with
/// kubectl's tab writer (minimum width 10, padding 3).
/// </summary>
public static class RuleListing
{
    private static readonly string[] Header = ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"];

    public static IReadOnlyList<PolicyRule> Compact(IEnumerable<PolicyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var broken = rules.SelectMany(Breakdown);
        var compacted = new List<PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, bool Named, string Name), List<string>>();
        var simpleOrder = new List<(string, string, bool, string)>();
        foreach (var rule in broken)
        {
            if (rule.ResourceNames.Count > 1 || rule.NonResourceUrls.Count > 0 || rule.ApiGroups.Count != 1 || rule.Resources.Count != 1)
            {
                compacted.Add(rule);
                continue;
            }

            var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames.Count > 0, rule.ResourceNames.Count > 0 ? rule.ResourceNames[0] : string.Empty);
            if (!simple.TryGetValue(key, out var verbs))
            {
                simple[key] = verbs = [];
                simpleOrder.Add(key);
            }

            verbs.AddRange(rule.Verbs);
        }

        foreach (var key in simpleOrder)
        {
            compacted.Add(new PolicyRule(simple[key], [key.Item1], [key.Item2], key.Item3 ? [key.Item4] : [], []));
        }

        // sort.Stable(SortableRuleSlice): by the generated String() of the rule.
        return [.. compacted.Select((r, i) => (Rule: r, Key: GoString(r), Index: i)).OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Index).Select(x => x.Rule)];
    }

    /// <summary>The cells of the table kubectl prints, header included (kubectl lays them out with minimum width 10, padding 3).</summary>
    public static IReadOnlyList<string[]> Rows(IEnumerable<PolicyRule> compacted)
    {
        ArgumentNullException.ThrowIfNull(compacted);
        var rows = new List<string[]> { Header };
        rows.AddRange(compacted.Select(r => new[] { CombineResourceGroup(r.Resources, r.ApiGroups), GoList(r.NonResourceUrls), GoList(r.ResourceNames), GoList(r.Verbs) }));
        return rows;
    }

    private static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count > 0)
                    {
                        foreach (var name in rule.ResourceNames)
                        {
                            yield return new PolicyRule([verb], [group], [resource], [name], []);
                        }
                    }
                    else
                    {
                        yield return new PolicyRule([verb], [group], [resource], [], []);
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return new PolicyRule([verb], [], [], [], [url]);
            }
        }
    }

    /// <summary><c>describe.CombineResourceGroup</c>: the first resource with the first group: <c>deployments.apps/scale</c>.</summary>
    private static string CombineResourceGroup(IReadOnlyList<string> resources, IReadOnlyList<string> groups)
    {
        if (resources.Count == 0)
        {
            return string.Empty;
        }

        var parts = resources[0].Split('/', 2);
        var combined = parts[0];
        if (groups.Count > 0 && groups[0].Length > 0)
        {
            combined += "." + groups[0];
        }

        return parts.Length == 2 ? combined + "/" + parts[1] : combined;
    }

    private static string GoList(IReadOnlyList<string> items) => "[" + string.Join(' ', items) + "]";

    private static string GoString(PolicyRule r) =>
        "&PolicyRule{Verbs:" + GoList(r.Verbs) + ",APIGroups:" + GoList(r.ApiGroups) + ",Resources:" + GoList(r.Resources)
        + ",ResourceNames:" + GoList(r.ResourceNames) + ",NonResourceURLs:" + GoList(r.NonResourceUrls) + ",}";
}
