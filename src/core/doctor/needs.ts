/**
 * What a topology needs of its JPDs, and the blockers where a JPD cannot do it: the one rule
 * `fedctl doctor` and the plan/apply preflight share. A receiver member needs the Artifactory
 * Federation Service (RTFS) on both ends (seed: "RTFS installed and connected on Source and
 * Target"); a JPD that runs the legacy engine, or is still migrating to RTFS, federates
 * bidirectionally only. An engine fedctl could not tell blocks nothing. Pure.
 */
import type { Action } from '../plan/plan.js';
import { compareCodeUnits, type Topology } from '../topology/model.js';
import type { Engine } from './engine.js';

const ENGINE_PHRASE: Readonly<Record<Engine, string>> = {
  rtfs: 'the RTFS engine',
  legacy: 'the legacy federation engine',
  migrating: 'its migration to RTFS in progress',
  unknown: 'an engine fedctl could not tell',
};

/** Receiver members from one source to one member JPD, with the repositories. */
export interface ReceiverEdge {
  readonly source: string;
  readonly member: string;
  readonly repoKeys: readonly string[];
}

export interface EngineFact {
  readonly engine: Engine;
  readonly because: string;
  readonly version?: string;
}

export interface Blocker {
  /** Stable: `receiver-needs-rtfs`, `unreachable`, `not-admin`, `base-url-mismatch`, ... */
  readonly code: string;
  /** The JPD that cannot do what is needed. */
  readonly jpd: string;
  /** The members concerned, when there are any. */
  readonly members?: readonly string[];
  readonly message: string;
}

function edges(pairs: Iterable<readonly [string, string, string]>): ReceiverEdge[] {
  const byEdge = new Map<string, { source: string; member: string; keys: Set<string> }>();
  for (const [source, member, key] of pairs) {
    const id = `${source}\u0000${member}`;
    const edge = byEdge.get(id) ?? { source, member, keys: new Set<string>() };
    edge.keys.add(key);
    byEdge.set(id, edge);
  }
  return [...byEdge.values()]
    .map((e) => ({
      source: e.source,
      member: e.member,
      repoKeys: [...e.keys].sort(compareCodeUnits),
    }))
    .sort((a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.member, b.member));
}

/** Every receiver member the topology declares. */
export function topologyReceivers(topology: Topology): ReceiverEdge[] {
  return edges(
    topology.repos.flatMap((r) =>
      r.members.filter((m) => m.mode === 'receiver').map((m) => [r.source, m.jpd, r.key] as const),
    ),
  );
}

/** The receiver members a plan writes: created, added, or switched to receiver. */
export function plannedReceivers(actions: readonly Action[]): ReceiverEdge[] {
  return edges(
    actions.flatMap((a): (readonly [string, string, string])[] => {
      switch (a.type) {
        case 'create-repository':
          return a.members.flatMap((m) =>
            m.mode === 'receiver' && m.jpd !== undefined ? [[a.jpd, m.jpd, a.repoKey]] : [],
          );
        case 'add-member':
        case 'set-member-mode':
          return a.member.mode === 'receiver' && a.member.jpd !== undefined
            ? [[a.jpd, a.member.jpd, a.repoKey]]
            : [];
        default:
          return [];
      }
    }),
  );
}

/** `hub/libs`, `hub/libs and hub/docs`, `hub/a, hub/b and 3 more`. */
function repositories(source: string, keys: readonly string[]): string {
  const shown = keys.slice(0, 2).map((k) => `${source}/${k}`);
  const rest = keys.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return shown.join(' and ');
}

/**
 * One line per JPD that cannot hold the receiver members it takes part in (as their source or as
 * the member), naming its version, engine, the members and their repositories.
 */
export function receiverBlockers(
  receivers: readonly ReceiverEdge[],
  engineOf: (jpd: string) => EngineFact | undefined,
): Blocker[] {
  const byJpd = new Map<string, ReceiverEdge[]>();
  for (const edge of receivers) {
    for (const jpd of new Set([edge.source, edge.member])) {
      const fact = engineOf(jpd);
      if (fact === undefined || fact.engine === 'rtfs' || fact.engine === 'unknown') continue;
      byJpd.set(jpd, [...(byJpd.get(jpd) ?? []), edge]);
    }
  }
  return [...byJpd].map(([jpd, edges]): Blocker => {
    const fact = engineOf(jpd);
    const version = fact?.version === undefined ? 'Artifactory' : `Artifactory ${fact.version}`;
    const engine = ENGINE_PHRASE[fact?.engine ?? 'unknown'];
    const members = [...new Set(edges.map((e) => e.member))];
    const what = edges
      .map((e) => `${e.member} in ${repositories(e.source, e.repoKeys)}`)
      .join('; ');
    return {
      code: 'receiver-needs-rtfs',
      jpd,
      members,
      message: `${jpd}: runs ${version} with ${engine} (${fact?.because ?? ''}), but a receiver member needs the Federation Service (RTFS) on both ends: ${what}; only bidirectional members can federate with ${jpd}`,
    };
  });
}
