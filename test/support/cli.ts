import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/core/io-types.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in-process with captured streams; nothing touches the real terminal. There is
 * deliberately no way to answer a prompt here: prompts are tested through a real pseudo-terminal
 * (test/e2e/prompt.test.ts), so no test can pass with a fake reader.
 */
export async function runCli(
  argv: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    tty?: boolean;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    stdin: { isTTY: options.tty ?? false },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** An environment where every variable is set, except those named FEDCTL_TEST_UNSET_*. */
export const allTokensSet: Record<string, string | undefined> = new Proxy(
  {},
  {
    get: (_t, name) =>
      typeof name === 'string' && !name.startsWith('FEDCTL_TEST_UNSET') ? 'test-token' : undefined,
  },
);
