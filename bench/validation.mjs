/**
 * `fedctl validate` minus the file read: parseTopology on a large generated topology.
 *
 * Baseline: `yaml.parse` of the same text, with the same `yaml` package fedctl uses. Any validator
 * must at least parse the YAML, so this is the floor. The ratio is what fedctl adds on top: a
 * Document with source ranges and a LineCounter (for line:col in every message), the ajv schema
 * check, and the semantic rules, which also build the resolved Topology and look up a position for
 * every repository and member. The schema is compiled once beforehand, outside the timing, as
 * fedctl compiles it once per process.
 */
import { parse as parseYaml } from 'yaml';
import { parseTopology } from '../dist/core/topology/parse.js';
import { parseOptions } from './fixtures.mjs';
import { timePair } from './lib.mjs';

export async function validationBenchmarks(record, { samples, inputs }) {
  const { text, topology } = inputs;
  const options = parseOptions();
  const check = parseTopology(text, options);
  if (check.topology === undefined || check.issues.some((i) => i.severity === 'error')) {
    throw new Error('the generated topology does not validate');
  }
  const lines = text.split('\n').length - 1;
  await record(
    {
      id: 'validate.parseTopology',
      subject: 'parseTopology (YAML with positions + schema + semantic rules)',
      baseline: 'yaml.parse of the same text',
      size: `${lines} lines, ${(text.length / 1024).toFixed(0)} KiB, ${topology.repos.length} repos x ${topology.repos[0].members.length} members`,
      meaning: 'cost of validation over plain YAML parsing',
    },
    () =>
      timePair({
        subject: () => parseTopology(text, options),
        baseline: () => parseYaml(text),
        samples,
        warmup: 4,
        inner: 3,
      }),
  );
}
