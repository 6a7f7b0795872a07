/**
 * Fault injection for one JPD: latency, error responses (429 with Retry-After, 503) and dropped
 * connections, each optionally limited to request paths matching a glob (`*` matches anything,
 * including `/`). Faults apply to every request except the `/_sim/` controls, peer traffic
 * included, so federation queues see them too.
 */
import { ArtifactoryHttpError, arrayOf, isRecord } from '../http/http-util.js';

export interface ErrorFault {
  readonly status: 429 | 503;
  /** Probability in [0, 1] that a matching request gets this error. */
  readonly rate: number;
  readonly path?: string;
  /** Sent as Retry-After; defaults to 1 for 429. */
  readonly retryAfterSeconds?: number;
}

export interface DropFault {
  readonly rate: number;
  readonly path?: string;
}

export interface Faults {
  readonly latencyMs: number;
  readonly errors: readonly ErrorFault[];
  readonly drops: readonly DropFault[];
}

export const NO_FAULTS: Faults = { latencyMs: 0, errors: [], drops: [] };

export type FaultDecision =
  | { readonly kind: 'drop' }
  | {
      readonly kind: 'error';
      readonly status: 429 | 503;
      readonly retryAfterSeconds: number | undefined;
    }
  | undefined;

export function pathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(path);
}

export function decideFault(
  faults: Faults,
  path: string,
  random: () => number = Math.random,
): FaultDecision {
  for (const drop of faults.drops) {
    if (pathMatches(drop.path, path) && random() < drop.rate) return { kind: 'drop' };
  }
  for (const error of faults.errors) {
    if (pathMatches(error.path, path) && random() < error.rate) {
      return {
        kind: 'error',
        status: error.status,
        retryAfterSeconds: error.retryAfterSeconds ?? (error.status === 429 ? 1 : undefined),
      };
    }
  }
  return undefined;
}

function rate(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ArtifactoryHttpError(400, `'${field}' must be a number between 0 and 1`);
  }
  return value;
}

function optionalPath(value: unknown): { path?: string } {
  if (value === undefined) return {};
  if (typeof value !== 'string') throw new ArtifactoryHttpError(400, "'path' must be a string");
  return { path: value };
}

/** Validates a faults object (e.g. a `PUT /_sim/faults` body); fields absent keep `base`'s. */
export function parseFaults(body: unknown, base: Faults): Faults {
  if (!isRecord(body)) throw new ArtifactoryHttpError(400, 'Expected a JSON object');
  let { latencyMs, errors, drops } = base;
  if (body['latencyMs'] !== undefined) {
    const value = body['latencyMs'];
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new ArtifactoryHttpError(400, "'latencyMs' must be a non-negative number");
    }
    latencyMs = value;
  }
  if (body['errors'] !== undefined) {
    const items = arrayOf(body['errors']);
    if (items === undefined) throw new ArtifactoryHttpError(400, "'errors' must be an array");
    errors = items.map((item): ErrorFault => {
      if (!isRecord(item))
        throw new ArtifactoryHttpError(400, 'Each error fault must be an object');
      const status = item['status'] ?? 503;
      if (status !== 429 && status !== 503) {
        throw new ArtifactoryHttpError(400, "'status' must be 429 or 503");
      }
      const retryAfter = item['retryAfterSeconds'];
      if (retryAfter !== undefined && (typeof retryAfter !== 'number' || retryAfter < 0)) {
        throw new ArtifactoryHttpError(400, "'retryAfterSeconds' must be a non-negative number");
      }
      return {
        status,
        rate: rate(item['rate'], 'rate'),
        ...optionalPath(item['path']),
        ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
      };
    });
  }
  if (body['drops'] !== undefined) {
    const items = arrayOf(body['drops']);
    if (items === undefined) throw new ArtifactoryHttpError(400, "'drops' must be an array");
    drops = items.map((item): DropFault => {
      if (!isRecord(item)) throw new ArtifactoryHttpError(400, 'Each drop fault must be an object');
      return { rate: rate(item['rate'], 'rate'), ...optionalPath(item['path']) };
    });
  }
  return { latencyMs, errors, drops };
}
