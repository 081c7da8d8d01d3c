using System.Text.Json;
using RoleMap.Text;
using static RoleMap.AccessEntries.Formatting;

namespace RoleMap.AccessEntries;

/// <summary>
/// The requests as JSON: each item of <c>createAccessEntry</c> and <c>associateAccessPolicy</c> is the input of that
/// API call (for the raw API, <c>clusterName</c> and, for associations, <c>principalArn</c> go into the URI), so
/// <c>aws eks create-access-entry --cli-input-json</c> takes an item as it is. <c>notExported</c> lists the entries
/// that need attention. rolemap reads this file back with <c>--access-entries</c>, to see the cluster as it will be.
/// </summary>
internal static class JsonExport
{
    public static string Render(MigrationPlan plan) => JsonText.Write(w =>
    {
        w.WriteStartObject();
        if (plan.ClusterName is null)
        {
            w.WriteNull("clusterName");
        }
        else
        {
            w.WriteString("clusterName", plan.ClusterName);
        }

        w.WriteString("source", plan.Source);
        w.WriteStartArray("createAccessEntry");
        foreach (var entry in plan.ToCreate)
        {
            var target = entry.Target!;
            w.WriteStartObject();
            Cluster(w, plan);
            WriteCreateInput(w, target);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("associateAccessPolicy");
        foreach (var target in plan.ToCreate.Select(e => e.Target!))
        {
            foreach (var policy in target.Policies)
            {
                w.WriteStartObject();
                Cluster(w, plan);
                WriteAssociateInput(w, target.PrincipalArn, policy);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("notExported");
        foreach (var entry in plan.Entries.Where(e => e.Status == PlanStatus.NeedsAttention))
        {
            w.WriteStartObject();
            w.WriteString("source", entry.Label);
            w.WriteString("written", entry.Written);
            w.WriteStartArray("findings");
            foreach (var finding in entry.Findings)
            {
                w.WriteStartObject();
                w.WriteString("rule", finding.Rule);
                w.WriteString("message", finding.Message);
                if (finding.Fix is not null)
                {
                    w.WriteString("fix", finding.Fix);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteStrings(w, "deleteFromAwsAuthAfterCreate", plan.ToCreate.Select(e => e.Label));
        w.WriteEndObject();
    });

    private static void Cluster(Utf8JsonWriter w, MigrationPlan plan)
    {
        if (plan.ClusterName is not null)
        {
            w.WriteString("clusterName", plan.ClusterName);
        }
    }
}
