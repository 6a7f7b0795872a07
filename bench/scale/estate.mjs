/**
 * The scale suite's estate: a hub and 9 spokes, N repositories on the hub, each federated to all
 * 9 spokes as receivers (N x 9 edges). The topology comes from bench/fixtures.mjs; the simulator
 * is seeded with exactly the repositories that topology declares, converged, each carrying the
 * record fedctl writes in `notes` (as after `fedctl apply`), so a plan of it has 0 actions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { managedNotes, tokenVar, topologyFrom, topologyYaml } from '../fixtures.mjs';
import { startHost } from './host.mjs';

export const HUB = 'hub';
export const SPOKES = Array.from({ length: 9 }, (_, i) => `s${i + 1}`);
export const JPDS = [HUB, ...SPOKES];

/** Topology text, parsed topology and token environment for the simulated JPDs. */
export function topologyFor(host, n, extra = 0) {
  const urls = Object.fromEntries(host.jpds.map((j) => [j.name, j.url]));
  const env = Object.fromEntries(host.jpds.map((j) => [tokenVar(j.name), j.token]));
  const text = topologyYaml({
    jpds: JPDS,
    urls,
    sources: [HUB],
    reposPerSource: n + extra,
    membersPerRepo: SPOKES.length,
    modes: 'receiver',
  });
  return { text, env, topology: topologyFrom(text, env), urls };
}

/**
 * Starts a simulator process for `n` repositories; `converged` seeds them. Writes the topology to
 * a temporary folder (with `extra` more repositories than are seeded); `dispose()` stops the simulator and removes the folder.
 */
export async function openEstate(n, { converged, extra = 0, version, dialects } = {}) {
  const host = await startHost({
    jpds: JPDS,
    ...(version === undefined ? {} : { version }),
    ...(dialects === undefined ? {} : { dialects }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'fedctl-scale-'));
  try {
    const t = topologyFor(host, n, extra);
    if (converged) {
      // The first n of the topology's repositories; the `extra` ones are left to create.
      const repositories = t.topology.repos.slice(0, n).map((r) => {
        const members = [
          { url: `${t.urls[HUB]}/artifactory/${r.key}`, mode: 'bidirectional', enabled: true },
          ...r.members.map((m) => ({
            url: `${t.urls[m.jpd]}/artifactory/${m.repoKey}`,
            mode: m.mode,
            enabled: m.enabled,
          })),
        ];
        return {
          key: r.key,
          notes: managedNotes(members[0].url, members),
          ...(r.description === undefined ? {} : { description: r.description }),
        };
      });
      await host.call('seed', { source: HUB, spokes: SPOKES, repositories });
    }
    const file = join(dir, 'federation.yaml');
    writeFileSync(file, t.text);
    const targets = host.jpds.map((j) => ({ url: j.url, token: j.token }));
    return {
      ...t,
      host,
      dir,
      file,
      targets,
      async dispose() {
        await host.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
