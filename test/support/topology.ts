import { readFileSync } from 'node:fs';
import { createTopologyValidator, parseTopology } from '../../src/core/topology/parse.js';
import type { LiveState } from '../../src/core/live/state.js';
import type { Topology } from '../../src/core/topology/model.js';

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

/**
 * The head of a test topology: `version`, `defaults` and one JPD per name at
 * `https://<name>.example.com` with token `${<NAME>}`. Append `trust:` and `federations:`.
 */
export function jpdsHeader(
  names: readonly string[],
  defaults = '{ packageType: generic }',
): string {
  const jpds = names
    .map((n) => `  ${n}: { url: "https://${n}.example.com", token: "\${${n.toUpperCase()}}" }`)
    .join('\n');
  return `version: 1\ndefaults: ${defaults}\njpds:\n${jpds}\n`;
}

/** Live state of JPDs that hold no repositories at all. */
export function emptyLive(names: readonly string[]): LiveState {
  return {
    jpds: Object.fromEntries(names.map((n) => [n, { name: n, repos: [], otherRepos: [] }])),
  };
}
