/**
 * The apply lock against the simulator's documented repository API (io/apply/lock.ts): renewed
 * while held, released only when it is still the holder's, refused over a repository that is not
 * fedctl's lock, and never left half-taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLocks, LOCK_KEY, readLock } from '../../../src/io/apply/lock.js';
import { createJpdClients, type JpdClients } from '../../../src/io/jpd-clients.js';
import { topologyFrom } from '../../support/topology.js';
import { simulateTopology, type SimWorld } from '../../support/sim-topology.js';

let w: SimWorld;
let clients: JpdClients;
beforeAll(async () => {
  w = await simulateTopology('federation.yaml');
  const topology = topologyFrom(
    `version: 1\njpds:\n${w.sim.jpds.map((j) => `  ${j.name}: { url: "${j.url}", token: "\${${j.name.toUpperCase()}_TOKEN}", allowInsecureHttp: true }`).join('\n')}\nfederations: []\n`,
  );
  clients = createJpdClients(topology, { env: w.env, topologyPath: 'x.yaml', jpds: topology.jpds });
});
afterAll(async () => {
  await clients.close();
  await w.stop();
});

const io = () => {
  let err = '';
  return {
    io: {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s) },
      env: { USER: 'tester' },
      cwd: '/',
    },
    err: () => err,
  };
};

describe('the apply lock', () => {
  it('is renewed while held, and released at the end', async () => {
    const all = [...clients.byName.values()];
    const release = await acquireLocks(
      all,
      { timeoutMs: 0, topology: 'federation.yaml', ttlMs: 600 },
      io().io,
    );
    const hub = clients.get('hub');
    const first = await readLock(hub);
    expect(first.kind).toBe('held');
    await new Promise((r) => setTimeout(r, 450));
    const later = await readLock(hub);
    if (first.kind !== 'held' || later.kind !== 'held') throw new Error('not held');
    expect(later.record.id).toBe(first.record.id);
    expect(Date.parse(later.record.expires)).toBeGreaterThan(Date.parse(first.record.expires));
    expect(later.record.holder).toMatch(/^tester@\S+ pid \d+$/);
    await release();
    for (const c of all) expect((await readLock(c)).kind).toBe('free');
  });

  it('a second taker fails naming the holder, and leaves no lock of its own anywhere', async () => {
    const all = [...clients.byName.values()];
    // The first holds only the last JPD in URL order; the second takes the others, then fails.
    const sorted = [...all].sort((a, b) => (a.baseUrl < b.baseUrl ? -1 : 1));
    const lastOne = sorted.at(-1);
    if (lastOne === undefined) throw new Error('no JPD');
    const release = await acquireLocks([lastOne], { timeoutMs: 0, topology: 'a.yaml' }, io().io);
    try {
      await expect(
        acquireLocks(all, { timeoutMs: 0, topology: 'b.yaml' }, io().io),
      ).rejects.toThrow(
        new RegExp(`^${lastOne.jpd}: locked by tester@\\S+ pid \\d+ since .*topology a\\.yaml\\)`),
      );
      for (const c of sorted.slice(0, -1)) expect((await readLock(c)).kind).toBe('free');
    } finally {
      await release();
    }
  });

  it(`refuses a repository named ${LOCK_KEY} that is not fedctl's lock`, async () => {
    const hub = w.sim.jpd('hub');
    const res = await fetch(`${hub.url}/artifactory/api/repositories/${LOCK_KEY}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: LOCK_KEY, rclass: 'local', packageType: 'generic' }),
    });
    expect(res.status).toBe(200);
    try {
      await expect(
        acquireLocks([clients.get('hub')], { timeoutMs: 0, topology: 'x.yaml' }, io().io),
      ).rejects.toThrow(
        `hub: a repository named ${LOCK_KEY} exists and is not fedctl's lock; rename it, or run apply with --lock=false (nothing was changed)`,
      );
    } finally {
      await clients.get('hub').deleteRepository(LOCK_KEY);
    }
  });
});
