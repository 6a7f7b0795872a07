/** Option values shared by the commands; each bad value is a one-line usage error. */
import { UsageError } from '../errors.js';

/** `50ms`, `1.5s`, `2m`, `1h`, or a bare number in `unit`. Returns milliseconds. */
export function parseDuration(flag: string, value: string, unit: 'ms' | 's'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (match?.[1] === undefined) {
    throw new UsageError(`--${flag}: expected a duration such as 50ms, 90s or 5m, got "${value}"`);
  }
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const suffix = (match[2] ?? unit) as keyof typeof scale;
  return Number(match[1]) * scale[suffix];
}

export function parseFraction(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) {
    throw new UsageError(`--${flag}: expected a number between 0 and 1, got "${value}"`);
  }
  return n;
}

export function parseInteger(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag}: expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
