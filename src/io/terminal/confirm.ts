/** Asking a person before changing their JPDs (Terraform's "Enter a value" prompt). */
import { UsageError } from '../../core/errors.js';
import type { CliIO } from '../../core/io-types.js';

/**
 * True only for the exact word `yes`; refuses outright where nobody can answer. End of input
 * (Ctrl-D) and an interrupt (Ctrl-C, which aborts `signal`) both mean no.
 */
export async function confirmApply(io: CliIO, signal?: AbortSignal): Promise<boolean> {
  return (
    (await ask(
      io,
      "\nApply these changes? Only 'yes' will be accepted: ",
      'apply asks for confirmation on a terminal; in CI pass --auto-approve (or apply a saved plan)',
      signal,
    )) === 'yes'
  );
}

/** The second question when a plan deletes repositories: only the exact word `delete` goes on. */
export async function confirmDeletions(
  io: CliIO,
  repositories: readonly string[],
  signal?: AbortSignal,
): Promise<boolean> {
  const n = repositories.length;
  return (
    (await ask(
      io,
      `\nThis deletes ${n} ${n === 1 ? 'repository' : 'repositories'} and all ${n === 1 ? 'its' : 'their'} artifacts (${repositories.join(', ')}); nothing brings them back. Only 'delete' will be accepted: `,
      'deletions are confirmed on a terminal; in CI pass --auto-approve and --allow-delete',
      signal,
    )) === 'delete'
  );
}

/** Prints `question` and reads one answer, trimmed; undefined at end of input or on interrupt. */
export async function ask(
  io: CliIO,
  question: string,
  refusal: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const stdin = io.stdin;
  if (stdin?.isTTY !== true || stdin.readLine === undefined) throw new UsageError(refusal);
  if (signal?.aborted === true) return undefined;
  io.stderr.write(question);
  const interrupted = new Promise<undefined>((resolve) => {
    signal?.addEventListener('abort', () => {
      resolve(undefined);
    });
  });
  const answer = await Promise.race([stdin.readLine(), interrupted]);
  return answer?.trim();
}
