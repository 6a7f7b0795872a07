/**
 * Interrupts the way Terraform handles them: the first SIGINT or SIGTERM stops new work from
 * starting and lets what is in flight finish, so no repository is left half-written; a second
 * one ends the process at once (bin.ts does that).
 */
import { ExitCode } from '../../core/errors.js';
import type { CliIO, InterruptSignal } from '../../core/io-types.js';

export interface Interruption {
  /** Aborted on the first signal. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): InterruptSignal | undefined;
  /** Stop listening: a signal after this ends the process at once again. */
  release(): void;
}

export function trapInterrupts(io: Pick<CliIO, 'interrupts' | 'stderr'>): Interruption {
  const controller = new AbortController();
  let received: InterruptSignal | undefined;
  const release =
    io.interrupts?.listen((signal) => {
      received = signal;
      io.stderr.write(
        `\nfedctl: ${signal} received: no new step starts; waiting for the steps in flight to finish. ` +
          'Send it again to stop at once (a write in flight may then be left unknown).\n',
      );
      controller.abort(signal);
    }) ?? ((): void => undefined);
  return {
    signal: controller.signal,
    received: () => received,
    release,
  };
}

/** 130 for SIGINT, 143 for SIGTERM: what a shell reports for a process those signals ended. */
export function interruptExitCode(signal: InterruptSignal): ExitCode {
  return signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
}
