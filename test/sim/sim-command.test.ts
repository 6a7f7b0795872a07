import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/cli/option-values.js';
import { run } from '../../src/commands/sim.js';
import { ExitCode, UsageError } from '../../src/core/errors.js';
import type { CliIO } from '../../src/core/io-types.js';
import type { Simulator } from '../../src/sim/index.js';
import { api, createFederation } from './helpers.js';

function capture(): {
  io: (env?: Record<string, string>) => CliIO;
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: (env = {}) => ({
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env,
      cwd: dir,
    }),
    out: () => out,
    err: () => err,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
    server.on('error', reject);
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-sim-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fedctl sim', () => {
  it('starts the JPDs of a topology, takes tokens from the environment or writes them to an env file', async () => {
    const [hubPort, spokePort] = [await freePort(), await freePort()];
    await writeFile(
      join(dir, 'federation.yaml'),
      [
        'version: 1',
        'jpds:',
        `  hub: { url: "http://127.0.0.1:${hubPort}", token: "\${HUB_TOKEN}" }`,
        `  spoke: { url: "http://localhost:${spokePort}", token: "\${SPOKE_TOKEN}" }`,
        'federations:',
        '  - source: hub',
        '    packageType: generic',
        '    repositories: [libs]',
        '    members: [{ jpd: spoke, mode: receiver }]',
        '',
      ].join('\n'),
    );
    const c = capture();
    let seen: Simulator | undefined;
    const code = await run(
      ['-f', 'federation.yaml', '--latency', '1ms'],
      c.io({ HUB_TOKEN: 'hub-secret' }),
      {
        waitForStop: async (sim) => {
          seen = sim;
          const hub = sim.jpd('hub');
          const spoke = sim.jpd('spoke');
          expect(hub.url).toBe(`http://127.0.0.1:${hubPort}`);
          expect(spoke.url).toBe(`http://localhost:${spokePort}`);
          expect(hub.token).toBe('hub-secret');
          // The spoke knows itself by its topology URL, so member URLs naming localhost work.
          expect(
            (await createFederation(hub, 'libs', [{ jpd: spoke, mode: 'receiver' }])).status,
          ).toBe(200);
          expect((await api(spoke, 'GET', '/artifactory/api/repositories/libs')).status).toBe(200);
        },
      },
    );
    expect(code).toBe(ExitCode.Success);
    expect(seen).toBeDefined();
    expect(c.out()).toBe(
      `hub    http://127.0.0.1:${hubPort}\nspoke  http://localhost:${spokePort}\n`,
    );
    expect(c.err()).toContain('tokens: source .fedctl/sim.env');
    const envFile = join(dir, '.fedctl', 'sim.env');
    const env = await readFile(envFile, 'utf8');
    expect(env).toMatch(/^export SPOKE_TOKEN=\S+\n$/);
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const spokeToken = env.trim().split('=')[1] ?? '';
    expect(c.out() + c.err()).not.toContain(spokeToken);
    expect(c.out() + c.err()).not.toContain('hub-secret');
  });

  it('starts --count JPDs on consecutive ports with the fault flags applied', async () => {
    const c = capture();
    const code = await run(
      [
        '--count',
        '2',
        '--port',
        '0',
        '--error-rate',
        '1',
        '--error-status',
        '429',
        '--error-path',
        '*/version',
        '--retry-after',
        '3',
      ],
      c.io(),
      {
        waitForStop: async (sim) => {
          expect(sim.jpds.map((j) => j.name)).toEqual(['jpd1', 'jpd2']);
          const limited = await api(sim.jpd('jpd1'), 'GET', '/artifactory/api/system/version');
          expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
          expect((await api(sim.jpd('jpd2'), 'GET', '/artifactory/api/system/ping')).status).toBe(
            200,
          );
        },
      },
    );
    expect(code).toBe(ExitCode.Success);
    expect(await readFile(join(dir, '.fedctl', 'sim.env'), 'utf8')).toMatch(
      /^export JPD1_TOKEN=\S+\nexport JPD2_TOKEN=\S+\n$/,
    );
  });

  it('rejects bad flags as usage errors', async () => {
    const c = capture();
    await expect(run(['--count', '2', '--latency', 'soon'], c.io())).rejects.toThrow(UsageError);
    await expect(run(['--count', '2', '-f', 'x.yaml'], c.io())).rejects.toThrow(UsageError);
    await expect(run(['--count', '2', '--error-status', '500'], c.io())).rejects.toThrow(
      UsageError,
    );
    await expect(run(['--count', '0'], c.io())).rejects.toThrow(UsageError);
    await expect(run(['--error-rate', '2', '--count', '1'], c.io())).rejects.toThrow(UsageError);
    expect(parseDuration('latency', '1.5s', 'ms')).toBe(1500);
    expect(parseDuration('pairing-ttl', '300', 's')).toBe(300_000);
    expect(parseDuration('verify-timeout', '5m', 's')).toBe(300_000);
    expect(() => parseDuration('verify-timeout', 'soon', 's')).toThrow(
      '--verify-timeout: expected a duration such as 50ms, 90s or 5m, got "soon"',
    );
    expect(await run(['--help'], c.io())).toBe(ExitCode.Success);
    expect(c.out()).toContain('Usage: fedctl sim');
  });
  it('applies --dialect to every JPD, JPD=NAMES to one, and --config-lock-rate', async () => {
    const c = capture();
    const code = await run(
      [
        '--count',
        '2',
        '--port',
        '0',
        '--dialect',
        'ro-spaced',
        '--dialect',
        'ro-on-send',
        '--dialect',
        'jpd2=no-batch,mode-dropped',
        '--config-lock-rate',
        '0.5',
        '--config-lock-status',
        '400',
      ],
      c.io(),
      {
        waitForStop: async (sim) => {
          expect(sim.jpd('jpd1').dialects).toEqual(['ro-on-send', 'ro-spaced']);
          expect(sim.jpd('jpd2').dialects).toEqual(['mode-dropped', 'no-batch']);
          const jpd1 = sim.jpd('jpd1');
          const statuses: number[] = [];
          for (const key of ['a', 'b']) {
            statuses.push(
              (
                await api(jpd1, 'PUT', `/artifactory/api/repositories/${key}`, {
                  body: { rclass: 'local' },
                })
              ).status,
            );
          }
          expect(statuses).toEqual([200, 400]);
        },
      },
    );
    expect(code).toBe(ExitCode.Success);
  });

  it('rejects unknown dialects, unknown JPDs and the old --env-file flag', async () => {
    const c = capture();
    await expect(run(['--count', '1', '--dialect', 'nope'], c.io())).rejects.toThrow(
      /^--dialect: unknown dialect 'nope'; known: ro-on-receive, /,
    );
    await expect(run(['--count', '1', '--dialect', 'hub=ro-spaced'], c.io())).rejects.toThrow(
      "--dialect: no JPD named 'hub' (JPDs: jpd1)",
    );
    await expect(run(['--count', '1', '--config-lock-status', '503'], c.io())).rejects.toThrow(
      UsageError,
    );
    // Node 20 takes --env-file as its own option even after the script name (it exits 9 with
    // "x: not found"), so the flag was renamed --write-env and no alias is kept.
    await expect(run(['--count', '1', '--env-file', 'x'], c.io())).rejects.toThrow(/env-file/);
    expect(await run(['--help'], c.io())).toBe(ExitCode.Success);
    expect(c.out()).toContain('--write-env FILE');
    expect(c.out()).toContain('--detach');
    expect(c.out()).not.toContain('--env-file');
  });
});
