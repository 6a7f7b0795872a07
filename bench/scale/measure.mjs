/**
 * Runs one command as a child process under `/usr/bin/time -v` and reports its wall time (taken
 * here, around the spawn) and its peak resident set size (the kernel's maxrss, from time -v), so
 * the memory is the child's own and nothing of the benchmark's or the simulator's.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const TIME = '/usr/bin/time';

export async function measure(argv, { env, cwd, expectExit = [0] } = {}) {
  const started = performance.now();
  const child = spawn(TIME, ['-v', ...argv], {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!expectExit.includes(code)) {
    throw new Error(`${argv.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`);
  }
  return { ms, rssBytes: rss === null ? NaN : Number(rss[1]) * 1024, code, stdout, stderr };
}
