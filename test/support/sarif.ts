/**
 * The SARIF 2.1.0 JSON schema, as Microsoft's SARIF Multitool ships it (npm
 * @microsoft/sarif-multitool: its per-platform package carries sarif-2.1.0.json, the schema its
 * validator uses), compiled once with ajv and ajv-formats. Not copied into this repository.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const PLATFORM: Readonly<Record<string, string>> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'win32',
};

let validator: ValidateFunction | undefined;

export function sarifSchemaPath(): string {
  const require = createRequire(import.meta.url);
  const wrapper = createRequire(require.resolve('@microsoft/sarif-multitool/package.json'));
  const platform = PLATFORM[process.platform] ?? 'linux';
  return wrapper.resolve(`@microsoft/sarif-multitool-${platform}/sarif-2.1.0.json`);
}

/** Validates a SARIF log; `errors` says why not. */
export function sarifValidator(): ValidateFunction {
  if (validator !== undefined) return validator;
  const schema = JSON.parse(readFileSync(sarifSchemaPath(), 'utf8')) as object;
  // strict: false — the schema uses `definitions` under the 2020-12 meta-schema, as published.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  validator = ajv.compile(schema);
  return validator;
}
