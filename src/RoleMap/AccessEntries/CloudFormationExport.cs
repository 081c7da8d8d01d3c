using System.Text;
using System.Text.Json;
using RoleMap.Text;
using RoleMap.Yaml;
using static RoleMap.AccessEntries.Formatting;

namespace RoleMap.AccessEntries;

/// <summary>
/// A CloudFormation template with one <c>AWS::EKS::AccessEntry</c> per entry, its policies inline
/// (<c>AccessPolicies</c>), and the cluster name as a parameter. <c>AWS::EKS::Cluster</c> itself has no property for
/// access entries (only <c>AccessConfig</c>), so the entries are resources of their own, which also works for a
/// cluster that CloudFormation does not manage.
/// </summary>
internal static class CloudFormationExport
{
    public static string Render(MigrationPlan plan, bool json)
    {
        var parameter = new List<KeyValuePair<string, YamlValue>>
        {
            new("Type", YamlValue.Of("String")),
            new("Description", YamlValue.Of("Name of the EKS cluster the access entries belong to.")),
        };
        if (plan.ClusterName is not null)
        {
            parameter.Add(new("Default", YamlValue.Of(plan.ClusterName)));
        }

        var resources = new List<KeyValuePair<string, YamlValue>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in plan.ToCreate)
        {
            var target = entry.Target!;
            var (kind, principal) = PrincipalWords(target.PrincipalArn);
            var id = Identifier(kind + " " + principal, pascal: true);
            var logicalId = Unique("AccessEntry" + (id.Length > 200 ? id[..200] : id), names, string.Empty);
            var properties = new List<KeyValuePair<string, YamlValue>>
            {
                new("ClusterName", new YamlMapping([new("Ref", YamlValue.Of("ClusterName"))])),
                new("PrincipalArn", YamlValue.Of(target.PrincipalArn)),
                new("Type", YamlValue.Of(target.Type.Wire())),
            };
            if (target.Username is not null)
            {
                properties.Add(new("Username", YamlValue.Of(target.Username)));
            }

            if (target.KubernetesGroups.Count > 0)
            {
                properties.Add(new("KubernetesGroups", YamlValue.Of(target.KubernetesGroups)));
            }

            if (target.Policies.Count > 0)
            {
                properties.Add(new("AccessPolicies", new YamlSequence([.. target.Policies.Select(Policy)])));
            }

            resources.Add(new(logicalId, new YamlMapping([
                new("Type", YamlValue.Of("AWS::EKS::AccessEntry")),
                new("Properties", new YamlMapping(properties)),
            ])));
        }

        var template = new YamlMapping([
            new("AWSTemplateFormatVersion", YamlValue.Of("2010-09-09")),
            new("Description", YamlValue.Of("EKS access entries planned by rolemap from " + Printable.Escape(plan.Source))),
            new("Parameters", new YamlMapping([new("ClusterName", new YamlMapping(parameter))])),
            new("Resources", new YamlMapping(resources)),
        ]);

        if (json)
        {
            return JsonText.Write(w => YamlValueJson.Write(w, template));
        }

        var sb = new StringBuilder();
        var comments = AccessEntryExport.Header(plan, "AccessConfig.AuthenticationMode: API_AND_CONFIG_MAP on the AWS::EKS::Cluster, or aws eks update-cluster-config");
        comments.Add("Deploy: aws cloudformation deploy --stack-name <name> --template-file <this file>" + (plan.ClusterName is null ? " --parameter-overrides ClusterName=<cluster>" : string.Empty));
        comments.AddRange(AccessEntryExport.Trailer(plan));
        AccessEntryExport.Comments(sb, comments, "#");
        sb.Append(PlainYamlWriter.Write(template));
        return sb.ToString();
    }

    private static YamlMapping Policy(PolicyAssociation policy)
    {
        var scope = new List<KeyValuePair<string, YamlValue>> { new("Type", YamlValue.Of(policy.Scope.Type)) };
        if (!policy.Scope.IsCluster)
        {
            scope.Add(new("Namespaces", YamlValue.Of(policy.Scope.Namespaces)));
        }

        return new YamlMapping([new("PolicyArn", YamlValue.Of(policy.PolicyArn)), new("AccessScope", new YamlMapping(scope))]);
    }
}
