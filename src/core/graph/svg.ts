/**
 * The topology graph as a standalone SVG drawn by fedctl: no script, no external font or style,
 * presentation in attributes (a <style> in an SVG inlined into HTML would apply to the whole page).
 * Classes are hooks for pages and tests: `edge-one-way`, `edge-two-way`, `edge-enforced`,
 * `edge-disabled`, `edge-plan-add|change|remove`, `edge-healthy`, `edge-error`, ...
 */
import type { GraphEdge, TopologyGraph } from './graph.js';
import { HEALTH_STATES, type HealthState } from './model.js';
import { LABEL_FONT_PX, NODE_FONT_PX, round, SUB_FONT_PX, textWidth } from './geometry.js';
import { layoutGraph, NODE_LINE_PX, type EdgeLayout, type NodeLayout } from './layout.js';

export interface SvgOptions {
  /** Prefix of every id in the SVG, so two drawings can share a page (default `fedctl-`). */
  readonly idPrefix?: string;
}

/** Stroke colours by what they mean; each has its own arrowhead marker. */
const COLOURS = {
  base: '#37474f',
  enforced: '#1565c0',
  disabled: '#78909c',
  add: '#2e7d32',
  change: '#e65100',
  remove: '#c62828',
  healthy: '#2e7d32',
  error: '#d32f2f',
  'not-available': '#6a1b9a',
  unknown: '#757575',
  syncing: '#0277bd',
  delayed: '#f9a825',
} as const;
type Colour = keyof typeof COLOURS;

const HEALTH_COLOUR: Readonly<Record<HealthState, Colour>> = {
  ERROR: 'error',
  NOT_AVAILABLE: 'not-available',
  UNKNOWN: 'unknown',
  PENDING_FS: 'syncing',
  FULL_SYNC_RUNNING: 'syncing',
  DELAYED: 'delayed',
  DISABLED: 'disabled',
  HEALTHY: 'healthy',
};

const DISABLED_DASH = '7 5';
const REMOVED_DASH = '2 4';
// Unquoted family names are valid CSS and keep the attribute free of entities.
const FONT = 'DejaVu Sans Mono, Liberation Mono, Menlo, Consolas, monospace';
const LEGEND_ROW = 20;
const LEGEND_SAMPLE = 44;

interface EdgeStyle {
  readonly colour: Colour;
  readonly width: number;
  readonly dash?: string;
  readonly classes: readonly string[];
}

/**
 * The colour says the most urgent thing known: health when read, else what the plan does, else
 * whether the trust boundary enforces the direction. Dashes: disabled; dotted: removed by the plan.
 */
export function edgeStyle(edge: GraphEdge): EdgeStyle {
  const classes = ['edge', `edge-${edge.direction}`];
  if (edge.enforced) classes.push('edge-enforced');
  if (edge.disabled) classes.push('edge-disabled');
  if (edge.plan !== undefined) classes.push(`edge-plan-${edge.plan}`);
  if (edge.health !== undefined)
    classes.push(`edge-${edge.health.toLowerCase().replace(/_/g, '-')}`);
  const colour: Colour =
    edge.health !== undefined
      ? HEALTH_COLOUR[edge.health]
      : (edge.plan ?? (edge.enforced ? 'enforced' : edge.disabled ? 'disabled' : 'base'));
  const dash = edge.plan === 'remove' ? REMOVED_DASH : edge.disabled ? DISABLED_DASH : undefined;
  return {
    colour,
    width: edge.enforced ? 3 : edge.health === 'ERROR' ? 2.5 : 1.6,
    ...(dash === undefined ? {} : { dash }),
    classes,
  };
}

