import { main } from './cli.js';
import type { InterruptSignal, InterruptSource } from './core/io-types.js';
import { installGlobalDispatcher } from './io/http/http.js';
import { createLineReader } from './io/terminal/line-reader.js';

// Defaults (timeouts, retries) for any fetch not given a per-JPD dispatcher by the client.
installGlobalDispatcher();

const SIGNAL_EXIT: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** First signal to the listener, the second ends the process at once (Terraform's behaviour). */
const interrupts: InterruptSource = {
  listen(onSignal) {
    let count = 0;
    const handler = (signal: InterruptSignal): void => {
      count += 1;
      if (count === 1) {
        onSignal(signal);
        return;
      }
      process.stderr.write(
        `\nfedctl: ${signal} again: stopping at once. A write that was in flight may or may not have happened; run fedctl plan to see.\n`,
      );
      process.exit(SIGNAL_EXIT[signal]);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
};

const stdin = createLineReader(process.stdin);
try {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: { isTTY: process.stdin.isTTY, readLine: () => stdin.readLine() },
    interrupts,
    env: process.env,
    cwd: process.cwd(),
  });
} finally {
  stdin.close();
}
