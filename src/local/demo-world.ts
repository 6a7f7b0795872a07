/** Simulated JPDs for a demo topology, at its loopback ports or, if one is taken, on free ones. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseDocument } from 'yaml';
import { FedctlError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';
import type { Topology } from '../core/topology/model.js';
import { DEFAULT_TOPOLOGY_FILE } from '../io/topology-loader.js';
import { startSimulator, type Simulator } from '../sim/index.js';

export interface Started {
  readonly sim: Simulator;
  /** The topology file the demo runs fedctl on. */
  readonly file: string;
  /** A temporary directory to remove, when the topology had to be rewritten. */
  readonly dir?: string;
  readonly env: Record<string, string>;
  readonly note?: string;
}

/** Starts the JPDs at the topology's loopback ports; if one is taken, on free ports instead. */
export async function startFor(topology: Topology, file: string, io: CliIO): Promise<Started> {
  const env: Record<string, string> = {};
  const specs = topology.jpds.map((j) => {
    const url = new URL(j.url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol !== 'http:') {
      throw new FedctlError(
        `the demo runs simulated JPDs on loopback, but JPD "${j.name}" is at ${j.url}; use a topology with http://127.0.0.1:PORT URLs (like ${DEFAULT_TOPOLOGY_FILE})`,
        { code: 'E_SIM' },
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
