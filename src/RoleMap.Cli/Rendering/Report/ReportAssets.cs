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
          var MAX_ROWS = 2000;
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
          // Rows in '*' stand for every namespace where the principal has no rows of its own.
          var STAR = M.namespaces.indexOf('*');
          var own = {};
          M.rows.forEach(function (row) { if (row.n !== STAR) { own[row.p + ':' + row.n] = true; } });
          function rowsIn(n) {
            return M.rows.filter(function (row) {
              return row.n === n || (row.n === STAR && n !== STAR && M.namespaces[n] !== '' && !own[row.p + ':' + n]);
            });
          }
          function option(select, value, label) { select.appendChild(el('option', { value: value }, label)); }
          function dangerous(row, v) {
            return !!(DANGEROUS_RESOURCES[M.resources[row.r]] || DANGEROUS_VERBS[M.verbs[v]] || (row.w[v] >= 0 && M.reasons[row.w[v]].wildcard));
          }

          var fPrincipal = document.getElementById('f-principal');
          var fNamespace = document.getElementById('f-namespace');
          var fVerb = document.getElementById('f-verb');
          var fDangerous = document.getElementById('f-dangerous');
          var view = document.getElementById('matrix-view');
          var explain = document.getElementById('explain');

          var shown = {};
          M.rows.forEach(function (row) { shown[row.p] = true; });
          data.principals.forEach(function (p, i) { if (shown[i]) { option(fPrincipal, String(i), p.arn); } });
          M.namespaces.forEach(function (ns, i) { option(fNamespace, String(i), nsName(ns)); });
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
            var chain = el('ol');
            chain.appendChild(el('li', null, p.arn + ' (' + p.via + ')'));
            chain.appendChild(el('li', null, 'user ' + (p.username === '' ? '(none)' : p.username) + (p.groups.length ? ', groups ' + p.groups.join(', ') : '')));
            if (row.w[v] >= 0) { M.reasons[row.w[v]].chain.forEach(function (step) { chain.appendChild(el('li', null, step)); }); }
            explain.appendChild(chain);
          }

          function renderMatrix() {
            var pFilter = fPrincipal.value, nFilter = fNamespace.value, vFilter = fVerb.value, danger = fDangerous.checked;
            var verbs = vFilter === '' ? M.verbs.map(function (_, i) { return i; }) : [Number(vFilter)];
            view.textContent = '';
            explain.hidden = true;
            var total = 0, drawn = 0;
            M.namespaces.forEach(function (ns, n) {
              if (nFilter !== '' && Number(nFilter) !== n) { return; }
              // Every namespace at once: each row once, where it comes from; one namespace: all that applies there.
              var rows = (nFilter === '' ? M.rows.filter(function (row) { return row.n === n; }) : rowsIn(n)).filter(function (row) {
                if (pFilter !== '' && row.p !== Number(pFilter)) { return false; }
                return verbs.some(function (v) { return row.a.charAt(v) !== '.' && (!danger || dangerous(row, v)); });
              });
              if (rows.length === 0) { return; }
              total += rows.length;
              if (drawn >= MAX_ROWS) { return; }
              var block = el('div', { 'class': 'matrix', 'data-ns': ns });
              block.appendChild(el('h3', null, ns === '*' ? 'Any namespace without a RoleBinding or access-policy scope of its own for the principal' : nsName(ns)));
              var table = el('table');
              var head = el('tr');
              head.appendChild(el('th', null, 'principal'));
              head.appendChild(el('th', null, 'resource'));
              verbs.forEach(function (v) { head.appendChild(el('th', { 'class': 'verb' }, M.verbs[v])); });
              table.appendChild(el('thead')).appendChild(head);
              var body = el('tbody');
              rows.slice(0, MAX_ROWS - drawn).forEach(function (row) {
                var tr = el('tr', { 'data-p': data.principals[row.p].arn, 'data-ns': ns, 'data-r': M.resources[row.r], 'data-from': M.namespaces[row.n] });
                var who = el('td');
                who.appendChild(el('a', { href: '#' + data.principals[row.p].id }, data.principals[row.p].arn));
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
              drawn += Math.min(rows.length, MAX_ROWS - (drawn));
              table.appendChild(body);
              block.appendChild(table);
              view.appendChild(block);
            });
            if (total === 0) { view.appendChild(el('p', { 'class': 'note', id: 'matrix-empty' }, 'No access matches these filters.')); }
            if (total > drawn) { view.appendChild(el('p', { 'class': 'note' }, 'Showing ' + drawn + ' of ' + total + ' rows: narrow the filters to see the rest.')); }
          }

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
            var hits = rowsIn(n).concat(M.rows.filter(function (row) { return M.namespaces[row.n] === ''; })).filter(function (row) {
              return row.r === r && row.a.charAt(v) !== '.';
            });
            var title = M.verbs[v] + ' ' + M.resources[r] + (isNaN(n) ? '' : ' in namespace ' + M.namespaces[n]);
            if (hits.length === 0) {
              wcResults.appendChild(el('p', { id: 'wc-none' }, 'No principal in this report may ' + title + '.'));
              return;
            }
            wcResults.appendChild(el('p', null, hits.length + ' principal' + (hits.length === 1 ? '' : 's') + ' may ' + title + ':'));
            var list = el('ul');
            hits.forEach(function (row) {
              var p = data.principals[row.p];
              var c = row.a.charAt(v);
              var item = el('li', { 'data-p': p.arn, 'data-a': ACCESS[c] });
              item.appendChild(el('a', { href: '#' + p.id }, p.arn));
              item.appendChild(document.createTextNode(' ' + ACCESS[c] + (M.namespaces[row.n] === '' ? ' (cluster scope)' : '') + ': '));
              item.appendChild(el('span', { 'class': 'path' }, [p.via, 'user ' + p.username].concat(M.reasons[row.w[v]].chain).join(' \u2192 ')));
              list.appendChild(item);
            });
            wcResults.appendChild(list);
          }

          [fPrincipal, fNamespace, fVerb, fDangerous].forEach(function (c) { c.addEventListener('change', renderMatrix); });
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
