import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/index.js';

export interface SimWorld {
  readonly sim: Simulator;
  readonly dir: string;
  /** The topology file in `dir`, its JPD URLs pointed at the simulator. */
  readonly file: string;
  /** Token variables the topology names, set to the simulator's tokens. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts one simulated JPD per JPD of a topology file (ephemeral ports) and writes a copy of the
 * file whose URLs point at them, so the examples users copy can be applied as they are.
 */
export async function simulateTopology(
  source: string,
  options: Omit<SimulatorOptions, 'jpds'> = {},
): Promise<SimWorld> {
  const doc = parseDocument(await readFile(source, 'utf8'));
  const jpds = doc.toJS() as { jpds: Record<string, { token: string }> };
  const names = Object.keys(jpds.jpds);
  const sim = await startSimulator({ ...options, jpds: names.map((name) => ({ name })) });
  const env: Record<string, string> = {};
  for (const info of sim.jpds) {
    doc.setIn(['jpds', info.name, 'url'], info.url);
    const ref = jpds.jpds[info.name]?.token ?? '';
    env[ref.slice(2, -1)] = info.token;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fedctl-e2e-'));
  const file = join(dir, 'federation.yaml');
  await writeFile(file, doc.toString());
  return {
    sim,
    dir,
    file,
    env,
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Like `simulateTopology`, for a topology over several files: copies every file of `sourceDir`
 * to a temporary directory and points the URLs of the file that declares the JPDs at simulated
 * JPDs. `file` is that directory, which `-f` takes as it is.
 */
export async function simulateDirectory(
  sourceDir: string,
  options: Omit<SimulatorOptions, 'jpds'> = {},
): Promise<SimWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'fedctl-e2e-dir-'));
  const topology = join(dir, 'topology');
  await mkdir(topology);
  const names = (await readdir(sourceDir)).sort();
  const docs = new Map<string, ReturnType<typeof parseDocument>>();
  for (const name of names) {
    const text = await readFile(join(sourceDir, name), 'utf8');
    if (name.endsWith('.yaml')) docs.set(name, parseDocument(text));
    else await writeFile(join(topology, name), text);
  }
  const declaring = [...docs].filter(([, doc]) => doc.has('jpds'));
  const jpds = Object.fromEntries(
    declaring.flatMap(([, doc]) =>
      Object.entries((doc.toJS() as { jpds: Record<string, { token: string }> }).jpds),
    ),
  );
  const sim = await startSimulator({
    ...options,
    jpds: Object.keys(jpds).map((name) => ({ name })),
  });
  const env: Record<string, string> = {};
  for (const info of sim.jpds) {
    for (const [, doc] of declaring) {
      if (doc.hasIn(['jpds', info.name])) doc.setIn(['jpds', info.name, 'url'], info.url);
    }
    env[(jpds[info.name]?.token ?? '').slice(2, -1)] = info.token;
  }
  for (const [name, doc] of docs) await writeFile(join(topology, name), doc.toString());
  return {
    sim,
    dir,
    file: topology,
    env,
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Simulated JPDs by name, for a topology whose URLs come from variables. */
export async function simulateEstate(
  names: readonly string[],
  options: Omit<SimulatorOptions, 'jpds'> = {},
): Promise<{ sim: Simulator; urls: Record<string, string>; tokens: Record<string, string> }> {
  const sim = await startSimulator({ ...options, jpds: names.map((name) => ({ name })) });
  return {
    sim,
    urls: Object.fromEntries(sim.jpds.map((j) => [j.name, j.url])),
    tokens: Object.fromEntries(sim.jpds.map((j) => [j.name, j.token])),
  };
}
