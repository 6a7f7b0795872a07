/**
 * What each copy of a repository needs besides its members, end to end against the simulator:
 * a copy made inconsistent on one member is reported by drift (its own kind of finding) and
 * repaired by apply (configSync, a step of its own); projects and environments are set on every
 * copy, those a federation creates included, restored when a copy lost them, reported as drift
 * when changed on a JPD, and never stripped by a re-apply.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runCli } from '../support/cli.js';
import { recordRequests } from '../support/requests.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';
import { api } from '../sim/helpers.js';
import { LOCK_KEY } from '../../src/io/apply/lock.js';

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const cli = (w: SimWorld, ...argv: string[]) => runCli(argv, { env: w.env, cwd: w.dir });

const validDrift = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/drift-report.schema.json', 'utf8')) as object,
);
const validPlan = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object,
);

/** `projectKey` and `environments` of a repository on each JPD, as its JPD returns them. */
async function projects(w: SimWorld, key: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { name } of w.sim.jpds) {
    const res = await api(w.sim.jpd(name), 'GET', `/artifactory/api/repositories/${key}`);
    const body = res.json as { projectKey?: string; environments?: string[] } | undefined;
    out[name] = `${body?.projectKey ?? '-'} [${(body?.environments ?? []).join(',')}]`;
  }
  return out;
}

async function edit(w: SimWorld, change: (doc: ReturnType<typeof parseDocument>) => void) {
  const doc = parseDocument(await readFile(w.file, 'utf8'));
  change(doc);
  await writeFile(w.file, doc.toString());
}

describe('inconsistent configurations', () => {
  it('a copy made inconsistent on one member: drift reports it, apply repairs it with configSync', async () => {
    world = await simulateTopology('federation.yaml');
    const w = world;
    expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    await w.sim.jpd('hub').makeInconsistent({ repoKey: 'libs-release', member: 'eu' });

    const drift = await cli(w, 'drift', '--format', 'json');
    expect(drift.code).toBe(2);
    const doc = JSON.parse(drift.stdout) as {
      repositories: {
        repoKey: string;
        drift: { field: string; message: string; actionId?: string }[];
      }[];
    };
    expect(validDrift(doc), JSON.stringify(validDrift.errors)).toBe(true);
    const release = doc.repositories.find((r) => r.repoKey === 'libs-release');
    expect(release?.drift).toEqual([
      {
        member: 'hub',
        field: 'configuration',
        recorded: 'consistent',
        live: 'inconsistent',
        wanted: 'consistent',
        actionId: 'sync:hub/libs-release',
        message:
          "hub/libs-release: its configuration differs from a member's (listed by inconsistentRepos); apply runs configSync",
      },
    ]);
    expect(doc.repositories.find((r) => r.repoKey === 'libs-snapshot')?.drift).toEqual([]);

    const json = JSON.parse((await cli(w, 'plan', '--format', 'json')).stdout) as unknown;
    expect(validPlan(json), JSON.stringify(validPlan.errors)).toBe(true);
    const plan = await cli(w, 'plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(
      "~ hub/libs-release: configuration differs from a member's (inconsistentRepos); configSync pushes it again [drift]\n",
    );
    expect(plan.stdout).toContain(
      'Plan: 0 pairings, 0 repositories to create, 0 to change, 0 to delete, 1 configuration to sync.',
    );

    const { result, requests } = await recordRequests(() =>
      cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s'),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('  hub/libs-release configSync: applied');
    // The repair is one configSync, and nothing else is written (but the apply lock's marker).
    expect(writesBesidesLock(requests).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /artifactory/api/federation/configSync/libs-release',
    ]);
    const eu = await api(w.sim.jpd('eu'), 'GET', '/artifactory/api/repositories/libs-release');
    expect((eu.json as { description: string }).description).toBe(
      'Release and snapshot libraries, published on the hub only',
    );
    expect((await cli(w, 'drift')).code).toBe(0);
    expect((await cli(w, 'plan', '--detailed-exitcode')).code).toBe(0);
  });
});

