/**
 * What `fedctl sim` does once its flags are read: run the simulator in the foreground until a
 * signal, start it as a detached background process (`--detach`), or stop that process (`--stop`).
 *
 * A detached simulator is this same command run in the background with `--pid-file`: it writes
 * the pid file (0600, JSON `{pid, jpds, envFile}`) only once every JPD listens and the env file is
 * written, so the parent waits for that file and then exits; `--stop` signals the pid it names.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { FedctlError } from '../core/errors.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../sim/index.js';
import type { PlannedJpd } from './launch-options.js';
import { writeFileAtomic } from '../sim/state/persistence.js';
import { DEFAULTS } from '../core/cli/defaults.js';

export const DEFAULT_ENV_FILE = DEFAULTS['write-env'];
export const DEFAULT_PID_FILE = DEFAULTS['pid-file'];

/** The streams and environment of the command (structurally the CLI's own CliIO). */
export interface LaunchIO {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface ForegroundOptions {
  readonly planned: readonly PlannedJpd[];
  readonly options: SimulatorOptions;
  readonly envFile: string | undefined;
  /** Written once the simulator is ready; removed when it stops. */
  readonly pidFile: string | undefined;
  /** Resolves when the simulator should stop; default: SIGINT or SIGTERM. */
  readonly waitForStop?: (sim: Simulator) => Promise<void>;
}

interface PidFile {
  readonly pid: number;
  readonly jpds: readonly { readonly name: string; readonly url: string }[];
  readonly envFile: string | null;
}

function shown(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** A private folder (0700) for files that hold tokens or control the simulator. */
async function privateDir(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
}

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function start(options: SimulatorOptions): Promise<Simulator> {
  try {
    return await startSimulator(options);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE')
      throw new FedctlError(`a port is already in use: ${String(error)}`, {
        cause: error,
        code: 'E_SIM',
      });
    throw error;
  }
}

/** Runs the simulator until `waitForStop` resolves (by default a signal). */
export async function runForeground(run: ForegroundOptions, io: LaunchIO): Promise<void> {
  const sim = await start(run.options);
  try {
    const width = Math.max(...sim.jpds.map((j) => j.name.length));
    for (const jpd of sim.jpds) io.stdout.write(`${jpd.name.padEnd(width)}  ${jpd.url}\n`);
    const generated = run.planned.filter((p) => !p.tokenFromEnv);
    let envFile: string | undefined;
    if (generated.length > 0) {
      envFile = resolve(io.cwd, run.envFile ?? DEFAULT_ENV_FILE);
      await privateDir(envFile);
      const lines = generated.map((p) => `export ${p.tokenEnv}=${sim.jpd(p.spec.name).token}\n`);
      await writeFileAtomic(envFile, lines.join(''), 0o600);
      io.stderr.write(`tokens: source ${shown(io.cwd, envFile)}\n`);
    }
    if (run.pidFile !== undefined) {
      const record: PidFile = {
        pid: process.pid,
        jpds: sim.jpds.map((j) => ({ name: j.name, url: j.url })),
        envFile: envFile ?? null,
      };
      await privateDir(run.pidFile);
      await writeFileAtomic(run.pidFile, `${JSON.stringify(record)}\n`, 0o600);
    }
    io.stderr.write('JPD simulator running; press Ctrl-C to stop.\n');
    await (run.waitForStop ?? waitForSignal)(sim);
  } finally {
    await sim.stop();
    if (run.pidFile !== undefined && (await readPidFile(run.pidFile))?.pid === process.pid) {
      await rm(run.pidFile, { force: true });
    }
  }
  io.stderr.write('JPD simulator stopped.\n');
}

async function readPidFile(file: string): Promise<PidFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed) {
      const { pid } = parsed;
      if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) {
        return parsed as PidFile; // written by runForeground above; pid checked
      }
    }
  } catch {
    // a torn or foreign file: treated as absent
  }
  return undefined;
}

function isZombie(pid: number): boolean {
  // A killed process nobody has reaped yet still answers kill(pid, 0); Linux shows it as 'Z'.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat
      .slice(stat.lastIndexOf(')') + 1)
      .trim()
      .startsWith('Z');
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
  return !isZombie(pid);
}

