import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/commands/args.js';
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
      undefined,
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
      undefined,
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
});
