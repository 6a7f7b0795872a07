/**
 * The topology graph in Graphviz DOT (`fedctl graph --format dot | dot -Tpng`). Node ids are
 * generated (`n1`, ...); names and labels are double-quoted strings with `\` and `"` escaped, so
 * any name is safe. Two-way edges use `dir=both`; enforced edges are bold, disabled dashed.
 */
import type { GraphEdge, PlanMark, TopologyGraph } from './graph.js';
import { edgeText } from './mermaid.js';
import type { HealthState } from './model.js';

const PLAN_COLOUR: Readonly<Record<PlanMark, string>> = {
  add: '#2e7d32',
  change: '#e65100',
  remove: '#c62828',
};
const HEALTH_COLOUR: Readonly<Record<HealthState, string>> = {
  ERROR: '#d32f2f',
  NOT_AVAILABLE: '#6a1b9a',
  UNKNOWN: '#757575',
  PENDING_FS: '#0277bd',
  FULL_SYNC_RUNNING: '#0277bd',
  DELAYED: '#f9a825',
  DISABLED: '#78909c',
  HEALTHY: '#2e7d32',
};

export function renderGraphDot(graph: TopologyGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.name, `n${i + 1}`]));
  const lines = [
    'digraph fedctl {',
    '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.4, ranksep=1.2];',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10, color="#37474f"];',
  ];
  for (const node of graph.nodes) {
    const hub =
      node.sourceOf > 0 ? ', style="rounded,filled", fillcolor="#e3f2fd", color="#1565c0"' : '';
    lines.push(`  ${ids.get(node.name) ?? 'unknown'} [label=${dotString(node.name)}${hub}];`);
  }
  for (const edge of graph.edges) {
    lines.push(
      `  ${ids.get(edge.from) ?? 'unknown'} -> ${ids.get(edge.to) ?? 'unknown'} [${edgeAttributes(edge).join(', ')}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function edgeAttributes(edge: GraphEdge): string[] {
  const attributes = [`id=${dotString(edge.id)}`, `label=${dotString(edgeText(edge))}`];
  if (edge.direction === 'two-way') attributes.push('dir=both');
  const styles = [
    ...(edge.enforced ? ['bold'] : []),
    ...(edge.plan === 'remove' ? ['dotted'] : edge.disabled ? ['dashed'] : []),
  ];
  if (styles.length > 0) attributes.push(`style=${dotString(styles.join(','))}`);
  const colour =
    edge.health !== undefined
      ? HEALTH_COLOUR[edge.health]
      : edge.plan !== undefined
        ? PLAN_COLOUR[edge.plan]
        : edge.enforced
          ? '#1565c0'
          : undefined;
  if (colour !== undefined) attributes.push(`color=${dotString(colour)}`);
  return attributes;
}

/**
 * A DOT double-quoted string. In labels Graphviz reads `\` escapes (`\n`, `\l`, `\N`, ...), so a
 * backslash is doubled, a quote escaped, and line breaks become spaces.
 */
export function dotString(text: string): string {
  return `"${text.replace(/[\r\n]+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
