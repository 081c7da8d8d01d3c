namespace RoleMap.Rbac;

/// <summary>One evaluation: the attributes asked and the decision.</summary>
public sealed record CheckOutcome(PreparedRequest Request, Decision Decision);

/// <summary>The answer to can-i in the chosen mode, and what the other mode would answer.</summary>
public sealed record CanIResult(UserInfo User, ParsedQuery Query, EvaluationMode Mode, CheckOutcome Chosen, CheckOutcome Other)
{
    public bool Allowed => Chosen.Decision.Allowed;

    /// <summary>True when request mode and SAR mode (kubectl auth can-i) give different answers.</summary>
    public bool ModesDiffer => Chosen.Decision.Allowed != Other.Decision.Allowed;
}

/// <summary>can-i: evaluates a question in both modes and reports the chosen one.</summary>
public static class CanI
{
    public static CanIResult Evaluate(RbacPolicy policy, UserInfo user, ParsedQuery query, EvaluationMode mode)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(query);
        var chosen = query.In(mode);
        var other = query.In(mode == EvaluationMode.Request ? EvaluationMode.Sar : EvaluationMode.Request);
        return new CanIResult(
            user,
            query,
            mode,
            new CheckOutcome(chosen, policy.Authorize(user, chosen.Attributes)),
            new CheckOutcome(other, policy.Authorize(user, other.Attributes)));
    }
}

/// <summary>What rolemap does not evaluate, said in every answer.</summary>
public static class NotModelled
{
    public const string Summary =
        "not modelled: the Node authorizer (system:nodes), authorization webhooks, and admission control; evaluated: system:masters, RBAC, and the access policies of EKS access entries given with --access-entries";

    /// <summary>A note for identities another authorizer serves, when the identity is one.</summary>
    public static string? For(UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.InGroup("system:nodes") || user.Name.StartsWith("system:node:", StringComparison.Ordinal)
            ? "this identity is a node (system:nodes): the Node authorizer, not modelled here, grants it what its pods need (their secrets, configmaps, volumes, its own Node and Lease); RBAC alone answers less"
            : null;
    }

    public static IReadOnlyList<string> Items { get; } =
    [
        "Node authorizer",
        "authorization webhooks",
        "admission control",
    ];
}
