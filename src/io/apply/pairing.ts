/**
 * One trust pairing, as apply runs it: the source issues a pairing token, the target exchanges
 * it (and calls the source's exchange URL itself). Each try issues a fresh token, because a token
 * is single-use and lives 5 minutes (seed: `"expires_in": 300`; JFrog's pairing-token page:
 * revocable, single-use), and a failed exchange may already have spent it.
 *
 * Two kinds of failure are tried again, neither decided by the exact wording of a message:
 *   - the peer was unavailable: a transport failure, 429/502/503/504, or a message that says so.
 *     The target reports its own failed call to the source as a 400 ("Failed to establish trust
 *     ... Service Unavailable"), which the HTTP layer cannot know to retry. Retried with backoff.
 *   - any other 4xx (an expired, used or unknown token, in whatever words): retried once.
 * This is an application-level retry of a two-request exchange, so it cannot live in undici's
 * retry handler (io/http/http.ts); it uses the same policy numbers (time budget, retries, first delay,
 * factor, cap, jitter), which FEDCTL_HTTP_RETRY_BUDGET, FEDCTL_HTTP_RETRIES and
 * FEDCTL_HTTP_RETRY_DELAY_MS set for both.
 */
import { FedctlError, RemoteError } from '../../core/errors.js';
import type { Action } from '../../core/plan/plan.js';
import type { ArtifactoryClient } from '../artifactory/types.js';
import type { RetryPolicy } from '../http/http.js';

export interface PairingRun {
  readonly client: (jpd: string) => ArtifactoryClient;
  readonly retry: RetryPolicy;
  /** Told before each new try, for the progress output. */
  readonly onRetry: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Words a target uses when the source it had to call could not be reached. */
const PEER_UNAVAILABLE =
  /unavailable|not reachable|unreachable|timed? ?out|connection (?:refused|reset)|econn|socket hang up|too many requests|bad gateway|gateway time-?out|\b(?:429|502|503|504)\b/i;

const TRANSIENT_STATUS: readonly number[] = [429, 502, 503, 504];

export async function establishPairing(
  action: Extract<Action, { type: 'establish-pairing' }>,
  run: PairingRun,
): Promise<void> {
  const useCase = action.receivingOnly ? 'r' : '*';
  const sleep = run.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let transientRetries = 0;
  let refusedOnce = false;
  // The same time budget as every HTTP retry (FEDCTL_HTTP_RETRY_BUDGET): the count alone is high.
  const end = Date.now() + run.retry.budgetMs;
  for (;;) {
    const { pairingToken, expiresInSeconds } = await run
      .client(action.source)
      .createPairingToken(useCase);
    try {
      await run.client(action.target).exchangePairingToken(useCase, pairingToken);
      return;
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      if (peerUnavailable(error)) {
        const delay = backoff(run.retry, transientRetries);
        if (transientRetries >= run.retry.maxRetries || Date.now() + delay > end) {
          throw new FedctlError(
            `${error.message} (still failing after ${retries(transientRetries)} with a fresh pairing token)`,
            { cause: error, code: 'E_PAIRING' },
          );
        }
        transientRetries += 1;
        run.onRetry(
          `${action.target} could not complete the exchange (${error.details.serverMessage ?? statusText(error)}); retrying with a fresh pairing token in ${(delay / 1000).toFixed(1)}s (retry ${transientRetries})`,
        );
        await sleep(delay);
        continue;
      }
      const status = error.status;
      if (status === undefined || status < 400 || status >= 500) throw error;
      if (refusedOnce) {
        throw new FedctlError(
          `${error.message}; a fresh pairing token was refused too (a pairing token lives ${lifetime(expiresInSeconds)} and can be used only once: issue and exchange it within that time, and never reuse one)`,
          { cause: error, code: 'E_PAIRING' },
        );
      }
      refusedOnce = true;
      run.onRetry(
        `${action.target} refused the pairing token (${status}${error.details.serverMessage === undefined ? '' : `: ${error.details.serverMessage}`}); issuing a fresh one and trying once more`,
      );
    }
  }
}

function peerUnavailable(error: RemoteError): boolean {
  const { status } = error;
  if (status === undefined || TRANSIENT_STATUS.includes(status)) return true;
  return status >= 400 && status < 500 && PEER_UNAVAILABLE.test(error.details.serverMessage ?? '');
}

/** undici's schedule (io/http/http.ts): first delay, times the factor each retry, capped, jittered. */
function backoff(policy: RetryPolicy, retry: number): number {
  const base = Math.min(policy.minTimeoutMs * policy.timeoutFactor ** retry, policy.maxTimeoutMs);
  return Math.round(base * (0.5 + Math.random() / 2));
}

function statusText(error: RemoteError): string {
  return error.status === undefined ? 'no answer' : `status ${error.status}`;
}

function retries(n: number): string {
  return `${n} ${n === 1 ? 'retry' : 'retries'}`;
}

/** The token's lifetime as the source announced it; 5 minutes when it did not say. */
function lifetime(seconds: number | undefined): string {
  const s = seconds ?? 300;
  return s % 60 === 0 ? `${s / 60} ${s === 60 ? 'minute' : 'minutes'}` : `${s} seconds`;
}
