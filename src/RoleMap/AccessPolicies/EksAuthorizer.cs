using RoleMap.AccessEntries;
using RoleMap.Rbac;

namespace RoleMap.AccessPolicies;

/// <summary>EKS's answer: yes, no, or unknown (a policy whose rules AWS does not publish could allow it).</summary>
public enum Verdict
{
    No,
    Yes,
    Unknown,
}

/// <summary>An access policy rule that allows a request, through an association and its scope.</summary>
public sealed record PolicyGrant(PolicyAssociation Association, AccessPolicyDefinition Policy, int RuleIndex)
{
    public PolicyRule Rule => Policy.Rules[RuleIndex];

    public override string ToString() =>
        "access policy " + Policy.Name + " (" + Association.Scope + ") row " + (RuleIndex + 1) + " of its table: " + Rule;
}

/// <summary>
/// The EKS authorizer chain for one request: system:masters and RBAC (<paramref name="Rbac"/>), then the access
/// policies associated with the caller's access entry. No authorizer denies, so any allow wins.
/// </summary>
/// <param name="Rbac">RBAC's decision (with the privileged group).</param>
/// <param name="AllowedByPolicy">The first policy rule that allows the request, when RBAC did not.</param>
/// <param name="Undecided">In-scope policies whose rules are unknown, when nothing allowed the request.</param>
public sealed record EksDecision(Decision Rbac, PolicyGrant? AllowedByPolicy, IReadOnlyList<PolicyAssociation> Undecided)
{
    public Verdict Verdict => Rbac.Allowed || AllowedByPolicy is not null ? Verdict.Yes : Undecided.Count > 0 || PoliciesUnknown ? Verdict.Unknown : Verdict.No;

    public string Reason => Rbac.Allowed
        ? Rbac.Reason
        : AllowedByPolicy is { } grant
            ? "allowed by " + grant + " (the EKS authorizer, after RBAC allowed nothing)"
            : PoliciesUnknown
                ? Rbac.Reason + "; the input does not give all of the access entry (its policies: 'aws eks list-associated-access-policies' output; its username and groups: 'aws eks describe-access-entry' output), so EKS may still allow it"
                : Undecided.Count > 0
                    ? Rbac.Reason + ", and it depends on " + string.Join(", ", Undecided.Select(p => p.Name + " (" + p.Scope + ")")) + ", whose rules AWS does not publish"
                    : Rbac.Reason + (Policies ? " and no associated access policy allows it" : string.Empty);

    /// <summary>True when the caller had access policies to consult.</summary>
    public bool Policies { get; init; }

    /// <summary>True when the caller has an access entry whose policies the input does not give.</summary>
    public bool PoliciesUnknown { get; init; }
}

/// <summary>Access scopes: where an association applies.</summary>
public static class Scopes
{
    /// <summary>
    /// Whether an association with <paramref name="scope"/> applies to a request in <paramref name="requestNamespace"/>
    /// ("" for cluster-scoped resources, all namespaces, and non-resource URLs). A cluster scope applies everywhere. A
    /// namespace scope applies to requests in a listed namespace, where a trailing <c>*</c> is a prefix match
    /// (<c>dev-*</c>, the only wildcard AWS documents); like a RoleBinding, it never reaches cluster scope.
    /// </summary>
    public static bool Applies(AccessScope scope, string requestNamespace)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(requestNamespace);
        if (scope.IsCluster)
        {
            return true;
        }

        return requestNamespace.Length > 0 && scope.Namespaces.Any(pattern => pattern.EndsWith('*')
            ? requestNamespace.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : pattern == requestNamespace);
    }
}

/// <summary>
/// EKS authorization as the EKS User Guide describes it: the API server allows <c>system:masters</c>, then RBAC
/// decides for the username and groups, then the EKS authorizer checks the access policies associated with the
/// caller's access entry within their scopes. Allows are unioned; nothing denies. A request that only a policy
/// with unpublished rules could allow is <see cref="Verdict.Unknown"/>.
/// </summary>
public static class EksAuthorizer
{
    /// <param name="policies">The access entry's associations; null or empty for callers without an access entry
    /// (aws-auth, impersonation): RBAC alone decides.</param>
    /// <param name="policiesUnknown">The caller has an access entry whose associations the input does not give.</param>
    public static EksDecision Authorize(RbacPolicy rbac, UserInfo user, Attributes request, IReadOnlyList<PolicyAssociation>? policies, bool policiesUnknown = false) =>
        Authorize(rbac.Authorize(user, request), request, policies, policiesUnknown);

    /// <summary>The same, from RBAC's decision already made.</summary>
    public static EksDecision Authorize(Decision decision, Attributes request, IReadOnlyList<PolicyAssociation>? policies, bool policiesUnknown = false)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(request);
        if (decision.Allowed || policies is null || policies.Count == 0)
        {
            return new EksDecision(decision, null, []) { Policies = policies is { Count: > 0 }, PoliciesUnknown = !decision.Allowed && policiesUnknown };
        }

        var undecided = new List<PolicyAssociation>();
        foreach (var association in policies.Where(p => Scopes.Applies(p.Scope, request.Namespace)))
        {
            var policy = AccessPolicyCatalogue.ForArn(association.PolicyArn);
            if (policy is null || !policy.RulesKnown)
            {
                undecided.Add(association);
                continue;
            }

            for (var i = 0; i < policy.Rules.Count; i++)
            {
                if (RuleMatcher.RuleAllows(request, policy.Rules[i]))
                {
                    return new EksDecision(decision, new PolicyGrant(association, policy, i), []) { Policies = true };
                }
            }
        }

        return new EksDecision(decision, null, undecided) { Policies = true, PoliciesUnknown = policiesUnknown };
    }
}
