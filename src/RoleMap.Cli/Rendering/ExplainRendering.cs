using System.Text;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli.Rendering;

/// <summary>explain's chain as text: caller, canonical ARN, the entry that authenticated it, the bindings, the decision.</summary>
internal static class ExplainRendering
{
    public static string Text(ExplainReport report)
    {
        var e = report.Explanation;
        var sb = new StringBuilder();
        var r = e.Resolution;
        AccessText.Line(sb, "caller", r.Arn);
        AccessText.Line(sb, "canonical", r.Canonical.Canonical + (r.Canonical.Canonical == r.Arn ? string.Empty : " (an assumed-role session is matched as its role)"));
        if (report.AccessEntry is { } accessEntry && e.User is not null)
        {
            AccessText.Line(sb, "access entry", accessEntry.Entry.PrincipalArn + (accessEntry.Entry.Type is { } type ? " (" + type.Wire() + ")" : string.Empty) + ": it replaces any aws-auth entry for this principal");
            AccessText.Line(sb, "username", "\"" + e.User.Name + "\"" + (accessEntry.Username is null ? " (not known from the input)" : string.Empty));
            AccessText.Line(sb, "groups", e.User.Groups.Count == 0 ? "(none)" : string.Join(", ", e.User.Groups));
            AccessText.Line(sb, "policies", accessEntry.Policies is null ? "(not known from the input)" : accessEntry.Policies.Count == 0 ? "(none)" : string.Join(", ", accessEntry.Policies.Select(p => p.ToString())));
            foreach (var note in r.Notes)
            {
                AccessText.Line(sb, "note", note);
            }

            AppendBindings(sb, report);
            return sb.ToString();
        }

        if (e.User is null || r.Mapping is not { } mapping)
        {
            AccessText.Line(sb, "aws-auth", r.Failure is not null ? "rejected: " + r.Failure : "no mapRoles or mapUsers entry matches and the account is not in mapAccounts");
            sb.Append("\nEKS rejects this caller with 401 Unauthorized: it can do nothing, not even discovery.\n");
            AccessText.Notes(sb, r.Notes);
            return sb.ToString();
        }

        var entry = mapping.Entry is { } matched
            ? mapping.MatchedBy.Wire() + " entry " + matched.Arn + (matched.Location is { } at ? " (" + at.Position() + ")" : string.Empty)
            : "mapAccounts (account " + r.Canonical.Canonical.Split(':')[4] + "): username is the canonical ARN, no groups";
        AccessText.Line(sb, "aws-auth", entry);
        AccessText.Line(sb, "username", "\"" + e.User.Name + "\"");
        var added = e.User.Groups.Skip(mapping.Groups.Count).ToList();
        AccessText.Line(sb, "groups", (e.User.Groups.Count == 0 ? "(none)" : string.Join(", ", e.User.Groups)) + (added.Count > 0 ? " (" + string.Join(", ", added) + " added by the API server)" : string.Empty));
        foreach (var note in r.Notes.Append(NotModelled.For(e.User)).OfType<string>())
        {
            AccessText.Line(sb, "note", note);
        }

        AppendBindings(sb, report);
        return sb.ToString();
    }

    private static void AppendBindings(StringBuilder sb, ExplainReport report)
    {
        var e = report.Explanation;
        if (e.User!.InGroup(Identities.Masters))
        {
            sb.Append("\nsystem:masters: the API server allows every request of this identity before RBAC is asked; the bindings below do not limit it.\n");
        }

        sb.Append('\n').Append("bindings that apply ").Append(e.Scope switch
        {
            null => "(cluster-wide, and in every namespace)",
            "" => "(cluster-wide only: no namespace)",
            var ns => "(cluster-wide, and in namespace " + ns + ")",
        }).Append(":\n");
        if (e.Bindings.Count == 0)
        {
            sb.Append("  none\n");
        }

        var decidingBinding = e.Check?.Chosen.Decision.AllowedBy;
        foreach (var applied in e.Bindings)
        {
            sb.Append("  ").Append(applied.Binding.Display).Append(" [").Append(applied.Binding.Source).Append("] via ").Append(applied.MatchedSubject).Append('\n');
            if (applied.Role is null)
            {
                sb.Append("    -> ").Append(applied.Binding.RoleRef).Append(": ").Append(applied.Error).Append("; grants nothing\n");
                continue;
            }

            sb.Append("    -> ").Append(applied.Role.Display).Append(" [").Append(applied.Role.Source).Append(']').Append(applied.Role is ClusterRole { IsAggregated: true } ? " (aggregated)" : string.Empty).Append('\n');
            if (applied.Rules.Count == 0)
            {
                sb.Append("       (no rules)\n");
            }

            for (var i = 0; i < applied.Rules.Count; i++)
            {
                var decides = decidingBinding is not null && ReferenceEquals(decidingBinding.Binding, applied.Binding) && decidingBinding.Index == i;
                sb.Append(decides ? "     > " : "       ").Append(i).Append(": ").Append(applied.Rules[i]).Append('\n');
            }
        }

        if (e.Check is { } check)
        {
            sb.Append('\n');
            AccessText.Line(sb, "request", AccessQueries.Describe(check.Chosen.Request));
            var eks = report.Eks!;
            AccessText.Line(sb, "decision", CanIRendering.Answer(eks.Verdict) + ", " + eks.Reason + (check.Chosen.Decision.AllowedBy is not null ? " (marked > above)" : string.Empty));
            foreach (var hint in e.Hints)
            {
                AccessText.Line(sb, "close", hint);
            }

            AccessText.Notes(sb, report.CheckNotes);
        }
        else
        {
            sb.Append(NotModelled.Summary).Append('\n');
        }
    }
}
