/**
 * Batch creates against the simulator: `PUT /api/v2/repositories/batch` in chunks where
 * the JPD's version has it, one request per repository where it does not, and a refused batch
 * written again one repository at a time so that a bad repository fails alone.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPlan, type ApplyResult } from '../../src/io/apply/apply.js';
import { planTopology } from '../../src/io/pipeline.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';

let sim: Simulator | undefined;
const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await sim?.stop();
  sim = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const KEYS = ['libs-0', 'libs-1', 'libs-2', 'libs-3', 'libs-4'];

/**
 * A hub with 5 repositories federated to two receivers (bidirectional members on a version
 * without RTFS, which cannot hold receivers); every request fedctl sends, logged.
 */
async function world(
  options: Omit<SimulatorOptions, 'jpds'> = {},
  mode: 'receiver' | 'bidirectional' = 'receiver',
) {
  sim = await startSimulator({
    ...options,
    jpds: [{ name: 'hub' }, { name: 'eu' }, { name: 'us' }],
  });
  const s = sim;
  const dir = await mkdtemp(join(tmpdir(), 'fedctl-batch-'));
  dirs.push(dir);
  const file = join(dir, 'federation.yaml');
  const jpd = (name: string) =>
    `  ${name}: { url: "${s.jpd(name).url}", token: "\${${name.toUpperCase()}_TOKEN}" }`;
  await writeFile(
    file,
    `version: 1
defaults: { packageType: generic, mode: ${mode} }
jpds:
${['hub', 'eu', 'us'].map(jpd).join('\n')}
federations:
  - source: hub
    repositories: [${KEYS.join(', ')}]
    members: [{ jpd: eu }, { jpd: us }]
`,
  );
  const env = Object.fromEntries(
    ['hub', 'eu', 'us'].map((n) => [`${n.toUpperCase()}_TOKEN`, s.jpd(n).token]),
  );
  const io = {
    stdout: { write: () => true, isTTY: false },
    stderr: { write: () => true, isTTY: false },
    stdin: { isTTY: false, readLine: () => Promise.resolve(undefined) },
    env,
    cwd: dir,
  };
  const run = await planTopology(file, { allowDelete: false }, io);
  const hubUrl = s.jpd('hub').url;
  const requests: string[] = [];
  // A spy, not a fake: every request still goes to the simulator.
  const real = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(hubUrl)) {
      requests.push(`${init?.method ?? 'GET'} ${url.slice(hubUrl.length + '/artifactory'.length)}`);
    }
    return real(input, init);
  });
  const apply = async (batchSize: number): Promise<ApplyResult> => {
    try {
      return await applyPlan(run.plan, run.topology, (n) => run.clients.get(n), {
        parallelism: 8,
        perJpd: 2,
        batchSize,
      });
    } finally {
      await run.close();
    }
  };
  return { s, apply, requests };
}

const statuses = (result: ApplyResult) =>
  Object.fromEntries(result.outcomes.map((o) => [`${o.action.type} ${o.action.id}`, o.status]));

/** A repository's member modes (sorted) on each JPD, as the JPD stores them. */
async function modes(s: Simulator, key: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of ['hub', 'eu', 'us']) {
    const j = s.jpd(name);
    const response = await fetch(`${j.url}/artifactory/api/repositories/${key}`, {
      headers: { authorization: `Bearer ${j.token}` },
    });
    const body = (await response.json()) as { members?: { mode?: string }[] }; // test-only shape
    out[name] = (body.members ?? []).map((m) => m.mode ?? 'bidirectional').sort();
  }
  return out;
}

