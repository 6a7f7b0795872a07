/**
 * The drift report as a pull-request or issue comment, under the same rules as the plan's
 * (core/render/markdown.ts): the hidden marker `<!-- fedctl:drift FILE -->` first, what it covers, drift
 * as a visible warning, unhealthy connections as a caution, pending changes and health in tables,
 * the text report folded away, and never over GitHub's comment limit.
 */
import type { DriftResult, RepoReport, UnreadableJpd } from '../drift/drift.js';
import { formatDuration } from '../verify/federation-health.js';
import { commentMarker, coversLine, fitComment, GITHUB_COMMENT_LIMIT } from './markdown.js';
import { driftSummaryLine, healthyLine, renderDriftText } from './drift-text.js';
import { markdownCode, safeMarkdown } from '../safe-text.js';
import { scopeOf } from '../plan/scope.js';

/** JPDs that could not be read: first, since nothing below speaks for them. */
export function unreadableCallout(unreadable: readonly UnreadableJpd[]): string[] {
  if (unreadable.length === 0) return [];
  return [
    '> [!CAUTION]',
    `> **${unreadable.length} ${unreadable.length === 1 ? 'JPD' : 'JPDs'} could not be read; ${unreadable.length === 1 ? 'it is' : 'they are'} not in this report:**`,
    ...unreadable.map((u) => `> - ${markdownCode(u.jpd)}: ${safeMarkdown(u.error)}`),
    '',
  ];
}

export function renderDriftMarkdown(result: DriftResult, limit = GITHUB_COMMENT_LIMIT): string {
  const id = (r: RepoReport): string => markdownCode(`${r.jpd}/${r.repoKey}`);
  const head: string[] = [
    commentMarker('drift', result.topology),
    '### fedctl drift',
    '',
    coversLine({
      file: result.topology,
      jpds: result.jpds,
      ...scopeOf(result),
    }),
    '',
    `**${safeMarkdown(driftSummaryLine(result))}**`,
    '',
    ...unreadableCallout(result.unreadable),
  ];
  const drifted = result.repositories.filter((r) => r.drift.length > 0);
  if (drifted.length > 0) {
    const n = result.summary.drift;
    head.push(
      '> [!WARNING]',
      `> **Drift: ${n} ${n === 1 ? 'edit' : 'edits'} made on a JPD outside fedctl:**`,
    );
    for (const r of drifted) {
      for (const d of r.drift) {
        const fix = d.actionId === undefined ? ' (apply does not undo it)' : ' (apply undoes it)';
        head.push(`> - ${id(r)}: ${safeMarkdown(d.message)}${fix}`);
      }
    }
    head.push('');
  }
  const unhealthy = result.repositories.filter((r) => r.health.status === 'unhealthy');
  if (unhealthy.length > 0) {
    head.push(
      '> [!CAUTION]',
      `> **${unhealthy.length} ${unhealthy.length === 1 ? 'repository does' : 'repositories do'} not deliver:**`,
    );
    for (const r of unhealthy) {
      for (const c of r.health.connections.filter((x) => x.verdict === 'unhealthy')) {
        head.push(`> - ${id(r)}: ${safeMarkdown(c.reason ?? c.verdict)}`);
      }
    }
    head.push('');
  }
  const pending = result.repositories.filter((r) => r.pending.length > 0);
  if (pending.length > 0) {
    head.push('| Repository | Pending change |', '|---|---|');
    for (const r of pending)
      for (const p of r.pending) head.push(`| ${id(r)} | ${safeMarkdown(p.message)} |`);
    head.push('');
  }
  head.push(...healthTable(result));
  return fitComment(
    head.join('\n'),
    {
      title: 'Full report',
      text: renderDriftText(result, { color: false }),
      info: 'text',
      command: 'fedctl drift',
    },
    limit,
  );
}

function healthTable(result: DriftResult): string[] {
  const t = result.thresholds;
  const rows = [
    `**Health** (max lag ${formatDuration(t.maxLagMs)}, max queued ${t.maxQueued}):`,
    '',
  ];
  const troubled = result.repositories.filter((r) => r.health.status !== 'healthy');
  if (troubled.length > 0) {
    rows.push('| Repository | Health |', '|---|---|');
    for (const r of troubled) {
      const h = r.health;
      const text =
        h.status === 'unhealthy'
          ? `**unhealthy**: ${safeMarkdown(h.reason ?? '')}`
          : h.status === 'unknown'
            ? `unknown: ${safeMarkdown(h.reason ?? '')}`
            : 'not created yet';
      rows.push(`| ${markdownCode(`${r.jpd}/${r.repoKey}`)} | ${text} |`);
    }
    rows.push('');
  }
  const healthy = result.repositories.filter((r) => r.health.status === 'healthy');
  if (healthy.length > 0) rows.push(`ok: ${safeMarkdown(healthyLine(healthy))}`, '');
  return rows;
}
