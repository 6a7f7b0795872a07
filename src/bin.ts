import { createInterface } from 'node:readline';
import { main } from './cli.js';
import { installGlobalDispatcher } from './io/http.js';

// Defaults (timeouts, retries) for any fetch not given a per-JPD dispatcher by the client.
installGlobalDispatcher();

const exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: {
    isTTY: process.stdin.isTTY,
    readLine: () =>
      new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin });
        rl.once('line', (line) => {
          rl.close();
          resolve(line);
        });
        rl.once('close', () => {
          resolve(undefined);
        });
      }),
  },
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = exitCode;