describe('batch creates', () => {
  it('writes the creates of a JPD whose version has the endpoint in batch requests', async () => {
    const w = await world();
    const result = await w.apply(3);
    expect(new Set(Object.values(statuses(result)))).toEqual(new Set(['applied']));
    // One version read, two chunks (3 + 2), one read-back of a receiver member (the JPD kept the
    // mode, so later chunks are not read back); no per-repository write, no configSync.
    expect(w.requests.filter((r) => r.startsWith('GET /api/system/version'))).toHaveLength(1);
    expect(w.requests.filter((r) => r === 'PUT /api/v2/repositories/batch')).toHaveLength(2);
    expect(w.requests.filter((r) => r.startsWith('PUT /api/repositories/'))).toEqual([]);
    expect(w.requests.filter((r) => r.includes('configSync'))).toEqual([]);
    expect(w.requests.filter((r) => r.startsWith('GET /api/repositories/'))).toHaveLength(1);
    for (const key of KEYS) {
      expect(await modes(w.s, key)).toEqual({
        hub: ['bidirectional', 'receiver', 'receiver'],
        eu: ['bidirectional', 'receiver', 'receiver'],
        us: ['bidirectional', 'receiver', 'receiver'],
      });
    }
  });

  it.each([
    ['a version before 7.84.3', { version: '7.80.0' }],
    ['pre-7.61.3', { dialects: ['pre-7.61.3' as const] }],
  ])(
    'writes one repository per request on %s, without trying the endpoint',
    async (_name, opts) => {
      const w = await world(opts, 'bidirectional');
      const result = await w.apply(100);
      expect(new Set(Object.values(statuses(result)))).toEqual(new Set(['applied']));
      expect(w.requests.filter((r) => r.includes('/v2/repositories/batch'))).toEqual([]);
      expect(w.requests.filter((r) => r.startsWith('PUT /api/repositories/')).sort()).toEqual(
        KEYS.map((k) => `PUT /api/repositories/${k}`),
      );
      expect(w.requests.filter((r) => r.includes('configSync'))).toHaveLength(KEYS.length);
    },
  );

  it('falls back to one repository per request when the endpoint is missing (no-batch)', async () => {
    const w = await world({ dialects: ['no-batch'] });
    const result = await w.apply(100);
    expect(new Set(Object.values(statuses(result)))).toEqual(new Set(['applied']));
    expect(w.requests.filter((r) => r === 'PUT /api/v2/repositories/batch')).toHaveLength(1);
    expect(w.requests.filter((r) => r.startsWith('PUT /api/repositories/'))).toHaveLength(5);
  });

  it('writes 0 or 1 per request when batching is off', async () => {
    const w = await world();
    await w.apply(1);
    expect(w.requests.filter((r) => r.includes('/v2/repositories/batch'))).toEqual([]);
    expect(w.requests.filter((r) => r.includes('/api/system/version'))).toEqual([]);
  });

  it('a bad repository in a chunk fails alone; the others apply', async () => {
    const w = await world();
    // A local repository of the same key, created after the plan: the batch is refused (409),
    // and the per-repository create finds a repository it cannot take over.
    const hub = w.s.jpd('hub');
    const made = await fetch(`${hub.url}/artifactory/api/repositories/libs-2`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'libs-2', rclass: 'local', packageType: 'generic' }),
    });
    expect(made.status).toBe(200);
    w.requests.length = 0;
    const result = await w.apply(100);
    const s = statuses(result);
    expect(Object.entries(s).filter(([, v]) => v !== 'applied')).toEqual([
      ['create-repository create:hub/libs-2', 'failed'],
    ]);
    expect(result.outcomes.find((o) => o.status === 'failed')).toMatchObject({
      error: expect.stringContaining('already exists') as unknown,
    });
    expect(w.requests.filter((r) => r === 'PUT /api/v2/repositories/batch')).toHaveLength(1);
    expect(w.requests.filter((r) => r.startsWith('PUT /api/repositories/'))).toHaveLength(5);
    expect((await modes(w.s, 'libs-4')).eu).toEqual(['bidirectional', 'receiver', 'receiver']);
  });

  it('fails the chunk when the JPD drops receiver mode (mode-dropped)', async () => {
    const w = await world({ dialects: ['mode-dropped'] });
    const result = await w.apply(100);
    expect(new Set(Object.values(statuses(result)))).toEqual(new Set(['failed']));
    expect(result.outcomes[0]).toMatchObject({
      error: expect.stringContaining('did not keep "mode": "receiver"') as unknown,
    });
  });
});
