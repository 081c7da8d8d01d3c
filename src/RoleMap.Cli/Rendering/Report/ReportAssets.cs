namespace RoleMap.Cli.Rendering.Report;

/// <summary>
/// The page's stylesheet and script, inline (the page fetches nothing). The script builds the matrix and the who-can
/// answers from the embedded data with DOM calls and <c>textContent</c> only, never HTML strings, so nothing from the
/// inputs is ever parsed as markup.
/// </summary>
internal static class ReportAssets
{
    public const string Css =
        """
        :root { --bg: #ffffff; --fg: #1d2329; --muted: #5c6773; --line: #d5dae0; --panel: #f5f7f9; --accent: #2457b5;
          --yes: #1b7f3b; --yes-bg: #dcf3e3; --named: #8a5a00; --named-bg: #fbeccb; --unknown: #6b4fa3; --unknown-bg: #ebe4f7; --no: #9aa3ad;
          --error: #b3261e; --warning: #8a5a00; --info: #2457b5;
          --principal: #dbe7fb; --group: #e6f4ea; --binding: #fdf0d5; --role: #f3e5f5; --policy: #fde2e1; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #15191e; --fg: #e3e7eb; --muted: #9aa5b1; --line: #323a43; --panel: #1e242b; --accent: #8ab4f8;
            --yes: #7fd49a; --yes-bg: #1d3a27; --named: #f1c46b; --named-bg: #3d3119; --unknown: #c6b3f0; --unknown-bg: #2e2640; --no: #5d6772;
            --error: #f28b82; --warning: #f1c46b; --info: #8ab4f8;
            --principal: #23344f; --group: #21392a; --binding: #3b3220; --role: #37273b; --policy: #43262a; }
        }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; background: var(--bg); color: var(--fg);
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
        code, pre, .graph text { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
        pre { white-space: pre-wrap; margin: 0; }
        a { color: var(--accent); }
        h1 { margin: 0.2rem 0; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; margin-top: 2rem; }
        nav a { margin-right: 1rem; }
        .inputs code { background: var(--panel); padding: 0 0.3rem; border-radius: 3px; }
        .counts { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0; }
        .count { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.9rem; min-width: 7rem; }
        .count dt { color: var(--muted); font-size: 0.85em; } .count dd { margin: 0; font-size: 1.6em; font-weight: 600; }
        .sev-error dd, tr.sev-error td:first-child { color: var(--error); }
        .sev-warning dd, tr.sev-warning td:first-child { color: var(--warning); }
        .sev-info dd, tr.sev-info td:first-child { color: var(--info); }
        .tag { display: inline-block; font-size: 0.75em; padding: 0 0.4rem; border-radius: 3px; border: 1px solid var(--line); background: var(--panel); }
        .attention-cluster-admin .tag, tr.admin .tag { color: var(--error); border-color: var(--error); }
        .attention-lockout .tag { color: var(--warning); border-color: var(--warning); }
        table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        th { background: var(--panel); position: sticky; top: 0; }
        td code { overflow-wrap: anywhere; }
        .identities td:first-child { min-width: 16rem; } .identities td:nth-child(3) { min-width: 12rem; }
        details.panel { border: 1px solid var(--line); border-radius: 6px; margin: 0.5rem 0; padding: 0.3rem 0.6rem; overflow-x: auto; }
        details.panel > summary { cursor: pointer; }
        .graph { display: block; margin: 0.5rem 0; }
        .graph .edge { fill: none; stroke: var(--muted); stroke-width: 1.2; opacity: 0.7; }
        .graph .node rect { stroke: var(--line); }
        .graph .node text { fill: var(--fg); font-size: 12px; }
        .graph .node:hover rect, .graph .node:focus rect { stroke: var(--accent); stroke-width: 2; }
        .graph .kind-principal rect, .legend .kind-principal { fill: var(--principal); background: var(--principal); }
        .graph .kind-user rect, .graph .kind-group rect, .legend .kind-group { fill: var(--group); background: var(--group); }
        .graph .kind-binding rect, .legend .kind-binding { fill: var(--binding); background: var(--binding); }
        .graph .kind-role rect, .legend .kind-role { fill: var(--role); background: var(--role); }
        .graph .kind-policy rect, .legend .kind-policy { fill: var(--policy); background: var(--policy); }
        .legend span { padding: 0.1rem 0.5rem; border-radius: 4px; margin-right: 0.4rem; }
        .roles dt { margin-top: 0.4rem; font-weight: 600; } .roles dd ul { margin: 0.2rem 0; }
        .filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1.2rem; align-items: center; background: var(--panel); padding: 0.5rem 0.8rem; border-radius: 6px; }
        select, input { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; }
        .matrix td.cell, .matrix th.verb { text-align: center; width: 4.5rem; }
        .matrix td.cell a { text-decoration: none; display: block; }
        .c-Y, td.c-Y a { color: var(--yes); } td.c-Y { background: var(--yes-bg); }
        .c-N, td.c-N a { color: var(--named); } td.c-N { background: var(--named-bg); }
        .c-\?, td.c-\? a { color: var(--unknown); } td.c-\? { background: var(--unknown-bg); }
        .c-\., td.c-\. { color: var(--no); }
        td.muted { opacity: 0.35; }
        .matrix h3 { margin-bottom: 0.2rem; }
        .explain { border: 2px solid var(--accent); border-radius: 6px; padding: 0.5rem 0.8rem; margin: 0.6rem 0; background: var(--panel); }
        .explain ol { margin: 0.3rem 0; }
        .note { color: var(--muted); }
        #wc-results li { margin: 0.3rem 0; }
        footer { margin-top: 3rem; color: var(--muted); font-size: 0.85em; }
        @media print {
          :root { --bg: #ffffff; --fg: #000000; --panel: #f3f3f3; --line: #bbbbbb; --muted: #444444; }
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav, .filters, #who-can, .explain { display: none; }
          details.panel { break-inside: avoid; overflow: visible; }
          th { position: static; }
          a { color: inherit; text-decoration: none; }
          section { break-before: auto; }
          h2 { break-after: avoid; }
        }

        """;

