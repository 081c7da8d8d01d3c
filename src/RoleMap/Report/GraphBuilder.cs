using System.Globalization;
using RoleMap.AccessPolicies;
using RoleMap.Rbac;

namespace RoleMap.Report;

/// <summary>The access graph's panels and the roles they reach.</summary>
public sealed record ReportGraph(IReadOnlyList<ReportGraphPanel> Panels, IReadOnlyList<ReportRole> Roles);

/// <summary>
/// The access graph: principal → the subject it matched (user or group) → binding → role, and principal → access
/// policy. One panel for cluster-wide grants (ClusterRoleBindings and access policies), one per namespace with
/// RoleBindings. The bindings come from <see cref="RbacPolicy.BindingsFor"/>, the same lookup evaluation uses.
/// The Kubernetes defaults every authenticated user gets (discovery, basic user) are left out: they would link every
/// principal to the same three roles.
/// </summary>
public static class GraphBuilder
{
    public static ReportGraph Build(RbacPolicy policy, IReadOnlyList<EksPrincipal> principals, IReadOnlyList<ReportPrincipal> model)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(principals);
        ArgumentNullException.ThrowIfNull(model);
        var roles = new RoleTable(policy);
        var panels = new List<ReportGraphPanel>();
        var cluster = new PanelBuilder(string.Empty, 0);
        for (var i = 0; i < principals.Count; i++)
        {
            if (model[i].NotEvaluated is not null)
            {
                continue;
            }

            var principal = principals[i];
            var user = principal.Principal.User;
            var node = cluster.Node("principal", ShortArn(principal.Principal.Arn), "#" + model[i].Id, principal.Principal.Arn);
            foreach (var binding in policy.BindingsFor(user, string.Empty))
            {
                cluster.AddBinding(node, user, binding, roles);
            }

            foreach (var association in principal.Policies ?? [])
            {
                cluster.Edge(node, cluster.Node("policy", association.ToString(), "#" + model[i].Id));
            }
        }

        panels.Add(cluster.Layout());

        // Namespace panels: each principal's RoleBindings in every namespace, found as evaluation finds them.
        var applyingIn = new Dictionary<string, SortedDictionary<int, IReadOnlyList<RoleBinding>>>(StringComparer.Ordinal);
        for (var i = 0; i < principals.Count; i++)
        {
            if (model[i].NotEvaluated is not null)
            {
                continue;
            }

            foreach (var (ns, bindings) in policy.RoleBindingsFor(principals[i].Principal.User))
            {
                if (!applyingIn.TryGetValue(ns, out var byPrincipal))
                {
                    applyingIn[ns] = byPrincipal = [];
                }

                byPrincipal[i] = bindings;
            }
        }

        foreach (var ns in policy.BindingNamespaces)
        {
            if (!applyingIn.TryGetValue(ns, out var applying))
            {
                continue;
            }

            var panel = new PanelBuilder(ns, panels.Count);
            foreach (var (i, bindings) in applying)
            {
                var node = panel.Node("principal", ShortArn(principals[i].Principal.Arn), "#" + model[i].Id, principals[i].Principal.Arn);
                foreach (var binding in bindings)
                {
                    panel.AddBinding(node, principals[i].Principal.User, binding, roles);
                }
            }

            if (panel.HasNodes)
            {
                panels.Add(panel.Layout());
            }
        }

