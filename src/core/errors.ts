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

export class FedctlError extends Error {
  readonly exitCode: ExitCode = ExitCode.Error;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong flags or arguments on the command line. */
export class UsageError extends FedctlError {}

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

/** The topology file cannot be used; carries every problem found, not just the first. */
export class TopologyError extends FedctlError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const first = errors[0] ?? issues[0];
    super(
      first === undefined
        ? 'invalid topology'
        : errors.length > 1
          ? `${formatIssue(first)} (and ${errors.length - 1} more)`
          : formatIssue(first),
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
  constructor(details: RemoteErrorDetails, options?: { cause?: unknown }) {
    super(formatRemoteError(details), options);
    this.details = details;
  }
  get status(): number | undefined {
    return this.details.status;
  }
}

/** One line: the path, the server's words and the hint can carry anything a JPD sent. */
export function formatRemoteError(d: RemoteErrorDetails): string {
  const status = d.status === undefined ? '' : ` -> ${d.status}`;
  const msg = d.serverMessage === undefined || d.serverMessage === '' ? '' : `: ${d.serverMessage}`;
  const hint = d.hint === undefined ? '' : ` (${d.hint})`;
  return safeText(`${d.jpd}: ${d.method} ${d.path}${status}${msg}${hint}`);
}

/** A saved plan no longer matches the topology or the live state it was computed from. */
export class StalePlanError extends FedctlError {}

/** A required environment variable (e.g. a JPD token) is not set. */
export class MissingSecretError extends FedctlError {}

/**
 * Something fedctl's own logic rules out happened anyway: a bug, never bad input. Deliberately not
 * a `FedctlError`, so `cli.ts` prints its stack and asks for a report instead of one quiet line,
 * and no executor can mistake it for a failed step.
 */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}
