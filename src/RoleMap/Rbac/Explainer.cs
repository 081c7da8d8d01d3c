using RoleMap.AwsAuth;

namespace RoleMap.Rbac;

/// <summary>A binding that applies to the identity: the subject that matched, the role and its rules (or why there are none).</summary>
public sealed record AppliedBinding(Binding Binding, Subject MatchedSubject, RbacObject? Role, IReadOnlyList<PolicyRule> Rules, string? Error);

/// <summary>The whole chain for an IAM caller: aws-auth resolution, the Kubernetes identity, bindings, roles, rules, and a decision when asked.</summary>
/// <param name="User">The identity the API server sees; null when aws-auth does not map the caller (EKS answers 401).</param>
/// <param name="Scope">The namespace whose RoleBindings are shown: null for every namespace, "" for cluster scope only.</param>
/// <param name="Hints">For a denied question: rules that come close (right resource, wrong verb or name; another namespace).</param>
public sealed record Explanation(ResolveResult Resolution, UserInfo? User, string? Scope, IReadOnlyList<AppliedBinding> Bindings, CanIResult? Check, IReadOnlyList<string> Hints);

public static class Explainer
{
    /// <summary>
    /// Resolves the caller with <see cref="Resolver"/>, adds <c>system:authenticated</c> as the API server does, lists
    /// the bindings that apply (for the request's namespace when a question is given, else for <paramref name="ns"/>,
    /// else everywhere) and evaluates the question.
    /// </summary>
    public static Explanation Explain(RbacPolicy policy, AwsAuthData awsAuth, string arn, CallerFacts? facts, ParsedQuery? query, EvaluationMode mode, string? ns)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(awsAuth);
        var resolution = new Resolver(awsAuth).Resolve(arn, facts);
        var user = resolution.Mapping is { } mapping ? Identities.Authenticated(mapping.Username, mapping.Groups) : null;
        return Explain(policy, resolution, user, query, mode, ns);
    }

    /// <summary>
    /// The same for an identity already worked out (for instance from an EKS access entry, which replaces the aws-auth
    /// entry): <paramref name="user"/> null means the caller is not authenticated at all.
    /// </summary>
    public static Explanation Explain(RbacPolicy policy, ResolveResult resolution, UserInfo? user, ParsedQuery? query, EvaluationMode mode, string? ns)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(resolution);
        if (user is null)
        {
            return new Explanation(resolution, null, ns, [], null, []);
        }

        CanIResult? check = null;
        var scope = ns;
        if (query is not null)
        {
            check = CanI.Evaluate(policy, user, query, mode);
            scope = check.Chosen.Request.Attributes.Namespace;
        }

        var bindings = new List<AppliedBinding>();
        foreach (var binding in policy.BindingsFor(user, scope))
        {
            var index = RbacPolicy.AppliesTo(user, binding.Subjects, binding.Namespace);
            var (role, rules, error) = policy.ResolveRole(binding);
            bindings.Add(new AppliedBinding(binding, binding.Subjects[index], role, rules, error));
        }

        var hints = check is { Allowed: false } ? Hints(policy, user, check.Chosen.Request.Attributes) : [];
        return new Explanation(resolution, user, scope, bindings, check, hints);
    }

    /// <summary>
    /// Why a denied request comes close: rules for the same resource that lack the verb or the name, and RoleBindings
    /// of other namespaces that would allow it there.
    /// </summary>
    public static IReadOnlyList<string> Hints(RbacPolicy policy, UserInfo user, Attributes request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        var hints = new List<string>();
        if (request.IsResourceRequest)
        {
            foreach (var granted in policy.RulesFor(user, request.Namespace).Rules)
            {
                var rule = granted.Rule;
                if (!RuleMatcher.ApiGroupMatches(rule, request.ApiGroup) || !RuleMatcher.ResourceMatches(rule, request.CombinedResource, request.Subresource))
                {
                    continue;
                }

                if (!RuleMatcher.VerbMatches(rule, request.Verb))
                {
                    hints.Add(granted + " covers " + RuleText.Resource(request.ApiGroup, request.CombinedResource) + ", but not the verb " + request.Verb);
                }
                else if (!RuleMatcher.ResourceNameMatches(rule, request.Name))
                {
                    hints.Add(granted + " allows " + request.Verb + " only on the objects it names" + (request.Name.Length == 0 ? ", and this request names none" : ", not '" + request.Name + "'"));
                }
            }
        }

        foreach (var binding in policy.BindingsFor(user, null).OfType<RoleBinding>().Where(b => b.Namespace != request.Namespace))
        {
            var (role, rules, _) = policy.ResolveRole(binding);
            var there = request with { Namespace = binding.Namespace };
            if (role is not null && RuleMatcher.RulesAllow(there, rules))
            {
                hints.Add(binding.Display + " -> " + role.Display + " allows this in namespace " + binding.Namespace + " only" + (request.IsResourceRequest ? string.Empty : ", and a non-resource request is never in a namespace"));
            }
        }

        return hints;
    }
}
