import { readFileSync } from 'node:fs';
import { createTopologyValidator, parseTopology } from '../../src/core/topology-parse.js';
import type { Topology } from '../../src/core/topology.js';

const validator = createTopologyValidator(
  JSON.parse(readFileSync('schemas/federation.schema.json', 'utf8')) as object,
);

/** Parses topology YAML for a test; fails loudly on any error-level issue. */
export function topologyFrom(text: string): Topology {
  const result = parseTopology(text, {
    file: 'test.yaml',
    validator,
    env: new Proxy({}, { get: () => 'token' }),
    unsetEnv: 'error',
  });
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (result.topology === undefined || errors.length > 0) {
    throw new Error(`invalid test topology: ${JSON.stringify(errors)}`);
  }
  return result.topology;
}
