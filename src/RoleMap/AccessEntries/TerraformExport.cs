using System.Globalization;
using System.Text;
using static RoleMap.AccessEntries.Formatting;

namespace RoleMap.AccessEntries;

/// <summary>
/// Terraform for the AWS provider: one <c>aws_eks_access_entry</c> per entry and one
/// <c>aws_eks_access_policy_association</c> per policy, laid out exactly as <c>terraform fmt</c> writes it
/// (two-space indent, the <c>=</c> of adjacent attributes aligned, one blank line between blocks).
/// </summary>
internal static class TerraformExport
{
    public static string Render(MigrationPlan plan)
    {
        var sb = new StringBuilder();
        AccessEntryExport.Comments(sb, AccessEntryExport.Header(plan, "authentication_mode = \"API_AND_CONFIG_MAP\" in the aws_eks_cluster's access_config"), "#");
        var cluster = plan.ClusterName is null ? "var.cluster_name" : Quote(plan.ClusterName);
        if (plan.ClusterName is null)
        {
            sb.Append('\n');
            Block(sb, "variable \"cluster_name\"", [("description", Quote("Name of the EKS cluster the access entries belong to.")), ("type", "string")]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in plan.ToCreate)
        {
            var target = entry.Target!;
            var name = Unique(ResourceName(target.PrincipalArn), names, "_");
            sb.Append('\n');
            AccessEntryExport.Comments(sb, [AccessEntryExport.Describe(entry)], "#");
            var attributes = new List<(string, string)>
            {
                ("cluster_name", cluster),
                ("principal_arn", Quote(target.PrincipalArn)),
                ("type", Quote(target.Type.Wire())),
            };
            if (target.Username is not null)
            {
                attributes.Add(("user_name", Quote(target.Username)));
            }

            if (target.KubernetesGroups.Count > 0)
            {
                attributes.Add(("kubernetes_groups", "[" + string.Join(", ", target.KubernetesGroups.Select(Quote)) + "]"));
            }

            Block(sb, "resource \"aws_eks_access_entry\" \"" + name + "\"", attributes);
            foreach (var policy in target.Policies)
            {
                var association = Unique(name + "_" + PolicyWord(policy.Name), names, "_");
                sb.Append('\n');
                sb.Append("resource \"aws_eks_access_policy_association\" \"").Append(association).Append("\" {\n");
                Attributes(sb, "  ", [
                    ("cluster_name", "aws_eks_access_entry." + name + ".cluster_name"),
                    ("principal_arn", "aws_eks_access_entry." + name + ".principal_arn"),
                    ("policy_arn", Quote(policy.PolicyArn)),
                ]);
                sb.Append('\n');
                sb.Append("  access_scope {\n");
                var scope = new List<(string, string)> { ("type", Quote(policy.Scope.Type)) };
                if (!policy.Scope.IsCluster)
                {
                    scope.Add(("namespaces", "[" + string.Join(", ", policy.Scope.Namespaces.Select(Quote)) + "]"));
                }

                Attributes(sb, "    ", scope);
                sb.Append("  }\n");
                sb.Append("}\n");
            }
        }

        var trailer = AccessEntryExport.Trailer(plan);
        if (trailer.Count > 0)
        {
            sb.Append('\n');
            AccessEntryExport.Comments(sb, trailer, "#");
        }

        return sb.ToString();
    }

    /// <summary>An HCL quoted string: escapes, and <c>${</c> / <c>%{</c> doubled so no value can start an interpolation.</summary>
    internal static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var next = i + 1 < value.Length ? value[i + 1] : '\0';
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '$' or '%' when next == '{': sb.Append(c).Append(c); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static void Block(StringBuilder sb, string header, List<(string Name, string Value)> attributes)
    {
        sb.Append(header).Append(" {\n");
        Attributes(sb, "  ", attributes);
        sb.Append("}\n");
    }

    /// <summary>Adjacent one-line attributes, their <c>=</c> aligned as terraform fmt aligns them.</summary>
    private static void Attributes(StringBuilder sb, string indent, List<(string Name, string Value)> attributes)
    {
        var width = attributes.Max(a => a.Name.Length);
        foreach (var (name, value) in attributes)
        {
            sb.Append(indent).Append(name.PadRight(width)).Append(" = ").Append(value).Append('\n');
        }
    }

    /// <summary>A resource name from the principal: its kind and name, e.g. <c>role_ops</c>.</summary>
    private static string ResourceName(string principalArn)
    {
        var (kind, name) = PrincipalWords(principalArn);
        var word = Identifier(name, pascal: false);
        return kind + "_" + (word.Length == 0 ? "principal" : word);
    }

    /// <summary><c>AmazonEKSClusterAdminPolicy</c> becomes <c>cluster_admin</c>.</summary>
    private static string PolicyWord(string policyName)
    {
        var core = policyName;
        core = core.StartsWith("AmazonEKS", StringComparison.Ordinal) ? core[9..] : core;
        core = core.EndsWith("Policy", StringComparison.Ordinal) && core.Length > 6 ? core[..^6] : core;
        var sb = new StringBuilder();
        foreach (var c in core)
        {
            if (char.IsAsciiLetterUpper(c) && sb.Length > 0)
            {
                sb.Append('_');
            }

            sb.Append(c);
        }

        var word = Identifier(sb.ToString(), pascal: false);
        return word.Length == 0 ? "policy" : word;
    }
}
