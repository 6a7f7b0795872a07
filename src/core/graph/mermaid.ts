/**
 * The topology graph as a Mermaid flowchart, for a README or a pull-request comment (GitHub
 * renders ```mermaid blocks). Node and edge ids are generated (`n1`, `e1` order), so names never
 * appear outside quoted labels, and every label is entity-encoded (see `mermaidText`).
 *
 * Edge syntax: `-->` one-way, `<-->` two-way, `==>` thick for enforced, `-.->` dotted for
 * disabled. Mermaid has no legend, so labels also say "enforced" or "disabled", and the plan's
 * marks are prefixed `+`, `~`, `-` as in `fedctl plan`, besides their colour.
 */
import type { GraphEdge, PlanMark, TopologyGraph } from './graph.js';

const PLAN_SIGN: Readonly<Record<PlanMark, string>> = { add: '+', change: '~', remove: '-' };
const PLAN_STROKE: Readonly<Record<PlanMark, string>> = {
  add: 'stroke:#2e7d32,color:#2e7d32',
  change: 'stroke:#e65100,color:#e65100',
  remove: 'stroke:#c62828,color:#c62828,stroke-dasharray:2 4',
};

export function renderGraphMermaid(graph: TopologyGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.name, `n${i + 1}`]));
  const id = (name: string): string => ids.get(name) ?? 'unknown';
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    lines.push(
      `  ${id(node.name)}["${mermaidText(node.name)}"]${node.sourceOf > 0 ? ':::hub' : ''}`,
    );
  }
  // One linkStyle line per distinct style, listing its edges: short at 200 edges too.
  const styled = new Map<string, number[]>();
  graph.edges.forEach((edge, index) => {
    lines.push(
      `  ${id(edge.from)} ${arrow(edge)}|"${mermaidText(edgeText(edge))}"| ${id(edge.to)}`,
    );
    const style = [
      ...(edge.plan === undefined ? [] : [PLAN_STROKE[edge.plan]]),
      // A disabled edge is dotted, which has no thick variant: the width says enforced.
      ...(edge.enforced && edge.disabled ? ['stroke-width:3px'] : []),
    ].join(',');
    if (style !== '') styled.set(style, [...(styled.get(style) ?? []), index]);
  });
  if (graph.nodes.some((n) => n.sourceOf > 0)) {
    lines.push('  classDef hub fill:#e3f2fd,stroke:#1565c0,stroke-width:2px');
  }
  for (const [style, indices] of styled) lines.push(`  linkStyle ${indices.join(',')} ${style}`);
  return `${lines.join('\n')}\n`;
}

/** The graph as a fenced block for markdown (the plan comment plugs this in). */
export function renderGraphMermaidBlock(graph: TopologyGraph): string {
  return `\`\`\`mermaid\n${renderGraphMermaid(graph)}\`\`\`\n`;
}

function arrow(edge: GraphEdge): string {
  const [head, tail] = edge.direction === 'two-way' ? ['<', '>'] : ['', '>'];
  if (edge.disabled) return `${head}-.-${tail}`;
  if (edge.enforced) return `${head}==${tail}`;
  return `${head}--${tail}`;
}

export function edgeText(edge: GraphEdge): string {
  const notes = [...(edge.enforced ? ['enforced'] : []), ...(edge.disabled ? ['disabled'] : [])];
  const sign = edge.plan === undefined ? '' : `${PLAN_SIGN[edge.plan]} `;
  return `${sign}${edge.label}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/**
 * Text safe inside a quoted Mermaid label: Mermaid decodes `#name;` and `#code;` entities, so the
 * characters that end a label or read as HTML or markdown are written that way; line breaks
 * become spaces (a label is one line here).
 */
export function mermaidText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[#"&<>`]/g, (c) => MERMAID_ENTITIES[c] ?? c);
}

const MERMAID_ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  '"': '#quot;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
};
