/**
 * The plan as a pull-request comment: the summary first, removals called out, the topology as a
 * mermaid graph with what the plan changes highlighted, details collapsed, and never over GitHub's
 * 65,535-character comment limit (the graph goes, with a note, before any plan content does).
 */
import { buildGraph, planOverlay, type GraphTopology } from './graph.js';
import { renderGraphMermaidBlock } from './graph-mermaid.js';
import type { Plan } from './plan.js';
import { deletionEffect, describeAction, renderPlanText, summaryLine } from './render-text.js';
import { markdownCode, markdownFence, safeMarkdown } from './safe-text.js';

export const GITHUB_COMMENT_LIMIT = 65_535;

export interface MarkdownOptions {
  /** The comment size limit; GitHub's by default. */
  readonly limit?: number;
  /** The topology the plan was computed for: draws the graph. Without it, no graph. */
  readonly topology?: GraphTopology;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const head: string[] = [`### fedctl plan`, '', `**${summaryLine(plan)}**`, ''];
  const drift = plan.actions.filter((a) => a.cause === 'drift');
  if (drift.length > 0) {
    head.push(
      `> [!NOTE]`,
      `> ${drift.length} ${drift.length === 1 ? 'change undoes an edit' : 'changes undo edits'} made on a JPD outside fedctl (drift).`,
      '',
    );
  }
  const deletions = plan.actions.filter((a) => a.type === 'delete-repository');
  if (deletions.length > 0) {
    head.push(
      `> [!CAUTION]`,
      `> **${deletions.length} ${deletions.length === 1 ? 'deletion' : 'deletions'} (cannot be undone):**`,
    );
    for (const a of deletions) {
      head.push(`> - ${markdownCode(`${a.jpd}/${a.repoKey}`)}: ${safeMarkdown(deletionEffect(a))}`);
    }
    head.push('');
  }
  const removals = plan.actions.filter((a) => a.type === 'remove-member');
  if (removals.length > 0) {
    head.push(
      `> [!WARNING]`,
      `> **${removals.length} ${removals.length === 1 ? 'removal' : 'removals'}:**`,
    );
    for (const a of removals)
      head.push(`> - ${markdownCode(`${a.jpd}/${a.repoKey}`)}: ${safeMarkdown(describeAction(a))}`);
    head.push('');
  }
  if (plan.actions.length > 0) {
    head.push('| | Action | JPD | Repository | Cause |', '|---|---|---|---|---|');
    for (const a of plan.actions) {
      const sign =
        a.type === 'establish-pairing' || a.type === 'create-repository' || a.type === 'add-member'
          ? '+'
          : a.type === 'remove-member' || a.type === 'delete-repository'
            ? '-'
            : '~';
      const jpd = a.type === 'establish-pairing' ? `${a.source} → ${a.target}` : a.jpd;
      const repo = a.type === 'establish-pairing' ? '' : markdownCode(a.repoKey);
      head.push(
        `| ${sign} | ${safeMarkdown(describeAction(a))} | ${safeMarkdown(jpd)} | ${repo} | ${a.cause} |`,
      );
    }
    head.push('');
  }
  const summary = head.join('\n');
  const graph =
    options.topology === undefined
      ? ''
      : `#### Topology (edges the plan adds, changes or removes are highlighted)\n\n${renderGraphMermaidBlock(
          buildGraph(options.topology, { plan: planOverlay(plan) }),
        )}\n`;
  return fitComment(summary, graph, renderPlanText(plan, { color: false }), limit);
}

const GRAPH_LEFT_OUT =
  '_The topology graph is left out to fit a GitHub comment; `fedctl graph` draws it._\n\n';

/** Summary first; then the full plan; the graph only if both fit, else a note in its place. */
function fitComment(summary: string, graph: string, text: string, limit: number): string {
  // A description with a run of backticks must not close the block early (issue 16).
  const fence = markdownFence(text);
  const open = `<details><summary>Full plan</summary>\n\n${fence}diff\n`;
  const close = `${fence}\n\n</details>\n`;
  const whole = `${summary}\n${graph}${open}${text}${close}`;
  if (whole.length <= limit) return whole;
  const head = `${summary}\n${graph === '' ? '' : GRAPH_LEFT_OUT}`;
  const room = limit - head.length - open.length - close.length;
  if (room >= text.length) return `${head}${open}${text}${close}`;
  const note = '… (truncated to fit a GitHub comment; run `fedctl plan` for the whole plan)\n';
  if (room <= note.length) return `${summary.slice(0, limit - note.length - 1)}\n${note}`;
  const cut = text.slice(0, room - note.length);
  return `${head}${open}${cut.slice(0, cut.lastIndexOf('\n') + 1)}${note}${close}`;
}
