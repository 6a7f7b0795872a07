/**
 * The plan as a pull-request comment: a hidden marker and what it covers first, then the summary,
 * drift and removals called out, a table, and the details collapsed, never over GitHub's
 * 65,535-character comment limit. The comment rules are in core/markdown.ts.
 */
import {
  code,
  commentMarker,
  coversLine,
  escapeMarkdown,
  fitComment,
  GITHUB_COMMENT_LIMIT,
  type CommentScope,
} from './markdown.js';
import type { Plan } from './plan.js';
import { describeAction, renderPlanText, summaryLine } from './render-text.js';

export { GITHUB_COMMENT_LIMIT } from './markdown.js';

export function renderPlanMarkdown(
  plan: Plan,
  scope: CommentScope,
  limit = GITHUB_COMMENT_LIMIT,
): string {
  const head: string[] = [
    commentMarker('plan', scope.file),
    `### fedctl plan`,
    '',
    coversLine(scope),
    '',
    `**${summaryLine(plan)}**`,
    '',
  ];
  const drift = plan.actions.filter((a) => a.cause === 'drift');
  if (drift.length > 0) {
    // Visible, not folded: an edit someone made on a JPD is what a reviewer must not miss.
    head.push(
      `> [!WARNING]`,
      `> **Drift: ${drift.length} ${drift.length === 1 ? 'change undoes an edit' : 'changes undo edits'} made on a JPD outside fedctl:**`,
    );
    for (const a of drift) {
      const where =
        a.type === 'establish-pairing' ? `${a.source} -> ${a.target}` : `${a.jpd}/${a.repoKey}`;
      head.push(`> - ${code(where)}: ${escapeMarkdown(describeAction(a))}`);
    }
    head.push('');
  }
  const removals = plan.actions.filter(
    (a) => a.type === 'remove-member' || a.type === 'delete-repository',
  );
  if (removals.length > 0) {
    head.push(
      `> [!WARNING]`,
      `> **${removals.length} ${removals.length === 1 ? 'removal' : 'removals'}:**`,
    );
    for (const a of removals)
      head.push(`> - ${code(`${a.jpd}/${a.repoKey}`)}: ${escapeMarkdown(describeAction(a))}`);
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
      const repo = a.type === 'establish-pairing' ? '' : code(a.repoKey);
      head.push(
        `| ${sign} | ${escapeMarkdown(describeAction(a))} | ${escapeMarkdown(jpd)} | ${repo} | ${a.cause} |`,
      );
    }
    head.push('');
  }
  return fitComment(
    head.join('\n'),
    {
      title: 'Full plan',
      text: renderPlanText(plan, { color: false }),
      info: 'diff',
      command: 'fedctl plan',
    },
    limit,
  );
}
