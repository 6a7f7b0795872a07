import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { main } from '../cli.js';
import { ExitCode, FedctlError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import type { Topology } from '../core/topology.js';
import { DEFAULT_TOPOLOGY_FILE, loadTopology, requireTopology } from '../io/topology-loader.js';
import { startSimulator, type Simulator } from '../sim/index.js';

export const HELP = `Usage: fedctl demo [-f FILE]

The whole mission in one command, against simulated JPDs on loopback: starts one simulated
JPD per JPD of the topology (default ${DEFAULT_TOPOLOGY_FILE}), then runs validate, plan,
apply and verification; deploys an artifact on the hub and shows it arriving on the spokes;
deploys one on a spoke and shows it staying there; shows the spoke's admin unable to push back.
Nothing outside this process is touched; the simulated JPDs stop at the end.
`;

/** How long the demo waits for an artifact to cross (or, for a receiver, to not cross). */
const ARRIVAL_TIMEOUT_MS = 10_000;
const STAYS_PUT_MS = 1_500;

export async function run(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values } = parseArgs({
    args: [...args],
    options: { file: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const out = (line = ''): void => {
    io.stdout.write(`${line}\n`);
  };
  const source = values.file ?? DEFAULT_TOPOLOGY_FILE;
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
    const code = await main(argv, demoIO);
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

interface Started {
  readonly sim: Simulator;
  /** The topology file the demo runs fedctl on. */
  readonly file: string;
  /** A temporary directory to remove, when the topology had to be rewritten. */
  readonly dir?: string;
  readonly env: Record<string, string>;
  readonly note?: string;
}

/** Starts the JPDs at the topology's loopback ports; if one is taken, on free ports instead. */
async function startFor(topology: Topology, file: string, io: CliIO): Promise<Started> {
  const env: Record<string, string> = {};
  const specs = topology.jpds.map((j) => {
    const url = new URL(j.url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol !== 'http:') {
      throw new FedctlError(
        `the demo runs simulated JPDs on loopback, but JPD "${j.name}" is at ${j.url}; use a topology with http://127.0.0.1:PORT URLs (like ${DEFAULT_TOPOLOGY_FILE})`,
      );
    }
    const token = randomBytes(24).toString('base64url');
    env[j.tokenEnv] = token;
    return { name: j.name, port: Number(url.port || 80), token };
  });
  try {
    return { sim: await startSimulator({ jpds: specs }), file, env };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  }
  // A port is taken: run on free ports, with a copy of the topology pointing at them.
  const sim = await startSimulator({ jpds: specs.map((s) => ({ ...s, port: 0 })) });
  const doc = parseDocument(await readFile(isAbsolute(file) ? file : join(io.cwd, file), 'utf8'));
  for (const j of sim.jpds) doc.setIn(['jpds', j.name, 'url'], j.url);
  const dir = await mkdtemp(join(tmpdir(), 'fedctl-demo-'));
  const copy = join(dir, 'federation.yaml');
  await writeFile(copy, doc.toString());
  return {
    sim,
    file: copy,
    dir,
    env,
    note: `(a port of ${file} was in use, so the JPDs run on free ports; the demo uses a copy of ${file} pointing at them)`,
  };
}

/** Deploys on the hub and on a spoke, and shows where each artifact goes. */
async function showFlow(
  topology: Topology,
  sim: Simulator,
  out: (line?: string) => void,
): Promise<boolean> {
  const repo = topology.repos[0];
  if (repo === undefined) return true;
  const hub = sim.jpds.find((j) => j.name === repo.source);
  const spokes = repo.members.map((m) => ({
    member: m,
    jpd: sim.jpds.find((j) => j.name === m.jpd),
  }));
  if (hub === undefined) return false;
  let ok = true;

  const path = `demo/hello-${Date.now()}.txt`;
  out(`Deploying ${path} to ${hub.name}/${repo.key}, then watching the spokes:`);
  await deploy(hub, repo.key, path, `hello from ${hub.name}\n`);
  const started = Date.now();
  for (const { member, jpd } of spokes) {
    if (jpd === undefined) continue;
    const arrived = await waitFor(() => exists(jpd, member.repoKey, path), ARRIVAL_TIMEOUT_MS);
    out(
      arrived
        ? `  ${jpd.name} (${member.mode}): arrived after ${((Date.now() - started) / 1000).toFixed(2)}s`
        : `  ${jpd.name} (${member.mode}): did NOT arrive within ${ARRIVAL_TIMEOUT_MS / 1000}s`,
    );
    ok &&= arrived;
  }
  out();

  const receiver = spokes.find((s) => s.member.mode === 'receiver' && s.jpd !== undefined);
  if (receiver?.jpd !== undefined) {
    const spoke = receiver.jpd;
    const back = `demo/from-${spoke.name}-${Date.now()}.txt`;
    out(
      `Deploying ${back} to ${spoke.name}/${receiver.member.repoKey} (a receiver), then watching ${hub.name}:`,
    );
    await deploy(spoke, receiver.member.repoKey, back, `hello from ${spoke.name}\n`);
    const leaked = await waitFor(() => exists(hub, repo.key, back), STAYS_PUT_MS);
    out(
      leaked
        ? `  ${hub.name}: it ARRIVED, but a receiver must never send`
        : `  ${hub.name}: not there after ${STAYS_PUT_MS / 1000}s; a receiver only receives`,
    );
    ok &&= !leaked;

    // The spoke's admin tries to federate a repository back to the hub.
    const res = await fetch(`${spoke.url}/artifactory/api/repositories/push-back-attempt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${spoke.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        rclass: 'federated',
        packageType: repo.packageType,
        members: [
          { url: `${hub.url}/artifactory/push-back-attempt`, enabled: true, mode: 'bidirectional' },
        ],
      }),
    });
    const text = await res.text();
    const message = /"message"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? text.trim();
    out(`${spoke.name}'s admin tries to federate a repository that pushes to ${hub.name}:`);
    out(
      res.ok
        ? '  it was ACCEPTED: no receiving-only trust in place'
        : `  refused (${res.status}): ${message}`,
    );
    out();
  }
  return ok;
}

type SimInfo = Simulator['jpds'][number];

async function deploy(jpd: SimInfo, repoKey: string, path: string, content: string): Promise<void> {
  const res = await fetch(`${jpd.url}/artifactory/${repoKey}/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${jpd.token}` },
    body: content,
  });
  if (!res.ok)
    throw new FedctlError(`${jpd.name}: PUT /artifactory/${repoKey}/${path} -> ${res.status}`);
  await res.arrayBuffer();
}

async function exists(jpd: SimInfo, repoKey: string, path: string): Promise<boolean> {
  const res = await fetch(`${jpd.url}/artifactory/api/storage/${repoKey}/${path}`, {
    headers: { authorization: `Bearer ${jpd.token}` },
  });
  await res.arrayBuffer();
  return res.ok;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
