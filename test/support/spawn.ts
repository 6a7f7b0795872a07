/**
 * The real fedctl process, as a user runs it: `node bin/fedctl.js` (dist/ is built by the global
 * setup), either on pipes or under a pseudo-terminal. The pseudo-terminal comes from Python's
 * standard `pty` module, present on a clean Debian, so no native addon is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'bin/fedctl.js');

// pty.spawn relays our stdin to the terminal's input and its output to our stdout; the exit
// status becomes ours. stdin is a pipe here, so pty.spawn cannot put it in raw mode and says so
// only to itself (it catches the error).
const PTY_SCRIPT = [
  'import os, pty, sys',
  'sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))',
].join('\n');

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything written so far (stdout, and stderr; under a pty both arrive on one stream). */
  output(): string;
  stderr(): string;
  /** Resolves when the output (or stderr) contains `text`; rejects after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  write(text: string): void;
  /** Exit code, or 128 + signal number when the process was killed by a signal. */
  readonly exit: Promise<number>;
}

export interface SpawnOptions {
  readonly env: Record<string, string>;
  readonly cwd?: string;
  /** Run under a pseudo-terminal: stdin, stdout and stderr are all the terminal. */
  readonly tty?: boolean;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function spawnFedctl(argv: readonly string[], options: SpawnOptions): Spawned {
  const command = options.tty === true ? 'python3' : process.execPath;
  const args =
    options.tty === true ? ['-c', PTY_SCRIPT, process.execPath, BIN, ...argv] : [BIN, ...argv];
  const child = spawn(command, args, {
    cwd: options.cwd ?? process.cwd(),
    // Only what the test gives, plus PATH: no token or setting leaks in from the test runner.
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let closed = false;
  const watchers = new Set<() => void>();
  const notify = (): void => {
    for (const w of watchers) w();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      closed = true;
      notify();
      resolve(code ?? 128 + (signal === null ? 0 : (SIGNALS[signal] ?? 0)));
    });
  });
  return {
    child,
    output: () => out,
    stderr: () => err,
    waitFor(text, timeoutMs = 20_000) {
      const seen = (): boolean =>
        typeof text === 'string'
          ? out.includes(text) || err.includes(text)
          : text.test(out) || text.test(err);
      return new Promise((resolve, reject) => {
        if (seen()) {
          resolve();
          return;
        }
        let settled = false;
        const check = (): void => {
          if (settled) return;
          if (seen()) {
            settled = true;
            watchers.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (closed) {
            settled = true;
            watchers.delete(check);
            clearTimeout(timer);
            reject(new Error(`exited before printing ${String(text)}:\n${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          settled = true;
          watchers.delete(check);
          reject(new Error(`no ${String(text)} within ${timeoutMs} ms:\n${out}\n${err}`));
        }, timeoutMs);
        watchers.add(check);
      });
    },
    write(text) {
      child.stdin.write(text);
    },
    exit,
  };
}

/** Terminal output without colours and cursor movement, and with plain newlines. */
export function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes are control characters
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n?/g, '\n');
}
