/**
 * Which declared JPDs the topology uses. Only those are read (a file with
 * 10,000 JPDs of which 10 were used made `plan` read all of them and print 10,009 error lines);
 * the others are reported once, as one warning, and their token variables need not be set.
 */
import { compareCodeUnits, type JpdSpec, type Topology, type TopologyDocument } from './model.js';

/** JPDs a federation (as source or member) or a trust pairing names, from the file as written. */
export function usedInFile(file: TopologyDocument): Set<string> {
  const used = new Set<string>();
  for (const p of file.trust ?? []) used.add(p.source).add(p.target);
  for (const f of file.federations) {
    used.add(f.source);
    for (const m of f.members) used.add(m.jpd);
  }
  return used;
}

/**
 * The environment as the token check should see it: a variable named only by unused JPDs counts
 * as set, since fedctl will never read it. Values are never looked at beyond being present.
 */
export function envForUsedJpds(
  file: TopologyDocument,
  used: ReadonlySet<string>,
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const needed = new Set<string>();
  const unusedOnly = new Set<string>();
  for (const [name, jpd] of Object.entries(file.jpds)) {
    if (jpd === undefined) continue;
    (used.has(name) ? needed : unusedOnly).add(jpd.token.slice(2, -1));
  }
  for (const name of needed) unusedOnly.delete(name);
  if (unusedOnly.size === 0) return env;
  return new Proxy(
    {},
    {
      get: (_target, key) =>
        typeof key !== 'string' ? undefined : unusedOnly.has(key) ? 'unused' : env[key],
    },
  );
}

const NAMES_SHOWN = 5;

/** The one warning for every declared JPD nothing uses, or undefined when there is none. */
export function unusedJpdsMessage(
  file: TopologyDocument,
  used: ReadonlySet<string>,
): { first: string; message: string } | undefined {
  const unused = Object.keys(file.jpds)
    .filter((name) => !used.has(name))
    .sort(compareCodeUnits);
  const [first] = unused;
  if (first === undefined) return undefined;
  const shown = unused.slice(0, NAMES_SHOWN).join(', ');
  const more = unused.length > NAMES_SHOWN ? `, … (${unused.length - NAMES_SHOWN} more)` : '';
  const message =
    unused.length === 1
      ? `1 declared JPD is not used by any federation or pairing and is not read: ${shown}`
      : `${unused.length} declared JPDs are not used by any federation or pairing and are not read: ${shown}${more}`;
  return { first, message };
}

/** JPDs a federation or pairing uses, as resolved. */
export function usedJpds(topology: Topology): Set<string> {
  const used = new Set<string>();
  for (const p of topology.pairings) used.add(p.source).add(p.target);
  for (const r of topology.repos) {
    used.add(r.source);
    for (const m of r.members) used.add(m.jpd);
  }
  return used;
}

/** What `plan` and `apply` read: the JPDs in use, plus one named by `--jpd`; in topology order. */
export function jpdsToRead(topology: Topology, also?: string): JpdSpec[] {
  const used = usedJpds(topology);
  if (also !== undefined) used.add(also);
  return topology.jpds.filter((j) => used.has(j.name));
}
