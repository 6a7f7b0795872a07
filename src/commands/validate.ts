import { FedctlError, type ExitCode } from '../core/errors.js';
import type { CliIO } from '../core/io-types.js';

// Placeholder while the topology loader lands (issue 2); replaced in the next commit.
export function run(_args: readonly string[], _io: CliIO): Promise<ExitCode> {
  return Promise.reject(new FedctlError('validate is not available yet'));
}
