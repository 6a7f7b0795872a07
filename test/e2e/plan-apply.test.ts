import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { runCli } from '../support/cli.js';
import { simulateTopology, type SimWorld } from '../support/sim-topology.js';

let world: SimWorld;

interface Member {
  url: string;
  mode: string;
  enabled: boolean;
}
const jpd = (w: SimWorld, name: string) => {
  const info = w.sim.jpds.find((j) => j.name === name);
  if (info === undefined) throw new Error(`no JPD ${name}`);
  return info;
};
const auth = (j: { token: string }) => ({
  authorization: `Bearer ${j.token}`,
  'content-type': 'application/json',
});
async function getRepo(j: { url: string; token: string }, key: string) {
  const res = await fetch(`${j.url}/artifactory/api/repositories/${key}`, { headers: auth(j) });
  return (await res.json()) as { members: Member[] };
}
/** An out-of-band change, as an admin would make it with curl. */
async function postRepo(j: { url: string; token: string }, key: string, members: Member[]) {
  const res = await fetch(`${j.url}/artifactory/api/repositories/${key}`, {
    method: 'POST',
    headers: auth(j),
    body: JSON.stringify({ rclass: 'federated', members }),
  });
  if (res.status !== 200) throw new Error(`POST ${key}: ${res.status} ${await res.text()}`);
}
const cli = (...argv: string[]) => runCli(argv, { env: world.env, cwd: world.dir });

beforeAll(async () => {
  world = await simulateTopology('federation.yaml');
});
afterAll(async () => {
  await world.stop();
});

