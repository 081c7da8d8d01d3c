using RoleMap.AwsAuth;

namespace RoleMap.Rbac;

/// <summary>A binding that applies to the identity: the subject that matched, the role and its rules (or why there are none).</summary>
public sealed record AppliedBinding(Binding Binding, Subject MatchedSubject, RbacObject? Role, IReadOnlyList<PolicyRule> Rules, string? Error);

/// <summary>The whole chain for an IAM caller: aws-auth resolution, the Kubernetes identity, bindings, roles, rules, and a decision when asked.</summary>
/// <param name="User">The identity the API server sees; null when aws-auth does not map the caller (EKS answers 401).</param>
/// <param name="Scope">The namespace whose RoleBindings are shown: null for every namespace, "" for cluster scope only.</param>
public sealed record Explanation(ResolveResult Resolution, UserInfo? User, string? Scope, IReadOnlyList<AppliedBinding> Bindings, CanIResult? Check);

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
        if (resolution.Mapping is not { } mapping)
        {
            return new Explanation(resolution, null, ns, [], null);
        }

        var user = Identities.Authenticated(mapping.Username, mapping.Groups);
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

        return new Explanation(resolution, user, scope, bindings, check);
    }
}
