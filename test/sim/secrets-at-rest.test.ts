import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/sim.js';
import { ExitCode } from '../../src/core/errors.js';
import { startSimulator } from '../../src/sim/index.js';
import { api, deploy } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-sim-modes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function modeOf(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

describe('simulator files that hold tokens', () => {
  it('are written 0600 inside folders created 0700 (data dir)', async () => {
    const dataDir = join(dir, 'data');
    const sim = await startSimulator({ jpds: [{ name: 'hub' }], dataDir });
    try {
      const hub = sim.jpd('hub');
      await api(hub, 'PUT', '/artifactory/api/repositories/libs', { body: { rclass: 'local' } });
      expect((await deploy(hub, 'libs', 'a.txt', 'x')).status).toBe(201);
    } finally {
      await sim.stop();
    }
    const state = join(dataDir, 'hub', 'state.json');
    expect(await readFile(state, 'utf8')).toContain(sim.jpd('hub').token);
    expect({
      dataDir: await modeOf(dataDir),
      jpdDir: await modeOf(join(dataDir, 'hub')),
      blobsDir: await modeOf(join(dataDir, 'hub', 'blobs')),
      state: await modeOf(state),
      circleKey: await modeOf(join(dataDir, 'circle-of-trust.key')),
    }).toEqual({ dataDir: '700', jpdDir: '700', blobsDir: '700', state: '600', circleKey: '600' });
    const blobs = await readdir(join(dataDir, 'hub', 'blobs'));
    expect(blobs).toHaveLength(1);
    expect(await modeOf(join(dataDir, 'hub', 'blobs', blobs[0] ?? ''))).toBe('600');
  });

  it('env file 0600 in a .fedctl folder created 0700, at --write-env', async () => {
    const io = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: {},
      cwd: dir,
    };
    const code = await run(
      ['--count', '1', '--port', '0', '--write-env', 'secrets/x/sim.env'],
      io,
      {
        waitForStop: () => Promise.resolve(),
      },
    );
    expect(code).toBe(ExitCode.Success);
    expect(await readFile(join(dir, 'secrets', 'x', 'sim.env'), 'utf8')).toMatch(
      /^export JPD1_TOKEN=\S+\n$/,
    );
    expect([
      await modeOf(join(dir, 'secrets')),
      await modeOf(join(dir, 'secrets', 'x')),
      await modeOf(join(dir, 'secrets', 'x', 'sim.env')),
    ]).toEqual(['700', '700', '600']);
    await run(['--count', '1', '--port', '0'], io, { waitForStop: () => Promise.resolve() });
    expect(await modeOf(join(dir, '.fedctl'))).toBe('700');
    expect(await modeOf(join(dir, '.fedctl', 'sim.env'))).toBe('600');
  });
});
