/**
 * The drift report as JUnit XML, for the test reporters of GitLab (`artifacts:reports:junit`),
 * Jenkins (junit / xunit) and GitHub (JUnit report actions). One `<testsuite>` per JPD, one
 * `<testcase>` per managed repository in the suite of its source JPD. Member copies are not
 * testcases of their own: Artifactory copies the federation to every member, and a finding about
 * a member (its mode, its connections) is named in the source's testcase, so counting it again on
 * the member would report one problem twice. A JPD that is the source of no repository in scope
 * still gets its (empty) suite, so every JPD of the run shows.
 *
 * A testcase fails when it has a finding of a kind the run fails on (`--fail-on`): one
 * `<failure type="drift|pending|health">` (the kinds joined with `,` when there are several; the
 * schemas allow one failure per testcase) whose message is one line and whose text says what
 * drifted, what is pending, and which connection is unhealthy with its state, lag and queue.
 * Findings of other kinds, and health that cannot be known, go to the suite's `<system-out>`.
 * A JPD that could not be read is one testcase of its suite with an `<error type="unreadable">`.
 *
 * The shape satisfies both published schemas a reporter may hold it to: Apache Ant's JUnit.xsd
 * (windyroad/JUnit-Schema: `testsuites` without attributes; `package`, `id`, `timestamp` without
 * a zone, `hostname`, counts and `time` on each suite; `properties`, `system-out` and `system-err`
 * present) and Jenkins' junit-4.xsd (at least one `property`). test/core/render/drift-junit.test.ts
 * validates against both with libxml2.
 */
import type { DriftResult, FindingKind, RepoReport, UnreadableJpd } from '../drift/drift.js';
import { repoFailures } from '../drift/drift.js';
import { formatDuration } from '../verify/federation-health.js';
import { compareCodeUnits } from '../topology/model.js';

