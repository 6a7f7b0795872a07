/**
 * The legacy federation engine as a first-class dialect, end to end against simulated JPDs that
 * run without RTFS: plan refuses a receiver member before any write; a bidirectional estate
 * applies, verifies through federation/state, drifts and shows its status with the legacy
 * endpoints, one federation/state per source JPD and status/repo only for what it leaves
 * undecided.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runCli } from '../support/cli.js';
import { describeRequests, recordRequests, type RecordedRequest } from '../support/requests.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const legacyReads = (requests: readonly RecordedRequest[]): string[] =>
  describeRequests(requests).filter(
    (r) => r.includes('/federation/state') || r.includes('/federation/status/'),
  );

describe('plan against JPDs on the legacy engine', () => {
  it('refuses a receiver member before any write, naming the JPD, its version, engine and member', async () => {
    world = await simulateTopology('examples/legacy-bidirectional.yaml', {
      dialects: ['legacy-engine'],
    });
    const w = world;
    const doc = parseDocument(await readFile(w.file, 'utf8'));
    doc.setIn(['federations', 1, 'members', 0, 'mode'], 'receiver');
    await writeFile(w.file, doc.toString());
    const { result, requests } = await recordRequests(() =>
      runCli(['plan'], { env: w.env, cwd: w.dir }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'fedctl: the topology needs what 2 JPDs cannot do (nothing was changed):\n' +
        '  dc1: runs Artifactory 7.117.5 with the legacy federation engine (its RTFS status endpoints answer 405, RTFS not enabled), but a receiver member needs the Federation Service (RTFS) on both ends: dc2 in dc1/maven-releases; only bidirectional members can federate with dc1\n' +
        '  dc2: runs Artifactory 7.117.5 with the legacy federation engine (its RTFS status endpoints answer 405, RTFS not enabled), but a receiver member needs the Federation Service (RTFS) on both ends: dc2 in dc1/maven-releases; only bidirectional members can federate with dc2\n',
    );
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    const apply = await runCli(['apply', '--auto-approve'], { env: w.env, cwd: w.dir });
    expect(apply.code).toBe(1);
    for (const j of w.sim.jpds) expect(w.sim.jpd(j.name).dumpState()['repositories']).toEqual([]);
  });
});

describe('a bidirectional estate on the legacy engine', () => {
  it('applies and verifies through federation/state, drifts, and shows its status', async () => {
    world = await simulateTopology('examples/legacy-bidirectional.yaml', {
      dialects: ['legacy-engine'],
    });
    const w = world;
    const cli = (...argv: string[]) => runCli(argv, { env: w.env, cwd: w.dir });
    const apply = await cli('apply', '--auto-approve', '--verify-timeout', '30s');
    expect(apply.code, apply.stderr).toBe(0);
    // Decided by federation/state (SYNCING), or by v2 status/repo (HEALTHY) during the full sync.
    expect(apply.stderr).toMatch(
      /dc1\/shared-releases: ok: dc2 (SYNCING|HEALTHY); dc3 (SYNCING|HEALTHY)\n/,
    );
    expect(apply.stderr).toContain('Verified: 3 repositories converged; plan shows no changes.');

    const clean = await recordRequests(() => cli('drift'));
    expect(clean.result.code).toBe(0);
    expect(clean.result.stdout).toContain(
      'No drift, nothing pending, every connection healthy (3 repositories).',
    );
    // One stateList (405: no RTFS), then one federation/state decides every repository.
    expect(legacyReads(clean.requests)).toEqual([
      'GET /artifactory/api/federation/state',
      'GET /artifactory/api/federation/status/stateList',
    ]);

    w.sim.jpd('dc1').setConnectionOverride({
      repoKey: 'build-outputs',
      target: 'dc3',
      status: 'OUT_OF_SYNC',
      lagInMs: 120_000,
      queuedEvents: 4,
    });
    const red = await recordRequests(() => cli('drift', '--format', 'json'));
    expect(red.result.code).toBe(2);
    const doc = JSON.parse(red.result.stdout) as {
      repositories: {
        repoKey: string;
        health: { status: string; readFrom: string; reason?: string };
      }[];
    };
    const health = Object.fromEntries(doc.repositories.map((r) => [r.repoKey, r.health]));
    expect(health['build-outputs']).toMatchObject({
      status: 'unhealthy',
      readFrom: 'repoStatus',
      reason: 'member dc3 (dc1 -> dc3) is OUT_OF_SYNC, lag 2m, 4 queued events',
    });
    expect(health['shared-releases']).toMatchObject({
      status: 'healthy',
      readFrom: 'federationState',
    });
    // status/repo only for the repository federation/state left undecided, v2 first.
    expect(legacyReads(red.requests)).toEqual([
      'GET /artifactory/api/federation/state',
      'GET /artifactory/api/federation/status/stateList',
      'GET /artifactory/api/v2/federation/status/repo/build-outputs',
    ]);

    const status = await recordRequests(() => cli('status'));
    expect(status.result.code).toBe(0);
    expect(status.result.stdout).toContain('build-outputs');
    expect(status.result.stdout).toMatch(
      / {2}dc3 +bidirectional +OUT_OF_SYNC +2m +\d+ +not reported \(legacy\) +- +- +UNHEALTHY\n/,
    );
    expect(legacyReads(status.requests)).toContain(
      'GET /artifactory/api/federation/status/mirrorsLag',
    );
    const page = await cli('status', '--format', 'html');
    expect(page.code).toBe(0);
    expect(page.stdout).toContain('OUT_OF_SYNC');
  });

  it('v1 status/repo where v2 does not exist (a version before 7.82.2)', async () => {
    world = await simulateTopology('examples/legacy-bidirectional.yaml', {
      dialects: ['legacy-engine'],
      version: '7.80.0',
    });
    const w = world;
    const cli = (...argv: string[]) => runCli(argv, { env: w.env, cwd: w.dir });
    expect((await cli('apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    w.sim
      .jpd('dc1')
      .setConnectionOverride({ repoKey: 'maven-releases', target: 'dc2', status: 'ERROR' });
    const { result, requests } = await recordRequests(() => cli('drift'));
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      'dc1/maven-releases: UNHEALTHY: member dc2 (dc1 -> dc2) is ERROR',
    );
    expect(legacyReads(requests)).toEqual([
      'GET /artifactory/api/federation/state',
      'GET /artifactory/api/federation/status/repo/maven-releases',
      'GET /artifactory/api/federation/status/stateList',
      'GET /artifactory/api/v2/federation/status/repo/maven-releases',
    ]);
  });
});
