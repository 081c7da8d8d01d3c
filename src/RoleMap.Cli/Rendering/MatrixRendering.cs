using System.Text;
using System.Text.Json.Serialization;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli.Rendering;

/// <summary>The access matrix as tables per namespace, as CSV (one row per identity, namespace and resource), and as JSON.</summary>
internal static class MatrixRendering
{
    private const string Legend = "yes = allowed; names = only objects listed in resourceNames (a request naming one); - = denied";
    private static readonly AccessJsonContext Json = new(JsonOutput.NewOptions());

    public static string Text(MatrixReport report)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var identity in report.Identities)
        {
            if (!first)
            {
                sb.Append('\n');
            }

            first = false;
            sb.Append("identity: ").Append(identity.Description).Append('\n');
            if (identity.Matrix is not { } matrix)
            {
                sb.Append("  ").Append(identity.Unmapped).Append('\n');
                continue;
            }

            foreach (var note in identity.Notes)
            {
                sb.Append("note: ").Append(note).Append('\n');
            }

            if (matrix.User.InGroup(Identities.Masters))
            {
                sb.Append("note: in system:masters: allowed everything, in every namespace\n");
            }

            var hidden = 0;
            foreach (var section in matrix.Sections)
            {
                var rows = section.Rows.Where(r => report.ShowAll || r.Any).ToList();
                hidden += section.Rows.Count - rows.Count;
                sb.Append('\n').Append(section.Namespace.Length == 0 ? "cluster-scoped resources" : "namespace " + section.Namespace).Append('\n');
                if (rows.Count == 0)
                {
                    sb.Append("  no access\n");
                    continue;
                }

                var table = new List<string[]> { (string[])["RESOURCE", .. report.Verbs.Select(v => v.ToUpperInvariant())] };
                table.AddRange(rows.Select(r => (string[])[r.Display, .. r.Cells.Select(Mark)]));
                sb.Append(Table.Format(table));
            }

            if (hidden > 0)
            {
                sb.Append("\n(").Append(hidden).Append(" rows with no access not shown; --all-resources shows them)\n");
            }

            if (matrix.Dangling.Count > 0)
            {
                sb.Append('\n');
            }

            foreach (var dangling in matrix.Dangling)
            {
                sb.Append("note: ").Append(dangling.Binding.Display).Append(" applies but its ").Append(dangling.Error).Append("; it grants nothing\n");
            }
        }

        sb.Append('\n').Append(Legend);
        if (report.Identities.Any(i => i.Matrix?.Sections.Any(s => s.Rows.Any(r => r.Cells.Contains(Access.Unknown))) == true))
        {
            sb.Append("; ? = unknown: only an access policy whose rules AWS does not publish (or that the input does not give) could allow it");
        }

        sb.Append('\n');
        sb.Append("every cell is a request without an object name, in request mode (cluster-scoped resources: ClusterRoleBindings only)\n");
        sb.Append(NotModelled.Summary).Append('\n');
        return sb.ToString();
    }

    public static string Csv(MatrixReport report)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', ["identity", "username", "namespace", "apiGroup", "resource", .. report.Verbs.Select(CsvField)]).Append('\n');
        foreach (var identity in report.Identities)
        {
            foreach (var section in identity.Matrix?.Sections ?? [])
            {
                foreach (var row in section.Rows.Where(r => report.ShowAll || r.Any))
                {
                    sb.AppendJoin(',', [CsvField(identity.Label), CsvField(identity.Matrix!.User.Name), CsvField(section.Namespace), CsvField(row.Group), CsvField(row.Resource), .. row.Cells.Select(Word)]).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    public static string JsonText(MatrixReport report) => JsonOutput.Render(
        new MatrixJson(report.Verbs, [.. report.Identities.Select(i => Identity(i, report))], NotModelled.Items),
        Json.MatrixJson);

    private static MatrixIdentityJson Identity(MatrixIdentity identity, MatrixReport report)
    {
        if (identity.Matrix is not { } matrix)
        {
            return new MatrixIdentityJson(identity.Label, null, [], identity.Unmapped, null, [], null);
        }

        var sections = matrix.Sections.Select(section => new MatrixSectionJson(
            section.Namespace.Length == 0 ? null : section.Namespace,
            [.. section.Rows.Where(r => report.ShowAll || r.Any).Select(row => new MatrixRowJson(row.Group, row.Resource, Cells(row, report.Verbs)))]));
        return new MatrixIdentityJson(identity.Label, matrix.User.Name, matrix.User.Groups, null, matrix.User.InGroup(Identities.Masters), [.. sections], [.. identity.Notes.Concat(matrix.Dangling.Select(d => d.ToString()))]);
    }

    private static Dictionary<string, string> Cells(MatrixRow row, IReadOnlyList<string> verbs)
    {
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < verbs.Count; i++)
        {
            cells[verbs[i]] = Word(row.Cells[i]);
        }

        return cells;
    }

    private static string Mark(Access access) => access switch
    {
        Access.Full => "yes",
        Access.Named => "names",
        Access.Unknown => "?",
        _ => "-",
    };

    private static string Word(Access access) => access switch
    {
        Access.Full => "yes",
        Access.Named => "names",
        Access.Unknown => "unknown",
        _ => "no",
    };

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

internal sealed record MatrixJson(IReadOnlyList<string> Verbs, IReadOnlyList<MatrixIdentityJson> Identities, IReadOnlyList<string> NotModelled);

/// <summary>One identity: mapped (username, groups, systemMasters, namespaces, notes) or not (unmapped says why).</summary>
internal sealed record MatrixIdentityJson(
    string Identity,
    string? Username,
    IReadOnlyList<string> Groups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unmapped,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? SystemMasters,
    IReadOnlyList<MatrixSectionJson> Namespaces,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notes);

internal sealed record MatrixSectionJson(string? Namespace, IReadOnlyList<MatrixRowJson> Resources);

internal sealed record MatrixRowJson(string ApiGroup, string Resource, Dictionary<string, string> Access);

[JsonSerializable(typeof(WhoCanJson))]
[JsonSerializable(typeof(MatrixJson))]
internal sealed partial class AccessJsonContext : JsonSerializerContext;
