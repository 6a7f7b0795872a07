/**
 * An estate fedctl never touched, built through the plain REST API as an admin would with curl:
 * mixed modes, a disabled member, a member whose key differs, a federation in which every member
 * sends, and a key no topology may hold. Import it, plan (only `adopt`), apply, plan (nothing).
 * Then the bad inputs: an unreachable JPD, a refused token, an existing --out.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimJpdInfo, type Simulator } from '../../src/sim/index.js';
import { api, memberUrl } from '../sim/helpers.js';
import { runCli } from '../support/cli.js';

let sim: Simulator;
let dir: string;
let env: Record<string, string>;
const jpd = (name: string): SimJpdInfo => {
  const info = sim.jpds.find((j) => j.name === name);
  if (info === undefined) throw new Error(`no JPD ${name}`);
  return info;
};
const cli = (...argv: string[]) => runCli(argv, { env, cwd: dir });
/** In --jpd order: hub first, so it is the source of last resort. */
const given = () => ['hub', 'eu', 'us', 'lab'].flatMap((n) => ['--jpd', `${n}=${jpd(n).url}`]);

async function put(on: string, key: string, body: Record<string, unknown>): Promise<void> {
  const res = await api(jpd(on), 'PUT', `/artifactory/api/repositories/${key}`, {
    body: { key, packageType: 'generic', ...body },
  });
  if (res.status !== 200) throw new Error(`PUT ${on}/${key}: ${res.status} ${res.text}`);
}
const member = (on: string, key: string, mode: string, enabled = true) => ({
  url: memberUrl(jpd(on), key),
  mode,
  enabled,
});
const members = async (on: string, key: string): Promise<unknown> =>
  ((await api(jpd(on), 'GET', `/artifactory/api/repositories/${key}`)).json as { members: unknown })
    .members;

