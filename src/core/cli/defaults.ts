/**
 * The one home of fedctl's command-line defaults, each spelled as it is typed. The options'
 * parse defaults, the help text that names them and the constants the code falls back on all
 * read this table, so the help cannot say one thing while fedctl does another
 * (test/core/cli/defaults.test.ts checks every command's help against it).
 */
export const DEFAULTS = {
  /** The topology file of every command that reads one. */
  file: 'federation.yaml',
  /** apply: steps in flight at once, all JPDs together. */
  parallelism: '8',
  /** apply: steps in flight at once on one JPD (config writes contend for its config lock). */
  'jpd-parallelism': '2',
  /** apply: creates per batch request on a JPD with the batch endpoint. */
  'batch-size': '100',
  /** apply: how long verification waits for the members to converge. */
  'verify-timeout': '5m',
  /** apply: how long a connection may stay NOT_AVAILABLE before its repository fails. */
  'verify-grace': '60s',
  /** drift, status: a connection lagging more is unhealthy. */
  'max-lag': '15m',
  /** drift, status: a connection with more queued events is unhealthy. */
  'max-queued': '1000',
  /** sim --count: the port of jpd1; the others follow. */
  port: '18081',
  /** sim: where generated tokens go. */
  'write-env': '.fedctl/sim.env',
  /** sim: the pid file of a detached simulator. */
  'pid-file': '.fedctl/sim.pid',
  /** sim: the status of injected errors. */
  'error-status': '503',
  /** sim: the status of GET on a missing repository. */
  'missing-repo-status': '400',
} as const satisfies Readonly<Record<string, string>>;

export type DefaultedOption = keyof typeof DEFAULTS;
