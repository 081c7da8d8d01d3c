using RoleMap.Rbac;

namespace RoleMap.AccessPolicies;

/// <summary>An AWS-managed EKS access policy: its name, and its rules when AWS publishes them.</summary>
/// <param name="Name">e.g. AmazonEKSViewPolicy.</param>
/// <param name="RulesKnown">False when AWS describes the policy in prose or not at all: decisions that depend on it are unknown.</param>
/// <param name="Rules">The published rules, one per row of the documentation's table, in its order (empty when unknown).</param>
public sealed record AccessPolicyDefinition(string Name, bool RulesKnown, IReadOnlyList<PolicyRule> Rules)
{
    /// <summary>The policy ARN in the given partition.</summary>
    public string Arn(string partition = "aws") => "arn:" + partition + ":eks::aws:cluster-access-policy/" + Name;
}

/// <summary>
/// The AWS-managed access policies shipped as data (AccessPolicyCatalogue.yaml, embedded): the rules the EKS User
/// Guide's access-policy-reference tables publish, and the names of the policies whose rules it does not.
/// </summary>
public static class AccessPolicyCatalogue
{
    /// <summary>Where the rules come from.</summary>
    public const string Source = "Amazon EKS User Guide, access-policy-reference (awsdocs/amazon-eks-user-guide 145543a9, updates up to November 6, 2025)";

    private const string ResourceName = "RoleMap.AccessPolicies.AccessPolicyCatalogue.yaml";
    private const string RulesLabel = "eks.rolemap/rules";

    private static readonly Lazy<Dictionary<string, AccessPolicyDefinition>> Policies = new(Load);

    /// <summary>Every policy in the catalogue, in the file's order.</summary>
    public static IReadOnlyList<AccessPolicyDefinition> All => [.. Policies.Value.Values];

    /// <summary>
    /// The policy an ARN names (<c>arn:PARTITION:eks::aws:cluster-access-policy/NAME</c>), or null when the ARN is
    /// not of that form. A well-formed ARN of a policy the catalogue does not know yields a policy with unknown rules:
    /// AWS adds policies, and an unknown one must never read as "grants nothing".
    /// </summary>
    public static AccessPolicyDefinition? ForArn(string policyArn) =>
        AccessEntries.AccessPolicyNames.NameFromArn(policyArn) is { } name
            ? Policies.Value.TryGetValue(name, out var known) ? known : new AccessPolicyDefinition(name, false, [])
            : null;

    /// <summary>Whether the catalogue lists the policy (published rules or not).</summary>
    public static bool Knows(string name) => Policies.Value.ContainsKey(name);

    private static Dictionary<string, AccessPolicyDefinition> Load()
    {
        using var stream = typeof(AccessPolicyCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the access policy catalogue " + ResourceName + " is missing from the assembly");
        using var reader = new StreamReader(stream);
        var objects = RbacLoader.Load(reader.ReadToEnd(), "access policy catalogue");
        return objects.ClusterRoles.ToDictionary(
            r => r.Name,
            r => new AccessPolicyDefinition(r.Name, r.Labels.TryGetValue(RulesLabel, out var rules) && rules == "published", r.Rules),
            StringComparer.Ordinal);
    }
}