beforeAll(async () => {
  sim = await startSimulator({ jpds: ['hub', 'eu', 'us', 'lab'].map((name) => ({ name })) });
  dir = await mkdtemp(join(tmpdir(), 'fedctl-import-'));
  env = {
    HUB_TOKEN: jpd('hub').token,
    EU_TOKEN: jpd('eu').token,
    US_TOKEN: jpd('us').token,
    // A variable that is not <NAME>_TOKEN, named with --token-env.
    LAB_ADMIN: jpd('lab').token,
  };
  await put('hub', 'libs', {
    rclass: 'federated',
    description: 'Libraries',
    members: [
      member('hub', 'libs', 'bidirectional'),
      member('eu', 'libs', 'receiver'),
      member('us', 'libs', 'receiver', false),
    ],
  });
  await put('hub', 'tools', {
    rclass: 'federated',
    members: [member('hub', 'tools', 'bidirectional'), member('eu', 'hub-tools', 'receiver')],
  });
  await put('hub', 'shared', {
    rclass: 'federated',
    members: [member('hub', 'shared', 'bidirectional'), member('lab', 'shared', 'bidirectional')],
  });
  await put('hub', 'thing-cache', {
    rclass: 'federated',
    members: [
      member('hub', 'thing-cache', 'bidirectional'),
      member('eu', 'thing-cache', 'receiver'),
    ],
  });
  await put('hub', 'scratch', { rclass: 'local' });
});
afterAll(async () => {
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('import an estate built without fedctl', () => {
  it('writes the topology, the same bytes every time, skipping what no topology may hold', async () => {
    const first = await cli('import', ...given(), '--token-env', 'lab=LAB_ADMIN');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe(
      [
        'skipped eu/"thing-cache": member copy of hub/"thing-cache", which was not imported or does not list it',
        'skipped hub/"thing-cache": repository key "thing-cache" must not end with "-cache" (reserved for remote repository caches)',
        'Imported 3 repositories in 3 federations from 4 JPDs; 2 skipped.',
        '',
      ].join('\n'),
    );
    const again = await cli('import', ...given(), '--token-env', 'lab=LAB_ADMIN');
    expect(again.stdout).toBe(first.stdout);
    const text = first.stdout;
    expect(text).toContain('    token: ${LAB_ADMIN}\n');
    expect(text).toContain(
      '  - source: hub # several members send, so the source is a choice: the first --jpd given\n',
    );
    expect(text).toContain('      - key: tools\n        memberKeys:\n          eu: hub-tools\n');
    expect(text).toContain('      - jpd: us\n        enabled: false\n');
    for (const token of Object.values(env)) expect(text).not.toContain(token);

    expect(
      (await cli('import', ...given(), '--token-env', 'lab=LAB_ADMIN', '--out', 'estate.yaml'))
        .code,
    ).toBe(0);
    expect(readFileSync(join(dir, 'estate.yaml'), 'utf8')).toBe(text);
  });

  it('plans only adoptions, applies them without rewriting a member, then plans nothing', async () => {
    const before = {
      libs: await members('hub', 'libs'),
      tools: await members('hub', 'tools'),
      shared: await members('hub', 'shared'),
    };
    const plan = await cli('plan', '-f', 'estate.yaml', '--format', 'json');
    expect(plan.code, plan.stderr).toBe(0);
    const json = JSON.parse(plan.stdout) as {
      summary: Record<string, number>;
      actions: { type: string; id: string }[];
    };
    expect(json.actions.map((a) => `${a.type} ${a.id}`)).toEqual([
      'adopt adopt:hub/libs',
      'adopt adopt:hub/shared',
      'adopt adopt:hub/tools',
    ]);
    expect(json.summary).toMatchObject({ adopt: 3, total: 3, drift: 0 });
    const text = await cli('plan', '-f', 'estate.yaml');
    expect(text.stdout).toContain(
      "~ adopt repository hub/libs (writes fedctl's record only; members unchanged)\n",
    );
    expect(text.stdout).toContain(
      'Plan: 0 pairings, 0 repositories to create, 0 to change, 0 to delete, 3 to adopt.\n',
    );

    // Through a saved plan: the adopt actions survive the plan file and its schema check.
    expect((await cli('plan', '-f', 'estate.yaml', '--out', 'adopt.json')).code).toBe(0);
    const apply = await cli('apply', 'adopt.json', '--verify-timeout', '30s');
    expect(apply.stderr).toContain('Apply: 3 applied, 0 failed, 0 skipped.');
    expect(apply.code).toBe(0);
    expect({
      libs: await members('hub', 'libs'),
      tools: await members('hub', 'tools'),
      shared: await members('hub', 'shared'),
    }).toEqual(before);
    const notes = (await api(jpd('hub'), 'GET', '/artifactory/api/repositories/libs')).json as {
      notes: string;
    };
    expect(notes.notes).toMatch(
      /^fedctl:last-applied \{"s":"http:\/\/127\.0\.0\.1:\d+\/artifactory\/libs"/,
    );

    const after = await cli('plan', '-f', 'estate.yaml', '--detailed-exitcode');
    expect(after.stdout).toContain('No changes. The JPDs match the topology.');
    expect(after.code).toBe(0);
  });
});

describe('import refuses bad input and writes nothing', () => {
  const out = () => join(dir, 'refused.yaml');

  it('stops at an unreachable JPD with one line', async () => {
    const port = await closedPort();
    const run = await runCli(
      [
        'import',
        ...given(),
        '--token-env',
        'lab=LAB_ADMIN',
        '--jpd',
        `gone=http://127.0.0.1:${port}`,
        '--out',
        'refused.yaml',
      ],
      { env: { ...env, GONE_TOKEN: 'x', FEDCTL_HTTP_RETRIES: '0' }, cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^fedctl: gone: GET \/artifactory\/api\/repositories\/configurations\?repoType=federated \(.*; nothing was written\n$/,
    );
    expect(existsSync(out())).toBe(false);
  });

  it('stops at a refused token with one line', async () => {
    const run = await runCli(
      ['import', '--jpd', `hub=${jpd('hub').url}`, '--out', 'refused.yaml'],
      {
        env: { HUB_TOKEN: 'not-the-token' },
        cwd: dir,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^fedctl: hub: GET \/artifactory\/api\/repositories\/configurations\?repoType=federated -> 401: .*; nothing was written\n$/,
    );
    expect(run.stderr).not.toContain('not-the-token');
    expect(existsSync(out())).toBe(false);
  });

  it('never replaces an existing --out without --force', async () => {
    writeFileSync(out(), 'mine\n');
    const args = [
      'import',
      '--jpd',
      `hub=${jpd('hub').url}`,
      '--jpd',
      `eu=${jpd('eu').url}`,
      '--out',
      'refused.yaml',
    ];
    const refused = await cli(...args);
    expect(refused).toMatchObject({
      code: 1,
      stderr:
        'fedctl: refused.yaml already exists; use --force to replace it (nothing was written)\n',
    });
    expect(readFileSync(out(), 'utf8')).toBe('mine\n');
    expect((await cli(...args, '--force')).code).toBe(0);
    expect(readFileSync(out(), 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
  });
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
