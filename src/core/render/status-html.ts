/**
 * `fedctl status --format html`: one self-contained page an operator can open offline. No CDN, no
 * external font, style or script: the graph is fedctl's own inline SVG (core/graph/svg.ts) with a
 * health colour per edge, and a table per federation shows each member's mode, the state of each
 * direction, lag and queued events, with drift and pending changes marked. Everything is readable
 * without JavaScript; a small inline script only adds sorting and a filter, both usable from the
 * keyboard. Pure: a function of one status reading and the drift findings of the same reading.
 */
import { safeText } from '../safe-text.js';
import type { DriftResult, RepoReport } from '../drift/drift.js';
import { formatDuration } from '../verify/federation-health.js';
import { buildGraph, type HealthReading } from '../graph/graph.js';
import { renderGraphSvg } from '../graph/svg.js';
import {
  legacy,
  type DirectionStatus,
  type MemberStatus,
  type RepoStatus,
  type StatusResult,
} from '../drift/status.js';
import type { Topology } from '../topology/model.js';

export interface StatusPageInput {
  readonly status: StatusResult;
  /** The drift and pending findings of the same reading, by repository. */
  readonly findings: Pick<DriftResult, 'repositories'>;
  readonly topology: Topology;
}

export function renderStatusHtml(input: StatusPageInput): string {
  const { status } = input;
  const findings = new Map(input.findings.repositories.map((r) => [id(r), r]));
  const graph = buildGraph(input.topology, { health: { readings: healthReadings(status) } });
  const drift = input.findings.repositories.reduce((n, r) => n + r.drift.length, 0);
  const pending = input.findings.repositories.reduce((n, r) => n + r.pending.length, 0);
  const s = status.summary;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fedctl status: ${esc(status.topology)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>fedctl status</h1>
<p>Topology <code>${esc(status.topology)}</code> · JPDs: ${status.jpds.map(esc).join(', ')} · read at <time datetime="${esc(status.readAt)}">${esc(status.readAt)}</time></p>
<p class="summary">${s.repositories} ${s.repositories === 1 ? 'repository' : 'repositories'}: ${count(s.healthy, 'healthy', 'health-healthy')}, ${count(s.unhealthy, 'unhealthy', 'health-unhealthy')}, ${count(s.unknown, 'unknown', 'health-unknown')}, ${count(s.missing, 'not created yet', 'health-missing')} · ${count(drift, 'drift', 'finding-drift')} · ${count(pending, 'pending', 'finding-pending')} · thresholds: lag ${esc(formatDuration(status.thresholds.maxLagMs))}, ${status.thresholds.maxQueued} queued events</p>
</header>
<main>
${unreadableSection(status.unreadable)}<section aria-labelledby="graph-title">
<h2 id="graph-title">Federation graph</h2>
<figure>
${renderGraphSvg(graph, { idPrefix: 'graph-' })}<figcaption>Each edge takes the most severe state read on it; red is <code>ERROR</code>.</figcaption>
</figure>
</section>
<section aria-labelledby="repos-title">
<h2 id="repos-title">Repositories</h2>
<p class="filter" hidden><label for="filter">Filter repositories and members</label> <input id="filter" type="search" autocomplete="off"></p>
${status.repositories.map((r) => repoSection(r, findings.get(id(r)))).join('\n')}
</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** What the graph colours its edges by: each direction the status read, per repository. */
export function healthReadings(status: StatusResult): HealthReading[] {
  const out: HealthReading[] = [];
  for (const r of status.repositories) {
    for (const m of r.members) {
      if (m.send.state !== undefined) {
        out.push({ from: r.jpd, to: m.member, repoKey: r.repoKey, state: m.send.state });
      }
      if (m.receive.state !== undefined) {
        out.push({ from: m.member, to: r.jpd, repoKey: r.repoKey, state: m.receive.state });
      }
    }
  }
  return out;
}

function repoSection(r: RepoStatus, report: RepoReport | undefined): string {
  const name = `${r.jpd}/${r.repoKey}`;
  const marks = [
    ...(report?.drift ?? []).map((d) => `<li class="finding-drift">drift: ${esc(d.message)}</li>`),
    ...(report?.pending ?? []).map(
      (p) => `<li class="finding-pending">pending: ${esc(p.message)}</li>`,
    ),
  ];
  const reason = r.reason === undefined ? '' : ` <span class="reason">${esc(r.reason)}</span>`;
  return `<section class="repo" data-health="${r.health}" data-name="${esc(name)}">
<h3><code>${esc(name)}</code> <span class="badge health-${r.health}">${esc(r.health)}</span>${reason}</h3>
${marks.length === 0 ? '' : `<ul class="findings">${marks.join('')}</ul>\n`}<table>
<caption>Members of ${esc(name)}: mode, and each direction as ${esc(r.jpd)} reports it</caption>
<thead><tr>${HEADERS.map((h, i) => `<th scope="col"${NUMERIC.has(i) ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead>
<tbody>
${r.members.map((m) => memberRow(r, m)).join('\n')}
</tbody>
</table>
</section>`;
}

const HEADERS = [
  'Member',
  'Mode',
  'Enabled',
  'Source → member',
  'Lag',
  'Queued',
  'Member → source',
  'Lag',
  'Queued',
  'Health',
];

/** The lag and queue columns: right-aligned, sorted by number. */
const NUMERIC: ReadonlySet<number> = new Set([4, 5, 7, 8]);

function memberRow(r: RepoStatus, m: MemberStatus): string {
  const mode =
    m.mode === m.declaredMode
      ? esc(m.mode)
      : `${esc(m.mode)} <span class="finding-drift">(declared ${esc(m.declaredMode)})</span>`;
  const reasons =
    m.reasons.length === 0 ? '' : `<br><small>${m.reasons.map(esc).join('<br>')}</small>`;
  return `<tr data-health="${m.health}" data-member="${esc(m.member)}"><th scope="row">${esc(m.member)}</th><td>${mode}</td><td>${m.enabled ? 'yes' : 'no'}</td>${direction(m.send)}${direction(m.receive, legacy(r))}<td class="health-${m.health}">${esc(m.live ? m.health : `missing on ${r.jpd}`)}${reasons}</td></tr>`;
}

function direction(d: DirectionStatus, unreported = false): string {
  const absent = unreported ? 'not reported (legacy)' : 'not listed';
  const state = d.state === undefined ? `<span class="muted">${absent}</span>` : esc(d.state);
  const cls = d.state === undefined ? '' : ` class="state-${stateClass(d.state)}"`;
  const num = (n: number | undefined, show: (n: number) => string): string =>
    `<td class="num" data-value="${n ?? -1}">${n === undefined ? '' : esc(show(n))}</td>`;
  return `<td${cls}>${state}</td>${num(d.lagInMs, formatDuration)}${num(d.queuedEvents, String)}`;
}

/** `Receiving Only` -> `receiving-only`: a CSS class for any state string. */
function stateClass(state: string): string {
  return state
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

/** `3 unhealthy`, coloured only when there is something to see. */
function count(n: number, what: string, cls: string): string {
  return n === 0 ? `0 ${what}` : `<span class="${cls}">${n} ${what}</span>`;
}

function id(r: { readonly jpd: string; readonly repoKey: string }): string {
  return `${r.jpd}/${r.repoKey}`;
}

/** JPDs that could not be read, first: nothing else on the page speaks for them. */
function unreadableSection(unreadable: StatusResult['unreadable']): string {
  if (unreadable.length === 0) return '';
  const items = unreadable
    .map((u) => `<li><code>${esc(u.jpd)}</code>: ${esc(safeText(u.error))}</li>`)
    .join('\n');
  return `<section class="unreadable" role="alert" aria-labelledby="unreadable-title">
<h2 id="unreadable-title">${unreadable.length} ${unreadable.length === 1 ? 'JPD' : 'JPDs'} not read</h2>
<p>Not in this page: the repositories whose source is on ${unreadable.length === 1 ? 'it' : 'them'}, and the state of their connections.</p>
<ul>
${items}
</ul>
</section>
`;
}

/** Text for HTML content and attribute values. */
function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; }
body { margin: 1.5rem; color: #212121; }
code { font-family: ui-monospace, monospace; }
h1 { margin: 0 0 .25rem; } h2 { margin-top: 2rem; } h3 { margin: 1.5rem 0 .5rem; font-size: 1.05rem; }
figure { margin: 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; color: #616161; padding: .25rem 0; }
th, td { border: 1px solid #cfd8dc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eceff1; } td.num, th.num { text-align: right; }
th button { font: inherit; border: 0; background: none; padding: 0; cursor: pointer; text-decoration: underline dotted; }
th button:focus-visible, input:focus-visible { outline: 2px solid #1565c0; outline-offset: 2px; }
.badge { font-size: .8rem; padding: .1rem .4rem; border-radius: .3rem; border: 1px solid currentColor; }
.health-healthy { color: #2e7d32; } .health-unhealthy { color: #c62828; font-weight: 600; }
.health-unknown { color: #616161; } .health-missing { color: #6a1b9a; }
.state-error { color: #c62828; font-weight: 600; } .state-not-available { color: #6a1b9a; }
.state-delayed { color: #8d6e00; } .state-pending-fs, .state-full-sync-running { color: #0277bd; }
.unreadable { border: 2px solid #c62828; padding: 0 1rem; } .unreadable h2 { color: #c62828; margin-top: .75rem; }
.finding-drift { color: #b71c1c; } .finding-pending { color: #e65100; }
.findings { margin: .25rem 0 .5rem; } .muted, .reason { color: #757575; }
tr th[scope=row] { font-weight: 600; }
`;

// Progressive enhancement only: sortable columns (a button per header, aria-sort kept in step)
// and a filter over repositories and members. Without it the page is complete.
const SCRIPT = `
(function () {
  'use strict';
  var filter = document.querySelector('.filter');
  var input = document.getElementById('filter');
  if (filter && input) {
    filter.hidden = false;
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      document.querySelectorAll('section.repo').forEach(function (section) {
        var name = (section.getAttribute('data-name') || '').toLowerCase();
        var rows = section.querySelectorAll('tbody tr');
        var any = false;
        rows.forEach(function (row) {
          var hit = q === '' || name.indexOf(q) >= 0 || row.textContent.toLowerCase().indexOf(q) >= 0;
          row.hidden = !hit;
          any = any || hit;
        });
        section.hidden = !any;
      });
    });
  }
  document.querySelectorAll('table').forEach(function (table) {
    table.querySelectorAll('thead th').forEach(function (th, column) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('thead th').forEach(function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          var nx = x && x.getAttribute('data-value'), ny = y && y.getAttribute('data-value');
          var order = nx !== null && ny !== null && nx !== undefined && ny !== undefined
            ? Number(nx) - Number(ny)
            : (x ? x.textContent : '').localeCompare(y ? y.textContent : '');
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
`;
