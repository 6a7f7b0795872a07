/**
 * The federation states the documents name, by what they mean for a connection. States compare
 * case-insensitively, `_` and white space alike, because the documents spell the receiver's
 * marker both `Receiving_Only` and `Receiving Only`.
 */

/** Upper case, each run of `_` or white space as one `_`: `Receiving Only` -> `RECEIVING_ONLY`. */
export function normalizeState(status: string): string {
  return status
    .trim()
    .replace(/[\s_]+/g, '_')
    .toUpperCase();
}

export type StateClass =
  'healthy' | 'marker' | 'progress' | 'error' | 'unavailable' | 'disabled' | 'unsupported';

/** Every state the documents name (the RTFS enum, the receiving-only marker, N/A from the samples). */
const STATE_CLASS: ReadonlyMap<string, StateClass> = new Map<string, StateClass>([
  ['HEALTHY', 'healthy'],
  ['RECEIVING_ONLY', 'marker'],
  ['PENDING_FS', 'progress'],
  ['FULL_SYNC_RUNNING', 'progress'],
  ['DELAYED', 'progress'],
  ['ERROR', 'error'],
  ['NOT_AVAILABLE', 'unavailable'],
  ['DISABLED', 'disabled'],
  ['N/A', 'unsupported'],
]);

export function classOf(status: string): StateClass | undefined {
  return STATE_CLASS.get(normalizeState(status));
}

/** PENDING_FS, FULL_SYNC_RUNNING or DELAYED: a connection on its way, judged by its numbers. */
export function isProgressState(status: string): boolean {
  return classOf(status) === 'progress';
}
