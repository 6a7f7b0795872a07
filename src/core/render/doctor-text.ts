/**
 * `fedctl doctor` for a person and for a script: a block per JPD (reachability and TLS, base URL,
 * token, engine, each capability with what fedctl does instead), then one line per blocker and
 * per warning, then the verdict. Everything a JPD or the topology sent passes safeText.
 */
import type { Capability } from '../doctor/capabilities.js';
import { ENGINE_NAMES } from '../doctor/engine.js';
import type { DoctorJpd, DoctorReport, TlsFacts } from '../doctor/report.js';
import { safeText } from '../safe-text.js';

const MARK: Readonly<Record<Capability['available'], string>> = {
  yes: 'yes',
  no: 'NO ',
  unknown: '?  ',
};

function tlsLine(tls: TlsFacts): string {
  if (tls.scheme === 'http') return 'none (plain http)';
  const ca = tls.customCa === undefined ? 'trusted CAs' : `trusted CAs + ${tls.customCa}`;
  if (tls.certificate !== undefined) {
    const c = tls.certificate;
    const self = c.selfSigned ? ' (self-signed)' : '';
    return `https; certificate ${c.subject}, issued by ${c.issuer}${self}, valid until ${c.validTo}; verified against ${ca}`;
  }
  return `https; verified against ${ca}${tls.error === undefined ? '' : `; certificate not read: ${tls.error}`}`;
}

function baseUrlLine(j: DoctorJpd): string {
  switch (j.baseUrl.status) {
    case 'matches':
      return `${j.baseUrl.value ?? ''} (matches the topology)`;
    case 'differs':
      return `${j.baseUrl.value ?? ''} (the topology says ${j.url})`;
    case 'unset':
      return 'no Custom Base URL configured';
    case 'unknown':
      return `not read${j.baseUrl.error === undefined ? '' : `: ${j.baseUrl.error}`}`;
  }
}

function capabilityLines(c: Capability): string[] {
  const since = c.since === undefined ? '' : ` [${c.since}]`;
  const lines = [`    ${MARK[c.available]}  ${c.title}${since}`];
  if (c.detail !== undefined) lines.push(`           ${c.detail}`);
  if (c.fallback !== undefined) lines.push(`           instead: ${c.fallback}`);
  return lines;
}

function jpdBlock(j: DoctorJpd): string[] {
  const uses = [
    ...(j.sourceOf > 0 ? [`source of ${j.sourceOf}`] : []),
    ...(j.memberOf > 0 ? [`member of ${j.memberOf}`] : []),
  ];
  const head = `${j.name}  ${j.url}${uses.length === 0 ? '' : `  (${uses.join(', ')} repositories)`}`;
  if (!j.reachable) return [head, `  reachable     NO: ${j.error ?? 'no answer'}`];
  const revision = j.revision === undefined ? '' : ` (revision ${j.revision})`;
  return [
    head,
    `  reachable     yes: Artifactory ${j.version ?? '?'}${revision}`,
    `  TLS           ${tlsLine(j.tls)}`,
    `  base URL      ${baseUrlLine(j)}`,
    `  token         ${j.token === 'admin' ? 'admin' : j.token === 'not-admin' ? 'NOT an admin token' : 'could not tell'}`,
    `  engine        ${ENGINE_NAMES[j.engine]}: ${j.engineBecause}`,
    '  capabilities',
    ...j.capabilities.flatMap(capabilityLines),
  ];
}

export function renderDoctorText(report: DoctorReport): string {
  const out: string[] = [
    `fedctl doctor: ${report.topology}, ${report.jpds.length} ${report.jpds.length === 1 ? 'JPD' : 'JPDs'} in use`,
    '',
  ];
  for (const j of report.jpds) out.push(...jpdBlock(j), '');
  if (report.blockers.length > 0) {
    out.push('Blockers (the topology cannot be applied as written):');
    for (const b of report.blockers) out.push(`  ${b.message}`);
    out.push('');
  }
  if (report.warnings.length > 0) {
    out.push('Warnings:');
    for (const w of report.warnings) out.push(`  ${w.message}`);
    out.push('');
  }
  const n = report.blockers.length;
  out.push(
    report.ready
      ? 'Ready: the topology can be applied as written.'
      : `Not ready: ${n} ${n === 1 ? 'blocker' : 'blockers'}.`,
  );
  return `${out.map((l) => safeText(l)).join('\n')}\n`;
}

/** The report as JSON (schemas/doctor-report.schema.json); exact, not made safe. */
export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
