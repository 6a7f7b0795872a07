/**
 * `fedctl doctor` against the simulator under the dialects that change what a JPD can do: the
 * engine and every capability it reports for each, in text and in JSON valid against
 * schemas/doctor-report.schema.json, exit 0 when the topology can be applied as written and 1
 * with one line per blocker otherwise; GETs only.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/core/doctor/report.js';
import { runCli } from '../support/cli.js';
import { recordRequests } from '../support/requests.js';
import { simulateTopology } from '../support/sim-topology.js';

const validDoctor = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/doctor-report.schema.json', 'utf8')) as object,
);

async function doctor(example: string, dialects: readonly string[], format = 'json') {
  const w = await simulateTopology(example, { dialects });
  try {
    const recorded = await recordRequests(() =>
      runCli(['doctor', '--format', format], { env: w.env, cwd: w.dir }),
    );
    // Only this world's JPDs: the simulator's own peer traffic does not go through fetch anyway.
    const origins = new Set(w.sim.jpds.map((j) => new URL(j.url).origin));
    return { ...recorded, requests: recorded.requests.filter((r) => origins.has(r.origin)) };
  } finally {
    await w.stop();
  }
}

function report(stdout: string): DoctorReport {
  const data = JSON.parse(stdout) as unknown;
  expect(validDoctor(data), JSON.stringify(validDoctor.errors)).toBe(true);
  return data as DoctorReport; // checked against the published schema just above
}

/** The capability verdicts of a JPD, by id. */
const verdicts = (r: DoctorReport, jpd: string): Record<string, string> =>
  Object.fromEntries(
    (r.jpds.find((j) => j.name === jpd)?.capabilities ?? []).map((c) => [c.id, c.available]),
  );

const ALL_YES = {
  configurations: 'yes',
  'batch-create': 'yes',
  'batch-update': 'yes',
  'receiver-mode': 'yes',
  'config-sync': 'yes',
  'inconsistent-repos': 'yes',
  'status-api': 'yes',
};

