/**
 * `fedctl status` for a person: one table per managed repository, one row per member, with the
 * mode, each direction's state, lag and queued events, and the health; then why, for every
 * connection in trouble. And the same result as JSON for machines (a status page).
 */
import { formatDuration } from '../verify/federation-health.js';
import { safeText } from '../safe-text.js';
import {
  legacy,
  type DirectionStatus,
  type MemberStatus,
  type RepoStatus,
  type StatusResult,
} from '../drift/status.js';

export function renderStatusJson(result: StatusResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

export function renderStatusText(result: StatusResult): string {
  const jpds =
    result.jpd === undefined ? `JPDs ${result.jpds.join(', ')}` : `JPD ${result.jpd} only`;
  const only = result.only === undefined ? '' : `, repositories matching ${result.only}`;
  const t = result.thresholds;
  const out = [
    `fedctl status: ${result.topology} (${jpds}${only}); max lag ${formatDuration(t.maxLagMs)}, max queued ${t.maxQueued}`,
    '',
  ];
  if (result.unreadable.length > 0) {
    out.push('Not read (these JPDs are not in this table):');
    for (const u of result.unreadable) out.push(`  ${safeText(u.jpd)}: ${safeText(u.error)}`);
    out.push('');
  }
  for (const repo of result.repositories) out.push(...repoTable(repo), '');
  if (result.repositories.length === 0) out.push('No managed repository in scope.', '');
  const s = result.summary;
  out.push(
    `${s.repositories} ${s.repositories === 1 ? 'repository' : 'repositories'}: ${s.healthy} healthy, ${s.unhealthy} unhealthy, ${s.unknown} unknown, ${s.missing} not created yet.${s.unreadable === 0 ? '' : ` ${s.unreadable} ${s.unreadable === 1 ? 'JPD' : 'JPDs'} not read.`}`,
  );
  return `${out.join('\n')}\n`;
}

const HEALTH_LABEL: Readonly<Record<RepoStatus['health'], string>> = {
  healthy: 'healthy',
  unhealthy: 'UNHEALTHY',
  unknown: 'health unknown',
  missing: 'not created yet',
};

function repoTable(repo: RepoStatus): string[] {
  const src = repo.jpd;
  const head = `${repo.jpd}/${repo.repoKey}: ${HEALTH_LABEL[repo.health]}`;
  const lines = [
    repo.health === 'unknown' && repo.reason !== undefined ? `${head}: ${repo.reason}` : head,
  ];
  if (repo.members.length === 0) return [...lines, '  no member'];
  const rows: string[][] = [
    [
      'MEMBER',
      'MODE',
      `${src} -> MEMBER`,
      'LAG',
      'QUEUED',
      `MEMBER -> ${src}`,
      'LAG',
      'QUEUED',
      'HEALTH',
    ],
    ...repo.members.map((m) => [
      m.member,
      modeCell(m),
      ...directionCells(m.send, m),
      ...directionCells(m.receive, m, legacy(repo)),
      memberHealth(m),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows) {
    lines.push(
      `  ${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}`,
    );
  }
  for (const m of repo.members) for (const reason of m.reasons) lines.push(`  ! ${reason}`);
  return lines;
}

function modeCell(m: MemberStatus): string {
  const mode = m.mode === m.declaredMode ? m.mode : `${m.mode} (declared ${m.declaredMode})`;
  return m.enabled ? mode : `${mode}, disabled`;
}

function directionCells(
  d: DirectionStatus,
  m: MemberStatus,
  unreported = false,
): [string, string, string] {
  if (!m.live) return ['-', '-', '-'];
  // Nothing was read for a repository whose health is unknown (no Federation Service).
  const absent = unreported
    ? 'not reported (legacy)'
    : m.health === 'unknown' && m.reasons.length === 0
      ? 'not read'
      : 'not listed';
  return [
    d.state ?? absent,
    d.lagInMs === undefined ? '-' : formatDuration(d.lagInMs),
    d.queuedEvents === undefined ? '-' : String(d.queuedEvents),
  ];
}

function memberHealth(m: MemberStatus): string {
  switch (m.health) {
    case 'healthy':
      return 'ok';
    case 'unhealthy':
      return 'UNHEALTHY';
    case 'unknown':
      return 'unknown';
    case 'missing':
      return 'not a member on the JPD yet';
  }
}
