/**
 * Two people apply different versions of the topology to the same JPDs at the same time.
 *
 * With the lock (the default, io/apply/lock.ts): one apply holds the lock on every JPD and the
 * other exits 1 at once naming the holder (or, with --lock-timeout, waits and then applies), so no
 * JPD ends split between the two topologies.
 *
 * Without it (--lock=false): apply re-reads each repository before writing it and reads it back
 * afterwards, so the second writer never silently replaces the first one's member list: one of
 * them reports the concurrent change and exits 1, and a fresh plan of its topology shows what is
 * still different.
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

/** The base topology with the members of `libs` (and of `repos`, when given) replaced. */
async function variant(
  name: string,
  members: { jpd: string; mode: string }[],
  repos?: string[],
): Promise<string> {
  const doc = parseDocument(await readFile(world.file, 'utf8'));
  doc.setIn(['federations', 0, 'members'], doc.createNode(members));
  if (repos !== undefined) doc.setIn(['federations', 0, 'repositories'], doc.createNode(repos));
  const file = join(world.dir, name);
  await writeFile(file, doc.toString());
  return file;
}

interface LiveMember {
  url: string;
  mode?: string;
  enabled: boolean | string;
}

describe('two applies of different topologies at once, without the lock', () => {
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
      cli('apply', '-f', addUs, '--auto-approve', '--no-verify', '--lock=false'),
      cli('apply', '-f', euBoth, '--auto-approve', '--no-verify', '--lock=false'),
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

const REPOS = ['libs', 'libs-a', 'libs-b', 'libs-c', 'libs-d', 'libs-e'];
// The same members as the receivers' variant, other modes: neither leaves a removal behind.
const BIDIRECTIONAL = [
  { jpd: 'eu', mode: 'bidirectional' },
  { jpd: 'us', mode: 'bidirectional' },
];

describe('two applies of different topologies at once, with the lock', () => {
  it('one exits 1 naming the holder and writes nothing; no JPD ends split', async () => {
    const receivers = await variant(
      'lock-receivers.yaml',
      [
        { jpd: 'eu', mode: 'receiver' },
        { jpd: 'us', mode: 'receiver' },
      ],
      REPOS,
    );
    const both = await variant('lock-both.yaml', BIDIRECTIONAL, REPOS);
    world.sim.jpd('hub').setFaults({ latencyMs: 50 });
    const [a, b] = await Promise.all([
      cli('apply', '-f', receivers, '--auto-approve', '--no-verify'),
      cli('apply', '-f', both, '--auto-approve', '--no-verify'),
    ]);
    world.sim.jpd('hub').clearFaults();
    const results = [
      { file: receivers, ...a },
      { file: both, ...b },
    ];
    const won = results.filter((r) => r.code === 0);
    const lost = results.filter((r) => r.code === 1);
    expect(won, JSON.stringify(results, null, 2)).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.stderr).toMatch(
      /^fedctl: (hub|eu|us): locked by unknown@\S+ pid \d+ since \S+ \(lock [0-9a-f]{12}, expires \S+ unless renewed, topology \S+\.yaml\); another apply is running, nothing was changed\. Wait with --lock-timeout DUR, or if that apply died: fedctl unlock [0-9a-f]{12}$/m,
    );
    // The winner's topology holds on every JPD, for every repository; the loser's is all pending.
    expect((await cli('plan', '-f', won[0]?.file ?? '', '--detailed-exitcode')).code).toBe(0);
    expect((await cli('plan', '-f', lost[0]?.file ?? '', '--detailed-exitcode')).code).toBe(2);
    // The lock is gone with the apply that held it.
    expect((await cli('unlock')).stdout).toBe('No lock held.\n');
  });

  it('with --lock-timeout the second waits for the first, then applies', async () => {
    const receivers = await variant(
      'wait-receivers.yaml',
      [
        { jpd: 'eu', mode: 'receiver' },
        { jpd: 'us', mode: 'receiver' },
      ],
      REPOS,
    );
    const both = await variant('wait-both.yaml', BIDIRECTIONAL, REPOS);
    world.sim.jpd('hub').setFaults({ latencyMs: 50 });
    // Both may wait: under load either can take the lock first, and the other must wait for it.
    const first = cli(
      'apply',
      '-f',
      receivers,
      '--auto-approve',
      '--no-verify',
      '--lock-timeout',
      '60s',
    );
    const second = cli(
      'apply',
      '-f',
      both,
      '--auto-approve',
      '--no-verify',
      '--lock-timeout',
      '60s',
    );
    const [a, b] = await Promise.all([first, second]);
    world.sim.jpd('hub').clearFaults();
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const waited = [a, b].filter((r) => r.stderr.includes('Waiting for the lock: '));
    expect(waited).toHaveLength(1);
    // Whichever went last, its topology is what every JPD has now.
    const last = waited[0] === a ? receivers : both;
    expect((await cli('plan', '-f', last, '--detailed-exitcode')).code).toBe(0);
  });

  it('a lock left by an apply that died: exit 1 naming it, fedctl unlock ID removes it', async () => {
    const hub = world.sim.jpd('hub');
    const record = {
      id: 'deadbeef0001',
      holder: 'ci@runner-7 pid 4242',
      since: '2030-01-01T00:00:00.000Z',
      expires: '2999-01-01T00:00:00.000Z',
      topology: 'federation.yaml',
    };
    const put = await fetch(`${hub.url}/artifactory/api/repositories/fedctl-lock`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: 'fedctl-lock',
        rclass: 'local',
        packageType: 'generic',
        notes: `fedctl:lock ${JSON.stringify(record)}`,
      }),
    });
    expect(put.status).toBe(200);
    const blocked = await cli('apply', '--auto-approve', '--no-verify');
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(
      'fedctl: hub: locked by ci@runner-7 pid 4242 since 2030-01-01T00:00:00.000Z (lock deadbeef0001',
    );
    const shown = await cli('unlock');
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain('hub: locked by ci@runner-7 pid 4242');
    expect((await cli('unlock', 'not-that-one')).code).toBe(1);
    const removed = await cli('unlock', 'deadbeef0001');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/^Removed hub: locked by ci@runner-7/);
    expect((await cli('unlock')).stdout).toBe('No lock held.\n');
  });

  it('a stale lock (not renewed past its expiry) is broken, and the apply goes on', async () => {
    const hub = world.sim.jpd('hub');
    const record = {
      id: 'deadbeef0002',
      holder: 'ci@runner-8 pid 1',
      since: '2020-01-01T00:00:00.000Z',
      expires: '2020-01-01T00:05:00.000Z',
      topology: 'federation.yaml',
    };
    await fetch(`${hub.url}/artifactory/api/repositories/fedctl-lock`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: 'fedctl-lock',
        rclass: 'local',
        packageType: 'generic',
        notes: `fedctl:lock ${JSON.stringify(record)}`,
      }),
    });
    const applied = await cli('apply', '--auto-approve', '--no-verify');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain(
      'fedctl: breaking a stale lock (its holder stopped renewing it): hub: locked by ci@runner-8 pid 1',
    );
    expect((await cli('unlock')).stdout).toBe('No lock held.\n');
  });
});
