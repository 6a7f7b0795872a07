/**
 * Saved plans (`plan --out`, `apply PLAN`): written atomically, read back only after a check
 * against schemas/plan.schema.json, and applied only against the topology and live state they
 * were computed from (Terraform refuses a stale saved plan the same way).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { FedctlError, StalePlanError } from '../core/errors.js';
import { canonicalTopology, fingerprintInputs } from '../core/plan/fingerprint.js';
import type { CliIO } from '../core/io-types.js';
import type { Plan } from '../core/plan/plan.js';
import { scopeOf } from '../core/plan/scope.js';
import { renderPlanJson, type PlanDocument, type PlanSources } from '../core/render/plan-json.js';
import { compareCodeUnits, type Topology } from '../core/topology/model.js';
import {
  announceScope,
  connectTopology,
  takeLock,
  withReplan,
  type LockHook,
  type PlanRun,
} from './pipeline.js';
import { loadTopology, type TopologyInput } from './topology-loader.js';
import type { VariableArg } from './variables.js';
import { writeFileAtomic } from './write-file.js';

const SCHEMA_URL = new URL('../../schemas/plan.schema.json', import.meta.url);
let validator: Promise<ValidateFunction> | undefined;

function planValidator(): Promise<ValidateFunction> {
  validator ??= readFile(SCHEMA_URL, 'utf8').then((text) =>
    new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(text) as object),
  );
  return validator;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a saved plan was computed from: the topology, every live resource it read, the options. */
export function planSources(
  run: Pick<PlanRun, 'loaded' | 'topology' | 'live' | 'request'>,
): PlanSources {
  const { request, loaded } = run;
  const files = loaded.files.map((f) => ({ file: f.file, sha256: sha256(f.text) }));
  const variables = [...loaded.variables].sort(([a], [b]) => compareCodeUnits(a, b));
  return {
    topology: {
      file: loaded.file,
      // One file: the hash of its bytes, as before; a set: of every file's name and hash.
      sha256:
        files.length === 1
          ? sha256(loaded.text)
          : sha256(files.map((f) => `${f.file}\0${f.sha256}\n`).join('')),
      parsedSha256: sha256(canonicalTopology(run.topology)),
      paths: loaded.paths,
      files,
    },
    fingerprints: Object.fromEntries(
      Object.entries(fingerprintInputs(run.topology, run.live)).map(([id, text]) => [
        id,
        sha256(text),
      ]),
    ),
    options: {
      allowDelete: request.allowDelete,
      ...scopeOf(request),
    },
    ...(variables.length === 0 ? {} : { variables: Object.fromEntries(variables) }),
  };
}

/** Written whole (./write-file.ts): never a half-written plan. */
export async function savePlan(file: string, cwd: string, run: PlanRun): Promise<void> {
  await writeFileAtomic(file, cwd, renderPlanJson(run.plan, planSources(run)));
}

/** A plan saved with `plan --out`: the fields that make it checkable are always there. */
export type SavedPlan = PlanDocument &
  Required<Pick<PlanDocument, 'topology' | 'fingerprints' | 'options'>>;

/** Reads a saved plan and checks it against schemas/plan.schema.json before trusting a field. */
export async function readSavedPlan(file: string, cwd: string): Promise<SavedPlan> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FedctlError(
      code === 'ENOENT'
        ? `${file}: no such file`
        : code === undefined
          ? `${file} is not a fedctl plan (not JSON)`
          : `cannot read ${file}: ${code}`,
      { code: code === undefined ? 'E_PLAN_INVALID' : 'E_FILE_READ' },
    );
  }
  const validate = await planValidator();
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const where =
      first?.instancePath === '' || first === undefined ? '' : ` at ${first.instancePath}`;
    throw new FedctlError(
      `${file} is not a fedctl plan of format version 1${where}: ${first?.message ?? 'invalid'}`,
      { code: 'E_PLAN_INVALID' },
    );
  }
  // The schema check above is what makes this assertion true.
  const doc = data as PlanDocument;
  const { topology, fingerprints, options } = doc;
  if (topology === undefined || fingerprints === undefined || options === undefined) {
    throw new FedctlError(
      `${file} has no fingerprints: save plans with \`fedctl plan --out FILE\`, not --format json`,
      { code: 'E_PLAN_INVALID' },
    );
  }
  return { ...doc, topology, fingerprints, options };
}

