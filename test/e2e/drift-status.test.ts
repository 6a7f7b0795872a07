/**
 * `fedctl status` and the request cost of `drift` and `status`, against simulated
 * JPDs, recorded at the fetch boundary: every example applied, then
 *   drift  = one `/configurations` and one `inconsistentRepos` per JPD + one `stateList` per
 *            source JPD (all healthy);
 *   status = one `/configurations` and one `inconsistentRepos` per JPD + one `connectionStates`
 *            per managed repository;
 * all of them GETs. stateList failing falls back to connectionStates for each repository, and
 * an estate of 40 repositories with one in ERROR costs drift one connectionStates read.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { describeRequests, recordRequests } from '../support/requests.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

const EXAMPLES = [
  { file: 'federation.yaml', jpds: 3, sources: 1, repos: 2 },
  { file: 'examples/hub-two-receivers.yaml', jpds: 3, sources: 1, repos: 3 },
  { file: 'examples/mixed-modes-option-b.yaml', jpds: 3, sources: 1, repos: 3 },
  { file: 'examples/two-hubs-regional.yaml', jpds: 5, sources: 2, repos: 3 },
];

const cli = (w: SimWorld, ...argv: string[]) =>
  runCli(argv, {
    env: { ...w.env, FEDCTL_HTTP_RETRIES: '0', FEDCTL_HTTP_RETRY_DELAY_MS: '10' },
    cwd: w.dir,
  });

interface StatusJson {
  repositories: {
    jpd: string;
    repoKey: string;
    health: string;
    members: {
      member: string;
      live: boolean;
      send: { state?: string };
      receive: { state?: string };
    }[];
  }[];
}

describe.each(EXAMPLES)('$file: drift and status cost', ({ file, jpds, sources, repos }) => {
  it('drift reads each JPD once and each source stateList once; status lists every member both ways', async () => {
    const w = await simulateTopology(file);
    try {
      expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);

      const drift = await recordRequests(() => cli(w, 'drift'));
      expect(drift.result.code, drift.result.stdout).toBe(0);
      expect(drift.requests.every((r) => r.method === 'GET')).toBe(true);
      expect(drift.requests).toHaveLength(2 * jpds + sources);

      const status = await recordRequests(() => cli(w, 'status', '--format', 'json'));
      expect(status.result.code).toBe(0);
      expect(status.requests.every((r) => r.method === 'GET')).toBe(true);
      expect(status.requests).toHaveLength(2 * jpds + repos);
      const doc = JSON.parse(status.result.stdout) as StatusJson;
      expect(doc.repositories).toHaveLength(repos);
      const topology = parse(await readFile(w.file, 'utf8')) as {
        federations: { repositories: unknown[]; members: unknown[] }[];
      };
      const memberRows = topology.federations.reduce(
        (n, f) => n + f.repositories.length * f.members.length,
        0,
      );
      const rows = doc.repositories.flatMap((r) => r.members);
      expect(rows).toHaveLength(memberRows);
      for (const m of rows) {
        expect(m.live).toBe(true);
        expect(m.send.state, m.member).toBeDefined();
        expect(m.receive.state, m.member).toBeDefined();
      }
      expect(doc.repositories.every((r) => r.health === 'healthy')).toBe(true);

      const text = await cli(w, 'status');
      expect(text.stdout).toContain(
        `${repos} ${repos === 1 ? 'repository' : 'repositories'}: ${repos} healthy, 0 unhealthy`,
      );
    } finally {
      await w.stop();
    }
  });
});

describe('status table', () => {
  it('shows each direction, lag and queue, and why a connection is unhealthy', async () => {
    const w = await simulateTopology('federation.yaml');
    try {
      expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
      w.sim.jpd('hub').setConnectionOverride({
        repoKey: 'libs-snapshot',
        target: 'us',
        status: 'ERROR',
        lagInMs: 90_000,
        queuedEvents: 7,
      });
      const { stdout, code } = await cli(w, 'status');
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      const head = lines.indexOf('hub/libs-snapshot: UNHEALTHY');
      expect(head).toBeGreaterThan(0);
      expect(lines[head + 1]).toMatch(
        /^ {2}MEMBER +MODE +hub -> MEMBER +LAG +QUEUED +MEMBER -> hub +LAG +QUEUED +HEALTH$/,
      );
      expect(lines[head + 2]).toMatch(
        /^ {2}eu +receiver +HEALTHY +0s +0 +Receiving_Only +0s +0 +ok$/,
      );
      expect(lines[head + 3]).toMatch(
        /^ {2}us +receiver +ERROR +1m30s +7 +Receiving_Only +0s +0 +UNHEALTHY$/,
      );
      expect(lines[head + 4]).toBe(
        '  ! member us (hub -> us) is ERROR, lag 1m30s, 7 queued events',
      );
      expect(stdout).toContain(
        '2 repositories: 1 healthy, 1 unhealthy, 0 unknown, 0 not created yet.',
      );
    } finally {
      await w.stop();
    }
  });
});

describe('drift when stateList fails', () => {
  it('reads connectionStates for every repository instead, and still decides', async () => {
    const w = await simulateTopology('examples/hub-two-receivers.yaml');
    try {
      expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
      w.sim.jpd('hub').setFaults({
        errors: [{ status: 503, rate: 1, path: '/artifactory/api/federation/status/stateList' }],
      });
      const { result, requests } = await recordRequests(() => cli(w, 'drift'));
      expect(result.code, result.stderr).toBe(0);
      const reads = describeRequests(requests).filter((r) => r.includes('/federation/status/'));
      expect(reads).toEqual([
        'GET /artifactory/api/federation/status/connectionStates/base-images',
        'GET /artifactory/api/federation/status/connectionStates/firmware-release',
        'GET /artifactory/api/federation/status/connectionStates/libs-release',
        'GET /artifactory/api/federation/status/stateList',
      ]);
    } finally {
      await w.stop();
    }
  });
});

describe('drift on a larger estate', () => {
  it('40 repositories, one held in ERROR: one stateList and one connectionStates', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `repo-${String(i).padStart(2, '0')}`);
    const dir = await mkdtemp(join(tmpdir(), 'fedctl-estate-'));
    const file = join(dir, 'estate.yaml');
    const spokes = ['s1', 's2', 's3'];
    await writeFile(
      file,
      [
        'version: 1',
        'defaults: { packageType: generic, mode: receiver }',
        'jpds:',
        ...['hub', ...spokes].map(
          (n, i) =>
            `  ${n}: { url: "http://127.0.0.1:${18_500 + i}", token: "\${${n.toUpperCase()}_TOKEN}" }`,
        ),
        'federations:',
        '  - source: hub',
        `    repositories: [${keys.join(', ')}]`,
        `    members: [${spokes.map((s) => `{ jpd: ${s} }`).join(', ')}]`,
        '',
      ].join('\n'),
    );
    const w = await simulateTopology(file);
    try {
      await w.sim.seedFederation({
        source: 'hub',
        members: spokes.map((jpd) => ({ jpd })),
        repositories: keys,
      });
      // Seeded repositories carry no record: adopt them (notes only) so the estate is clean.
      expect((await cli(w, 'apply', '--auto-approve', '--no-verify')).code).toBe(0);
      expect((await cli(w, 'drift')).code).toBe(0);
      w.sim.jpd('hub').setConnectionOverride({
        repoKey: 'repo-17',
        target: 's2',
        status: 'ERROR',
        lagInMs: 3_600_000,
        queuedEvents: 5000,
      });
      const { result, requests } = await recordRequests(() => cli(w, 'drift'));
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(
        'hub/repo-17: UNHEALTHY: member s2 (hub -> s2) is ERROR, lag 1h, 5000 queued events: lag over --max-lag 15m, queue over --max-queued 1000',
      );
      expect(describeRequests(requests).filter((r) => r.includes('/federation/status/'))).toEqual([
        'GET /artifactory/api/federation/status/connectionStates/repo-17',
        'GET /artifactory/api/federation/status/stateList',
      ]);
      expect(requests).toHaveLength(2 * 4 + 2);
      const status = await recordRequests(() => cli(w, 'status'));
      expect(status.requests).toHaveLength(2 * 4 + 40);
    } finally {
      await w.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
