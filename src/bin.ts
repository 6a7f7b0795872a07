import { main } from './cli.js';
import { installGlobalDispatcher } from './io/http.js';
import { createLineReader } from './io/line-reader.js';

// Defaults (timeouts, retries) for any fetch not given a per-JPD dispatcher by the client.
installGlobalDispatcher();

const stdin = createLineReader(process.stdin);
try {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: { isTTY: process.stdin.isTTY, readLine: () => stdin.readLine() },
    env: process.env,
    cwd: process.cwd(),
  });
} finally {
  stdin.close();
}
