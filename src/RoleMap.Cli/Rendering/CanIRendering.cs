using System.Text;
using RoleMap.AccessPolicies;
using RoleMap.UseCases;

namespace RoleMap.Cli.Rendering;

/// <summary>can-i's answers as text.</summary>
internal static class CanIRendering
{
    public static string Text(CanIReport report, ResolvedIdentity who)
    {
        var sb = new StringBuilder();
        sb.Append(Answer(report.Verdict)).Append('\n');
        AccessText.Line(sb, "request", AccessQueries.Describe(report.Result.Chosen.Request));
        AccessText.Line(sb, "identity", who.Describe());
        AccessText.Line(sb, "reason", report.Eks.Reason);
        AccessText.Notes(sb, report.Notes);
        return sb.ToString();
    }

    /// <summary>yes, no or unknown.</summary>
    public static string Answer(Verdict verdict) => verdict switch
    {
        Verdict.Yes => "yes",
        Verdict.Unknown => "unknown",
        _ => "no",
    };

    /// <summary>The answer for a caller EKS rejects; <paramref name="withAnswer"/> starts with "no".</summary>
    public static string Unmapped(ResolvedIdentity who, bool withAnswer) =>
        (withAnswer ? "no\n" : string.Empty) + "identity: " + who.Origin + "\nreason:   " + who.Unmapped + "\n";

    public static string List(RuleListReport report, ResolvedIdentity who, string ns)
    {
        var sb = new StringBuilder();
        sb.Append(Table.Format(report.Rows, padding: 3, minWidth: 10));
        sb.Append('\n');
        foreach (var listing in report.Policies.Where(p => p.Rows is not null))
        {
            // kubectl's list shows RBAC's rules only; EKS also authorizes with these.
            sb.Append("access policy ").Append(listing.Association.Name).Append(" (").Append(listing.Association.Scope).Append("; EKS authorizes with it after RBAC):\n");
            sb.Append(Table.Format(listing.Rows!, padding: 3, minWidth: 10));
            sb.Append('\n');
        }

        AccessText.Line(sb, "namespace", ns + " (ClusterRoleBindings, and RoleBindings in " + ns + ")");
        AccessText.Line(sb, "identity", who.Describe());
        AccessText.Notes(sb, report.Notes);
        return sb.ToString();
    }
}
