using RoleMap.Diagnostics;

namespace RoleMap.Rbac;

/// <summary>How a question is turned into authorizer attributes.</summary>
public enum EvaluationMode
{
    /// <summary>As a real API request would carry them (cluster-scoped: no namespace; create: no name; ...).</summary>
    Request,

    /// <summary>Exactly as given, which is what <c>kubectl auth can-i</c> sends in a SubjectAccessReview.</summary>
    Sar,
}

/// <summary>
/// A question in kubectl's terms: <c>VERB TYPE[.GROUP][/NAME] [--subresource SUB] [-n NS | -A]</c> or
/// <c>VERB /URL</c>. <see cref="Namespace"/> is "" for all namespaces (<c>-A</c>).
/// </summary>
public sealed record AccessQuery(string Verb, string Target, string Subresource = "", string Namespace = "default")
{
    /// <summary>Verbs kubectl knows for resources (others draw a warning there too).</summary>
    public static IReadOnlyList<string> ResourceVerbs { get; } = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind", "impersonate", "*", "approve", "sign", "escalate", "attest", "proxy"];

    /// <summary>Verbs a non-resource request can carry.</summary>
    public static IReadOnlyList<string> UrlVerbs { get; } = ["get", "put", "post", "head", "options", "delete", "patch", "*"];

    public bool IsUrl => Target.StartsWith('/');
}

/// <summary>A question turned into attributes in one mode, with what was changed to get there.</summary>
public sealed record PreparedRequest(EvaluationMode Mode, Attributes Attributes, IReadOnlyList<string> Adjustments);

/// <summary>The question after reading TYPE: the resource it names and what rolemap had to assume.</summary>
public sealed record ParsedQuery(AccessQuery Query, ResolvedResource? Resource, string Name, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Attributes in SAR mode: namespace, verb, group, resource, subresource and name exactly as given
    /// (<c>ResourceAttributesFrom</c>); a URL is a non-resource request with no namespace.
    /// </summary>
    public PreparedRequest Sar()
    {
        if (Resource is null)
        {
            return new PreparedRequest(EvaluationMode.Sar, Attributes.ForUrl(Query.Verb, Query.Target), []);
        }

        return new PreparedRequest(EvaluationMode.Sar, Attributes.ForResource(Query.Verb, Resource.Group, Resource.Resource, Query.Subresource, Name, Query.Namespace), []);
    }

    /// <summary>
    /// Attributes in request mode, as the API server derives them from a real request
    /// (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): a cluster-scoped resource has no
    /// namespace; a request for namespace NAME (or its subresources) is evaluated in namespace NAME; create (without a
    /// subresource) and deletecollection carry no name; list/watch keep a name only as a metadata.name field selector.
    /// </summary>
    public PreparedRequest Request()
    {
        if (Resource is null)
        {
            return new PreparedRequest(EvaluationMode.Request, Attributes.ForUrl(Query.Verb, Query.Target), []);
        }

        var adjustments = new List<string>();
        var verb = Query.Verb;
        var name = Name;
        var ns = Query.Namespace;
        var isNamespaces = Resource.Group.Length == 0 && Resource.Resource == "namespaces";
        if (((verb == "create" && Query.Subresource.Length == 0) || verb == "deletecollection") && name.Length > 0)
        {
            adjustments.Add("a " + verb + " request carries no object name, so rules limited by resourceNames never allow it; the name '" + name + "' is dropped");
            name = string.Empty;
        }
        else if (verb is "list" or "watch" && name.Length > 0)
        {
            adjustments.Add("a " + verb + " with a name is a request with fieldSelector=metadata.name=" + name + "; a plain " + verb + " carries no name");
        }

        // Checks the API server makes outside a REST call keep the namespace they are given (bind: the binding's namespace).
        var keepsNamespace = verb is "bind" or "use";
        if (isNamespaces && name.Length > 0 && verb is not ("list" or "watch"))
        {
            if (ns != name)
            {
                adjustments.Add("a request for namespace '" + name + "' is evaluated in namespace '" + name + "' (its RoleBindings apply)" + (ns.Length > 0 ? ", not in '" + ns + "'" : string.Empty));
                ns = name;
            }
        }
        else if (Resource.Scope == ResourceScope.Cluster && !keepsNamespace && ns.Length > 0)
        {
            adjustments.Add(Resource.Display + " is cluster-scoped: a real request carries no namespace, so only ClusterRoleBindings count (namespace '" + ns + "' ignored)");
            ns = string.Empty;
        }

        return new PreparedRequest(EvaluationMode.Request, Attributes.ForResource(verb, Resource.Group, Resource.Resource, Query.Subresource, name, ns), adjustments);
    }

    public PreparedRequest In(EvaluationMode mode) => mode == EvaluationMode.Sar ? Sar() : Request();
}

/// <summary>Reads kubectl-style targets.</summary>
public static class QueryParser
{
    /// <summary>
    /// Splits <c>TYPE[.GROUP][/NAME]</c> (the part after the first '/' is the object name, as kubectl reads it) or
    /// takes a URL starting with '/'. Throws <see cref="InputException"/> for what kubectl would refuse.
    /// </summary>
    public static ParsedQuery Parse(AccessQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var notes = new List<string>();
        if (query.Verb.Length == 0)
        {
            throw new InputException("the verb is empty", new SourceLocation("VERB"));
        }

        if (query.IsUrl)
        {
            if (query.Subresource.Length > 0)
            {
                throw new InputException("--subresource cannot be used with a non-resource URL", new SourceLocation("--subresource"));
            }

            if (!AccessQuery.UrlVerbs.Contains(query.Verb, StringComparer.Ordinal))
            {
                notes.Add("verb '" + query.Verb + "' is not a known verb for a non-resource URL (get, put, post, head, options, delete, patch)");
            }

            return new ParsedQuery(query, null, string.Empty, notes);
        }

        var slash = query.Target.IndexOf('/', StringComparison.Ordinal);
        var type = slash < 0 ? query.Target : query.Target[..slash];
        var name = slash < 0 ? string.Empty : query.Target[(slash + 1)..];
        if (type.Length == 0)
        {
            throw new InputException("expected TYPE[.GROUP][/NAME] or a URL starting with '/', found '" + query.Target + "'", new SourceLocation("TARGET"));
        }

        var resource = BuiltinResources.Resolve(type);
        if (resource.Note is not null)
        {
            notes.Add(resource.Note);
        }

        if (!AccessQuery.ResourceVerbs.Contains(query.Verb, StringComparer.Ordinal))
        {
            notes.Add("verb '" + query.Verb + "' is not a known verb (RBAC compares verbs as exact strings)");
        }

        return new ParsedQuery(query, resource, name, notes);
    }
}
