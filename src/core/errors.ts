import { safeText } from './safe-text.js';

/**
 * One error hierarchy for everything fedctl knows how to report. `cli.ts` is the only place that
 * turns these into exit codes and terminal output: a `FedctlError` prints its one-line message
 * (no stack); anything else is a bug and prints its stack with a request to report it.
 */

/** Terraform's exit codes, because CI scripts already speak them. */
export const ExitCode = {
  /** Success; for `plan --detailed-exitcode`: no changes. */
  Success: 0,
  /** Any error: invalid input, a remote failure, a failed or unverified apply. */
  Error: 1,
  /** Success with changes (or drift) pending, under `--detailed-exitcode`. */
  Changes: 2,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, the shell's convention, as Terraform does. */
  Interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  Terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every code an error of fedctl carries: closed and stable, so scripts and docs/errors.md can name
 * a kind of failure while its wording changes (test/core/errors.test.ts keeps the two lists
 * equal). Each error class has a default; a throw site names a more precise one where it knows.
 */
export const ERROR_CODES = [
  'E_USAGE',
  'E_FILE_READ',
  'E_FILE_WRITE',
  'E_TOPOLOGY_PARSE',
  'E_TOPOLOGY_INVALID',
  'E_LIVE_CONFLICT',
  'E_TOKEN_MISSING',
  'E_TOKEN_INVALID',
  'E_JPD_CONFIG',
  'E_JPD_UNREACHABLE',
  'E_JPD_AUTH',
  'E_REMOTE',
  'E_JPD_UNSUPPORTED',
  'E_PAIRING',
  'E_PLAN_INVALID',
  'E_PLAN_STALE',
  'E_CONCURRENT_CHANGE',
  'E_SIM',
  'E_FEDCTL',
  'E_INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
/** The codes of known failures: everything but a bug. */
export type FedctlErrorCode = Exclude<ErrorCode, 'E_INTERNAL'>;

export interface FedctlErrorOptions {
  readonly cause?: unknown;
  /** More precise than the class's default. */
  readonly code?: FedctlErrorCode;
}

export class FedctlError extends Error {
  /** A known failure that no more precise code describes yet. */
  static readonly defaultCode: FedctlErrorCode = 'E_FEDCTL';
  readonly exitCode: ExitCode = ExitCode.Error;
  readonly code: FedctlErrorCode;
  constructor(message: string, options?: FedctlErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options?.code ?? new.target.defaultCode;
  }
}

/** The code of a failure that stands for several: theirs when they agree, else `fallback`. */
export function commonCode(
  errors: readonly { readonly code: FedctlErrorCode }[],
  fallback: FedctlErrorCode,
): FedctlErrorCode {
  const [first, ...rest] = errors;
  return first !== undefined && rest.every((e) => e.code === first.code) ? first.code : fallback;
}

/** Wrong flags or arguments on the command line. */
export class UsageError extends FedctlError {
  static override readonly defaultCode: FedctlErrorCode = 'E_USAGE';
}

export type Severity = 'error' | 'warning';

/** One positioned problem in a topology file. Lines and columns are 1-based. */
export interface Issue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  /** A stable identifier for the rule that produced the issue (e.g. `undeclared-jpd`). */
  readonly code: string;
  readonly message: string;
}

/** One line; the file name and the message (which quotes the file) are made safe for a terminal. */
export function formatIssue(issue: Issue): string {
  const prefix = issue.severity === 'warning' ? 'warning: ' : '';
  return safeText(`${issue.file}:${issue.line}:${issue.col}: ${prefix}${issue.message}`);
}

/** Issue codes of a file that is not YAML fedctl can read, as opposed to a wrong topology. */
const PARSE_ISSUES: ReadonlySet<string> = new Set([
  'encoding',
  'empty',
  'duplicate-key',
  'yaml-syntax',
  'yaml-depth',
  'yaml-aliases',
]);

/** The topology file cannot be used; carries every problem found, not just the first. */
export class TopologyError extends FedctlError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], options?: FedctlErrorOptions) {
    const errors = issues.filter((i) => i.severity === 'error');
    const first = errors[0] ?? issues[0];
    super(
      first === undefined
        ? 'invalid topology'
        : errors.length > 1
          ? `${formatIssue(first)} (and ${errors.length - 1} more)`
          : formatIssue(first),
      {
        ...options,
        code:
          options?.code ??
          (first !== undefined && PARSE_ISSUES.has(first.code)
            ? 'E_TOPOLOGY_PARSE'
            : 'E_TOPOLOGY_INVALID'),
      },
    );
    this.issues = issues;
  }
}

/** What a remote failure is about; never includes credentials. */
export interface RemoteErrorDetails {
  readonly jpd: string;
  readonly method: string;
  /** The request path (and query), never the full URL with credentials. */
  readonly path: string;
  /** HTTP status, absent for transport failures (connection refused, timeout, reset). */
  readonly status?: number;
  /** The server's own message, from `{"errors":[{"message"}]}` or a short text body. */
  readonly serverMessage?: string;
  /** A hint for the user, e.g. which permission the step needs. */
  readonly hint?: string;
}

/** A JPD answered with an error, an unexpected body, or not at all. */
export class RemoteError extends FedctlError {
  readonly details: RemoteErrorDetails;
  constructor(details: RemoteErrorDetails, options?: FedctlErrorOptions) {
    super(formatRemoteError(details), { ...options, code: options?.code ?? remoteCode(details) });
    this.details = details;
  }
  get status(): number | undefined {
    return this.details.status;
  }
}

/** No answer at all, a token refused, or any other answer fedctl cannot use. */
function remoteCode(d: RemoteErrorDetails): FedctlErrorCode {
  if (d.status === undefined) return 'E_JPD_UNREACHABLE';
  return d.status === 401 || d.status === 403 ? 'E_JPD_AUTH' : 'E_REMOTE';
}

/** One line: the path, the server's words and the hint can carry anything a JPD sent. */
export function formatRemoteError(d: RemoteErrorDetails): string {
  const status = d.status === undefined ? '' : ` -> ${d.status}`;
  const msg = d.serverMessage === undefined || d.serverMessage === '' ? '' : `: ${d.serverMessage}`;
  const hint = d.hint === undefined ? '' : ` (${d.hint})`;
  return safeText(`${d.jpd}: ${d.method} ${d.path}${status}${msg}${hint}`);
}

/** A saved plan no longer matches the topology or the live state it was computed from. */
export class StalePlanError extends FedctlError {
  static override readonly defaultCode: FedctlErrorCode = 'E_PLAN_STALE';
}

/** A required environment variable (e.g. a JPD token) is not set. */
export class MissingSecretError extends FedctlError {
  static override readonly defaultCode: FedctlErrorCode = 'E_TOKEN_MISSING';
}

/**
 * Something fedctl's own logic rules out happened anyway: a bug, never bad input. Deliberately not
 * a `FedctlError`, so `cli.ts` prints its stack and asks for a report instead of one quiet line,
 * and no executor can mistake it for a failed step.
 */
export class InternalError extends Error {
  readonly code = 'E_INTERNAL' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}