export function renderGraphSvg(graph: TopologyGraph, options: SvgOptions = {}): string {
  const prefix = safePrefix(options.idPrefix ?? 'fedctl-');
  const layout = layoutGraph(graph);
  const legend = legendRows(graph);
  const legendWidth = Math.max(...legend.map((r) => textWidth(r.text, LABEL_FONT_PX))) + 96;
  const width = Math.max(layout.width, legendWidth + 48);
  const legendTop = layout.height;
  const height = legendTop + 36 + legend.length * LEGEND_ROW + 16;
  const styles = layout.edges.map((e) => edgeStyle(e.edge));
  const colours = new Set<Colour>([...styles, ...legend].map((s) => s.colour));
  const repos = new Set(graph.edges.flatMap((e) => e.repos)).size;
  const title = `fedctl topology: ${count(graph.nodes.length, 'JPD')}, ${count(graph.edges.length, 'edge')}, ${count(repos, 'repository', 'repositories')}`;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${prefix}title" font-family="${esc(FONT)}">`,
    `<title id="${prefix}title">${esc(title)}</title>`,
    '<defs>',
    ...[...colours].sort().map((c) => marker(prefix, c)),
    '</defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    '<g class="edges">',
    ...layout.edges.map((e, i) => edgeSvg(prefix, e, styles[i] ?? edgeStyle(e.edge))),
    '</g>',
    '<g class="nodes">',
    ...layout.nodes.map((n, i) => nodeSvg(prefix, n, i)),
    '</g>',
    '<g class="edge-labels">',
    ...layout.edges.map((e) => labelSvg(prefix, e)),
    '</g>',
    legendSvg(prefix, legend, legendTop, legendWidth),
    '</svg>',
  ];
  return `${out.join('\n')}\n`;
}

function edgeSvg(prefix: string, e: EdgeLayout, style: EdgeStyle): string {
  const { edge } = e;
  const arrow = `url(#${prefix}arrow-${style.colour})`;
  const markers =
    edge.direction === 'two-way'
      ? ` marker-start="${arrow}" marker-end="${arrow}"`
      : ` marker-end="${arrow}"`;
  const dash = style.dash === undefined ? '' : ` stroke-dasharray="${style.dash}"`;
  return [
    `<g id="${prefix}${edge.id}" class="${style.classes.join(' ')}" data-from="${esc(edge.from)}" data-to="${esc(edge.to)}">`,
    `<title>${esc(edgeTitle(edge))}</title>`,
    `<path d="M${e.start.x} ${e.start.y} Q${e.control.x} ${e.control.y} ${e.end.x} ${e.end.y}" fill="none" stroke="${COLOURS[style.colour]}" stroke-width="${style.width}"${dash}${markers}/>`,
    '</g>',
  ].join('');
}

/** Tooltip and accessible name: both ends, the kind, and up to 20 repository keys. */
export function edgeTitle(edge: GraphEdge): string {
  const arrow = edge.direction === 'two-way' ? '<->' : '->';
  const kind = [
    edge.direction,
    ...(edge.enforced ? ['enforced by a receiving-only pairing'] : []),
    ...(edge.disabled ? ['disabled'] : []),
    ...(edge.plan === undefined ? [] : [`plan: ${edge.plan}`]),
    ...(edge.health === undefined ? [] : [`health: ${edge.health}`]),
  ].join(', ');
  const shown = edge.repos.slice(0, 20).join(', ');
  const more = edge.repos.length > 20 ? `, and ${edge.repos.length - 20} more` : '';
  return `${edge.from} ${arrow} ${edge.to} (${kind}): ${count(edge.repos.length, 'repository', 'repositories')}: ${shown}${more}`;
}

function labelSvg(prefix: string, e: EdgeLayout): string {
  const { label } = e;
  return [
    `<g class="edge-label" data-edge="${prefix}${e.edge.id}">`,
    `<rect x="${label.x}" y="${label.y}" width="${label.width}" height="${label.height}" rx="3" fill="#ffffff" fill-opacity="0.92"/>`,
    `<text x="${round(label.x + label.width / 2)}" y="${round(label.y + label.height / 2)}" text-anchor="middle" dominant-baseline="central" font-size="${LABEL_FONT_PX}" fill="#263238">${esc(e.edge.label)}</text>`,
    '</g>',
  ].join('');
}

