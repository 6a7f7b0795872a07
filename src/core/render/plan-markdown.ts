/**
 * The plan as a pull-request comment: a hidden marker and what it covers first, then the summary,
 * drift, deletions and removals called out, a table, the topology as a mermaid graph with what the
 * plan changes highlighted, and the details collapsed, never over GitHub's 65,535-character comment
 * limit (the graph goes, with a note, before any plan content does). The comment rules are in
 * core/render/markdown.ts.
 */
import { buildGraph, planOverlay, type GraphTopology } from '../graph/graph.js';
import { renderGraphMermaidBlock } from '../graph/mermaid.js';
import {
  commentMarker,
  coversLine,
  fitComment,
  GITHUB_COMMENT_LIMIT,
  type CommentScope,
} from './markdown.js';
import type { Action, Plan } from '../plan/plan.js';
import { deletionEffect, describeAction, renderPlanText, summaryLine } from './plan-text.js';
import { markdownCode, safeMarkdown } from '../safe-text.js';

export { GITHUB_COMMENT_LIMIT } from './markdown.js';

export interface MarkdownOptions extends CommentScope {
  /** The comment size limit; GitHub's by default. */
  readonly limit?: number;
  /** The topology the plan was computed for: draws the graph. Without it, no graph. */
  readonly topology?: GraphTopology;
}

const GRAPH_LEFT_OUT =
  '_The topology graph is left out to fit a GitHub comment; `fedctl graph` draws it._\n\n';

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions): string {
  const head: string[] = [
    commentMarker('plan', options.file),
    `### fedctl plan`,
    '',
    coversLine(options),
    '',
    `**${summaryLine(plan)}**`,
    '',
    ...callouts(plan),
    ...actionTable(plan),
  ];
  const graph =
    options.topology === undefined
      ? undefined
      : {
          text: `#### Topology (edges the plan adds, changes or removes are highlighted)\n\n${renderGraphMermaidBlock(
            buildGraph(options.topology, { plan: planOverlay(plan) }),
          )}\n`,
          leftOut: GRAPH_LEFT_OUT,
        };
  return fitComment(
    head.join('\n'),
    {
      title: 'Full plan',
      text: renderPlanText(plan, { color: false }),
      info: 'diff',
      command: 'fedctl plan',
    },
    options.limit ?? GITHUB_COMMENT_LIMIT,
    graph,
  );
}

/** Drift, deletions and removals, each as a visible callout: what a reviewer must not miss. */
function callouts(plan: Plan): string[] {
  const out: string[] = [];
  const item = (where: string, text: string): string =>
    `> - ${markdownCode(where)}: ${safeMarkdown(text)}`;
  const drift = plan.actions.filter((a) => a.cause === 'drift');
  if (drift.length > 0) {
    out.push(
      `> [!WARNING]`,
      `> **Drift: ${drift.length} ${drift.length === 1 ? 'change undoes an edit' : 'changes undo edits'} made on a JPD outside fedctl:**`,
      ...drift.map((a) => item(where(a), describeAction(a))),
      '',
    );
  }
  const deletions = plan.actions.filter((a) => a.type === 'delete-repository');
  if (deletions.length > 0) {
    out.push(
      `> [!CAUTION]`,
      `> **${deletions.length} ${deletions.length === 1 ? 'deletion' : 'deletions'} (cannot be undone):**`,
      ...deletions.map((a) => item(where(a), deletionEffect(a))),
      '',
    );
  }
  const removals = plan.actions.filter((a) => a.type === 'remove-member');
  if (removals.length > 0) {
    out.push(
      `> [!WARNING]`,
      `> **${removals.length} ${removals.length === 1 ? 'removal' : 'removals'}:**`,
      ...removals.map((a) => item(where(a), describeAction(a))),
      '',
    );
  }
  return out;
}

function actionTable(plan: Plan): string[] {
  if (plan.actions.length === 0) return [];
  const out = ['| | Action | JPD | Repository | Cause |', '|---|---|---|---|---|'];
  for (const a of plan.actions) {
    const sign =
      a.type === 'establish-pairing' || a.type === 'create-repository' || a.type === 'add-member'
        ? '+'
        : a.type === 'remove-member' || a.type === 'delete-repository'
          ? '-'
          : '~';
    const jpd = a.type === 'establish-pairing' ? `${a.source} → ${a.target}` : a.jpd;
    const repo = a.type === 'establish-pairing' ? '' : markdownCode(a.repoKey);
    out.push(
      `| ${sign} | ${safeMarkdown(describeAction(a))} | ${safeMarkdown(jpd)} | ${repo} | ${a.cause} |`,
    );
  }
  out.push('');
  return out;
}

function where(a: Action): string {
  return a.type === 'establish-pairing' ? `${a.source} -> ${a.target}` : `${a.jpd}/${a.repoKey}`;
}
