/**
 * Small helpers for benchmarks that run against the simulator: plain REST calls (no fedctl code
 * on the path), bounded-concurrency loops, waiting for the simulator's background work to settle.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** One request to a simulated JPD's plain REST API with its admin token; throws unless 2xx. */
export async function rest(jpd, method, path, body) {
  const response = await globalThis.fetch(`${jpd.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${jpd.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} on ${jpd.name}: ${response.status} ${text}`);
  return text;
}

/** Runs `fn` over `items`, at most `limit` at a time, in order of start. */
export async function eachLimited(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Waits until every outbound connection of every JPD has finished its initial full sync, so that
 * no background federation traffic runs while something is being timed.
 */
export async function waitForFullSyncs(sim, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = sim.jpds
      .map((j) => sim.jpd(j.name).dumpState())
      .flatMap((s) => s.connections)
      .filter((c) => c.fullSync !== 'done').length;
    if (pending === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`${pending} federation connections still syncing after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

/** `{ TOKEN_VAR: token }` for each simulated JPD, as the topology names them. */
export function tokenEnv(sim, tokenVar) {
  return Object.fromEntries(sim.jpds.map((j) => [tokenVar(j.name), j.token]));
}
