/**
 * `fedctl drift` against simulated JPDs, one exit code each: clean after apply -> 0; a
 * member mode changed on a JPD -> 2 as drift; a topology edit -> 2 as pending; a connection held
 * in ERROR with lag -> 2 with state and lag in the text, JSON and JUnit; an unreachable JPD -> 1
 * with one line. Every run is recorded at the fetch boundary: only GETs, and the fewest of them.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { describeRequests, recordRequests } from '../support/requests.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld;
const env = (): Record<string, string> => ({
  ...world.env,
  FEDCTL_HTTP_RETRIES: '0',
  FEDCTL_HTTP_RETRY_DELAY_MS: '10',
});
const cli = (...argv: string[]) => runCli(argv, { env: env(), cwd: world.dir });
const recorded = (...argv: string[]) => recordRequests(() => cli(...argv));

const validDrift = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/drift-report.schema.json', 'utf8')) as object,
);

const CONFIGURATIONS = 'GET /artifactory/api/repositories/configurations?repoType=federated';
const STATE_LIST = 'GET /artifactory/api/federation/status/stateList';
const INCONSISTENT = 'GET /artifactory/api/federation/inconsistentRepos';
const states = (key: string) => `GET /artifactory/api/federation/status/connectionStates/${key}`;

interface Member {
  url: string;
  mode?: string;
  enabled: boolean;
}
async function setMode(jpd: string, key: string, member: string, mode: string): Promise<void> {
  const j = world.sim.jpd(jpd);
  const headers = { authorization: `Bearer ${j.token}`, 'content-type': 'application/json' };
  const res = await fetch(`${j.url}/artifactory/api/repositories/${key}`, { headers });
  const config = (await res.json()) as { members: Member[] };
  const target = world.sim.jpd(member).url;
  const members = config.members.map((m) => (m.url.startsWith(target) ? { ...m, mode } : m));
  const post = await fetch(`${j.url}/artifactory/api/repositories/${key}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ rclass: 'federated', members }),
  });
  expect(post.status).toBe(200);
}

beforeAll(async () => {
  world = await simulateTopology('examples/mixed-modes-option-b.yaml');
  const apply = await cli('apply', '--auto-approve', '--verify-timeout', '30s');
  expect(apply.code, apply.stderr).toBe(0);
});
afterAll(async () => {
  await world.stop();
});

describe('fedctl drift exit codes', () => {
  it('is clean after apply: exit 0, one batch read and one inconsistentRepos per JPD and one stateList, GETs only', async () => {
    const { result, requests } = await recorded('drift');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'No drift, nothing pending, every connection healthy (3 repositories).',
    );
    expect(result.code).toBe(0);
    expect(describeRequests(requests)).toEqual([
      INCONSISTENT,
      INCONSISTENT,
      INCONSISTENT,
      STATE_LIST,
      CONFIGURATIONS,
      CONFIGURATIONS,
      CONFIGURATIONS,
    ]);
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('reports a mode changed on a JPD as drift (exit 2); --fail-on health ignores it', async () => {
    await setMode('main', 'maven-releases', 'dr', 'receiver');
    const { result, requests } = await recorded('drift');
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Drift (edits made on a JPD outside fedctl):');
    expect(result.stdout).toContain(
      'main/maven-releases: member dr: mode is receiver on the JPD; fedctl applied bidirectional [apply undoes it]',
    );
    expect(result.stdout).not.toContain('Pending');
    expect(result.stdout).toContain('Fails on: drift.');
    expect(requests.every((r) => r.method === 'GET')).toBe(true);

    const json = await cli('drift', '--format', 'json');
    const doc = JSON.parse(json.stdout) as { summary: { drift: number; pending: number } };
    expect(validDrift(doc), JSON.stringify(validDrift.errors)).toBe(true);
    expect(doc.summary).toMatchObject({ drift: 1, pending: 0 });

    const healthOnly = await cli('drift', '--fail-on', 'health');
    expect(healthOnly.stdout).toContain('member dr: mode is receiver on the JPD');
    expect(healthOnly.code).toBe(0);

    expect((await cli('apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    expect((await cli('drift')).code).toBe(0);
  });

  it('reports a topology edit as pending (exit 2), not as drift', async () => {
    const original = await readFile(world.file, 'utf8');
    const doc = parseDocument(original);
    doc.setIn(['federations', 1, 'members', 1, 'mode'], 'bidirectional');
    await writeFile(world.file, doc.toString());
    try {
      const { result, requests } = await recorded('drift');
      expect(result.code).toBe(2);
      expect(result.stdout).toContain('Pending (topology changes not applied yet):');
      expect(result.stdout).toContain(
        'main/maven-thirdparty: member lab: mode receiver -> bidirectional',
      );
      expect(result.stdout).not.toContain('Drift (edits');
      expect(result.stdout).toContain('Drift: 0, pending: 2,');
      expect(requests.every((r) => r.method === 'GET')).toBe(true);
      expect((await cli('drift', '--fail-on', 'drift,health')).code).toBe(0);
    } finally {
      await writeFile(world.file, original);
    }
  });

  it('reports a connection held in ERROR with lag (exit 2) in text, JSON and JUnit', async () => {
    const main = world.sim.jpd('main');
    main.setConnectionOverride({
      repoKey: 'maven-thirdparty',
      target: 'lab',
      status: 'ERROR',
      lagInMs: 90_000,
      queuedEvents: 7,
    });
    try {
      const { result, requests } = await recorded('drift', '--junit', 'drift.xml');
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(
        'main/maven-thirdparty: UNHEALTHY: member lab (main -> lab) is ERROR, lag 1m30s, 7 queued events',
      );
      // stateList decides; only the repository it shows unhealthy gets a connectionStates read.
      expect(describeRequests(requests)).toEqual([
        INCONSISTENT,
        INCONSISTENT,
        INCONSISTENT,
        states('maven-thirdparty'),
        STATE_LIST,
        CONFIGURATIONS,
        CONFIGURATIONS,
        CONFIGURATIONS,
      ]);

      const json = await cli('drift', '--format', 'json');
      const doc = JSON.parse(json.stdout) as {
        repositories: {
          repoKey: string;
          health: {
            status: string;
            connections: { state?: string; lagInMs?: number; queuedEvents?: number }[];
          };
        }[];
      };
      expect(validDrift(doc), JSON.stringify(validDrift.errors)).toBe(true);
      const repo = doc.repositories.find((r) => r.repoKey === 'maven-thirdparty');
      expect(repo?.health.status).toBe('unhealthy');
      expect(repo?.health.connections).toContainEqual(
        expect.objectContaining({ state: 'ERROR', lagInMs: 90_000, queuedEvents: 7 }),
      );

      const junit = await readFile(join(world.dir, 'drift.xml'), 'utf8');
      expect(junit).toContain('<testcase name="maven-thirdparty" classname="main" time="0">');
      expect(junit).toContain('type="health"');
      expect(junit).toContain('member lab (main -&gt; lab) is ERROR, lag 1m30s, 7 queued events');

      for (const token of Object.values(world.env)) {
        expect(result.stdout + result.stderr + json.stdout + junit).not.toContain(token);
      }
      expect((await cli('drift', '--fail-on', 'drift,pending')).code).toBe(0);
    } finally {
      main.clearConnectionOverrides();
    }
  });

  it('reads connectionStates for a repository in lag, and judges its lag by --max-lag', async () => {
    const main = world.sim.jpd('main');
    main.setConnectionOverride({
      repoKey: 'npm-approved',
      target: 'dr',
      status: 'DELAYED',
      lagInMs: 20 * 60_000,
      queuedEvents: 3,
    });
    try {
      const { result, requests } = await recorded('drift');
      expect(describeRequests(requests)).toContain(states('npm-approved'));
      expect(result.stdout).toContain(
        'main/npm-approved: UNHEALTHY: member dr (main -> dr) is DELAYED, lag 20m, 3 queued events: lag over --max-lag 15m',
      );
      expect(result.code).toBe(2);
      const lenient = await cli('drift', '--max-lag', '30m');
      expect(lenient.code).toBe(0);
    } finally {
      main.clearConnectionOverrides();
    }
  });

  it('exits 1 when a JPD cannot be reached, naming it in the report and on stderr', async () => {
    world.sim.jpd('lab').setOffline(true);
    try {
      const result = await cli('drift');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^Not read \(these JPDs are not in this report\):\n {2}lab: lab: GET \/artifactory\/api\/repositories\/configurations/m,
      );
      expect(result.stdout).toMatch(/^Error: 1 JPD not read \(lab\); /m);
      expect(result.stderr).toMatch(
        /^fedctl: 1 JPD could not be read; the report covers the others:\n {2}lab: GET \/artifactory\/api\/repositories\/configurations/m,
      );
    } finally {
      world.sim.jpd('lab').setOffline(false);
    }
  });
});

describe('fedctl drift on a JPD without the Federation Service', () => {
  it('gives health unknown with the reason, and exit 0', async () => {
    // Receivers need RTFS (the preflight refuses them there): a bidirectional estate.
    const w = await simulateTopology('examples/legacy-bidirectional.yaml', {
      dialects: ['no-federation-service'],
    });
    try {
      const run = (...argv: string[]) => runCli(argv, { env: w.env, cwd: w.dir });
      expect((await run('apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
      const { result, requests } = await recordRequests(() => run('drift'));
      expect(result.stdout).toContain('health unknown: federation service not enabled on JPD dc1');
      expect(result.code).toBe(0);
      // One stateList answers 405, the legacy federation/state 404; no repository is asked after.
      expect(requests.filter((r) => r.path.includes('/federation/status/'))).toHaveLength(1);
      expect(requests.filter((r) => r.path === '/artifactory/api/federation/state')).toHaveLength(
        1,
      );
    } finally {
      await w.stop();
    }
  });
});
