import type { ExitCode } from './errors.js';

/**
 * The streams and environment a command sees. `cli.ts` builds the real one from `process`; tests
 * pass their own so commands run in-process (eemeli/yaml's CLI does the same).
 */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal: enables colour (unless NO_COLOR) and live progress. */
  readonly isTTY?: boolean;
}

export interface InputStream {
  readonly isTTY?: boolean;
  /** Reads one line (without the newline), or undefined at end of input. */
  readLine?(): Promise<string | undefined>;
}

/** The signals that ask fedctl to stop. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/**
 * The process's SIGINT and SIGTERM, for a command that wants to stop cleanly (apply). While
 * nobody listens, a signal ends the process at once, as it would without fedctl's help; while a
 * listener is registered, the first signal goes to it and a second one ends the process at once.
 */
export interface InterruptSource {
  /** Registers `onSignal` for the first signal; returns a function that unregisters it. */
  listen(onSignal: (signal: InterruptSignal) => void): () => void;
}

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin?: InputStream;
  /** Absent in-process (tests, the demo): nothing interrupts them. */
  readonly interrupts?: InterruptSource;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Runs a fedctl command line, as a user would type it (the demo replays the quick start). */
export type RunCommand = (argv: readonly string[], io: CliIO) => Promise<ExitCode>;

/** What cli.ts hands every command besides its arguments and streams. */
export interface CommandContext {
  readonly runCommand: RunCommand;
}