function nodeSvg(prefix: string, n: NodeLayout, index: number): string {
  const cx = round(n.x + n.width / 2);
  const texts = n.lines.map((line, i) =>
    i === 0
      ? `<text x="${cx}" y="${round(n.y + 6 + NODE_LINE_PX * 0.5)}" text-anchor="middle" dominant-baseline="central" font-size="${NODE_FONT_PX}" font-weight="bold" fill="#102027">${esc(line)}</text>`
      : `<text x="${cx}" y="${round(n.y + 6 + NODE_LINE_PX * (i + 0.5))}" text-anchor="middle" dominant-baseline="central" font-size="${SUB_FONT_PX}" fill="#455a64">${esc(line)}</text>`,
  );
  return [
    `<g id="${prefix}n${index + 1}" class="node${n.hub ? ' node-hub' : ''}" data-name="${esc(n.name)}">`,
    `<title>${esc(n.name)}</title>`,
    `<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="6" fill="${n.hub ? '#e3f2fd' : '#fafafa'}" stroke="${n.hub ? '#1565c0' : '#546e7a'}" stroke-width="1.5"/>`,
    ...texts,
    '</g>',
  ].join('');
}

interface LegendRow {
  readonly text: string;
  readonly colour: Colour;
  readonly width: number;
  readonly dash?: string;
  readonly twoWay?: boolean;
}

/** The four kinds always; the plan's marks and the health states only when present. */
function legendRows(graph: TopologyGraph): LegendRow[] {
  const rows: LegendRow[] = [
    { text: 'one-way: the member is a receiver', colour: 'base', width: 1.6 },
    { text: 'two-way: both bidirectional', colour: 'base', width: 1.6, twoWay: true },
    { text: 'enforced: receiving-only pairing', colour: 'enforced', width: 3 },
    { text: 'disabled member (dashed)', colour: 'disabled', width: 1.6, dash: DISABLED_DASH },
  ];
  const plans = new Set(graph.edges.map((e) => e.plan));
  if (plans.has('add')) rows.push({ text: 'plan adds', colour: 'add', width: 1.6 });
  if (plans.has('change')) rows.push({ text: 'plan changes', colour: 'change', width: 1.6 });
  if (plans.has('remove')) {
    rows.push({ text: 'plan removes (dotted)', colour: 'remove', width: 1.6, dash: REMOVED_DASH });
  }
  const health = new Set(graph.edges.map((e) => e.health));
  for (const state of HEALTH_STATES) {
    if (health.has(state))
      rows.push({ text: `health: ${state}`, colour: HEALTH_COLOUR[state], width: 1.6 });
  }
  return rows;
}

function legendSvg(prefix: string, rows: readonly LegendRow[], top: number, width: number): string {
  const x = 24;
  const out = [
    `<g class="legend" transform="translate(${x} ${top})">`,
    `<rect x="0" y="0" width="${width}" height="${28 + rows.length * LEGEND_ROW}" rx="4" fill="#ffffff" stroke="#cfd8dc"/>`,
    `<text x="10" y="16" font-size="${LABEL_FONT_PX}" font-weight="bold" fill="#263238">Legend</text>`,
  ];
  rows.forEach((row, i) => {
    const y = 34 + i * LEGEND_ROW;
    const arrow = `url(#${prefix}arrow-${row.colour})`;
    const dash = row.dash === undefined ? '' : ` stroke-dasharray="${row.dash}"`;
    const start = row.twoWay === true ? ` marker-start="${arrow}"` : '';
    out.push(
      `<path class="legend-sample" d="M10 ${y} L${10 + LEGEND_SAMPLE} ${y}" stroke="${COLOURS[row.colour]}" stroke-width="${row.width}"${dash}${start} marker-end="${arrow}"/>`,
      `<text x="${20 + LEGEND_SAMPLE}" y="${y}" dominant-baseline="central" font-size="${LABEL_FONT_PX}" fill="#263238">${esc(row.text)}</text>`,
    );
  });
  out.push('</g>');
  return out.join('\n');
}

function marker(prefix: string, colour: Colour): string {
  // userSpaceOnUse: the same arrowhead size whatever the stroke width.
  return `<marker id="${prefix}arrow-${colour}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${COLOURS[colour]}"/></marker>`;
}

/**
 * Escapes text for XML content and attribute values alike, and replaces the characters XML 1.0
 * forbids (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF) with U+FFFD.
 */
export function esc(text: string): string {
  return text
    .replace(
      // eslint-disable-next-line no-control-regex -- matching the control characters XML forbids
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    )
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function safePrefix(prefix: string): string {
  return /^[A-Za-z][A-Za-z0-9_-]*$/.test(prefix) ? prefix : 'fedctl-';
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
