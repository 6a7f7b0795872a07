/**
 * `fedctl sim --detach` / `--stop` as a user runs them: the real CLI (`node bin/fedctl.js`, the
 * compiled dist/ that test/global-setup.ts builds) spawned in a temporary folder. Every test kills whatever
 * simulator process it may have left.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'fedctl.js');

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function fedctl(cwd: string, args: readonly string[]): Promise<Result> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Running, and not a zombie (an exited process that this container's init has not reaped). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat
      .slice(stat.lastIndexOf(')') + 1)
      .trim()
      .startsWith('Z');
  } catch {
    return true;
  }
}

let dir: string;
const pids: number[] = [];

async function pidInFile(): Promise<number | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, '.fedctl', 'sim.pid'), 'utf8')) as {
      pid: number;
    };
    return parsed.pid;
  } catch {
    return undefined;
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-sim-detach-'));
});
afterEach(async () => {
  const last = await pidInFile();
  for (const pid of [...pids.splice(0), ...(last === undefined ? [] : [last])]) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(dir, { recursive: true, force: true });
});

describe('fedctl sim --detach / --stop (spawned CLI)', () => {
  it('starts in the background once listening, writes env and pid files, and stops', async () => {
    const started = await fedctl(dir, [
      'sim',
      '--detach',
      '--count',
      '2',
      '--port',
      '0',
      '--write-env',
      'my.env',
    ]);
    expect(started.code).toBe(0);
    const pid = await pidInFile();
    expect(pid).toBeTypeOf('number');
    if (pid === undefined) return;
    pids.push(pid);
    expect(alive(pid)).toBe(true);
    expect(started.stdout).toMatch(
      /^jpd1 {2}http:\/\/127\.0\.0\.1:\d+\njpd2 {2}http:\/\/127\.0\.0\.1:\d+\n$/,
    );
    expect(started.stderr).toContain('tokens: source my.env');
    expect(started.stderr).toContain(`running in the background (pid ${pid})`);
    expect(started.stderr).toContain('fedctl sim --stop');
    expect(((await stat(join(dir, '.fedctl', 'sim.pid'))).mode & 0o777).toString(8)).toBe('600');

    // Ready means ready: the env file is there and the first request succeeds.
    const env = await readFile(join(dir, 'my.env'), 'utf8');
    const token = /^export JPD1_TOKEN=(\S+)$/m.exec(env)?.[1] ?? '';
    const url = /^jpd1 {2}(\S+)$/m.exec(started.stdout)?.[1] ?? '';
    const version = await fetch(`${url}/artifactory/api/system/version`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(version.status).toBe(200);
    expect(started.stdout + started.stderr).not.toContain(token);

    const again = await fedctl(dir, ['sim', '--detach', '--count', '1', '--port', '0']);
    expect([again.code, again.stderr]).toEqual([
      1,
      `fedctl: a detached simulator is already running (pid ${pid}); stop it with fedctl sim --stop\n`,
    ]);

    const stopped = await fedctl(dir, ['sim', '--stop']);
    expect([stopped.code, stopped.stderr]).toEqual([0, `JPD simulator stopped (pid ${pid}).\n`]);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, '.fedctl', 'sim.pid'))).toBe(false);
    await expect(fetch(`${url}/artifactory/api/system/ping`)).rejects.toThrow();

    const none = await fedctl(dir, ['sim', '--stop']);
    expect([none.code, none.stderr]).toEqual([
      1,
      'fedctl: no detached simulator is running (no .fedctl/sim.pid)\n',
    ]);
  });

  it('reports a start that fails (port taken) in one line and leaves no process', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ready) => blocker.listen(0, '127.0.0.1', ready));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const res = await fedctl(dir, ['sim', '--detach', '--count', '1', '--port', String(port)]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        /^fedctl: the simulator exited before it was ready: .*port is already in use.*\n$/,
      );
      expect(await pidInFile()).toBeUndefined();
    } finally {
      await new Promise((closed) => blocker.close(closed));
    }
  });

  it('checks the flags before going to the background', async () => {
    const res = await fedctl(dir, ['sim', '--detach', '--count', '1', '--dialect', 'bogus']);
    expect(res.code).toBe(1);
    expect(res.stderr.split('\n')).toHaveLength(2);
    expect(existsSync(join(dir, '.fedctl'))).toBe(false);
  });
});