    public const string Script =
        """
        (function () {
          'use strict';
          var data = JSON.parse(document.getElementById('report-data').textContent);
          var M = data.matrix;
          var PAGE_ROWS = 300;
          var MAX_ANSWERS = 500;
          var DANGEROUS_RESOURCES = { 'secrets': true, 'pods/exec': true };
          var DANGEROUS_VERBS = { 'escalate': true, 'bind': true, 'impersonate': true };
          var ACCESS = { 'Y': 'yes', 'N': 'named', '?': 'unknown', '.': 'no' };
          var SYMBOL = { 'Y': '\u2713', 'N': 'N', '?': '?', '.': '\u00b7' };

          function el(tag, attrs, text) {
            var node = document.createElement(tag);
            if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
            if (text !== undefined && text !== null) { node.textContent = text; }
            return node;
          }
          function nsName(ns) { return ns === '' ? '(cluster scope)' : ns === '*' ? '(any other namespace)' : ns; }
          function option(select, value, label) { select.appendChild(el('option', { value: value }, label)); }

          // Each principal's rows are sets shared with others: 'other' for '*' and every namespace without bindings
          // of its own, 'cluster' for cluster scope, 'own' per namespace where it has some.
          var STAR = M.namespaces.indexOf('*');
          var CLUSTER = M.namespaces.indexOf('');
          var access = M.access.map(function (a) {
            var own = {};
            for (var i = 0; i < a.own.length; i += 2) { own[a.own[i]] = a.own[i + 1]; }
            return { p: a.p, other: a.other, cluster: a.cluster, own: own };
          });
          // The set that applies to a principal in namespace n, and the namespace its rows come from.
          function source(a, n) {
            if (n === CLUSTER) { return [a.cluster, n]; }
            if (n !== STAR && a.own[n] !== undefined) { return [a.own[n], n]; }
            return [a.other, STAR];
          }
          var VERBS = M.verbs.length;
          function addRows(rows, a, set, from) {
            var s = M.sets[set];
            for (var i = 0; i < s.r.length; i++) { rows.push({ p: a.p, n: from, r: s.r[i], a: s.a[i], w: s.w.slice(i * VERBS, (i + 1) * VERBS) }); }
          }
          // One namespace: all that applies there; every namespace at once: each row once, where it comes from.
          function rowsIn(n, principal) {
            var rows = [];
            access.forEach(function (a) {
              if (principal !== null && a.p !== principal) { return; }
              var s = source(a, n);
              addRows(rows, a, s[0], s[1]);
            });
            return rows;
          }
          function rowsFrom(n, principal) {
            var rows = [];
            access.forEach(function (a) {
              if (principal !== null && a.p !== principal) { return; }
              var set = n === STAR ? a.other : n === CLUSTER ? a.cluster : a.own[n];
              if (set !== undefined) { addRows(rows, a, set, n); }
            });
            return rows;
          }
          function chain(w) { return M.reasons[w].chain.map(function (i) { return M.lines[i]; }); }
          function dangerous(row, v) {
            return !!(DANGEROUS_RESOURCES[M.resources[row.r]] || DANGEROUS_VERBS[M.verbs[v]] || (row.w[v] >= 0 && M.reasons[row.w[v]].wildcard));
          }

          var fPrincipal = document.getElementById('f-principal');
          var fNamespace = document.getElementById('f-namespace');
          var fVerb = document.getElementById('f-verb');
          var fDangerous = document.getElementById('f-dangerous');
          var view = document.getElementById('matrix-view');
          var explain = document.getElementById('explain');

          // The namespace shown first: the first one some principal has bindings of its own in.
          var first = STAR;
          access.forEach(function (a) {
            Object.keys(a.own).forEach(function (n) { if (Number(n) !== STAR && (first === STAR || Number(n) < first)) { first = Number(n); } });
          });
          access.forEach(function (a) {
            var any = M.sets[a.other].r.length + M.sets[a.cluster].r.length > 0 || Object.keys(a.own).some(function (n) { return M.sets[a.own[n]].r.length > 0; });
            if (any) { option(fPrincipal, String(a.p), data.principals[a.p].arn); }
          });
          M.namespaces.forEach(function (ns, i) { option(fNamespace, String(i), nsName(ns)); });
          fNamespace.value = String(first);
          M.verbs.forEach(function (v, i) { option(fVerb, String(i), v); });

          function showReason(row, v) {
            var p = data.principals[row.p];
            explain.textContent = '';
            explain.hidden = false;
            var head = el('p');
            head.appendChild(el('strong', null, M.verbs[v] + ' ' + M.resources[row.r] + (M.namespaces[row.n] === '' ? ' (cluster scope)' : ' in namespace ' + M.namespaces[row.n])));
            head.appendChild(document.createTextNode(': ' + ACCESS[row.a.charAt(v)] + ' for '));
            head.appendChild(el('code', null, p.arn));
            explain.appendChild(head);
            var steps = el('ol');
            steps.appendChild(el('li', null, p.arn + ' (' + p.via + ')'));
            steps.appendChild(el('li', null, 'user ' + (p.username === '' ? '(none)' : p.username) + (p.groups.length ? ', groups ' + p.groups.join(', ') : '')));
            if (row.w[v] >= 0) { chain(row.w[v]).forEach(function (step) { steps.appendChild(el('li', null, step)); }); }
            explain.appendChild(steps);
          }

          var limit = PAGE_ROWS;
          function renderMatrix() {
            var pFilter = fPrincipal.value === '' ? null : Number(fPrincipal.value);
            var nFilter = fNamespace.value, vFilter = fVerb.value, danger = fDangerous.checked;
            var verbs = vFilter === '' ? M.verbs.map(function (_, i) { return i; }) : [Number(vFilter)];
            view.textContent = '';
            explain.hidden = true;
            var total = 0, drawn = 0;
            M.namespaces.forEach(function (ns, n) {
              if (nFilter !== '' && Number(nFilter) !== n) { return; }
              var rows = (nFilter === '' ? rowsFrom(n, pFilter) : rowsIn(n, pFilter)).filter(function (row) {
                return verbs.some(function (v) { return row.a.charAt(v) !== '.' && (!danger || dangerous(row, v)); });
              });
              if (rows.length === 0) { return; }
              total += rows.length;
              if (drawn >= limit) { return; }
              var block = el('div', { 'class': 'matrix', 'data-ns': ns });
              block.appendChild(el('h3', null, ns === '*' ? 'Any namespace without a RoleBinding or access-policy scope of its own for the principal' : nsName(ns)));
              var table = el('table');
              var head = el('tr');
              head.appendChild(el('th', null, 'principal'));
              head.appendChild(el('th', null, 'resource'));
              verbs.forEach(function (v) { head.appendChild(el('th', { 'class': 'verb' }, M.verbs[v])); });
              table.appendChild(el('thead')).appendChild(head);
              var body = el('tbody');
              rows.slice(0, limit - drawn).forEach(function (row) {
                var p = data.principals[row.p];
                var tr = el('tr', { 'data-p': p.arn, 'data-ns': ns, 'data-r': M.resources[row.r], 'data-from': M.namespaces[row.n] });
                var who = el('td');
                who.appendChild(el('a', { href: '#' + p.id }, p.arn));
                tr.appendChild(who);
                tr.appendChild(el('td', row.n !== n ? { title: 'as in any other namespace' } : null, M.resources[row.r] + (row.n !== n ? ' *' : '')));
                verbs.forEach(function (v) {
                  var c = row.a.charAt(v);
                  var td = el('td', { 'class': 'cell c-' + c + (danger && c !== '.' && !dangerous(row, v) ? ' muted' : ''), 'data-v': M.verbs[v], 'data-a': ACCESS[c] });
                  if (c === '.') { td.textContent = SYMBOL[c]; } else {
                    var link = el('a', { href: '#explain', title: 'why?' }, SYMBOL[c]);
                    link.addEventListener('click', function (event) { event.preventDefault(); showReason(row, v); explain.scrollIntoView({ block: 'nearest' }); });
                    td.appendChild(link);
                  }
                  tr.appendChild(td);
                });
                body.appendChild(tr);
              });
              drawn += Math.min(rows.length, limit - drawn);
              table.appendChild(body);
              block.appendChild(table);
              view.appendChild(block);
            });
            if (total === 0) { view.appendChild(el('p', { 'class': 'note', id: 'matrix-empty' }, 'No access matches these filters.')); }
            if (total > drawn) {
              var more = el('p', { 'class': 'note' }, 'Showing ' + drawn + ' of ' + total + ' rows: narrow the filters, or ');
              var button = el('button', { type: 'button', id: 'matrix-more' }, 'show ' + Math.min(PAGE_ROWS, total - drawn) + ' more');
              button.addEventListener('click', function () { limit += PAGE_ROWS; renderMatrix(); });
              more.appendChild(button);
              view.appendChild(more);
            }
          }
          function filtersChanged() { limit = PAGE_ROWS; renderMatrix(); }

          var wcVerb = document.getElementById('wc-verb');
          var wcResource = document.getElementById('wc-resource');
          var wcNamespace = document.getElementById('wc-namespace');
          var wcResults = document.getElementById('wc-results');
          M.verbs.forEach(function (v, i) { option(wcVerb, String(i), v); });
          M.resources.map(function (r, i) { return [r, i]; }).sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
            .forEach(function (pair) { option(wcResource, String(pair[1]), pair[0]); });
          M.namespaces.forEach(function (ns, i) { if (ns !== '') { option(wcNamespace, String(i), nsName(ns)); } });

          function whoCan() {
            var v = Number(wcVerb.value), r = Number(wcResource.value), n = Number(wcNamespace.value);
            wcResults.textContent = '';
            if (isNaN(v) || isNaN(r)) { return; }
            var hits = rowsIn(n, null).concat(rowsIn(CLUSTER, null)).filter(function (row) {
              return row.r === r && row.a.charAt(v) !== '.';
            });
            var title = M.verbs[v] + ' ' + M.resources[r] + (isNaN(n) ? '' : ' in namespace ' + M.namespaces[n]);
            if (hits.length === 0) {
              wcResults.appendChild(el('p', { id: 'wc-none' }, 'No principal in this report may ' + title + '.'));
              return;
            }
            wcResults.appendChild(el('p', null, hits.length + ' principal' + (hits.length === 1 ? '' : 's') + ' may ' + title + ':'));
            var list = el('ul');
            hits.slice(0, MAX_ANSWERS).forEach(function (row) {
              var p = data.principals[row.p];
              var c = row.a.charAt(v);
              var item = el('li', { 'data-p': p.arn, 'data-a': ACCESS[c] });
              item.appendChild(el('a', { href: '#' + p.id }, p.arn));
              item.appendChild(document.createTextNode(' ' + ACCESS[c] + (M.namespaces[row.n] === '' ? ' (cluster scope)' : '') + ': '));
              item.appendChild(el('span', { 'class': 'path' }, [p.via, 'user ' + p.username].concat(chain(row.w[v])).join(' \u2192 ')));
              list.appendChild(item);
            });
            wcResults.appendChild(list);
            if (hits.length > MAX_ANSWERS) { wcResults.appendChild(el('p', { 'class': 'note' }, 'Showing the first ' + MAX_ANSWERS + '.')); }
          }

          [fPrincipal, fNamespace, fVerb, fDangerous].forEach(function (c) { c.addEventListener('change', filtersChanged); });
          [wcVerb, wcResource, wcNamespace].forEach(function (c) { c.addEventListener('change', whoCan); });
          document.getElementById('who-can-form').addEventListener('submit', function (e) { e.preventDefault(); whoCan(); });
          document.getElementById('matrix-filters').addEventListener('submit', function (e) { e.preventDefault(); });
          window.addEventListener('beforeprint', function () {
            Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
          });
          renderMatrix();
          whoCan();
        })();

        """;
}
