/**
 * `fedctl doctor`: connect to every JPD the topology uses and read, once each, what decides
 * whether the topology can be applied as written (io/doctor/profiles.ts); the judgement is pure
 * (core/doctor/report.ts). Read-only: GETs only.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import pLimit from 'p-limit';
import { judgeDoctor, type DoctorReport, type JpdFacts } from '../../core/doctor/report.js';
import type { CliIO } from '../../core/io-types.js';
import type { JpdSpec } from '../../core/topology/model.js';
import { jpdsToRead } from '../../core/topology/usage.js';
import { connectTopology, type ConnectedTopology } from '../pipeline.js';
import type { TopologyInput } from '../topology-loader.js';
import { createProgress } from '../terminal/progress.js';
import { probeTls } from './tls.js';

/** JPDs examined at once (each check's requests go through the JPD's own cap as well). */
const AT_ONCE = 4;

export async function runDoctor(input: string | TopologyInput, io: CliIO): Promise<DoctorReport> {
  const connected = await connectTopology(input, { allowDelete: false }, io);
  const progress = createProgress(io.stderr, io.stderr.isTTY === true);
  try {
    const jpds = jpdsToRead(connected.topology);
    const limit = pLimit(AT_ONCE);
    let done = 0;
    progress.status(`Examining ${jpds.length} JPDs...`);
    const facts = await Promise.all(
      jpds.map((jpd) =>
        limit(async () => {
          const f = await factsOf(connected, jpd, io.env);
          done += 1;
          progress.status(`Examining JPDs: ${done}/${jpds.length}`);
          return f;
        }),
      ),
    );
    return judgeDoctor({ file: connected.loaded.file, topology: connected.topology, facts });
  } finally {
    progress.end();
    await connected.clients.close();
  }
}

async function factsOf(run: ConnectedTopology, jpd: JpdSpec, env: CliIO['env']): Promise<JpdFacts> {
  const { profiles } = run;
  const caFile =
    jpd.caFile === undefined
      ? undefined
      : {
          shown: jpd.caFile,
          // Relative to the file that declares the JPD, as the clients read it (io/jpd-clients.ts).
          path: isAbsolute(jpd.caFile)
            ? jpd.caFile
            : resolve(dirname(declaringFile(run, jpd)), jpd.caFile),
        };
  const [reach, tls] = await Promise.all([
    profiles.version(jpd.name),
    probeTls(jpd.url, caFile, env),
  ]);
  const base = { name: jpd.name, url: jpd.url, tls };
  // Unreachable, or the token refused: every other read would fail the same way.
  if ('error' in reach) return { ...base, reach, engine: {} };
  const [baseUrl, admin, migration, rtfsFlag, rtfsStatus, legacyStatus, inconsistentRepos] =
    await Promise.all([
      profiles.baseUrl(jpd.name),
      profiles.admin(jpd.name),
      profiles.migration(jpd.name),
      profiles.rtfsFlag(jpd.name),
      profiles.rtfsStatus(jpd.name),
      profiles.legacyStatus(jpd.name),
      profiles.inconsistentRepos(jpd.name),
    ]);
  const { version, revision } = reach.ok;
  return {
    ...base,
    reach: { ok: { version, ...(revision === undefined ? {} : { revision }) } },
    baseUrl,
    admin,
    engine: { version, migration, rtfsFlag, rtfsStatus, legacyStatus },
    inconsistentRepos,
  };
}

function declaringFile(run: ConnectedTopology, jpd: JpdSpec): string {
  return run.loaded.files.find((f) => f.file === jpd.at.file)?.path ?? run.loaded.path;
}
