import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { FedctlError } from '../core/errors.js';
import type { PlanDocument } from '../core/render-json.js';

const SCHEMA_URL = new URL('../../schemas/plan.schema.json', import.meta.url);
let validator: Promise<ValidateFunction> | undefined;

function planValidator(): Promise<ValidateFunction> {
  validator ??= readFile(SCHEMA_URL, 'utf8').then((text) =>
    new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(text) as object),
  );
  return validator;
}

/** Written to a temporary file in the same directory, then renamed: never a half-written plan. */
export async function writePlanFile(file: string, cwd: string, text: string): Promise<void> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.fedctl-plan.tmp`);
  try {
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new FedctlError(
      `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

/** A plan saved with `plan --out`: the fields that make it checkable are always there. */
export type SavedPlan = PlanDocument &
  Required<Pick<PlanDocument, 'topology' | 'fingerprints' | 'options'>>;

/** Reads a saved plan and checks it against schemas/plan.schema.json before trusting a field. */
export async function readPlanFile(file: string, cwd: string): Promise<SavedPlan> {
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
    );
  }
  const validate = await planValidator();
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const where =
      first?.instancePath === '' || first === undefined ? '' : ` at ${first.instancePath}`;
    throw new FedctlError(
      `${file} is not a fedctl plan of format version 1${where}: ${first?.message ?? 'invalid'}`,
    );
  }
  // The schema check above is what makes this assertion true.
  const doc = data as PlanDocument;
  const { topology, fingerprints, options } = doc;
  if (topology === undefined || fingerprints === undefined || options === undefined) {
    throw new FedctlError(
      `${file} has no fingerprints: save plans with \`fedctl plan --out FILE\`, not --format json`,
    );
  }
  return { ...doc, topology, fingerprints, options };
}
