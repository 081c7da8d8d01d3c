using System.Text.Json;

namespace RoleMap.AccessEntries;

/// <summary>
/// The requests as JSON: each item of <c>createAccessEntry</c> and <c>associateAccessPolicy</c> is the input of that
/// API call (for the raw API, <c>clusterName</c> and, for associations, <c>principalArn</c> go into the URI), so
/// <c>aws eks create-access-entry --cli-input-json</c> takes an item as it is. <c>notExported</c> lists the entries
/// that need attention. rolemap reads this file back with <c>--access-entries</c>, to see the cluster as it will be.
/// </summary>
internal static class JsonExport
{
    public static string Render(MigrationPlan plan)
    {
        var document = new JsonExportDocument(
            plan.ClusterName,
            plan.Source,
            [.. plan.ToCreate.Select(e => CreateAccessEntryInput.From(e.Target!, plan.ClusterName))],
            [.. plan.ToCreate.Select(e => e.Target!).SelectMany(t => t.Policies.Select(p => AssociateAccessPolicyInput.From(t.PrincipalArn, p, plan.ClusterName)))],
            [.. plan.Entries.Where(e => e.Status == PlanStatus.NeedsAttention).Select(e => new NotExportedEntry(e.Label, e.Written, [.. e.Findings.Select(f => new NotExportedFinding(f.Rule, f.Message, f.Fix))]))],
            [.. plan.ToCreate.Select(e => e.Label)]);
        return JsonSerializer.Serialize(document, ApiInputJsonContext.Indented.JsonExportDocument) + "\n";
    }
}
