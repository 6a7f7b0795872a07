/**
 * What the executor takes and gives back: its options, the events it reports as steps start,
 * retry and end, and its result. A leaf, so the batch writer and the progress display can name
 * these without importing the executor.
 */
import type { Outcome } from '../../core/apply/report.js';
import type { LiveState } from '../../core/live/state.js';
import type { RetryPolicy } from '../http/http.js';
import type { Step } from './steps.js';

export type ApplyEvent =
  | { readonly type: 'start'; readonly step: Step }
  | { readonly type: 'retry'; readonly step: Step; readonly message: string }
  | {
      readonly type: 'end';
      readonly step: Step;
      readonly status: Outcome['status'];
      readonly detail?: string;
      readonly ms: number;
    };

export interface ApplyOptions {
  /** Steps in flight at once, across all JPDs. */
  readonly parallelism: number;
  /** Steps in flight at once on one JPD. */
  readonly perJpd: number;
  /** Backoff of a pairing exchange the peer was unavailable for; the HTTP layer's numbers. */
  readonly retry?: RetryPolicy;
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly now?: () => number;
  /** Once aborted, no step starts; steps in flight finish (no request is cut off mid-write). */
  readonly signal?: AbortSignal;
  /**
   * The live state the plan was computed from. A write first re-reads its repository and fails
   * the step when it differs (someone else changed it since the plan).
   */
  readonly planned?: LiveState;
  /**
   * Creates per batch request on a JPD whose version has the batch endpoint (./batch.ts);
   * 0 or 1 (the default here; the CLI's is DEFAULT_BATCH_SIZE) writes every repository alone.
   */
  readonly batchSize?: number;
  /** The JPD's version, when the caller reads it once per run; else the client is asked. */
  readonly versionOf?: (jpd: string) => Promise<string | undefined>;
}

export interface ApplyResult {
  readonly outcomes: readonly Outcome[];
  readonly steps: readonly Step[];
}