/** The CLI entry script, next to this module in both src/ (tests) and dist/ (the package). */
const CLI_SCRIPT = fileURLToPath(new URL('../../bin/fedctl.js', import.meta.url));

export interface DetachOptions {
  /** `fedctl sim` arguments for the background process, without --detach. */
  readonly args: readonly string[];
  readonly pidFile: string;
  readonly envFile: string | undefined;
  /** Default 30 s. */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts `fedctl sim` in the background, waits until it has written its pid file (every JPD
 * listening, env file written), prints where things are and returns. Output goes to a log file
 * next to the pid file.
 */
export async function detach(run: DetachOptions, io: LaunchIO): Promise<void> {
  const running = await readPidFile(run.pidFile);
  if (running !== undefined && isAlive(running.pid)) {
    throw new FedctlError(
      `a detached simulator is already running (pid ${running.pid}); stop it with fedctl sim --stop`,
      { code: 'E_SIM' },
    );
  }
  await rm(run.pidFile, { force: true });
  await privateDir(run.pidFile);
  const logFile = resolve(dirname(run.pidFile), 'sim.log');
  const log = await open(logFile, 'w', 0o600);
  const envArgs = run.envFile === undefined ? [] : ['--write-env', run.envFile];
  const child = spawn(
    process.execPath,
    [CLI_SCRIPT, 'sim', ...run.args, ...envArgs, '--pid-file', run.pidFile],
    { cwd: io.cwd, env: { ...io.env }, detached: true, stdio: ['ignore', log.fd, log.fd] },
  );
  await log.close();
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  child.unref();
  const deadline = Date.now() + (run.readyTimeoutMs ?? 30_000);
  let ready: PidFile | undefined;
  while (ready === undefined) {
    if (exited !== undefined) {
      const lines = (await readFile(logFile, 'utf8')).trim().split('\n');
      throw new FedctlError(
        `the simulator exited before it was ready: ${lines.at(-1) ?? `exit code ${String(exited)}`}`,
        { code: 'E_SIM' },
      );
    }
    if (Date.now() > deadline) {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      throw new FedctlError(
        `the simulator was not ready within ${run.readyTimeoutMs ?? 30_000} ms; see ${logFile}`,
        { code: 'E_SIM' },
      );
    }
    await sleep(50);
    const candidate = await readPidFile(run.pidFile);
    if (candidate?.pid === child.pid) ready = candidate;
  }
  const width = Math.max(...ready.jpds.map((j) => j.name.length));
  for (const jpd of ready.jpds) io.stdout.write(`${jpd.name.padEnd(width)}  ${jpd.url}\n`);
  if (ready.envFile !== null) io.stderr.write(`tokens: source ${shown(io.cwd, ready.envFile)}\n`);
  io.stderr.write(
    `JPD simulator running in the background (pid ${ready.pid}); log: ${shown(io.cwd, logFile)}\n` +
      `stop it with: fedctl sim --stop${run.pidFile === resolve(io.cwd, DEFAULT_PID_FILE) ? '' : ` --pid-file ${shown(io.cwd, run.pidFile)}`}\n`,
  );
}

/** Stops the detached simulator named by the pid file; a missing or stale one is an error. */
export async function stopDetached(
  pidFile: string,
  io: LaunchIO,
  timeoutMs = 10_000,
): Promise<void> {
  const running = await readPidFile(pidFile);
  if (running === undefined) {
    throw new FedctlError(`no detached simulator is running (no ${shown(io.cwd, pidFile)})`, {
      code: 'E_SIM',
    });
  }
  if (!isAlive(running.pid)) {
    await rm(pidFile, { force: true });
    throw new FedctlError(
      `no detached simulator is running (pid ${running.pid} is gone; removed ${shown(io.cwd, pidFile)})`,
      { code: 'E_SIM' },
    );
  }
  process.kill(running.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(running.pid)) {
    if (Date.now() > deadline) {
      process.kill(running.pid, 'SIGKILL');
      break;
    }
    await sleep(50);
  }
  await rm(pidFile, { force: true });
  io.stderr.write(`JPD simulator stopped (pid ${running.pid}).\n`);
}