describe('plan and apply the quick-start topology against simulated JPDs', () => {
  it('plans the whole topology on empty JPDs, the same bytes every time', async () => {
    const first = await cli('plan', '--detailed-exitcode');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('+ pairing hub -> eu (receiving-only token, /federated-repo/r)');
    expect(first.stdout).toContain('+ repository hub/libs-release (generic, 2 members)');
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 2 pairings, 2 repositories to create, 0 to change, 0 to delete.',
    );
    const second = await cli('plan', '--detailed-exitcode');
    expect(second.stdout).toBe(first.stdout);
    const json = await cli('plan', '--format', 'json');
    const again = await cli('plan', '--format', 'json');
    expect(json.stdout).toBe(again.stdout);
    const validate = new Ajv({ strict: true }).compile(
      JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object,
    );
    expect(validate(JSON.parse(json.stdout))).toBe(true);
    for (const token of Object.values(world.env)) {
      expect(first.stdout + json.stdout).not.toContain(token);
    }
  });

  it('applies it, verifies convergence, and then plans zero changes', async () => {
    const apply = await cli('apply', '--auto-approve', '--verify-timeout', '30s');
    expect(apply.stderr).toContain('Apply: 4 applied, 0 failed, 0 skipped.');
    // Decided by the hub's stateList, or by its connection states (when stateList still showed
    // the full sync running and the connection finished it in between).
    const member = (m: string) => `${m} HEALTHY(, back Receiving_Only| \\(stateList\\))`;
    expect(apply.stderr).toMatch(
      new RegExp(`hub/libs-release: ok: ${member('eu')}; ${member('us')}`),
    );
    expect(apply.stderr).toContain('Verified: 2 repositories converged; plan shows no changes.');
    expect(apply.code).toBe(0);

    const plan = await cli('plan', '--detailed-exitcode');
    expect(plan.stdout).toBe('No changes. The JPDs match the topology.\n');
    expect(plan.code).toBe(0);

    const second = await cli('apply', '--auto-approve');
    expect(second.stdout).toBe('No changes. The JPDs match the topology.\n');
    expect(second.code).toBe(0);
  });

  it('shows a member removed on the hub through the plain API as drift', async () => {
    const hub = jpd(world, 'hub');
    const config = await getRepo(hub, 'libs-snapshot');
    const us = jpd(world, 'us').url;
    await postRepo(
      hub,
      'libs-snapshot',
      config.members.filter((m) => !m.url.startsWith(us)),
    );

    const plan = await cli('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('+ add member us as receiver [drift]');
    expect(plan.stdout).toContain(
      'Plan: 0 pairings, 0 repositories to create, 1 to change (1 member change), 0 to delete.',
    );
  });

  it('refuses a saved plan once the JPDs changed, and changes nothing', async () => {
    const saved = await cli('plan', '--out', 'plan.json');
    expect(saved.code).toBe(0);
    const planText = readFileSync(join(world.dir, 'plan.json'), 'utf8');
    for (const token of Object.values(world.env)) expect(planText).not.toContain(token);

    // Someone disables a member on the hub after the plan was saved.
    const hub = jpd(world, 'hub');
    const eu = jpd(world, 'eu').url;
    const config = await getRepo(hub, 'libs-release');
    await postRepo(
      hub,
      'libs-release',
      config.members.map((m) => (m.url.startsWith(eu) ? { ...m, enabled: false } : m)),
    );
    const changed = JSON.stringify((await getRepo(hub, 'libs-release')).members);
    expect(changed).not.toBe(JSON.stringify(config.members));

    const stale = await cli('apply', 'plan.json');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /^fedctl: the JPDs changed since plan\.json was made \(.*hub\/libs-release.*\); run fedctl plan again \(nothing was changed\)\n$/,
    );
    // Nothing was changed: the disabled member is still disabled.
    expect(JSON.stringify((await getRepo(hub, 'libs-release')).members)).toBe(changed);

    // A fresh plan, saved and applied, repairs both.
    expect((await cli('plan', '--out', 'plan.json')).code).toBe(0);
    const apply = await cli('apply', 'plan.json', '--verify-timeout', '30s');
    expect(apply.stderr).toContain('Verified:');
    expect(apply.code).toBe(0);
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('refuses a saved plan once the topology file changed', async () => {
    expect((await cli('plan', '--out', 'plan.json')).code).toBe(0);
    const file = join(world.dir, 'federation.yaml');
    const text = readFileSync(file, 'utf8');
    const { writeFileSync } = await import('node:fs');
    // A comment alone would not do: the fingerprint covers the parsed topology (test/e2e/show.test.ts).
    writeFileSync(file, text.replace('published on the hub only', 'edited'));
    try {
      const stale = await cli('apply', 'plan.json');
      expect(stale).toMatchObject({
        code: 1,
        stderr:
          'fedctl: federation.yaml changed since plan.json was made; run fedctl plan again (nothing was changed)\n',
      });
    } finally {
      writeFileSync(file, text);
    }
  });
});

describe('drift on a two-way (Option B) topology', () => {
  let mixed: SimWorld;
  const run = (...argv: string[]) => runCli(argv, { env: mixed.env, cwd: mixed.dir });
  beforeAll(async () => {
    mixed = await simulateTopology('examples/mixed-modes-option-b.yaml');
  });
  afterAll(async () => {
    await mixed.stop();
  });

  it('shows exactly the member mode flipped on the hub through the plain API, as drift', async () => {
    expect((await run('apply', '--auto-approve', '--verify-timeout', '30s')).code).toBe(0);
    const main = jpd(mixed, 'main');
    const lab = jpd(mixed, 'lab').url;
    const config = await getRepo(main, 'maven-thirdparty');
    await postRepo(
      main,
      'maven-thirdparty',
      config.members.map((m) => (m.url.startsWith(lab) ? { ...m, mode: 'bidirectional' } : m)),
    );

    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ repository main/maven-thirdparty');
    expect(plan.stdout).toContain('~ member lab: mode bidirectional -> receiver [drift]');
    expect(plan.stdout).toContain(
      'Plan: 0 pairings, 0 repositories to create, 1 to change (1 member change), 0 to delete.',
    );
    const json = JSON.parse((await run('plan', '--format', 'json')).stdout) as unknown;
    expect(json).toMatchObject({
      summary: { total: 1, drift: 1, 'set-member-mode': 1 },
      actions: [
        {
          type: 'set-member-mode',
          cause: 'drift',
          jpd: 'main',
          repoKey: 'maven-thirdparty',
          from: 'bidirectional',
          member: { jpd: 'lab', mode: 'receiver' },
        },
      ],
    });

    // The topology changing the same member is a pending change, not drift: maven-thirdparty now
    // matches, and npm-approved (same federation block) gets the change from the file.
    const file = join(mixed.dir, 'federation.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /- jpd: lab\n(\s+)mode: receiver/,
        '- jpd: lab\n$1mode: bidirectional',
      ),
    );
    const changed = await run('plan', '--detailed-exitcode');
    expect(changed.stdout).not.toContain('maven-thirdparty');
    expect(changed.stdout).toContain('~ repository main/npm-approved');
    expect(changed.stdout).toContain('~ member lab: mode receiver -> bidirectional\n');
    expect(changed.stdout, changed.stdout).not.toContain('[drift]');
  });
});
