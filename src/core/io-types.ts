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

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin?: InputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Runs a fedctl command line, as a user would type it (the demo replays the quick start). */
export type RunCommand = (argv: readonly string[], io: CliIO) => Promise<ExitCode>;

/** What cli.ts hands every command besides its arguments and streams. */
export interface CommandContext {
  readonly runCommand: RunCommand;
}
