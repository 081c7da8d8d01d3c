using RoleMap.Text;
using System.Text;
using static RoleMap.AccessEntries.Formatting;

namespace RoleMap.AccessEntries;

/// <summary>The formats the planned access entries can be exported in.</summary>
public enum ExportFormat
{
    /// <summary>A POSIX shell script of <c>aws eks create-access-entry</c> and <c>associate-access-policy</c> commands.</summary>
    Cli,

    /// <summary>The request inputs of CreateAccessEntry and AssociateAccessPolicy, as JSON.</summary>
    Json,

    /// <summary><c>aws_eks_access_entry</c> and <c>aws_eks_access_policy_association</c> resources.</summary>
    Terraform,

    /// <summary>A CloudFormation template of <c>AWS::EKS::AccessEntry</c> resources, in YAML.</summary>
    CloudFormation,

    /// <summary>The same template in JSON.</summary>
    CloudFormationJson,
}

/// <summary>
/// Exports the convertible entries of a plan. Entries that need attention are not exported; every format says
/// which they are (as comments, or in <c>notExported</c> for JSON), and which aws-auth entries can go afterwards.
/// </summary>
public static class AccessEntryExport
{
    public static IReadOnlyList<string> FormatNames { get; } = ["cli", "json", "terraform", "cloudformation", "cloudformation-json"];

    public static ExportFormat ParseFormat(string name) => name switch
    {
        "cli" => ExportFormat.Cli,
        "json" => ExportFormat.Json,
        "terraform" => ExportFormat.Terraform,
        "cloudformation" => ExportFormat.CloudFormation,
        "cloudformation-json" => ExportFormat.CloudFormationJson,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "expected one of " + string.Join(", ", FormatNames)),
    };

    public static string Render(MigrationPlan plan, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return format switch
        {
            ExportFormat.Cli => CliExport.Render(plan),
            ExportFormat.Json => JsonExport.Render(plan),
            ExportFormat.Terraform => TerraformExport.Render(plan),
            ExportFormat.CloudFormation => CloudFormationExport.Render(plan, json: false),
            ExportFormat.CloudFormationJson => CloudFormationExport.Render(plan, json: true),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>The first comment lines of a script or file: what it is and what must be true before it is applied.</summary>
    internal static List<string> Header(MigrationPlan plan, string modeHint) =>
    [
        "EKS access entries planned by rolemap from " + Printable.Escape(plan.Source) + ".",
        "Apply them once the cluster's authentication mode includes the API (API_AND_CONFIG_MAP or API):",
        "  " + modeHint,
    ];

    /// <summary>Comment lines on what was not exported and what can be deleted from aws-auth afterwards.</summary>
    internal static List<string> Trailer(MigrationPlan plan)
    {
        var lines = new List<string>();
        var attention = plan.Entries.Where(e => e.Status == PlanStatus.NeedsAttention).ToList();
        if (attention.Count > 0)
        {
            lines.Add("Not exported, needs attention (see 'rolemap access-entries plan'):");
            lines.AddRange(attention.Select(e => "  " + Printable.Escape(e.Label + " " + e.Written + ": [" + e.Findings[0].Rule + "] " + e.Findings[0].Message)));
        }

        var skipped = plan.Count(PlanStatus.Skip);
        if (skipped > 0)
        {
            lines.Add("Skipped: " + skipped + " (" + string.Join(", ", plan.Entries.Where(e => e.Status == PlanStatus.Skip).Select(e => Printable.Escape(e.Label))) + "); the plan says why.");
        }

        var delete = plan.ToCreate.ToList();
        if (delete.Count > 0)
        {
            lines.Add("Once these access entries exist, these aws-auth entries can be deleted: " + string.Join(", ", delete.Select(e => Printable.Escape(e.Label + " " + e.Written))) + ".");
        }

        return lines;
    }

    internal static void Comments(StringBuilder sb, IEnumerable<string> lines, string marker)
    {
        foreach (var line in lines)
        {
            sb.Append(marker);
            if (line.Length > 0)
            {
                sb.Append(' ').Append(Printable.Escape(line));
            }

            sb.Append('\n');
        }
    }

    /// <summary>A short note on what an exported entry replaces, for a comment above it.</summary>
    internal static string Describe(PlanEntry entry)
    {
        var text = entry.Label + " " + entry.Written;
        var masters = entry.Mapping?.Groups.Contains(AwsAuth.StandardEntries.Masters, StringComparer.Ordinal) == true;
        return masters ? text + " (system:masters -> " + AccessPolicyNames.ClusterAdmin + ")" : text;
    }
}