export function renderDriftJunit(result: DriftResult): string {
  const sources = result.repositories.map((r) => r.jpd);
  const down = result.unreadable.map((u) => u.jpd);
  const jpds = [...new Set([...result.jpds, ...sources, ...down])].sort(compareCodeUnits);
  const suites = jpds.map((jpd, index) =>
    suite(
      result,
      jpd,
      index,
      result.repositories.filter((r) => r.jpd === jpd),
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('')}</testsuites>\n`;
}

function suite(
  result: DriftResult,
  jpd: string,
  index: number,
  repos: readonly RepoReport[],
): string {
  const cases = repos.map((r) => ({ repo: r, kinds: repoFailures(result, r) }));
  const failures = cases.filter((c) => c.kinds.length > 0).length;
  const unread = result.unreadable.find((u) => u.jpd === jpd);
  const attrs = [
    ['name', jpd],
    ['package', 'fedctl.drift'],
    ['id', String(index)],
    // ISO 8601 without a zone (the Ant schema's pattern); the result's time is UTC.
    ['timestamp', result.readAt.slice(0, 19)],
    // The suite is about that JPD; its name stands for the host (the result carries no URLs).
    ['hostname', jpd],
    ['tests', String(cases.length + (unread === undefined ? 0 : 1))],
    ['failures', String(failures)],
    ['errors', unread === undefined ? '0' : '1'],
    ['time', '0'],
  ];
  const properties = [
    ['topology', result.topology],
    ['fail-on', result.failOn.join(',')],
    ['max-lag', formatDuration(result.thresholds.maxLagMs)],
    ['max-queued', String(result.thresholds.maxQueued)],
  ];
  const lines = [
    `  <testsuite ${attrs.map(([k, v]) => `${k}="${attr(v ?? '')}"`).join(' ')}>`,
    '    <properties>',
    ...properties.map(
      ([k, v]) => `      <property name="${attr(k ?? '')}" value="${attr(v ?? '')}"/>`,
    ),
    '    </properties>',
    ...(unread === undefined ? [] : [errorCase(unread)]),
    ...cases.map((c) => testcase(c.repo, c.kinds)),
    `    <system-out>${text(systemOut(result, repos))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
  ];
  return `${lines.join('\n')}\n`;
}

function testcase(repo: RepoReport, kinds: readonly FindingKind[]): string {
  const open = `    <testcase name="${attr(repo.repoKey)}" classname="${attr(repo.jpd)}" time="0"`;
  if (kinds.length === 0) return `${open}/>`;
  const message = kinds.map((k) => `${k}: ${firstOf(repo, k)}`).join('; ');
  const body = kinds.flatMap((k) => detailOf(repo, k)).join('\n');
  return `${open}>\n      <failure message="${attr(message)}" type="${kinds.join(',')}">${text(`${body}\n`)}</failure>\n    </testcase>`;
}

/**
 * A JPD that could not be read: one testcase with an `<error>` (the run could not test it, as
 * opposed to a `<failure>`, a finding), named after what was attempted.
 */
function errorCase(u: UnreadableJpd): string {
  return [
    `    <testcase name="read ${attr(u.jpd)}" classname="${attr(u.jpd)}" time="0">`,
    `      <error message="${attr(u.error)}" type="unreadable">${text(`${u.error}\n`)}</error>`,
    '    </testcase>',
  ].join('\n');
}

function firstOf(repo: RepoReport, kind: FindingKind): string {
  switch (kind) {
    case 'drift':
      return (
        count(repo.drift.length, 'edit on the JPD', 'edits on the JPD') +
        `, ${repo.drift[0]?.message ?? ''}`
      );
    case 'pending':
      return (
        count(repo.pending.length, 'change', 'changes') + `, ${repo.pending[0]?.message ?? ''}`
      );
    case 'health':
      return repo.health.reason ?? repo.health.status;
  }
}

function detailOf(repo: RepoReport, kind: FindingKind): string[] {
  switch (kind) {
    case 'drift':
      return [
        'drift (edits made on a JPD outside fedctl):',
        ...repo.drift.map(
          (d) =>
            `  ${d.message}${d.actionId === undefined ? ' (apply does not undo it)' : ' (apply undoes it)'}`,
        ),
      ];
    case 'pending':
      return [
        'pending (topology changes not applied yet):',
        ...repo.pending.map((p) => `  ${p.message}`),
      ];
    case 'health':
      return [
        'health (connections that do not deliver):',
        ...repo.health.connections
          .filter((c) => c.verdict === 'unhealthy')
          .map((c) => `  ${c.reason ?? ''}`),
      ];
  }
}

/** What does not fail the run but belongs in the report. */
function systemOut(result: DriftResult, repos: readonly RepoReport[]): string {
  const lines: string[] = [];
  for (const r of repos) {
    const id = `${r.jpd}/${r.repoKey}`;
    const failing = repoFailures(result, r);
    const quiet = (k: FindingKind): boolean => !failing.includes(k);
    if (quiet('drift')) for (const d of r.drift) lines.push(`${id}: drift: ${d.message}`);
    if (quiet('pending')) for (const p of r.pending) lines.push(`${id}: pending: ${p.message}`);
    if (quiet('health') && r.health.status === 'unhealthy') {
      lines.push(`${id}: unhealthy: ${r.health.reason ?? ''}`);
    }
    if (r.health.status === 'unknown')
      lines.push(`${id}: health unknown: ${r.health.reason ?? ''}`);
    if (r.health.status === 'missing') lines.push(`${id}: not created yet`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Characters XML 1.0 cannot carry at all (controls but tab, newline and return; U+FFFE, U+FFFF;
 * lone surrogates): replaced, so that one odd description cannot make the report unreadable.
 */
function xmlSafe(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    const allowed =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    out += allowed ? ch : '\ufffd';
  }
  return out;
}

function text(value: string): string {
  return xmlSafe(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value: quotes escaped, and line breaks kept as character references. */
function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
