/**
 * A JPD that a read-only report could not read (unreachable, 5xx after retries, 401, 403): a
 * finding of its own kind, naming the JPD and the one-line error. The report covers every other
 * JPD in full, and the run exits 1 (error), as a report that cannot tell must not pass.
 */
import type { FedctlErrorCode } from '../errors.js';
import { compareCodeUnits } from '../topology/model.js';

export interface UnreadableJpd {
  readonly jpd: string;
  /** One line, as fedctl reports the failure: JPD, method, path, status or transport error. */
  readonly error: string;
  /** The error's stable code (docs/errors.md), e.g. E_JPD_UNREACHABLE or E_JPD_AUTH. */
  readonly code?: FedctlErrorCode;
}

/** One finding per JPD (the first error of each), in JPD order. */
export function unreadableByJpd(list: readonly UnreadableJpd[]): UnreadableJpd[] {
  const byJpd = new Map<string, UnreadableJpd>();
  for (const u of list) if (!byJpd.has(u.jpd)) byJpd.set(u.jpd, u);
  return [...byJpd.values()].sort((a, b) => compareCodeUnits(a.jpd, b.jpd));
}
