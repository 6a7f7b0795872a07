/**
 * Wall-clock time for timestamps, lag and pairing-token expiry. Injectable so tests can expire a
 * token without waiting; timers (queue delays, full-sync phases) always run on real time.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function manualClock(startMs = Date.UTC(2025, 0, 1)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (epochMs) => {
      current = epochMs;
    },
  };
}