describe('fedctl doctor: engine and capabilities per dialect', () => {
  it.each([
    { dialects: [], version: '7.117.5', engine: 'rtfs', statusApi: 'rtfs', caps: ALL_YES },
    {
      dialects: ['legacy-engine'],
      version: '7.117.5',
      engine: 'legacy',
      statusApi: 'legacy-v2',
      caps: { ...ALL_YES, 'receiver-mode': 'no' },
    },
    {
      dialects: ['no-federation-service'],
      version: '7.117.5',
      engine: 'legacy',
      statusApi: 'none',
      caps: { ...ALL_YES, 'receiver-mode': 'no', 'status-api': 'no' },
    },
    {
      dialects: ['pre-7.61.3'],
      version: '7.59.9',
      engine: 'legacy',
      statusApi: 'legacy-v1',
      caps: {
        ...ALL_YES,
        configurations: 'no',
        'batch-create': 'no',
        'batch-update': 'no',
        'receiver-mode': 'no',
        'inconsistent-repos': 'no',
      },
    },
    {
      dialects: ['migrating'],
      version: '7.117.5',
      engine: 'migrating',
      statusApi: 'legacy-v2',
      caps: { ...ALL_YES, 'receiver-mode': 'no' },
    },
  ])('$dialects: $engine', async ({ dialects, version, engine, statusApi, caps }) => {
    const { result, requests } = await doctor('examples/legacy-bidirectional.yaml', dialects);
    const r = report(result.stdout);
    expect(r.jpds.map((j) => j.name)).toEqual(['dc1', 'dc2', 'dc3']);
    for (const j of r.jpds) {
      expect(j).toMatchObject({
        reachable: true,
        version,
        token: 'admin',
        engine,
        statusApi,
        baseUrl: { status: 'matches' },
        tls: { scheme: 'http' },
      });
      expect(verdicts(r, j.name)).toEqual(caps);
    }
    // Bidirectional members only: nothing blocks, whatever the engine.
    expect(r.blockers).toEqual([]);
    expect(r.ready).toBe(true);
    expect(result.code).toBe(0);
    expect(r.warnings.map((w) => w.code)).toEqual(
      engine === 'migrating' ? ['migrating', 'migrating', 'migrating'] : [],
    );
    expect(requests.every((q) => q.method === 'GET')).toBe(true);
    // One request per JPD per check: no path asked twice of one JPD.
    const seen = requests.map((q) => `${q.origin}${q.path}`);
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.length).toBe(3 * 8);
  });

  it('text: one block per JPD, what fedctl does instead, the verdict', async () => {
    const { result } = await doctor('examples/legacy-bidirectional.yaml', ['pre-7.61.3'], 'text');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^fedctl doctor: federation\.yaml, 3 JPDs in use\n\ndc1 {2}http:\/\/127\.0\.0\.1:\d+ {2}\(source of 3 repositories\)\n/,
    );
    expect(result.stdout).toContain(
      '  reachable     yes: Artifactory 7.59.9 (revision 75909900)\n',
    );
    expect(result.stdout).toContain(
      '  engine        legacy (federation inside Artifactory): its RTFS status endpoints answer 405, RTFS not enabled\n',
    );
    expect(result.stdout).toContain(
      '    NO   batch create (PUT /api/v2/repositories/batch) [7.84.3]\n           instead: creates one repository per request\n',
    );
    expect(result.stdout).toContain(
      '           instead: drift cannot list members whose configuration differs; apply still runs configSync after every write\n',
    );
    expect(result.stdout).toContain(
      '    yes  federation status (verification, drift, status)\n           legacy: federation/state, then v1 status/repo for what it leaves undecided\n',
    );
    expect(result.stdout.endsWith('\nReady: the topology can be applied as written.\n')).toBe(true);
  });

  it('receivers on legacy JPDs: exit 1, one line per JPD that cannot hold them', async () => {
    const { result } = await doctor('examples/hub-two-receivers.yaml', ['legacy-engine'], 'text');
    expect(result.code).toBe(1);
    const blockers = result.stdout
      .split('\n')
      .slice(
        result.stdout.split('\n').indexOf('Blockers (the topology cannot be applied as written):') +
          1,
      )
      .filter((l) => l.startsWith('  '));
    expect(blockers).toHaveLength(3);
    expect(blockers[0]).toBe(
      '  hub: runs Artifactory 7.117.5 with the legacy federation engine (its RTFS status endpoints answer 405, RTFS not enabled), but a receiver member needs the Federation Service (RTFS) on both ends: apac in hub/base-images, hub/firmware-release and 1 more; eu in hub/base-images, hub/firmware-release and 1 more; only bidirectional members can federate with hub',
    );
    expect(blockers[1]).toMatch(
      /^ {2}apac: runs Artifactory 7\.117\.5 with the legacy federation engine .*: apac in hub\/base-images/,
    );
    expect(result.stdout.endsWith('\nNot ready: 3 blockers.\n')).toBe(true);
  });

  it('a base URL that differs from the topology and a non-admin token are blockers', async () => {
    const w = await simulateTopology('examples/legacy-bidirectional.yaml');
    try {
      const dc2 = w.sim.jpds.find((j) => j.name === 'dc2');
      const env = { ...w.env, DC2_TOKEN: w.sim.jpd('dc2').readOnlyToken };
      const text = readFileSync(w.file, 'utf8').replace(
        dc2?.url ?? '',
        (dc2?.url ?? '').replace('127.0.0.1', 'localhost'),
      );
      const { writeFile } = await import('node:fs/promises');
      await writeFile(w.file, text);
      const result = await runCli(['doctor', '--format', 'json'], { env, cwd: w.dir });
      const r = report(result.stdout);
      expect(result.code).toBe(1);
      expect(r.blockers.map((b) => `${b.code} ${b.jpd}`)).toEqual(['not-admin dc2']);
      expect(r.jpds.find((j) => j.name === 'dc2')).toMatchObject({
        token: 'not-admin',
        baseUrl: { status: 'unknown' },
      });
      const admin = await runCli(['doctor', '--format', 'json'], { env: w.env, cwd: w.dir });
      const a = report(admin.stdout);
      expect(a.blockers).toMatchObject([
        {
          code: 'base-url-mismatch',
          jpd: 'dc2',
          message: `dc2: it knows itself as ${dc2?.url ?? ''} (its Custom Base URL), but the topology says ${(dc2?.url ?? '').replace('127.0.0.1', 'localhost')}; member URLs built from the topology would not name it`,
        },
      ]);
    } finally {
      await w.stop();
    }
  });

  it('the preflight of apply reads each check once per JPD, and the executor reuses it', async () => {
    const w = await simulateTopology('examples/hub-two-receivers.yaml');
    try {
      const { result, requests } = await recordRequests(() =>
        runCli(['apply', '--auto-approve', '--verify-timeout', '30s'], { env: w.env, cwd: w.dir }),
      );
      expect(result.code, result.stderr).toBe(0);
      const origins = new Set(w.sim.jpds.map((j) => new URL(j.url).origin));
      const mine = requests.filter((r) => origins.has(r.origin));
      const count = (path: string) => mine.filter((r) => r.path === path).length;
      // Receivers on every JPD: one stateSummary each tells the engine (RTFS: nothing else).
      expect(count('/artifactory/api/federation/status/stateSummary')).toBe(3);
      expect(count('/artifactory/api/federation/migration/status')).toBe(0);
      // The hub's three creates go in a batch: its version, read once.
      expect(count('/artifactory/api/system/version')).toBe(1);
    } finally {
      await w.stop();
    }
  });
});
