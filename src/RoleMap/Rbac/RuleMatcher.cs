namespace RoleMap.Rbac;

/// <summary>
/// What RBAC reads from a request (<c>authorizer.Attributes</c>), without the user. Every string is matched exactly
/// and case-sensitively; the core API group is <c>""</c>.
/// </summary>
public sealed record Attributes(
    string Verb,
    bool IsResourceRequest,
    string ApiGroup = "",
    string Resource = "",
    string Subresource = "",
    string Name = "",
    string Namespace = "",
    string Path = "")
{
    public static Attributes ForResource(string verb, string apiGroup, string resource, string subresource = "", string name = "", string ns = "") =>
        new(verb, true, apiGroup, resource, subresource, name, ns);

    public static Attributes ForUrl(string verb, string path) => new(verb, false, Path: path);

    /// <summary><c>resource/subresource</c>, as RBAC compares it.</summary>
    public string CombinedResource => Subresource.Length > 0 ? Resource + "/" + Subresource : Resource;

    /// <summary>A readable form: <c>get pods/log "web" in namespace dev</c>, <c>get /healthz</c>.</summary>
    public override string ToString()
    {
        if (!IsResourceRequest)
        {
            return Verb + " " + Path;
        }

        var text = Verb + " " + RuleText.Resource(ApiGroup, CombinedResource);
        if (Name.Length > 0)
        {
            text += " \"" + Name + "\"";
        }

        return text + (Namespace.Length > 0 ? " in namespace " + Namespace : " (namespace \"\")");
    }
}

/// <summary>
/// Rule matching exactly as Kubernetes: <c>RuleAllows</c> (plugin/pkg/auth/authorizer/rbac/rbac.go) and the helpers
/// of pkg/apis/rbac/v1/evaluation_helpers.go. The only wildcards are <c>*</c> as a whole verb, group, resource or
/// URL, <c>*/SUB</c> for a subresource of any resource, and a trailing <c>*</c> on a non-resource URL.
/// </summary>
public static class RuleMatcher
{
    public const string All = "*";

    public static bool RuleAllows(Attributes request, PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rule);
        if (request.IsResourceRequest)
        {
            return VerbMatches(rule, request.Verb)
                && ApiGroupMatches(rule, request.ApiGroup)
                && ResourceMatches(rule, request.CombinedResource, request.Subresource)
                && ResourceNameMatches(rule, request.Name);
        }

        return VerbMatches(rule, request.Verb) && NonResourceUrlMatches(rule, request.Path);
    }

    /// <summary>True when any rule allows the request (<c>RulesAllow</c>).</summary>
    public static bool RulesAllow(Attributes request, IEnumerable<PolicyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            if (RuleAllows(request, rule))
            {
                return true;
            }
        }

        return false;
    }

    public static bool VerbMatches(PolicyRule rule, string verb) => ContainsOrAll(rule.Verbs, verb);

    public static bool ApiGroupMatches(PolicyRule rule, string group) => ContainsOrAll(rule.ApiGroups, group);

    public static bool ResourceMatches(PolicyRule rule, string combinedResource, string subresource)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(combinedResource);
        ArgumentNullException.ThrowIfNull(subresource);
        // Indexed loops: foreach over an IReadOnlyList boxes an enumerator per call, and these run once per rule per cell.
        var resources = rule.Resources;
        for (var i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            if (resource == All || resource == combinedResource)
            {
                return true;
            }

            if (subresource.Length > 0
                && resource.Length == subresource.Length + 2
                && resource.StartsWith("*/", StringComparison.Ordinal)
                && resource.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool ResourceNameMatches(PolicyRule rule, string name)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.ResourceNames.Count == 0 || rule.ResourceNames.Contains(name, StringComparer.Ordinal);
    }

    public static bool NonResourceUrlMatches(PolicyRule rule, string path)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var url in rule.NonResourceUrls)
        {
            if (url == All || url == path)
            {
                return true;
            }

            if (url.EndsWith('*') && path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsOrAll(IReadOnlyList<string> values, string wanted)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value == All || value == wanted)
            {
                return true;
            }
        }

        return false;
    }
}
