/**
 * Two people apply different versions of the topology to the same JPDs at the same time. Apply
 * re-reads each repository before writing it and reads it back afterwards, so the second writer
 * never silently replaces the first one's member list: one of them reports the concurrent change
 * and exits 1, and a fresh plan of its topology shows what is still different.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotes } from '../../src/core/live/state.js';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld;
beforeAll(async () => {
  world = await simulateTopology('test/fixtures/topologies/three-jpds-option-b.yaml');
});
afterAll(async () => {
  await world.stop();
});

const cli = (...argv: string[]) => runCli(argv, { env: world.env, cwd: world.dir });

/** The base topology with the members of `libs` replaced. */
async function variant(name: string, members: { jpd: string; mode: string }[]): Promise<string> {
  const doc = parseDocument(await readFile(world.file, 'utf8'));
  doc.setIn(['federations', 0, 'members'], doc.createNode(members));
  const file = join(world.dir, name);
  await writeFile(file, doc.toString());
  return file;
}

interface LiveMember {
  url: string;
  mode?: string;
  enabled: boolean | string;
}

describe('two applies of different topologies at once', () => {
  it('neither silently undoes the other', async () => {
    expect((await cli('apply', '--auto-approve', '--no-verify')).code).toBe(0);
    const addUs = await variant('add-us.yaml', [
      { jpd: 'eu', mode: 'receiver' },
      { jpd: 'us', mode: 'receiver' },
    ]);
    const euBoth = await variant('eu-bidirectional.yaml', [{ jpd: 'eu', mode: 'bidirectional' }]);

    // Slow answers from the hub make the two applies overlap: both plan from the same state.
    world.sim.jpd('hub').setFaults({ latencyMs: 100 });
    const [first, second] = await Promise.all([
      cli('apply', '-f', addUs, '--auto-approve', '--no-verify'),
      cli('apply', '-f', euBoth, '--auto-approve', '--no-verify'),
    ]);
    world.sim.jpd('hub').clearFaults();

    const results = [
      { file: addUs, ...first },
      { file: euBoth, ...second },
    ];
    const reported = results.filter(
      (r) =>
        r.code === 1 &&
        /hub\/libs changed on JPD hub (since the plan|while fedctl was writing it) \(by someone else\?\)/.test(
          r.stderr,
        ),
    );
    expect(reported.length, JSON.stringify(results, null, 2)).toBeGreaterThanOrEqual(1);

    // fedctl's record on the repository never claims what the live configuration contradicts.
    const hub = world.sim.jpd('hub');
    const res = await fetch(`${hub.url}/artifactory/api/repositories/libs`, {
      headers: { authorization: `Bearer ${hub.token}` },
    });
    const live = (await res.json()) as { members: LiveMember[]; notes?: string };
    const record = parseNotes(live.notes).lastApplied;
    expect(record).toBeDefined();
    for (const [url, set] of Object.entries(record?.members ?? {})) {
      const member = live.members.find((m) => m.url.toLowerCase() === url);
      expect(member, url).toBeDefined();
      expect(member?.mode ?? 'bidirectional', url).toBe(set.mode);
    }

    // An apply that reported success left its topology in place; one that reported the
    // concurrent change sees the difference in a fresh plan.
    for (const r of results) {
      const plan = await cli('plan', '-f', r.file, '--detailed-exitcode');
      expect(plan.code, `${r.file}: ${plan.stdout}`).toBe(r.code === 0 ? 0 : 2);
    }
  });
});
