/**
 * The scale suite's side of the simulator process (./sim-host.mjs): fork it, send commands,
 * stop it. One simulator process per estate; `stop()` is safe to call twice.
 */
import { fork } from 'node:child_process';

const HOST = new URL('./sim-host.mjs', import.meta.url);

export async function startHost(spec) {
  const child = fork(HOST, [], {
    // Room for a 10,000-repository estate on 10 JPDs, whatever the default heap is.
    execArgv: ['--max-old-space-size=8192'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 0;
  const waiting = new Map();
  child.on('message', ({ id, ok, value, error }) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (ok) w?.resolve(value);
    else w?.reject(new Error(`simulator: ${error}`));
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`simulator exited (${code})`));
    waiting.clear();
  });
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
  const jpds = await call('start', spec);
  let stopped = false;
  return {
    jpds,
    call,
    async stop() {
      if (stopped) return;
      stopped = true;
      await call('stop').catch(() => undefined);
      child.disconnect();
      await new Promise((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', resolve);
      });
    },
  };
}
