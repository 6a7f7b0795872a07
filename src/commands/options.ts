/** Options more than one command takes, defined once (commands never import each other). */
import type { VerifyMode } from '../core/apply/report.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { parseDuration, parseInteger } from '../core/cli/option-values.js';
import type { PlanRequest } from '../io/pipeline.js';
import type { TopologyInput } from '../io/topology-loader.js';
import type { VariableArg } from '../io/variables.js';
import { scopeOf } from '../core/plan/scope.js';
import { DEFAULTS } from '../core/cli/defaults.js';

/** What names the topology and its variables: every command that reads one. */
export const TOPOLOGY_OPTIONS = {
  file: { type: 'string', short: 'f', multiple: true },
  var: { type: 'string', multiple: true },
  'var-file': { type: 'string', multiple: true },
} as const;

/** The lines of help that describe TOPOLOGY_OPTIONS, indented to a command's option column. */
export function topologyHelp(column: number): string {
  const row = (flags: string, text: string): string => `  ${flags.padEnd(column - 2)}${text}`;
  return [
    row('-f, --file PATH', 'topology file, or a directory of them (every *.yaml and *.yml'),
    row('', `in it, by name); repeatable (default: ${DEFAULTS.file})`),
    row('    --var NAME=VALUE', 'a value for ${NAME} in the topology (repeatable)'),
    row('    --var-file FILE', 'NAME=VALUE lines (repeatable; later values win)'),
  ].join('\n');
}

/** One option as parseArgs returns it with `tokens: true`. */
interface OptionToken {
  readonly kind: string;
  readonly name?: string;
  readonly value?: string | undefined;
}

/** `-f` and the variables in command-line order, as the loader takes them. */
export function topologyInput(
  values: { file?: string[] | undefined },
  tokens: readonly OptionToken[] | undefined,
  positionals: readonly string[] = [],
): TopologyInput {
  const variables: VariableArg[] = (tokens ?? []).flatMap((t): VariableArg[] => {
    if (t.kind !== 'option' || t.value === undefined) return [];
    if (t.name === 'var') return [{ kind: 'var', value: t.value }];
    if (t.name === 'var-file') return [{ kind: 'var-file', file: t.value }];
    return [];
  });
  return { paths: [...(values.file ?? []), ...positionals], variables };
}
import type { UnreadableJpd } from '../core/drift/unreadable.js';
import type { CliIO } from '../core/io-types.js';
import { safeText } from '../core/safe-text.js';

/** What selects and reads the topology: shared by plan and apply. */
export const PLAN_OPTIONS = {
  ...TOPOLOGY_OPTIONS,
  only: { type: 'string' },
  jpd: { type: 'string' },
  'allow-delete': { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

export function planRequest(values: {
  only?: string | undefined;
  jpd?: string | undefined;
  'allow-delete': boolean;
}): PlanRequest {
  return {
    allowDelete: values['allow-delete'],
    ...scopeOf(values),
  };
}

/** `--format`, checked against the formats a command offers. */
export function parseFormat<const F extends string>(value: string, formats: readonly F[]): F {
  const format = formats.find((f) => f === value);
  if (format !== undefined) return format;
  const list =
    formats.length === 2
      ? formats.join(' or ')
      : `${formats.slice(0, -1).join(', ')} or ${formats.at(-1) ?? ''}`;
  throw new UsageError(`--format must be ${list}, not "${value}"`);
}

/** What selects the repositories and judges their health: shared by drift and status. */
export const HEALTH_OPTIONS = {
  ...TOPOLOGY_OPTIONS,
  only: { type: 'string' },
  jpd: { type: 'string' },
  'max-lag': { type: 'string', default: DEFAULTS['max-lag'] },
  'max-queued': { type: 'string', default: DEFAULTS['max-queued'] },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

export function healthThresholds(values: { 'max-lag': string; 'max-queued': string }): {
  maxLagMs: number;
  maxQueued: number;
} {
  return {
    maxLagMs: parseDuration('max-lag', values['max-lag'], 's'),
    maxQueued: parseInteger('max-queued', values['max-queued'], 0, 1_000_000_000),
  };
}

/** `--verify auto|strict`, which `--no-verify` excludes. */
export function verifyMode(value: string | undefined, noVerify: boolean): VerifyMode {
  if (value !== undefined && noVerify) {
    throw new UsageError('--verify and --no-verify exclude each other');
  }
  if (value === undefined || value === 'auto') return 'auto';
  if (value === 'strict') return 'strict';
  throw new UsageError(`--verify must be auto or strict, not "${value}"`);
}

/** The saved plan given as an argument, which carries its own topology and options. */
export function savedPlanArgument(
  positionals: readonly string[],
  values: {
    file?: string[] | undefined;
    only?: string | undefined;
    jpd?: string | undefined;
  },
): string | undefined {
  if (positionals.length > 1) throw new UsageError('give at most one saved plan file');
  const [saved] = positionals;
  const narrowed =
    values.file !== undefined || values.only !== undefined || values.jpd !== undefined;
  if (saved !== undefined && narrowed) {
    throw new UsageError(
      'a saved plan carries its own topology and options; do not combine it with -f, --only or --jpd',
    );
  }
  return saved;
}

/** The reports are written; the run still failed: one line per JPD that could not be read. */
export function reportUnreadable(unreadable: readonly UnreadableJpd[], io: CliIO): ExitCode {
  const n = unreadable.length;
  io.stderr.write(
    `fedctl: ${n} ${n === 1 ? 'JPD' : 'JPDs'} could not be read; the report covers the others:\n${unreadable.map((u) => `  ${safeText(u.error)}`).join('\n')}\n`,
  );
  return ExitCode.Error;
}
