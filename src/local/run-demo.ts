import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExitCode } from '../core/errors.js';
import type { CliIO, RunCommand } from '../core/io-types.js';
import { loadTopology, requireTopology } from '../io/topology-loader.js';
import { startFor } from './demo-world.js';
import { showFlow } from './show-flow.js';

/**
 * The quick-start demo: simulated JPDs for the topology, then the commands a user would type, run
 * through the real CLI (`runCommand`, injected by cli.ts so that no command imports it).
 */
export async function runDemo(
  source: string,
  io: CliIO,
  runCommand: RunCommand,
): Promise<ExitCode> {
  const out = (line = ''): void => {
    io.stdout.write(`${line}\n`);
  };
  // Tokens for the simulated JPDs are made up here and never printed.
  const placeholders = new Proxy({}, { get: () => 'demo' });
  const topology = requireTopology(
    await loadTopology(source, { cwd: io.cwd, env: placeholders, unsetEnv: 'warning' }),
  );
  const { sim, file, dir, env, note } = await startFor(topology, source, io);
  // One stream for the whole story, so plan, progress and results read in order.
  const demoIO: CliIO = { ...io, stderr: io.stdout, env: { ...io.env, ...env } };
  const step = async (argv: string[]): Promise<ExitCode> => {
    out(`$ fedctl ${argv.join(' ')}`);
    const code = await runCommand(argv, demoIO);
    out();
    return code;
  };
  try {
    out(`fedctl demo: ${sim.jpds.length} simulated JPDs on loopback`);
    for (const j of sim.jpds) out(`  ${j.name.padEnd(8)} ${j.url}`);
    if (note !== undefined) out(note);
    out();

    const f = ['-f', file];
    if ((await step(['validate', ...f])) !== ExitCode.Success) return ExitCode.Error;
    if ((await step(['plan', ...f])) !== ExitCode.Success) return ExitCode.Error;
    if ((await step(['apply', ...f, '--auto-approve'])) !== ExitCode.Success) {
      return ExitCode.Error;
    }
    const ok = await showFlow(topology, sim, out);
    if ((await step(['plan', ...f, '--detailed-exitcode'])) !== ExitCode.Success) {
      return ExitCode.Error;
    }
    const page = await statusPage(['status', ...f, '--format', 'html'], demoIO, runCommand);
    if (page === undefined) return ExitCode.Error;
    out(`Status page: ${page} (open it in a browser; it works offline)`);
    out();
    out(
      ok
        ? 'Demo complete: one-way federation planned, applied, verified and observed.'
        : 'Demo finished with problems (see above).',
    );
    return ok ? ExitCode.Success : ExitCode.Error;
  } finally {
    await sim.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** `fedctl status --format html`, written to .fedctl/status.html; its path, or undefined. */
async function statusPage(
  argv: string[],
  io: CliIO,
  runCommand: RunCommand,
): Promise<string | undefined> {
  io.stdout.write(`$ fedctl ${argv.join(' ')} > .fedctl/status.html\n`);
  let html = '';
  const code = await runCommand(argv, {
    ...io,
    stdout: { write: (chunk: string) => (html += chunk), isTTY: false },
  });
  if (code !== ExitCode.Success) return undefined;
  const dir = resolve(io.cwd, '.fedctl');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'status.html');
  await writeFile(path, html);
  return path;
}
