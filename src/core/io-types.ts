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
