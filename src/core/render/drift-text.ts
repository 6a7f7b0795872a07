/**
 * The drift report for a person (and a nightly log): drift, pending and health in three sections,
 * then one summary line that scripts may rely on. Byte-identical for the same result.
 */
import type { DriftResult, RepoReport } from '../drift/drift.js';
import { failingKinds } from '../drift/drift.js';
import { formatDuration } from '../verify/federation-health.js';
import { safeText } from '../safe-text.js';

export interface DriftTextOptions {
  readonly color: boolean;
}

const ANSI = { red: '31', yellow: '33', cyan: '36', green: '32', dim: '2' } as const;

export function renderDriftText(result: DriftResult, options: DriftTextOptions): string {
  const paint = (colour: keyof typeof ANSI, text: string): string =>
    options.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text;
  const id = (r: RepoReport): string => `${r.jpd}/${r.repoKey}`;
  const out: string[] = [scopeLine(result), ''];
  if (result.unreadable.length > 0) {
    out.push(paint('red', 'Not read (these JPDs are not in this report):'));
    for (const u of result.unreadable) out.push(`  ${safeText(u.jpd)}: ${safeText(u.error)}`);
    out.push('');
  }
  const drifted = result.repositories.filter((r) => r.drift.length > 0);
  if (drifted.length > 0) {
    out.push(paint('cyan', 'Drift (edits made on a JPD outside fedctl):'));
    for (const r of drifted) {
      for (const d of r.drift) {
        const fix = d.actionId === undefined ? '' : ' [apply undoes it]';
        out.push(`  ${id(r)}: ${d.message}${fix}`);
      }
    }
    out.push('');
  }
  const pending = result.repositories.filter((r) => r.pending.length > 0);
  if (pending.length > 0) {
    out.push(paint('yellow', 'Pending (topology changes not applied yet):'));
    for (const r of pending) for (const p of r.pending) out.push(`  ${id(r)}: ${p.message}`);
    out.push('');
  }
  const t = result.thresholds;
  out.push(`Health (max lag ${formatDuration(t.maxLagMs)}, max queued ${t.maxQueued}):`);
  // Only what needs a look, one line each: an estate of thousands stays readable.
  for (const r of result.repositories.filter((x) => x.health.status !== 'healthy')) {
    out.push(`  ${healthLine(r, paint)}`);
    // The first reason is on the line above; every other connection in trouble follows.
    const others = r.health.connections.filter(
      (c) => c.verdict !== 'healthy' && c.reason !== r.health.reason,
    );
    for (const c of others) out.push(`      also: ${c.reason ?? c.verdict}`);
  }
  const healthy = result.repositories.filter((r) => r.health.status === 'healthy');
  if (healthy.length > 0) out.push(`  ${paint('green', 'ok')}: ${healthyLine(healthy)}`);
  if (result.repositories.length === 0) out.push('  no managed repository in scope');
  out.push('');
  if (result.staleRecords.length > 0) {
    out.push(
      paint(
        'dim',
        "Changed on a JPD as the topology asks (fedctl's record is older; not a finding):",
      ),
    );
    for (const s of result.staleRecords) {
      const what =
        s.field === 'member'
          ? 'removed on the JPD, and no longer in the topology'
          : `${s.field} ${s.live} (recorded ${s.recorded})`;
      out.push(`  ${s.jpd}/${s.repoKey}: member ${s.member}: ${what}`);
    }
    out.push('');
  }
  if (result.leftAlone.length > 0) {
    out.push('Left alone (live, but not managed by this topology):');
    for (const u of result.leftAlone) {
      out.push(
        `  ${u.jpd}/${u.repoKey}${u.memberUrl === undefined ? '' : ` member ${u.memberUrl}`}: ${u.reason}`,
      );
    }
    out.push('');
  }
  out.push(driftSummaryLine(result));
  return `${out.join('\n')}\n`;
}

/** `3 repositories (2 from stateList alone: HEALTHY, not in lag)` */
export function healthyLine(healthy: readonly RepoReport[]): string {
  const n = healthy.length;
  const count = (from: RepoReport['health']['readFrom']): string | undefined => {
    const k = healthy.filter((r) => r.health.readFrom === from).length;
    return k === 0 ? undefined : k === n ? 'all' : String(k);
  };
  const listed = count('stateList');
  const legacy = count('federationState');
  const how = [
    ...(listed === undefined ? [] : [`${listed} from stateList alone: HEALTHY, not in lag`]),
    ...(legacy === undefined ? [] : [`${legacy} from federation/state alone: SYNCING`]),
  ];
  return `${n} ${n === 1 ? 'repository' : 'repositories'}${how.length === 0 ? '' : ` (${how.join('; ')})`}`;
}

function scopeLine(result: DriftResult): string {
  const jpds =
    result.jpd === undefined ? `JPDs ${result.jpds.join(', ')}` : `JPD ${result.jpd} only`;
  const only = result.only === undefined ? '' : `, repositories matching ${result.only}`;
  return `fedctl drift: ${result.topology} (${jpds}${only})`;
}

function healthLine(
  r: RepoReport,
  paint: (colour: keyof typeof ANSI, text: string) => string,
): string {
  const head = `${r.jpd}/${r.repoKey}`;
  const h = r.health;
  switch (h.status) {
    case 'healthy':
      return `${head}: ${paint('green', 'ok')}`;
    case 'unhealthy':
      return `${head}: ${paint('red', 'UNHEALTHY')}: ${h.reason ?? ''}`;
    case 'unknown':
      return `${head}: health unknown: ${h.reason ?? 'no reason given'}`;
    case 'missing':
      return `${head}: not checked: the repository does not exist on ${r.jpd} yet`;
  }
}

/**
 * `Drift: 1, pending: 0, unhealthy: 1, health unknown: 0 (3 repositories). Fails on: drift, health.`
 * or `No drift, nothing pending, every connection healthy (3 repositories).`
 */
export function driftSummaryLine(result: DriftResult): string {
  const s = result.summary;
  const repos = `${s.repositories} ${s.repositories === 1 ? 'repository' : 'repositories'}`;
  if (s.unreadable > 0) {
    const jpds = result.unreadable.map((u) => u.jpd).join(', ');
    return `Error: ${s.unreadable} ${s.unreadable === 1 ? 'JPD' : 'JPDs'} not read (${jpds}); drift: ${s.drift}, pending: ${s.pending}, unhealthy: ${s.unhealthy}, health unknown: ${s.unknown} (${repos} read).`;
  }
  if (s.drift === 0 && s.pending === 0 && s.unhealthy === 0 && s.unknown === 0) {
    return `No drift, nothing pending, every connection healthy (${repos}).`;
  }
  const failing = failingKinds(result);
  const verdict = failing.length === 0 ? 'Nothing to fail on' : `Fails on: ${failing.join(', ')}`;
  return `Drift: ${s.drift}, pending: ${s.pending}, unhealthy: ${s.unhealthy}, health unknown: ${s.unknown} (${repos}). ${verdict}.`;
}
