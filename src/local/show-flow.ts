/** The part of the demo a user watches: artifacts crossing one way, and a push-back refused. */
import { FedctlError } from '../core/errors.js';
import type { Topology } from '../core/topology/model.js';
import type { Simulator } from '../sim/index.js';

/** How long the demo waits for an artifact to cross (or, for a receiver, to not cross). */
const ARRIVAL_TIMEOUT_MS = 10_000;
const STAYS_PUT_MS = 1_500;

/** Deploys on the hub and on a spoke, and shows where each artifact goes. */
export async function showFlow(
  topology: Topology,
  sim: Simulator,
  out: (line?: string) => void,
): Promise<boolean> {
  const repo = topology.repos[0];
  if (repo === undefined) return true;
  const hub = sim.jpds.find((j) => j.name === repo.source);
  const spokes = repo.members.map((m) => ({
    member: m,
    jpd: sim.jpds.find((j) => j.name === m.jpd),
  }));
  if (hub === undefined) return false;
  let ok = true;

  const path = `demo/hello-${Date.now()}.txt`;
  out(`Deploying ${path} to ${hub.name}/${repo.key}, then watching the spokes:`);
  await deploy(hub, repo.key, path, `hello from ${hub.name}\n`);
  const started = Date.now();
  for (const { member, jpd } of spokes) {
    if (jpd === undefined) continue;
    const arrived = await waitFor(() => exists(jpd, member.repoKey, path), ARRIVAL_TIMEOUT_MS);
    out(
      arrived
        ? `  ${jpd.name} (${member.mode}): arrived after ${((Date.now() - started) / 1000).toFixed(2)}s`
        : `  ${jpd.name} (${member.mode}): did NOT arrive within ${ARRIVAL_TIMEOUT_MS / 1000}s`,
    );
    ok &&= arrived;
  }
  out();

  const receiver = spokes.find((s) => s.member.mode === 'receiver' && s.jpd !== undefined);
  if (receiver?.jpd !== undefined) {
    const spoke = receiver.jpd;
    const back = `demo/from-${spoke.name}-${Date.now()}.txt`;
    out(
      `Deploying ${back} to ${spoke.name}/${receiver.member.repoKey} (a receiver), then watching ${hub.name}:`,
    );
    await deploy(spoke, receiver.member.repoKey, back, `hello from ${spoke.name}\n`);
    const leaked = await waitFor(() => exists(hub, repo.key, back), STAYS_PUT_MS);
    out(
      leaked
        ? `  ${hub.name}: it ARRIVED, but a receiver must never send`
        : `  ${hub.name}: not there after ${STAYS_PUT_MS / 1000}s; a receiver only receives`,
    );
    ok &&= !leaked;

    // The spoke's admin tries to federate a repository back to the hub.
    const res = await fetch(`${spoke.url}/artifactory/api/repositories/push-back-attempt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${spoke.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        rclass: 'federated',
        packageType: repo.packageType,
        members: [
          { url: `${hub.url}/artifactory/push-back-attempt`, enabled: true, mode: 'bidirectional' },
        ],
      }),
    });
    const text = await res.text();
    const message = /"message"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? text.trim();
    out(`${spoke.name}'s admin tries to federate a repository that pushes to ${hub.name}:`);
    out(
      res.ok
        ? '  it was ACCEPTED: no receiving-only trust in place'
        : `  refused (${res.status}): ${message}`,
    );
    out();
  }
  return ok;
}

type SimInfo = Simulator['jpds'][number];

async function deploy(jpd: SimInfo, repoKey: string, path: string, content: string): Promise<void> {
  const res = await fetch(`${jpd.url}/artifactory/${repoKey}/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${jpd.token}` },
    body: content,
  });
  if (!res.ok)
    throw new FedctlError(`${jpd.name}: PUT /artifactory/${repoKey}/${path} -> ${res.status}`, {
      code: 'E_SIM',
    });
  await res.arrayBuffer();
}

async function exists(jpd: SimInfo, repoKey: string, path: string): Promise<boolean> {
  const res = await fetch(`${jpd.url}/artifactory/api/storage/${repoKey}/${path}`, {
    headers: { authorization: `Bearer ${jpd.token}` },
  });
  await res.arrayBuffer();
  return res.ok;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
