using System.CommandLine;
using System.Text;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.Text;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap matrix</c>: resources × verbs per namespace for one identity or every principal aws-auth maps,
/// evaluated in request mode; "names" marks access limited to objects named in resourceNames.
/// </summary>
internal static class MatrixCommand
{
    private const string Legend = "yes = allowed; names = only objects listed in resourceNames (a request naming one); - = denied";

    public static Command Create(CliIO io)
    {
        var identity = IdentityOptions.Create();
        var allMapped = new Option<bool>("--all-mapped") { Description = "One matrix for every IAM principal aws-auth maps (needs --aws-auth or --spec)." };
        var namespaces = new Option<string[]>("--namespace", "-n") { Description = "Namespace to show (repeatable). Default: every namespace with a RoleBinding in the input, and default.", HelpName = "NS" };
        var verbs = new Option<string?>("--verbs") { Description = "Comma-separated verbs (default: " + string.Join(",", AccessMatrix.DefaultVerbs) + ").", HelpName = "VERBS" };
        var resources = new Option<string[]>("--resource") { Description = "Only these resources, TYPE[.GROUP] (repeatable). Default: the built-in resources and every resource named in a rule.", HelpName = "TYPE" };
        var allResources = new Option<bool>("--all-resources") { Description = "Show resources with no access too (hidden by default, except those named with --resource)." };
        var rbac = RbacInput.Create();
        var format = Output.Format("table", "table", "json", "csv");

        var command = new Command("matrix", "Show an access matrix (resources x verbs per namespace) for --as-arn ARN, --as USER/--as-group G, or every principal aws-auth maps (--all-mapped).")
        {
            allMapped, namespaces, verbs, resources, allResources, format,
        };
        identity.AddTo(command);
        rbac.AddTo(command);
        command.SetAction(parse =>
        {
            rbac.EnsureOneStdin(parse, identity.Mappings);
            var subjects = Identities(io, parse, identity, parse.GetValue(allMapped));
            var policy = rbac.Load(io, parse);
            var verbList = (parse.GetValue(verbs) ?? string.Join(",", AccessMatrix.DefaultVerbs)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (verbList.Length == 0)
            {
                throw new InputException("--verbs is empty", new SourceLocation("--verbs"));
            }

            var chosen = parse.GetValue(resources) ?? [];
            var rows = chosen.Length > 0
                ? [.. chosen.Select(BuiltinResources.Resolve).Select(r => new MatrixResource(r.Group, r.Resource, r.Scope))]
                : AccessMatrix.DefaultResources(policy);
            var showAll = parse.GetValue(allResources) || chosen.Length > 0;
            var nsList = parse.GetValue(namespaces) is { Length: > 0 } given
                ? given.Distinct(StringComparer.Ordinal).ToList()
                : DefaultNamespaces(policy);
            var matrices = subjects.Select(s => (s.Label, s.Identity, Matrix: s.Identity.User is null ? null : AccessMatrix.Compute(policy, s.Identity.User, nsList, rows, verbList))).ToList();
            var text = parse.GetValue(format) switch
            {
                "json" => Json(matrices, verbList, showAll),
                "csv" => Csv(matrices, verbList, showAll),
                _ => Table(matrices, verbList, showAll),
            };
            Output.Result(io, text);
            return matrices.Any(m => m.Matrix is null) ? ExitCodes.No : ExitCodes.Ok;
        });
        return command;
    }

    private static List<(string Label, ResolvedIdentity Identity)> Identities(CliIO io, ParseResult parse, IdentityOptions identity, bool allMapped)
    {
        if (!allMapped)
        {
            var who = identity.Resolve(io, parse);
            return [(parse.GetValue(identity.Arn) ?? who.Origin, who)];
        }

        if (identity.IsGiven(parse))
        {
            throw new InputException("give --all-mapped, or one identity (--as-arn, --as/--as-group), not both", new SourceLocation("--all-mapped"));
        }

        var (data, _) = identity.Mappings.Load(io, parse);
        var result = new List<(string, ResolvedIdentity)>();
        foreach (var principal in IamPrincipal.FromAwsAuth(data))
        {
            if (principal.NeverMatches is null && principal.Account is null)
            {
                result.Add((principal.Arn, new ResolvedIdentity(principal.User, null, principal.Arn + " (" + principal.MatchedBy.Wire() + ")")));
            }
        }

        if (result.Count == 0)
        {
            throw new InputException("aws-auth maps no role or user ARN to show");
        }

        return result;
    }

    private static List<string> DefaultNamespaces(RbacPolicy policy)
    {
        var namespaces = policy.Objects.RoleBindings.Where(b => !b.Source.IsDefault).Select(b => b.Namespace).Append("default");
        return [.. namespaces.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static string Mark(Access access) => access switch
    {
        Access.Full => "yes",
        Access.Named => "names",
        _ => "-",
    };

    private static string Word(Access access) => access switch
    {
        Access.Full => "yes",
        Access.Named => "names",
        _ => "no",
    };

    private static string SectionTitle(MatrixSection section) => section.Namespace.Length == 0 ? "cluster-scoped resources" : "namespace " + section.Namespace;

    private static string Table(List<(string Label, ResolvedIdentity Identity, AccessMatrixResult? Matrix)> matrices, string[] verbs, bool showAll)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var (label, identity, matrix) in matrices)
        {
            if (!first)
            {
                sb.Append('\n');
            }

            first = false;
            sb.Append("identity: ").Append(identity.Describe()).Append('\n');
            if (matrix is null)
            {
                sb.Append("  ").Append(identity.Unmapped).Append('\n');
                continue;
            }

            foreach (var note in identity.Notes)
            {
                sb.Append("note: ").Append(note).Append('\n');
            }

            if (matrix.User.InGroup(RoleMap.Rbac.Identities.Masters))
            {
                sb.Append("note: in system:masters: allowed everything, in every namespace\n");
            }

            var hidden = 0;
            foreach (var section in matrix.Sections)
            {
                var rows = section.Rows.Where(r => showAll || r.Any).ToList();
                hidden += section.Rows.Count - rows.Count;
                sb.Append('\n').Append(SectionTitle(section)).Append('\n');
                if (rows.Count == 0)
                {
                    sb.Append("  no access\n");
                    continue;
                }

                var table = new List<string[]> { (string[])["RESOURCE", .. verbs.Select(v => v.ToUpperInvariant())] };
                table.AddRange(rows.Select(r => (string[])[r.Display, .. r.Cells.Select(Mark)]));
                sb.Append(Rendering.Table.Format(table));
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

        sb.Append('\n').Append(Legend).Append('\n');
        sb.Append("every cell is a request without an object name, in request mode (cluster-scoped resources: ClusterRoleBindings only)\n");
        sb.Append(NotModelled.Summary).Append('\n');
        return sb.ToString();
    }

    private static string Csv(List<(string Label, ResolvedIdentity Identity, AccessMatrixResult? Matrix)> matrices, string[] verbs, bool showAll)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', ["identity", "username", "namespace", "apiGroup", "resource", .. verbs.Select(CsvField)]).Append('\n');
        foreach (var (label, _, matrix) in matrices)
        {
            if (matrix is null)
            {
                continue;
            }

            foreach (var section in matrix.Sections)
            {
                foreach (var row in section.Rows.Where(r => showAll || r.Any))
                {
                    sb.AppendJoin(',', [CsvField(label), CsvField(matrix.User.Name), CsvField(section.Namespace), CsvField(row.Group), CsvField(row.Resource), .. row.Cells.Select(Word)]).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string Json(List<(string Label, ResolvedIdentity Identity, AccessMatrixResult? Matrix)> matrices, string[] verbs, bool showAll) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        WhoCanCommand.WriteStrings(w, "verbs", verbs);
        w.WriteStartArray("identities");
        foreach (var (label, identity, matrix) in matrices)
        {
            w.WriteStartObject();
            w.WriteString("identity", label);
            if (matrix is null)
            {
                w.WriteNull("username");
                w.WriteStartArray("groups");
                w.WriteEndArray();
                w.WriteString("unmapped", identity.Unmapped);
                w.WriteStartArray("namespaces");
                w.WriteEndArray();
                w.WriteEndObject();
                continue;
            }

            w.WriteString("username", matrix.User.Name);
            WhoCanCommand.WriteStrings(w, "groups", matrix.User.Groups);
            w.WriteBoolean("systemMasters", matrix.User.InGroup(RoleMap.Rbac.Identities.Masters));
            w.WriteStartArray("namespaces");
            foreach (var section in matrix.Sections)
            {
                w.WriteStartObject();
                if (section.Namespace.Length == 0)
                {
                    w.WriteNull("namespace");
                }
                else
                {
                    w.WriteString("namespace", section.Namespace);
                }

                w.WriteStartArray("resources");
                foreach (var row in section.Rows.Where(r => showAll || r.Any))
                {
                    w.WriteStartObject();
                    w.WriteString("apiGroup", row.Group);
                    w.WriteString("resource", row.Resource);
                    w.WriteStartObject("access");
                    for (var i = 0; i < verbs.Length; i++)
                    {
                        w.WriteString(verbs[i], Word(row.Cells[i]));
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WhoCanCommand.WriteStrings(w, "notes", identity.Notes.Concat(matrix.Dangling.Select(d => d.ToString())));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WhoCanCommand.WriteStrings(w, "notModelled", NotModelled.Items);
        w.WriteEndObject();
    });
}
