/** Asking a person before changing their JPDs (Terraform's "Enter a value" prompt). */
import { UsageError } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';

/** True only for the exact word `yes`; refuses outright where nobody can answer. */
export async function confirmApply(io: CliIO): Promise<boolean> {
  if (io.stdin?.isTTY !== true || io.stdin.readLine === undefined) {
    throw new UsageError(
      'apply asks for confirmation on a terminal; in CI pass --auto-approve (or apply a saved plan)',
    );
  }
  io.stderr.write("\nApply these changes? Only 'yes' will be accepted: ");
  const answer = await io.stdin.readLine();
  return answer?.trim() === 'yes';
}