/**
 * Re-reads the JPDs exactly as `plan` did and refuses the saved plan if its topology or any
 * fingerprinted resource changed since; otherwise returns a run that carries the saved actions.
 */
export async function loadSavedPlan(
  file: string,
  variables: readonly VariableArg[],
  io: CliIO,
  lock?: LockHook,
): Promise<PlanRun> {
  const doc = await readSavedPlan(file, io.cwd);
  const { topology: source, fingerprints, options } = doc;
  const request = {
    allowDelete: options.allowDelete,
    ...scopeOf(options),
  };
  const connected = await connectTopology(savedInput(doc, variables), request, io);
  const same =
    source.parsedSha256 === undefined
      ? sha256(connected.loaded.text) === source.sha256
      : sha256(canonicalTopology(connected.topology)) === source.parsedSha256;
  const changedVariables = differentVariables(doc.variables ?? {}, connected.loaded.variables);
  if (!same || changedVariables.length > 0) {
    await connected.clients.close();
    throw new StalePlanError(
      // Other variable values change the parsed topology too: name the cause the user chose.
      changedVariables.length > 0
        ? `${file} was made with other values of ${changedVariables.join(', ')}; apply it with the values it was planned with, or run fedctl plan again (nothing was changed)`
        : `${source.file} changed since ${file} was made; run fedctl plan again (nothing was changed)`,
    );
  }
  // Re-read and re-plan exactly as `plan` did, to compare fingerprints; the saved actions run.
  const fresh = await withReplan(connected, io, await takeLock(connected, lock));
  const now = planSources(fresh).fingerprints;
  const ids = [...new Set([...Object.keys(fingerprints), ...Object.keys(now)])];
  const changed = ids.filter((id) => fingerprints[id] !== now[id]).sort();
  if (changed.length > 0) {
    await fresh.close();
    throw new StalePlanError(
      `the JPDs changed since ${file} was made (${changed.join(', ')}); run fedctl plan again (nothing was changed)`,
    );
  }
  return announceScope({ ...fresh, plan: savedPlanActions(doc) }, io);
}

/**
 * The topology a saved plan was computed from, for drawing its graph: the file it names, read
 * offline, and only while it still parses to the same topology (else the picture could lie).
 */
export async function savedPlanTopology(doc: SavedPlan, io: CliIO): Promise<Topology | undefined> {
  const { parsedSha256 } = doc.topology;
  if (parsedSha256 === undefined) return undefined;
  try {
    const loaded = await loadTopology(savedInput(doc, []), {
      cwd: io.cwd,
      env: io.env,
      unsetEnv: 'warning',
    });
    const topology = loaded.topology;
    return topology !== undefined && sha256(canonicalTopology(topology)) === parsedSha256
      ? topology
      : undefined;
  } catch (error) {
    // Gone or unreadable since: the plan is still shown, without its graph.
    if (error instanceof FedctlError) return undefined;
    throw error;
  }
}

/**
 * The topology a saved plan names: its paths, with the variables given now, or else the values
 * it recorded (as Terraform applies a saved plan with the values it was planned with).
 */
function savedInput(doc: SavedPlan, variables: readonly VariableArg[]): TopologyInput {
  const paths = doc.topology.paths ?? [doc.topology.file];
  return variables.length > 0
    ? { paths, variables }
    : { paths, values: new Map(Object.entries(doc.variables ?? {})) };
}

/** Names whose value differs between the plan's record and this run, sorted. */
function differentVariables(
  recorded: Readonly<Record<string, string>>,
  now: ReadonlyMap<string, string>,
): string[] {
  const names = new Set([...Object.keys(recorded), ...now.keys()]);
  return [...names]
    .filter(
      (name) => (Object.hasOwn(recorded, name) ? recorded[name] : undefined) !== now.get(name),
    )
    .sort(compareCodeUnits);
}

/** The plan a saved document carries, as the renderers and the executor take it. */
export function savedPlanActions(doc: PlanDocument): Plan {
  return {
    formatVersion: doc.formatVersion,
    actions: doc.actions,
    changes: doc.changes,
    unmanaged: doc.unmanaged,
    conflicts: doc.conflicts,
    ...(doc.scope === undefined ? {} : { scope: doc.scope }),
  };
}
