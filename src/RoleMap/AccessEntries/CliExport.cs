using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RoleMap.Text;
using static RoleMap.AccessEntries.Formatting;

namespace RoleMap.AccessEntries;

/// <summary>
/// A POSIX shell script of AWS CLI calls. Every value is shell-quoted unless it is made of characters the shell
/// never interprets. A value the AWS CLI itself could misread (one starting with '-', 'file://' or 'http://', a list
/// item with ',' or brackets, a control character) makes the whole call use <c>--cli-input-json</c> instead.
/// </summary>
internal static partial class CliExport
{
    public static string Render(MigrationPlan plan)
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        var cluster = plan.ClusterName is null ? "<cluster>" : plan.ClusterName;
        AccessEntryExport.Comments(sb, AccessEntryExport.Header(plan, "aws eks update-cluster-config --name " + cluster + " --access-config authenticationMode=API_AND_CONFIG_MAP"), "#");
        sb.Append("set -eu\n");
        sb.Append("export AWS_PAGER=''\n");
        if (plan.ClusterName is null)
        {
            sb.Append(": \"${CLUSTER_NAME:?set CLUSTER_NAME to the name of the cluster, or export with --cluster-name}\"\n");
        }
        else
        {
            sb.Append("CLUSTER_NAME=").Append(Shell(plan.ClusterName)).Append('\n');
        }

        foreach (var entry in plan.ToCreate)
        {
            var target = entry.Target!;
            sb.Append('\n');
            AccessEntryExport.Comments(sb, [AccessEntryExport.Describe(entry)], "#");
            CreateAccessEntry(sb, target);
            foreach (var policy in target.Policies)
            {
                AssociateAccessPolicy(sb, target.PrincipalArn, policy);
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

    private static void CreateAccessEntry(StringBuilder sb, AccessEntry entry)
    {
        sb.Append("aws eks create-access-entry --cluster-name \"$CLUSTER_NAME\"");
        var safe = CliSafe(entry.PrincipalArn) && (entry.Username is null || CliSafe(entry.Username)) && entry.KubernetesGroups.All(CliSafeListItem);
        if (!safe)
        {
            sb.Append(" --cli-input-json ").Append(Shell(JsonSerializer.Serialize(CreateAccessEntryInput.From(entry, null), ApiInputJsonContext.Compact.CreateAccessEntryInput))).Append('\n');
            return;
        }

        sb.Append(" --principal-arn ").Append(Shell(entry.PrincipalArn));
        sb.Append(" --type ").Append(entry.Type.Wire());
        if (entry.Username is not null)
        {
            sb.Append(" --username ").Append(Shell(entry.Username));
        }

        if (entry.KubernetesGroups.Count > 0)
        {
            sb.Append(" --kubernetes-groups");
            foreach (var group in entry.KubernetesGroups)
            {
                sb.Append(' ').Append(Shell(group));
            }
        }

        sb.Append('\n');
    }

    private static void AssociateAccessPolicy(StringBuilder sb, string principalArn, PolicyAssociation policy)
    {
        sb.Append("aws eks associate-access-policy --cluster-name \"$CLUSTER_NAME\"");
        if (!CliSafe(principalArn) || !CliSafe(policy.PolicyArn) || !policy.Scope.Namespaces.All(n => NamespaceItem().IsMatch(n)))
        {
            sb.Append(" --cli-input-json ").Append(Shell(JsonSerializer.Serialize(AssociateAccessPolicyInput.From(principalArn, policy, null), ApiInputJsonContext.Compact.AssociateAccessPolicyInput))).Append('\n');
            return;
        }

        var scope = policy.Scope.IsCluster ? "type=cluster" : "type=namespace,namespaces=" + string.Join(',', policy.Scope.Namespaces);
        sb.Append(" --principal-arn ").Append(Shell(principalArn));
        sb.Append(" --policy-arn ").Append(Shell(policy.PolicyArn));
        sb.Append(" --access-scope ").Append(Shell(scope)).Append('\n');
    }

    /// <summary>A word the shell passes through unchanged: bare when made only of inert characters, else single-quoted.</summary>
    internal static string Shell(string value) =>
        value.Length > 0 && ShellBare().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A string parameter the AWS CLI takes literally: not an option lookalike, not a paramfile prefix (which would make
    /// it read a file or URL), and one line.
    /// </summary>
    internal static bool CliSafe(string value) =>
        value.Length > 0 && value[0] != '-'
        && !ParamFilePrefix().IsMatch(value)
        && !value.Any(char.IsControl);

    /// <summary>A list item the AWS CLI takes literally: also no JSON or shorthand syntax.</summary>
    internal static bool CliSafeListItem(string value) => CliSafe(value) && ShorthandItem().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9_./:=@+%-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ShellBare();

    [GeneratedRegex("^(file|fileb|http|https)://", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ParamFilePrefix();

    [GeneratedRegex("^[A-Za-z0-9_.:/@+-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ShorthandItem();

    [GeneratedRegex("^[A-Za-z0-9.*-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceItem();
}