        return new ReportGraph(panels, roles.Roles);
    }

    /// <summary>A principal's label in the drawing: its ARN after the account (<c>role/dev</c>); the page shows the whole ARN beside it.</summary>
    public static string ShortArn(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[5].Length > 0 ? parts[5] : arn;
    }

    /// <summary>The roles the graph reaches, each once, in the order first reached.</summary>
    private sealed class RoleTable(RbacPolicy policy)
    {
        private readonly Dictionary<string, ReportRole> byKey = new(StringComparer.Ordinal);

        public List<ReportRole> Roles { get; } = [];

        public ReportRole For(Binding binding)
        {
            var (role, rules, error) = policy.ResolveRole(binding);
            var key = role?.Display ?? binding.Namespace + "/" + binding.RoleRef;
            if (!byKey.TryGetValue(key, out var found))
            {
                found = new ReportRole(
                    "role-" + Roles.Count.ToString(CultureInfo.InvariantCulture),
                    role?.Display ?? binding.RoleRef + " (missing)",
                    role?.Source.ToString() ?? binding.Source.ToString(),
                    [.. rules.Select(r => r.ToString())],
                    error);
                byKey[key] = found;
                Roles.Add(found);
            }

            return found;
        }
    }

    private sealed class PanelBuilder(string ns, int number)
    {
        private const int ColumnWidth = 270;
        private const int NodeWidth = 240;
        private const int RowHeight = 34;
        private const int Margin = 10;

        private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
        private readonly List<(string Kind, string Label, string Link)> nodes = [];
        private readonly List<(int From, int To)> edges = [];
        private readonly HashSet<(int, int)> edgeSet = [];

        public bool HasNodes => nodes.Count > 0;

        /// <param name="key">What makes the node itself (default its label).</param>
        public int Node(string kind, string label, string link, string? key = null)
        {
            key = kind + "\n" + (key ?? label);
            if (!ids.TryGetValue(key, out var id))
            {
                id = nodes.Count;
                nodes.Add((kind, label, link));
                ids[key] = id;
            }

            return id;
        }

        public void Edge(int from, int to)
        {
            if (edgeSet.Add((from, to)))
            {
                edges.Add((from, to));
            }
        }

        public void AddBinding(int principal, UserInfo user, Binding binding, RoleTable roles)
        {
            var index = RbacPolicy.AppliesTo(user, binding.Subjects, binding.Namespace);
            var subject = binding.Subjects[index];
            if (binding.Source.IsDefault && subject.Kind == SubjectKinds.Group && subject.Name is Identities.AllAuthenticated or Identities.AllUnauthenticated)
            {
                return;
            }

            var role = roles.For(binding);
            var subjectNode = Node(subject.Kind == SubjectKinds.Group ? "group" : "user", subject.ToString(), "#" + role.Id);
            var bindingNode = Node("binding", binding.Display, "#" + role.Id);
            var roleNode = Node("role", role.Display, "#" + role.Id);
            Edge(principal, subjectNode);
            Edge(subjectNode, bindingNode);
            Edge(bindingNode, roleNode);
        }

        /// <summary>
        /// Layered layout: one column per kind (principal, subject, binding, role or policy); principals in input
        /// order, every other node placed by the mean row of the nodes pointing at it, ties by label.
        /// </summary>
        public ReportGraphPanel Layout()
        {
            var column = nodes.Select(n => n.Kind switch { "principal" => 0, "user" or "group" => 1, "binding" => 2, _ => 3 }).ToArray();
            var row = new double[nodes.Count];
            var counts = new int[4];
            var incoming = new List<int>[nodes.Count];
            foreach (var (from, to) in edges)
            {
                (incoming[to] ??= []).Add(from);
            }

            for (var c = 0; c < 4; c++)
            {
                var members = Enumerable.Range(0, nodes.Count).Where(n => column[n] == c);
                if (c > 0)
                {
                    members = members
                        .OrderBy(n => (incoming[n] ?? []).Where(from => column[from] < c).Select(from => row[from]).DefaultIfEmpty(0).Average())
                        .ThenBy(n => nodes[n].Label, StringComparer.Ordinal);
                }

                foreach (var n in members.ToList())
                {
                    row[n] = counts[c]++;
                }
            }

            var placed = nodes.Select((n, i) => new ReportNode(
                NodeId(i),
                n.Kind,
                n.Label,
                n.Link,
                Margin + column[i] * ColumnWidth,
                Margin + (int)row[i] * RowHeight)).ToList();
            var height = Margin * 2 + Math.Max(1, counts.Max()) * RowHeight;
            var width = Margin * 2 + 3 * ColumnWidth + NodeWidth;
            return new ReportGraphPanel(ns, width, height, placed, [.. edges.Select(e => new ReportEdge(NodeId(e.From), NodeId(e.To)))]);
        }

        private string NodeId(int index) => "g" + number.ToString(CultureInfo.InvariantCulture) + "-" + index.ToString(CultureInfo.InvariantCulture);
    }
}
