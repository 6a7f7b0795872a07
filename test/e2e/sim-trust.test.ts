import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, startSimulator, type Simulator } from '../../src/sim/index.js';
import {
  api,
  connections,
  createFederation,
  deploy,
  download,
  eventually,
  memberUrl,
  firstError,
  statusOf,
} from '../sim/helpers.js';

const PAIRING = '/artifactory/api/v1/service_trust/pairing/federated-repo';

async function pair(
  source: { url: string; token: string },
  target: { url: string; token: string },
  useCase: 'r' | '*',
  exchangeAs: 'r' | '*' = useCase,
): Promise<void> {
  const issued = await api(
    { ...source, name: 's', readOnlyToken: '' },
    'POST',
    `${PAIRING}/${useCase}`,
  );
  expect(issued.status).toBe(200);
  const { pairing_token } = issued.json as { pairing_token: string };
  const exchanged = await api(
    { ...target, name: 't', readOnlyToken: '' },
    'PUT',
    `${PAIRING}/${exchangeAs}`,
    {
      body: { pairing_token },
    },
  );
  expect(exchanged.status).toBe(200);
  expect(exchanged.json).toEqual({
    message: 'Trust with Artifactory was established successfully',
  });
}

describe('Service Trust pairing', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('refuses every way a receiving-only target could push back to its source', async () => {
    sim = await startSimulator({ jpds: [{ name: 'hub' }, { name: 'spoke' }] });
    const hub = sim.jpd('hub');
    const spoke = sim.jpd('spoke');

    // A bidirectional federation that predates the pairing.
    expect((await createFederation(hub, 'legacy', [{ jpd: spoke }])).status).toBe(200);
    await eventually(
      () => connections(hub, 'legacy'),
      (l) => l.every((c) => c.status === 'HEALTHY'),
    );

    await pair(hub, spoke, 'r', '*'); // `/*` is equivalent for an r token (JFrog's unidirectional sync document)

    expect((await createFederation(hub, 'gov', [{ jpd: spoke, mode: 'receiver' }])).status).toBe(
      200,
    );
    expect((await deploy(hub, 'gov', 'release/1.0.txt', 'governed')).status).toBe(201);
    await eventually(
      () => download(spoke, 'gov', 'release/1.0.txt'),
      (r) => r.status === 200,
    );

    // The target flips its own member to bidirectional: refused.
    const flip = await api(spoke, 'POST', '/artifactory/api/repositories/gov', {
      body: {
        rclass: 'federated',
        members: [
          { url: memberUrl(hub, 'gov'), enabled: true, mode: 'bidirectional' },
          { url: memberUrl(spoke, 'gov'), enabled: true, mode: 'bidirectional' },
        ],
      },
    });
    expect(flip.status).toBe(400);
    expect(firstError(flip)).toEqual({
      status: 400,
      message: expect.stringMatching(/receiving-only/) as unknown,
    });

    // The target builds a new federation that would send to the source: refused, nothing created there.
    const pushBack = await createFederation(spoke, 'push-back', [{ jpd: hub }]);
    expect(pushBack.status).toBe(400);
    expect((await api(hub, 'GET', '/artifactory/api/repositories/push-back')).status).toBe(400);
    expect((await api(spoke, 'GET', '/artifactory/api/repositories/push-back')).status).toBe(400);

    // A change the target may make stays local: nothing it sends reaches the source.
    const edit = await api(spoke, 'POST', '/artifactory/api/repositories/gov', {
      body: { description: 'edited on the spoke' },
    });
    expect(edit.status).toBe(200);
    expect((await api(hub, 'GET', '/artifactory/api/repositories/gov')).json).toMatchObject({
      description: '',
    });

    // The source may not make the target bidirectional either.
    const hubFlip = await api(hub, 'POST', '/artifactory/api/repositories/gov', {
      body: { members: [{ url: memberUrl(spoke, 'gov'), enabled: true, mode: 'bidirectional' }] },
    });
    expect(hubFlip.status).toBe(400);

    // The older bidirectional federation: the source now refuses the target's events, which stay queued.
    expect((await deploy(spoke, 'legacy', 'from-spoke.txt', 'blocked')).status).toBe(201);
    const stuck = await eventually(
      () => connections(spoke, 'legacy'),
      (l) => statusOf(l, spoke, hub) === 'ERROR',
    );
    expect(stuck.find((c) => c.localPlatformUrl === `${spoke.url}/artifactory`)?.queuedEvents).toBe(
      1,
    );
    expect((await download(hub, 'legacy', 'from-spoke.txt')).status).toBe(404);

    // A spoke deploy on the governed repo never reaches the source.
    expect((await deploy(spoke, 'gov', 'local-only.txt', 'x')).status).toBe(201);
    expect((await deploy(hub, 'gov', 'release/1.1.txt', 'next')).status).toBe(201);
    await eventually(
      () => download(spoke, 'gov', 'release/1.1.txt'),
      (r) => r.status === 200,
    );
    expect((await download(hub, 'gov', 'local-only.txt')).status).toBe(404);
  });

  it('with requirePairing, federates only after a pairing', async () => {
    sim = await startSimulator({ jpds: [{ name: 'a' }, { name: 'b' }], requirePairing: true });
    const a = sim.jpd('a');
    const b = sim.jpd('b');
    const before = await createFederation(a, 'paired', [{ jpd: b }]);
    expect(before.status).toBe(400);
    expect(firstError(before)?.message).toMatch(/No trust/);

    await pair(a, b, '*');
    expect((await createFederation(a, 'paired', [{ jpd: b }])).status).toBe(200);
    expect((await deploy(b, 'paired', 'both-ways.txt', 'b to a')).status).toBe(201);
    await eventually(
      () => download(a, 'paired', 'both-ways.txt'),
      (r) => r.status === 200,
    );
  });

  it('pairing tokens expire, are single-use, and unknown use cases are 404', async () => {
    const clock = manualClock();
    sim = await startSimulator({
      jpds: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      clock,
      pairingTtlSeconds: 60,
    });
    const a = sim.jpd('a');
    const b = sim.jpd('b');
    const c = sim.jpd('c');

    const issued = await api(a, 'POST', `${PAIRING}/r`);
    expect(issued.json).toMatchObject({ expires_in: 60 });
    const token = (issued.json as { pairing_token: string }).pairing_token;
    expect(token.split('.')).toHaveLength(3);

    expect((await api(b, 'PUT', `${PAIRING}/r`, { body: { pairing_token: token } })).status).toBe(
      200,
    );
    const reused = await api(c, 'PUT', `${PAIRING}/r`, { body: { pairing_token: token } });
    expect(reused.status).toBe(400);
    expect(firstError(reused)).toEqual({
      status: 400,
      message: expect.stringMatching(/already used/) as unknown,
    });

    const late = (await api(a, 'POST', `${PAIRING}/*`)).json as { pairing_token: string };
    clock.advance(61_000);
    const expired = await api(c, 'PUT', `${PAIRING}/*`, {
      body: { pairing_token: late.pairing_token },
    });
    expect(expired.status).toBe(400);
    expect(firstError(expired)?.message).toMatch(/expired/);

    const garbage = await api(c, 'PUT', `${PAIRING}/r`, { body: { pairing_token: 'not-a-token' } });
    expect(garbage.status).toBe(400);

    for (const [method, path] of [
      ['POST', '/artifactory/api/v1/service_trust/pairing/mission-control'],
      ['PUT', `${PAIRING}/w`],
    ] as const) {
      const unknown = await api(a, method, path, { body: { pairing_token: token } });
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual({ errors: [{ status: 404, message: 'Unknown use case' }] });
    }
  });
});
