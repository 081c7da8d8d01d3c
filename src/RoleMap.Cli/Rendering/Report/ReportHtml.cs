using System.Globalization;
using System.Net;
using System.Text;
using RoleMap.Report;

namespace RoleMap.Cli.Rendering.Report;

/// <summary>
/// The report as one HTML page: CSS and script inline, the data embedded as JSON, the graph drawn here as SVG.
/// Nothing is fetched (a Content-Security-Policy of <c>default-src 'none'</c> says so to the browser), nothing depends
/// on the time or the machine, and every text from the inputs goes through <see cref="Escape"/>.
/// </summary>
internal static class ReportHtml
{
    /// <summary>Above this many graph nodes in all, the namespace panels start collapsed.</summary>
    private const int CollapseAbove = 60;

    /// <summary>Above this many nodes, the cluster-wide panel starts collapsed too, and so does the list of roles above this many rules.</summary>
    private const int LargeAbove = 400;

    /// <summary>At most this many namespace panels are drawn (a large cluster has thousands).</summary>
    private const int MaxPanels = 100;

    /// <summary>Labels longer than this are cut in the drawing (the whole label is the node's tooltip).</summary>
    private const int LabelLength = 31;

    public static string Page(ReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
            .Append("<meta name=\"generator\" content=\"rolemap report\">\n")
            .Append("<title>rolemap report: ").Append(Escape(string.Join(", ", model.Inputs))).Append("</title>\n")
            .Append("<style>\n").Append(ReportAssets.Css).Append("</style>\n</head>\n<body>\n");
        Header(html, model);
        Summary(html, model);
        Identities(html, model);
        Graph(html, model);
        Matrix(html);
        WhoCan(html);
        Findings(html, model);
        html.Append("<footer><p>").Append(Escape(model.NotModelled)).Append(".</p></footer>\n");
        html.Append("<script type=\"application/json\" id=\"report-data\">").Append(ReportJson.ForPage(model)).Append("</script>\n");
        html.Append("<script>\n").Append(ReportAssets.Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>HTML-escapes text for element content and quoted attributes: &amp; &lt; &gt; " and '.</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Header(StringBuilder html, ReportModel model)
    {
        html.Append("<header>\n<h1>Who can do what</h1>\n<p class=\"inputs\">");
        html.AppendJoin(" · ", model.Inputs.Select(i => "<code>" + Escape(i) + "</code>"));
        html.Append("</p>\n<p>Authentication mode <strong>").Append(Escape(model.AuthenticationMode)).Append("</strong></p>\n");
        html.Append("<nav><a href=\"#summary\">Summary</a> <a href=\"#identities\">Identities</a> <a href=\"#graph\">Access graph</a> <a href=\"#matrix\">Matrix</a> <a href=\"#who-can\">Who can</a> <a href=\"#findings\">Findings</a></nav>\n</header>\n");
    }

    private static void Summary(StringBuilder html, ReportModel model)
    {
        var s = model.Summary;
        html.Append("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"counts\">");
        foreach (var (label, value, css) in new[]
        {
            ("principals", s.Principals, string.Empty), ("groups", s.Groups, string.Empty), ("bindings", s.Bindings, string.Empty), ("roles", s.Roles, string.Empty),
            ("errors", s.Errors, "sev-error"), ("warnings", s.Warnings, "sev-warning"), ("infos", s.Infos, "sev-info"),
        })
        {
            html.Append("<div class=\"").Append(css.Length == 0 ? "count" : "count " + css).Append("\"><dt>").Append(label).Append("</dt><dd>").Append(Number(value)).Append("</dd></div>");
        }

        html.Append("</dl>\n<h3>What to look at first</h3>\n");
        if (s.LookFirst.Count == 0)
        {
            html.Append("<p>Nothing: no principal with cluster-admin power, no lockout risk, no dead mapping.</p>\n");
        }
        else
        {
            html.Append("<ul class=\"look-first\">\n");
            foreach (var item in s.LookFirst)
            {
                html.Append("<li class=\"attention-").Append(Escape(item.Kind)).Append("\"><span class=\"tag\">").Append(Escape(item.Kind)).Append("</span> <a href=\"")
                    .Append(Escape(item.Link)).Append("\">").Append(Escape(item.Subject)).Append("</a>: ").Append(Escape(item.Detail)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    private static void Identities(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"identities\">\n<h2>Identities</h2>\n<p>Every IAM principal EKS authenticates, and how: an aws-auth entry, or an access entry (which wins over aws-auth in API_AND_CONFIG_MAP).</p>\n");
        html.Append("<table class=\"identities\">\n<thead><tr><th>Principal</th><th>Through</th><th>Username</th><th>Groups</th><th>Access policies</th><th>Notes</th></tr></thead>\n<tbody>\n");
        foreach (var p in model.Principals)
        {
            html.Append("<tr id=\"").Append(Escape(p.Id)).Append('"').Append(p.ClusterAdmin ? " class=\"admin\"" : string.Empty).Append("><td><code>").Append(Escape(p.Arn)).Append("</code>")
                .Append(p.ClusterAdmin ? " <span class=\"tag\">cluster-admin</span>" : string.Empty).Append("</td><td>").Append(Escape(p.Via)).Append("</td><td><code>")
                .Append(Escape(p.Username)).Append("</code></td><td>").AppendJoin(", ", p.Groups.Select(g => "<code>" + Escape(g) + "</code>")).Append("</td><td>")
                .AppendJoin("<br>", p.Policies.Select(Escape)).Append(p.PoliciesUnknown ? (p.Policies.Count > 0 ? "<br>" : string.Empty) + "<em>not all in the input</em>" : string.Empty)
                .Append("</td><td>").AppendJoin("<br>", p.Notes.Append(p.NotEvaluated).OfType<string>().Select(Escape)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        if (model.Shadowed.Count > 0)
        {
            html.Append("<h3>aws-auth entries that no longer apply</h3>\n<ul>\n");
            foreach (var s in model.Shadowed)
            {
                html.Append("<li><code>").Append(Escape(s.Arn)).Append("</code> (").Append(Escape(s.Via)).Append("): ").Append(Escape(s.Why)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    private static void Graph(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"graph\">\n<h2>Access graph</h2>\n<p>Principal → the user or group it matched → binding → role, and principal → access policy. ")
            .Append("The Kubernetes defaults every authenticated user gets (discovery, basic user) are not drawn. Click a node for its details.</p>\n")
            .Append("<p class=\"legend\"><span class=\"kind-principal\">principal</span> <span class=\"kind-group\">user or group</span> <span class=\"kind-binding\">binding</span> <span class=\"kind-role\">role</span> <span class=\"kind-policy\">access policy</span></p>\n");
        var collapse = model.Graph.Sum(p => p.Nodes.Count) > CollapseAbove;
        var drawn = model.Graph.Take(MaxPanels + 1).ToList();
        foreach (var panel in drawn)
        {
            var cluster = panel.Namespace.Length == 0;
            var open = cluster ? panel.Nodes.Count <= LargeAbove : !collapse;
            html.Append("<details class=\"panel\"").Append(open ? " open" : string.Empty).Append(" data-ns=\"").Append(Escape(panel.Namespace)).Append("\"><summary>")
                .Append(cluster ? "Cluster-wide: ClusterRoleBindings and access policies" : "Namespace <code>" + Escape(panel.Namespace) + "</code>: RoleBindings")
                .Append(" (").Append(Number(panel.Nodes.Count)).Append(" nodes)</summary>\n");
            Svg(html, panel);
            html.Append("</details>\n");
        }

        if (model.Graph.Count > drawn.Count)
        {
            html.Append("<p class=\"note\">").Append(Number(model.Graph.Count - drawn.Count)).Append(" more namespaces with RoleBindings are not drawn (too many for one page); <code>rolemap report -o json</code> has every panel.</p>\n");
        }

        // The roles the drawn panels link to, in the model's order.
        var linked = drawn.SelectMany(p => p.Nodes).Where(n => n.Kind == "role").Select(n => n.Link).ToHashSet(StringComparer.Ordinal);
        var roles = model.Roles.Where(r => linked.Contains("#" + r.Id)).ToList();
        var rules = roles.Sum(r => r.Rules.Count);
        html.Append("<h3>Roles</h3>\n<details class=\"panel\"").Append(rules <= LargeAbove ? " open" : string.Empty).Append("><summary>The roles the graph reaches, with their rules (")
            .Append(Number(roles.Count)).Append(" roles, ").Append(Number(rules)).Append(" rules)</summary>\n<dl class=\"roles\">\n");
        foreach (var role in roles)
        {
            html.Append("<dt id=\"").Append(Escape(role.Id)).Append("\">").Append(Escape(role.Display)).Append(" <small>").Append(Escape(role.Source)).Append("</small></dt><dd>");
            html.Append(role.Error is { } error ? "<em>" + Escape(error) + ": it grants nothing</em>" : role.Rules.Count == 0 ? "<em>no rules</em>" : "<ul>" + string.Concat(role.Rules.Select(r => "<li><code>" + Escape(r) + "</code></li>")) + "</ul>");
            html.Append("</dd>\n");
        }

        html.Append("</dl>\n</details>\n</section>\n");
    }

    private static void Svg(StringBuilder html, ReportGraphPanel panel)
    {
        html.Append("<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(Number(panel.Width)).Append("\" height=\"").Append(Number(panel.Height))
            .Append("\" viewBox=\"0 0 ").Append(Number(panel.Width)).Append(' ').Append(Number(panel.Height)).Append("\" role=\"img\" aria-label=\"access graph\">\n");
        var byId = panel.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var edge in panel.Edges)
        {
            var from = byId[edge.From];
            var to = byId[edge.To];
            int x1 = from.X + 240, y1 = from.Y + 13, x2 = to.X, y2 = to.Y + 13, mid = (x1 + x2) / 2;
            html.Append("<path class=\"edge\" d=\"M").Append(Number(x1)).Append(',').Append(Number(y1)).Append(" C").Append(Number(mid)).Append(',').Append(Number(y1)).Append(' ')
                .Append(Number(mid)).Append(',').Append(Number(y2)).Append(' ').Append(Number(x2)).Append(',').Append(Number(y2)).Append("\"/>\n");
        }

        foreach (var node in panel.Nodes)
        {
            var label = node.Label.Length > LabelLength ? node.Label[..(LabelLength - 1)] + "…" : node.Label;
            html.Append("<a href=\"").Append(Escape(node.Link)).Append("\" class=\"node kind-").Append(Escape(node.Kind)).Append("\" id=\"").Append(Escape(node.Id)).Append("\"><title>")
                .Append(Escape(node.Label)).Append("</title><rect x=\"").Append(Number(node.X)).Append("\" y=\"").Append(Number(node.Y)).Append("\" width=\"240\" height=\"26\" rx=\"5\"/><text x=\"")
                .Append(Number(node.X + 8)).Append("\" y=\"").Append(Number(node.Y + 17)).Append("\">").Append(Escape(label)).Append("</text></a>\n");
        }

        html.Append("</svg>\n");
    }

    private static void Matrix(StringBuilder html) => html.Append(
        """
        <section id="matrix">
        <h2>Matrix</h2>
        <p>What each principal may do, per namespace (request mode, as <code>rolemap matrix --all-mapped</code> evaluates it: RBAC, then the access policies). <span class="c-Y">✓</span> allowed, <span class="c-N">N</span> only for named objects, <span class="c-?">?</span> unknown (an access policy whose rules are not published, or an entry the input does not give), <span class="c-.">·</span> denied. Only resources with some access are listed. Rows under "any other namespace" (marked * when a namespace is chosen) hold what a principal may do in every namespace where no RoleBinding or access-policy scope of its own adds to it. Click a cell for its reason.</p>
        <form class="filters" id="matrix-filters">
        <label>Principal <select id="f-principal"><option value="">all</option></select></label>
        <label>Namespace <select id="f-namespace"><option value="">all</option></select></label>
        <label>Verb <select id="f-verb"><option value="">all</option></select></label>
        <label><input type="checkbox" id="f-dangerous"> dangerous only (secrets, pods/exec, escalate, bind, impersonate, <code>*</code>)</label>
        </form>
        <div id="explain" class="explain" hidden></div>
        <div id="matrix-view"><noscript>The matrix is drawn by the page's script from its embedded data; <code>rolemap report -o json</code> writes the same data.</noscript></div>
        </section>

        """);

    private static void WhoCan(StringBuilder html) => html.Append(
        """
        <section id="who-can">
        <h2>Who can</h2>
        <p>Which principals may make a request, from the matrix's data (its verbs, resources and namespaces).</p>
        <form class="filters" id="who-can-form">
        <label>Verb <select id="wc-verb"></select></label>
        <label>Resource <select id="wc-resource"></select></label>
        <label>Namespace <select id="wc-namespace"></select></label>
        </form>
        <div id="wc-results" aria-live="polite"></div>
        </section>

        """);

    private static void Findings(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"findings\">\n<h2>Findings</h2>\n");
        if (model.Findings.Count == 0)
        {
            html.Append("<p>lint found nothing.</p>\n");
        }
        else
        {
            html.Append("<table class=\"findings\">\n<thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Finding</th><th>Fix</th></tr></thead>\n<tbody>\n");
            for (var i = 0; i < model.Findings.Count; i++)
            {
                var f = model.Findings[i];
                var severity = LintRendering.SeverityName(f.Severity);
                html.Append("<tr id=\"finding-").Append(Number(i)).Append("\" class=\"sev-").Append(severity).Append("\"><td>").Append(severity).Append("</td><td><code>")
                    .Append(Escape(f.Rule)).Append("</code></td><td>").Append(Escape(f.Location)).Append("</td><td>").Append(Escape(f.Message)).Append("</td><td>")
                    .Append(f.Fix is null ? string.Empty : "<pre>" + Escape(f.Fix) + "</pre>").Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        if (model.Migration is { } migration)
        {
            html.Append("<h3>Migration to access entries</h3>\n<p>API mode (aws-auth ignored) ").Append(migration.ApiModePossible ? "is possible once the plan is carried out." : "is not possible yet:").Append("</p>\n");
            if (migration.Blockers.Count > 0)
            {
                html.Append("<ul>").AppendJoin(string.Empty, migration.Blockers.Select(b => "<li>" + Escape(b) + "</li>")).Append("</ul>\n");
            }

            html.Append("<table class=\"migration\">\n<thead><tr><th>Entry</th><th>Written</th><th>Plan</th><th>Delete from aws-auth</th><th>Access after</th><th>Details</th></tr></thead>\n<tbody>\n");
            foreach (var e in migration.Entries)
            {
                var details = e.Findings.Concat(e.Lost.Select(l => "lost: " + l)).Concat(e.Gained.Select(g => "gained: " + g));
                var verdict = e.Verdict is { } v ? AccessEntriesRendering.VerdictName(v) : null;
                html.Append("<tr class=\"verdict-").Append(Escape(verdict ?? "none")).Append("\"><td>").Append(Escape(e.Label)).Append("</td><td><code>").Append(Escape(e.Written)).Append("</code></td><td>")
                    .Append(Escape(AccessEntriesRendering.StatusName(e.Status))).Append("</td><td>").Append(Escape(AccessEntriesRendering.DeleteName(e.Delete))).Append("</td><td>").Append(Escape(verdict ?? "-")).Append("</td><td>")
                    .AppendJoin("<br>", details.Select(Escape)).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</section>\n");
    }
}
