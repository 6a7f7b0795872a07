/**
 * The debug log (`FEDCTL_LOG=debug`, or `--log-level debug`): one line per request sent, retries
 * included, to stderr or to `--log-file` (`FEDCTL_LOG_FILE`), for a ticket about a JPD that
 * misbehaves, like Terraform's TF_LOG. A line names the JPD, method, path, status (or the
 * transport error's code), attempt, duration and the bytes of the answer's body. Never a header
 * and never a body: tokens travel in headers and bodies only, so neither can reach the log.
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { FedctlError, UsageError } from '../../core/errors.js';
import { safeText } from '../../core/safe-text.js';

/** What one JPD's dispatcher reports each attempt to. */
export interface RequestObserver {
  readonly jpd: string;
  write(line: string): void;
}

/** The run's debug log, if it is on. */
export interface RequestLog {
  forJpd(jpd: string): RequestObserver;
}

export const LOG_LEVELS = ['off', 'error', 'warn', 'info', 'debug'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The debug log this run asked for through the environment (`cli.ts` turns `--log-level` and
 * `--log-file` into FEDCTL_LOG and FEDCTL_LOG_FILE), or undefined when it is off.
 */
export function requestLogFrom(
  env: Env,
  cwd: string,
  stderr: { write(chunk: string): unknown },
): RequestLog | undefined {
  const level = (env['FEDCTL_LOG'] ?? '').trim().toLowerCase();
  if (level !== '' && !LOG_LEVELS.some((l) => l === level)) {
    throw new UsageError(`FEDCTL_LOG must be one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
  }
  if (level !== 'debug') return undefined;
  const file = env['FEDCTL_LOG_FILE'];
  const path =
    file === undefined || file === '' ? undefined : isAbsolute(file) ? file : resolve(cwd, file);
  const write = (line: string): void => {
    if (path === undefined) {
      stderr.write(`${line}\n`);
      return;
    }
    try {
      appendFileSync(path, `${line}\n`, { mode: 0o600 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code; // fs errors carry a code
      throw new FedctlError(`cannot write the debug log ${file ?? ''}: ${code ?? String(error)}`);
    }
  };
  return { forJpd: (jpd) => ({ jpd, write }) };
}

interface Attempt {
  readonly started: number;
  status?: number;
  bytes: number;
}

/**
 * An interceptor under undici's retry handler, so that it sees every attempt: the retry handler
 * dispatches each attempt with the same handler object, which is how attempts are counted.
 */
export function observeAttempts(
  observer: RequestObserver,
): Dispatcher.DispatcherComposeInterceptor {
  const attempts = new WeakMap<object, number>();
  return (dispatch) => (opts, handler) => {
    const attempt = (attempts.get(handler) ?? 0) + 1;
    attempts.set(handler, attempt);
    const state: Attempt = { started: performance.now(), bytes: 0 };
    const line = (outcome: string): void => {
      observer.write(
        [
          `${new Date().toISOString()} debug http`,
          `jpd=${safeText(observer.jpd)}`,
          `method=${opts.method}`,
          `path=${safeText(opts.path)}`,
          outcome,
          `attempt=${attempt}`,
          `duration_ms=${Math.round(performance.now() - state.started)}`,
          `bytes=${state.bytes}`,
        ].join(' '),
      );
    };
    const error = (err: Error): void => {
      const code: unknown = 'code' in err ? err.code : undefined;
      // After a status, the error is the retry handler ending that attempt to retry it.
      line(
        state.status === undefined
          ? `status=- error=${typeof code === 'string' ? code : err.name}`
          : `status=${state.status}`,
      );
    };
    const observed = new Proxy(handler, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const call = (...args: unknown[]): unknown => value.apply(target, args);
        switch (key) {
          case 'onResponseStart':
            return (...args: unknown[]) => {
              state.status = Number(args[1]);
              return call(...args);
            };
          case 'onHeaders':
            return (...args: unknown[]) => {
              state.status = Number(args[0]);
              return call(...args);
            };
          case 'onResponseData':
          case 'onData':
            return (...args: unknown[]) => {
              const chunk = key === 'onData' ? args[0] : args[1];
              if (chunk instanceof Uint8Array) state.bytes += chunk.byteLength;
              return call(...args);
            };
          case 'onResponseEnd':
          case 'onComplete':
            return (...args: unknown[]) => {
              line(`status=${state.status ?? '-'}`);
              return call(...args);
            };
          case 'onResponseError':
          case 'onError':
            return (...args: unknown[]) => {
              const err = key === 'onError' ? args[0] : args[1];
              error(err instanceof Error ? err : new Error(String(err)));
              return call(...args);
            };
          default:
            return value.bind(target) as unknown;
        }
      },
    });
    return dispatch(opts, observed);
  };
}
