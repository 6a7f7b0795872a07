/**
 * Trust pairings as data, worked out before any action is emitted: which declared pairings are
 * already in place, and which pairing a federation from one JPD to another would depend on.
 *
 * The real API has no read of existing trust pairings. Any federation connecting the two JPDs
 * proves that trust exists, and so does fedctl's record of a member it once added between them
 * (a member someone removed since does not undo the pairing). Otherwise pairing is planned; doing
 * it again is harmless, it only issues a fresh master token.
 */
import { normalizeMemberUrl, type LiveState } from '../live/state.js';
import type { EstablishPairing } from './model.js';
import { compareCodeUnits, type PairingSpec, type Topology } from '../topology/model.js';

export interface TrustState {
  /** The pairing a federation `source -> target` depends on: its id, or undefined when none is needed. */
  needed(source: string, target: string): string | undefined;
  /** The establish-pairing actions for these ids, sorted by id. */
  actionsFor(ids: Iterable<string>): EstablishPairing[];
}

export function pairingId(source: string, target: string): string {
  return `pairing:${source}->${target}`;
}

export function trustState(topology: Topology, live: LiveState): TrustState {
  const links = liveLinks(topology, live);
  const pending = new Map<string, PairingSpec>();
  for (const p of topology.pairings) {
    const established =
      links.has(`${p.source}\u0000${p.target}`) || links.has(`${p.target}\u0000${p.source}`);
    if (!established) pending.set(pairingId(p.source, p.target), p);
  }
  return {
    needed: (source, target) => {
      const id = pairingId(source, target);
      return pending.has(id) ? id : undefined;
    },
    actionsFor: (ids) =>
      [...new Set(ids)]
        .flatMap((id) => {
          const p = pending.get(id);
          return p === undefined ? [] : [establish(id, p)];
        })
        .sort((a, b) => compareCodeUnits(a.id, b.id)),
  };
}

function establish(id: string, p: PairingSpec): EstablishPairing {
  return {
    type: 'establish-pairing',
    id,
    cause: 'topology',
    dependsOn: [],
    source: p.source,
    target: p.target,
    receivingOnly: p.receivingOnly,
  };
}

/**
 * Directed `from\0to` pairs of JPDs where a live repository on `from` lists a member on `to`, or
 * fedctl's record on it does. One pass over the live state, by URL prefix per JPD.
 */
function liveLinks(topology: Topology, live: LiveState): Set<string> {
  // Only declared pairings are looked up: without any, a pass over every member is wasted.
  if (topology.pairings.length === 0) return new Set();
  // A member URL is `<prefix><key>` and a key has no `/`: one map lookup per URL, however many
  // JPDs the topology declares (a scan per URL was 10,000 comparisons for 10,000 JPDs).
  const byPrefix = new Map(
    topology.jpds.map((j) => [`${normalizeMemberUrl(j.url)}/artifactory/`, j.name]),
  );
  const owner = (url: string): string | undefined =>
    byPrefix.get(url.slice(0, url.lastIndexOf('/') + 1));
  const links = new Set<string>();
  for (const jpd of topology.jpds) {
    for (const repo of live.jpds[jpd.name]?.repos ?? []) {
      const urls = [
        ...repo.members.map((m) => normalizeMemberUrl(m.url)),
        ...Object.keys(repo.lastApplied?.members ?? {}),
      ];
      for (const url of urls) {
        const to = owner(url);
        if (to !== undefined && to !== jpd.name) links.add(`${jpd.name}\u0000${to}`);
      }
    }
  }
  return links;
}
