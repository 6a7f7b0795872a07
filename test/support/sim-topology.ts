import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
