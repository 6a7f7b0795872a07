/**
 * Problems and findings as annotations on the topology's lines, for pull requests: SARIF 2.1.0
 * (GitHub code scanning and GitLab read it) and GitHub Actions workflow commands
 * (`::error file=…,line=…,col=…::message`, which the runner turns into annotations).
 *
 * An annotation is positioned in a topology file: issues carry their position; a plan action or a
 * drift finding takes the position of the repository (or pairing) it is about.
 */
import type { DriftResult } from '../drift/drift.js';
import type { Issue } from '../errors.js';
import type { Action, Plan } from '../plan/plan.js';
import { safeText } from '../safe-text.js';
import type { SourceRef, Topology } from '../topology/model.js';
import { describeAction } from './plan-text.js';

export type AnnotationLevel = 'error' | 'warning' | 'note';

export interface Annotation {
  readonly at: SourceRef;
  readonly level: AnnotationLevel;
  /** A stable id: the issue's code, the action's type, or the finding's kind. */
  readonly ruleId: string;
  readonly message: string;
}

export function issueAnnotations(issues: readonly Issue[]): Annotation[] {
  return issues.map((i) => ({
    at: { file: i.file, line: i.line, col: i.col },
    level: i.severity,
    ruleId: i.code,
    message: i.message,
  }));
}

/** Where in the topology a JPD's repository or a pairing is declared, when it is. */
function positions(topology: Topology): (jpd: string, key?: string) => SourceRef | undefined {
  const byRepo = new Map<string, SourceRef>();
  for (const r of topology.repos) {
    byRepo.set(`${r.source}/${r.key.toLowerCase()}`, r.at);
    for (const m of r.members) byRepo.set(`${m.jpd}/${m.repoKey.toLowerCase()}`, m.at);
  }
  const byPairing = new Map(topology.pairings.map((p) => [`${p.source}>${p.target}`, p.at]));
  return (jpd, key) =>
    key === undefined ? byPairing.get(jpd) : byRepo.get(`${jpd}/${key.toLowerCase()}`);
}

/** One note per planned action that is about something the topology declares. */
export function planAnnotations(plan: Plan, topology: Topology): Annotation[] {
  const at = positions(topology);
  return plan.actions.flatMap((a: Action) => {
    const where =
      a.type === 'establish-pairing' ? at(`${a.source}>${a.target}`) : at(a.jpd, a.repoKey);
    if (where === undefined) return [];
    return [{ at: where, level: 'note' as const, ruleId: a.type, message: describeAction(a) }];
  });
}

/** One warning per drift, pending or health finding, at the repository it is about. */
export function driftAnnotations(result: DriftResult, topology: Topology): Annotation[] {
  const at = positions(topology);
  return result.repositories.flatMap((r) => {
    const where = at(r.jpd, r.repoKey);
    if (where === undefined) return [];
    const health =
      r.health.status === 'unhealthy' || r.health.status === 'missing'
        ? [{ kind: 'health', message: `${r.health.status}: ${r.health.reason ?? ''}` }]
        : [];
    return [
      ...r.drift.map((f) => ({ kind: 'drift', message: f.message })),
      ...r.pending.map((f) => ({ kind: 'pending', message: f.message })),
      ...health,
    ].map((f) => ({
      at: where,
      level: 'warning' as const,
      ruleId: f.kind,
      message: `${r.jpd}/${r.repoKey}: ${f.message}`,
    }));
  });
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A SARIF 2.1.0 log of one run. Artifact URIs are the files as fedctl names them (relative to
 * the working directory, which code scanning takes as the repository root), percent-encoded per
 * RFC 3986; an absolute path becomes a file: URI. Columns are 1-based, as SARIF's default
 * `columnKind` (UTF-16 code units) counts them, like fedctl's own positions.
 */
export function renderSarif(annotations: readonly Annotation[]): string {
  const ruleIds = [...new Set(annotations.map((a) => a.ruleId))].sort();
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'fedctl', rules: ruleIds.map((id) => ({ id })) },
        },
        results: annotations.map((a) => ({
          ruleId: a.ruleId,
          ruleIndex: ruleIds.indexOf(a.ruleId),
          level: a.level,
          message: { text: a.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: fileUri(a.at.file) },
                region: { startLine: a.at.line, startColumn: a.at.col },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** A path as a URI reference: each segment percent-encoded, `\` taken as a separator. */
export function fileUri(file: string): string {
  const segments = file.replace(/\\/g, '/').split('/').map(encodeURIComponent);
  const path = segments.join('/');
  return file.startsWith('/') ? `file://${path}` : path;
}

/**
 * GitHub Actions workflow commands, one line each. Escaped as the runner unescapes them
 * (actions/toolkit `escapeData`, `escapeProperty`): `%`, CR and LF in the message; those and
 * `:` and `,` in a property. Control characters are first made visible, so a message can never
 * start a command of its own.
 */
export function renderWorkflowCommands(annotations: readonly Annotation[]): string {
  return annotations
    .map((a) => {
      const command = a.level === 'note' ? 'notice' : a.level;
      const props = [
        `file=${escapeProperty(a.at.file)}`,
        `line=${a.at.line}`,
        `col=${a.at.col}`,
        `title=${escapeProperty(`fedctl ${a.ruleId}`)}`,
      ].join(',');
      return `::${command} ${props}::${escapeData(a.message)}\n`;
    })
    .join('');
}

/** `%`, CR and LF escaped; then any other control character made visible (safe-text.ts). */
export function escapeData(text: string): string {
  return safeText(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
