using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.Rbac;

namespace RoleMap.Tests.AccessPolicies;

/// <summary>
/// The access-policy catalogue against the EKS User Guide's access-policy-reference tables: one case per family of
/// rows, allowed and denied, and the policies whose rules AWS does not publish.
/// </summary>
public class CatalogueTests
{
    public static TheoryData<string, string, string, string, string, bool> Table => new()
    {
        // policy, verb, group, resource (with subresource), namespace, allowed
        { "AmazonEKSClusterAdminPolicy", "delete", "", "nodes", "", true },
        { "AmazonEKSClusterAdminPolicy", "escalate", "rbac.authorization.k8s.io", "clusterroles", "", true },
        { "AmazonEKSAdminPolicy", "create", "apps", "deployments", "dev", true },
        { "AmazonEKSAdminPolicy", "update", "apps", "deployments/scale", "dev", true },
        { "AmazonEKSAdminPolicy", "create", "authorization.k8s.io", "localsubjectaccessreviews", "dev", true },
        { "AmazonEKSAdminPolicy", "create", "rbac.authorization.k8s.io", "rolebindings", "dev", true },
        { "AmazonEKSAdminPolicy", "bind", "rbac.authorization.k8s.io", "roles", "dev", false },
        { "AmazonEKSAdminPolicy", "create", "", "pods/exec", "dev", true },
        { "AmazonEKSAdminPolicy", "get", "", "secrets", "dev", true },
        { "AmazonEKSAdminPolicy", "impersonate", "", "serviceaccounts", "dev", true },
        { "AmazonEKSAdminPolicy", "create", "", "namespaces", "", false },
        { "AmazonEKSAdminPolicy", "create", "", "resourcequotas", "dev", false },
        { "AmazonEKSEditPolicy", "create", "batch", "cronjobs", "dev", true },
        { "AmazonEKSEditPolicy", "create", "rbac.authorization.k8s.io", "rolebindings", "dev", false },
        { "AmazonEKSEditPolicy", "create", "authorization.k8s.io", "localsubjectaccessreviews", "dev", false },
        { "AmazonEKSEditPolicy", "get", "", "secrets", "dev", true },
        { "AmazonEKSEditPolicy", "delete", "networking.k8s.io", "networkpolicies", "dev", true },
        { "AmazonEKSEditPolicy", "get", "discovery.k8s.io", "endpointslices", "dev", true },
        { "AmazonEKSViewPolicy", "list", "", "pods", "dev", true },
        { "AmazonEKSViewPolicy", "get", "", "pods/log", "dev", true },
        { "AmazonEKSViewPolicy", "get", "", "secrets", "dev", false },
        { "AmazonEKSViewPolicy", "create", "", "pods/exec", "dev", false },
        { "AmazonEKSViewPolicy", "get", "", "services/proxy", "dev", false },
        { "AmazonEKSViewPolicy", "watch", "policy", "poddisruptionbudgets", "dev", true },
        { "AmazonEKSViewPolicy", "update", "apps", "deployments", "dev", false },
        { "AmazonEKSAdminViewPolicy", "get", "", "secrets", "dev", true },
        { "AmazonEKSAdminViewPolicy", "list", "example.com", "widgets", "", true },
        { "AmazonEKSAdminViewPolicy", "delete", "", "pods", "dev", false },
        { "AmazonEKSSecretReaderPolicy", "watch", "", "secrets", "dev", true },
        { "AmazonEKSSecretReaderPolicy", "get", "", "configmaps", "dev", false },
        { "AmazonEKSHybridPolicy", "list", "", "nodes", "", true },
        { "AmazonEKSHybridPolicy", "get", "", "nodes", "", false },
        { "AmazonARCRegionSwitchScalingPolicy", "update", "apps", "deployments/scale", "dev", true },
        { "AmazonARCRegionSwitchScalingPolicy", "get", "apps", "deployments/status", "dev", true },
        { "AmazonARCRegionSwitchScalingPolicy", "patch", "autoscaling", "horizontalpodautoscalers", "dev", true },
        { "AmazonARCRegionSwitchScalingPolicy", "update", "apps", "deployments", "dev", false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Published_rules_allow_what_the_tables_list(string policy, string verb, string group, string resource, string ns, bool allowed)
    {
        var definition = AccessPolicyCatalogue.ForArn(AccessPolicyNames.Arn("aws", policy))!;
        Assert.True(definition.RulesKnown, policy);
        var parts = resource.Split('/');
        var request = Attributes.ForResource(verb, group, parts[0], parts.Length > 1 ? parts[1] : string.Empty, ns: ns);
        Assert.Equal(allowed, RuleMatcher.RulesAllow(request, definition.Rules));
    }

    [Fact]
    public void Cluster_admin_allows_every_non_resource_url()
    {
        var admin = AccessPolicyCatalogue.ForArn(AccessPolicyNames.Arn("aws", AccessPolicyNames.ClusterAdmin))!;
        Assert.True(RuleMatcher.RulesAllow(Attributes.ForUrl("get", "/healthz"), admin.Rules));
        Assert.False(RuleMatcher.RulesAllow(Attributes.ForUrl("get", "/healthz"), AccessPolicyCatalogue.ForArn(AccessPolicyNames.Arn("aws", AccessPolicyNames.View))!.Rules));
    }

    [Theory]
    [InlineData("AmazonEKSAdminPolicy", 22)]
    [InlineData("AmazonEKSEditPolicy", 20)]
    [InlineData("AmazonEKSViewPolicy", 10)]
    [InlineData("AmazonEKSClusterAdminPolicy", 2)]
    [InlineData("AmazonEKSAdminViewPolicy", 1)]
    [InlineData("AmazonEKSSecretReaderPolicy", 1)]
    [InlineData("AmazonEKSHybridPolicy", 1)]
    [InlineData("AmazonARCRegionSwitchScalingPolicy", 3)]
    public void Each_table_row_is_one_rule(string policy, int rows) =>
        Assert.Equal(rows, AccessPolicyCatalogue.All.Single(p => p.Name == policy).Rules.Count);

    [Theory]
    [InlineData("AmazonEKSAutoNodePolicy")]
    [InlineData("AmazonEKSComputePolicy")]
    [InlineData("AmazonEKSBlockStorageClusterPolicy")]
    [InlineData("AmazonEKSClusterInsightsPolicy")]
    [InlineData("AmazonEMRJobPolicy")]
    [InlineData("AmazonEKSArgoCDClusterPolicy")]
    [InlineData("AmazonSagemakerHyperpodClusterPolicy")]
    public void Policies_described_in_prose_or_not_at_all_have_unknown_rules(string policy)
    {
        Assert.True(AccessPolicyCatalogue.Knows(policy));
        var definition = AccessPolicyCatalogue.ForArn(AccessPolicyNames.Arn("aws", policy))!;
        Assert.False(definition.RulesKnown);
        Assert.Empty(definition.Rules);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("aws-cn")]
    [InlineData("aws-us-gov")]
    public void Policy_arns_have_the_account_aws_in_every_partition(string partition)
    {
        var arn = "arn:" + partition + ":eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
        Assert.Equal("AmazonEKSViewPolicy", AccessPolicyCatalogue.ForArn(arn)!.Name);
        Assert.Equal(arn, AccessPolicyCatalogue.ForArn(arn)!.Arn(partition));
    }

    [Theory]
    [InlineData("arn:aws:eks::aws:cluster-access-policy/AmazonEKSFuturePolicy", true)]
    [InlineData("arn:aws:eks::111122223333:cluster-access-policy/AmazonEKSViewPolicy", false)]
    [InlineData("arn:aws:iam::aws:policy/AmazonEKSViewPolicy", false)]
    [InlineData("arn:nope:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", false)]
    [InlineData("AmazonEKSViewPolicy", false)]
    [InlineData("arn:aws:eks::aws:cluster-access-policy/", false)]
    public void A_well_formed_arn_of_a_policy_not_in_the_catalogue_has_unknown_rules(string arn, bool wellFormed)
    {
        var definition = AccessPolicyCatalogue.ForArn(arn);
        Assert.Equal(wellFormed, definition is not null);
        if (definition is not null)
        {
            Assert.False(definition.RulesKnown);
        }
    }
}