describe('projects and environments', () => {
  it('a new federation: the source is created in the project, every copy federation creates is set in the same apply', async () => {
    world = await simulateTopology('federation.yaml');
    const w = world;
    await edit(w, (doc) => {
      doc.setIn(['defaults', 'project'], 'team');
      doc.setIn(['defaults', 'environments'], ['DEV']);
      doc.setIn(['federations', 0, 'repositories'], ['team-release', 'team-snapshot']);
    });
    const plan = await cli(w, 'plan');
    expect(plan.stderr).toBe('');
    const json = JSON.parse((await cli(w, 'plan', '--format', 'json')).stdout) as unknown;
    expect(validPlan(json), JSON.stringify(validPlan.errors)).toBe(true);
    expect(plan.stdout).toContain(
      '~ eu/team-release (copy of hub/team-release): project (none) -> team; environments [] -> [DEV] (once federation has created the copy)\n',
    );
    const apply = await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s');
    expect(apply.code, apply.stderr).toBe(0);
    for (const key of ['team-release', 'team-snapshot']) {
      expect(await projects(w, key)).toEqual({
        hub: 'team [DEV]',
        eu: 'team [DEV]',
        us: 'team [DEV]',
      });
    }
    expect((await cli(w, 'plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('copies that lost their project are restored by one apply; plan then shows no changes', async () => {
    world = await simulateTopology('federation.yaml');
    const w = world;
    // An estate built before the topology named a project: federation created the copies bare.
    expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    // The source was put in the project by hand; its copies were not.
    for (const key of ['libs-release', 'libs-snapshot']) {
      const res = await api(w.sim.jpd('hub'), 'POST', `/artifactory/api/repositories/${key}`, {
        body: { projectKey: 'team' },
      });
      expect(res.status).toBe(200);
    }
    await edit(w, (doc) => {
      doc.setIn(['defaults', 'project'], 'team');
    });
    const drift = await cli(w, 'drift');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain(
      'eu/libs-release: project (none) on the JPD; the source and the topology have team',
    );
    const plan = await cli(w, 'plan');
    expect(plan.stdout).toContain(
      'Plan: 0 pairings, 0 repositories to create, 0 to change, 0 to delete, 4 copies to assign.',
    );
    const apply = await recordRequests(() =>
      cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s'),
    );
    expect(apply.result.code, apply.result.stderr).toBe(0);
    // Each copy on its own JPD, nothing but its project (and the apply lock's marker).
    const writes = writesBesidesLock(apply.requests);
    expect(writes).toHaveLength(4);
    expect(new Set(writes.map((r) => r.path))).toEqual(
      new Set([
        '/artifactory/api/repositories/libs-release',
        '/artifactory/api/repositories/libs-snapshot',
      ]),
    );
    for (const key of ['libs-release', 'libs-snapshot']) {
      expect(await projects(w, key)).toEqual({ hub: 'team []', eu: 'team []', us: 'team []' });
    }
    const after = await cli(w, 'plan', '--detailed-exitcode');
    expect(after.stdout).toBe('No changes. The JPDs match the topology.\n');
    expect(after.code).toBe(0);
  });

  it('a re-apply never strips a project; a project changed on a copy is drift that apply undoes', async () => {
    world = await simulateTopology('federation.yaml');
    const w = world;
    await edit(w, (doc) => {
      doc.setIn(['federations', 0, 'project'], 'team');
    });
    expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    // The topology stops naming the project and changes a member: the project stays everywhere.
    await edit(w, (doc) => {
      doc.deleteIn(['federations', 0, 'project']);
      doc.setIn(['federations', 0, 'members', 1, 'enabled'], false);
    });
    expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    expect(await projects(w, 'libs-release')).toEqual({
      hub: 'team []',
      eu: 'team []',
      us: 'team []',
    });
    expect((await cli(w, 'plan', '--detailed-exitcode')).code).toBe(0);

    await edit(w, (doc) => {
      doc.setIn(['federations', 0, 'project'], 'team');
    });
    const moved = await api(
      w.sim.jpd('us'),
      'POST',
      '/artifactory/api/repositories/libs-snapshot',
      {
        body: { projectKey: 'other' },
      },
    );
    expect(moved.status).toBe(200);
    const drift = await cli(w, 'drift', '--format', 'json');
    expect(drift.code).toBe(2);
    const doc = JSON.parse(drift.stdout) as {
      repositories: {
        repoKey: string;
        drift: { member?: string; field: string; live: string }[];
      }[];
    };
    expect(validDrift(doc), JSON.stringify(validDrift.errors)).toBe(true);
    expect(doc.repositories.find((r) => r.repoKey === 'libs-snapshot')?.drift).toMatchObject([
      { member: 'us', field: 'project', live: 'other' },
    ]);
    expect((await cli(w, 'apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    expect(await projects(w, 'libs-snapshot')).toEqual({
      hub: 'team []',
      eu: 'team []',
      us: 'team []',
    });
  });
});

/** The writes of an apply other than its lock (the marker repository, io/apply/lock.ts). */
function writesBesidesLock<T extends { method: string; path: string }>(
  requests: readonly T[],
): T[] {
  return requests.filter(
    (r) => r.method !== 'GET' && r.path !== `/artifactory/api/repositories/${LOCK_KEY}`,
  );
}
