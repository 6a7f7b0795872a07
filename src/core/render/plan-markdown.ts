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
import type { Action, Plan, Unmanaged } from '../plan/plan.js';
import { deletionEffect, describeAction, renderPlanText, summaryLine } from './plan-text.js';
import { markdownCode, markdownFence, safeMarkdown, safeText } from '../safe-text.js';

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
    ...removalsCallout(plan, options.file),
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

/**
 * What the file no longer declares, first in the comment: each repository or member deleted by
 * this plan (--allow-delete), kept (and how to stop managing it instead), or no longer managed
 * (`removed:`). Merging a removal without this in view is how a later --allow-delete run deletes
 * artifacts no reviewer saw go.
 */
function removalsCallout(plan: Plan, file: string): string[] {
  const item = (where: string, text: string): string => `> - ${markdownCode(where)}: ${text}`;
  const lines: string[] = [];
  for (const a of plan.actions) {
    if (a.type === 'delete-repository') {
      lines.push(
        item(
          where(a),
          `**will be deleted**: ${safeMarkdown(deletionEffect(a))} (cannot be undone)`,
        ),
      );
    } else if (a.type === 'remove-member') {
      lines.push(
        item(
          where(a),
          `**member ${safeMarkdown(a.member.jpd ?? a.member.url)} will be removed** from the federation`,
        ),
      );
    } else if (a.type === 'forget-repository') {
      lines.push(
        item(
          where(a),
          "**will no longer be managed** (`removed:`): fedctl's record is dropped; the repository, its members and artifacts stay",
        ),
      );
    }
  }
  for (const u of plan.unmanaged) {
    if (u.removedFromTopology === true) lines.push(item(`${u.jpd}/${u.repoKey}`, keptText(u)));
  }
  if (lines.length === 0) return [];
  return [
    '> [!CAUTION]',
    `> **Removed from ${safeMarkdown(file)}: ${lines.length} ${lines.length === 1 ? 'entry' : 'entries'}**`,
    ...lines,
    '',
  ];
}

/** A removal the plan keeps: why, what a later run would do, and how to stop managing it. */
function keptText(u: Unmanaged): string {
  if (u.memberUrl !== undefined) {
    return `member ${safeMarkdown(u.memberUrl)} **kept**: this plan runs without \`--allow-delete\`, so apply leaves it in the federation, but a later \`--allow-delete\` run would remove it. To keep it, declare it again.`;
  }
  if (u.reason.includes('protected')) {
    return 'repository **kept, protected** (`protect: true` is recorded on it): never deleted, even with `--allow-delete`. To delete it, declare it with `protect: false` and apply first; to stop managing it, list it under `removed:` in the file.';
  }
  return 'repository **kept**: this plan runs without `--allow-delete`, so apply leaves it, but a later `--allow-delete` run would delete it and all its artifacts. To stop managing it instead, list it under `removed:` in the file.';
}

/** Drift as a visible callout: what a reviewer must not miss. */
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

/**
 * The comment for a plan that could not be made, under the same marker, so that it replaces the
 * previous plan's comment: an old plan left in place would look current. What failed and the error
 * lines, as fedctl printed them (made safe for markdown, in a fence).
 */
export function renderPlanFailureMarkdown(failure: {
  readonly file: string;
  readonly command: string;
  readonly lines: readonly string[];
}): string {
  const text = failure.lines.map((l) => safeText(l)).join('\n');
  const fence = markdownFence(text);
  return [
    commentMarker('plan', failure.file),
    '### fedctl plan failed',
    '',
    '> [!CAUTION]',
    `> **No plan: \`${failure.command.replace(/`/g, "'")}\` failed.** This replaces the previous plan, which no longer says what merging would do.`,
    '',
    `${fence}text`,
    text,
    fence,
    '',
    'Fix the cause and push again: this comment is then replaced by the plan.',
    '',
  ].join('\n');
}
