namespace RoleMap.Rbac;

/// <summary>Readable, compact renderings of rules and resources for text output.</summary>
public static class RuleText
{
    /// <summary>
    /// <c>get,list,update pods</c>; <c>* *.*</c>; <c>get,update leases.coordination.k8s.io [names: kube-scheduler]</c>;
    /// <c>get /healthz, /version</c>. Resources are written kubectl's way: <c>resource.group/subresource</c>.
    /// </summary>
    public static string Describe(PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var verbs = rule.Verbs.Count == 0 ? "(no verbs)" : string.Join(",", rule.Verbs);
        var parts = new List<string>();
        if (rule.Resources.Count > 0 || rule.ApiGroups.Count > 0 || rule.NonResourceUrls.Count == 0)
        {
            var targets = new List<string>();
            foreach (var group in rule.ApiGroups)
            {
                foreach (var resource in rule.Resources)
                {
                    targets.Add(Resource(group, resource));
                }
            }

            var text = targets.Count == 0
                ? "(no " + (rule.ApiGroups.Count == 0 ? "apiGroups" : "resources") + ": matches nothing)"
                : string.Join(", ", targets);
            if (rule.ResourceNames.Count > 0)
            {
                text += " [names: " + string.Join(", ", rule.ResourceNames.Select(n => n.Length == 0 ? "\"\"" : n)) + "]";
            }

            parts.Add(text);
        }

        if (rule.NonResourceUrls.Count > 0)
        {
            parts.Add(string.Join(", ", rule.NonResourceUrls));
        }

        return verbs + " " + string.Join("; ", parts);
    }

    /// <summary><c>pods</c>, <c>pods/log</c>, <c>deployments.apps</c>, <c>deployments.apps/scale</c>, <c>*.*</c>.</summary>
    public static string Resource(string group, string resource)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(resource);
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var main = slash < 0 ? resource : resource[..slash];
        var sub = slash < 0 ? string.Empty : resource[slash..];
        return group.Length == 0 ? resource : main + "." + group + sub;
    }
}
