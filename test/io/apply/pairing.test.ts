import { describe, expect, it } from 'vitest';
import { RemoteError, type RemoteErrorDetails } from '../../../src/core/errors.js';
import type { EstablishPairing } from '../../../src/core/plan/plan.js';
import type { ArtifactoryClient } from '../../../src/io/artifactory/types.js';
import { establishPairing } from '../../../src/io/apply/pairing.js';

const action: EstablishPairing = {
  type: 'establish-pairing',
  id: 'pairing:hub->eu',
  cause: 'topology',
  dependsOn: [],
  source: 'hub',
  target: 'eu',
  receivingOnly: true,
};

const refusal = (details: Partial<RemoteErrorDetails>): RemoteError =>
  new RemoteError({
    jpd: 'eu',
    method: 'PUT',
    path: '/artifactory/api/v1/service_trust/pairing/federated-repo/r',
    ...details,
  });

/** Two JPDs whose exchange answers, in turn, what `answers` says (undefined: success). */
function jpds(answers: readonly (RemoteError | Error | undefined)[]) {
  const log: string[] = [];
  let issued = 0;
  let exchanged = 0;
  const client = (jpd: string): ArtifactoryClient =>
    ({
      jpd,
      createPairingToken: (useCase: string) => {
        issued += 1;
        log.push(`${jpd} issue ${useCase} #${issued}`);
        return Promise.resolve({ pairingToken: `token-${issued}`, expiresInSeconds: 300 });
      },
      exchangePairingToken: (useCase: string, token: string) => {
        log.push(`${jpd} exchange ${useCase} ${token}`);
        const answer = answers[exchanged];
        exchanged += 1;
        return answer === undefined ? Promise.resolve() : Promise.reject(answer);
      },
    }) as unknown as ArtifactoryClient; // a partial client: establishPairing calls only these two
  const retries: string[] = [];
  const sleeps: number[] = [];
  return {
    log,
    retries,
    sleeps,
    run: {
      client,
      retry: {
        maxRetries: 3,
        budgetMs: 60_000,
        minTimeoutMs: 100,
        maxTimeoutMs: 250,
        timeoutFactor: 2,
      },
      onRetry: (m: string) => retries.push(m),
      sleep: (ms: number) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    },
  };
}

describe('establishPairing', () => {
  it('pairs with one token when the exchange succeeds', async () => {
    const j = jpds([undefined]);
    await establishPairing(action, j.run);
    expect(j.log).toEqual(['hub issue r #1', 'eu exchange r token-1']);
    expect(j.retries).toEqual([]);
  });

  it('retries any 4xx once with a fresh token, whatever its words', async () => {
    const j = jpds([refusal({ status: 400, serverMessage: 'Bad Request' }), undefined]);
    await establishPairing(action, j.run);
    expect(j.log).toEqual([
      'hub issue r #1',
      'eu exchange r token-1',
      'hub issue r #2',
      'eu exchange r token-2',
    ]);
    expect(j.retries).toEqual([
      'eu refused the pairing token (400: Bad Request); issuing a fresh one and trying once more',
    ]);
    expect(j.sleeps).toEqual([]);
  });

  it('a second 4xx fails, saying the token lives 5 minutes and is single-use', async () => {
    const j = jpds([refusal({ status: 401 }), refusal({ status: 404, serverMessage: 'Nope' })]);
    await expect(establishPairing(action, j.run)).rejects.toThrow(
      'eu: PUT /artifactory/api/v1/service_trust/pairing/federated-repo/r -> 404: Nope; a fresh pairing token was refused too (a pairing token lives 5 minutes and can be used only once: issue and exchange it within that time, and never reuse one)',
    );
    expect(j.log.filter((l) => l.includes('issue'))).toHaveLength(2);
  });

  it.each([
    [
      'a 400 saying the source was unavailable',
      {
        status: 400,
        serverMessage: 'Failed to establish trust with https://hub: Service Unavailable',
      },
    ],
    [
      'a 400 saying the source is not reachable',
      { status: 400, serverMessage: 'Failed to establish trust: https://hub is not reachable' },
    ],
    ['503', { status: 503 }],
    ['429', { status: 429 }],
    ['no answer at all', {}],
  ])('retries %s with backoff, each time with a fresh token', async (_name, details) => {
    const j = jpds([refusal(details), refusal(details), undefined]);
    await establishPairing(action, j.run);
    expect(j.log.filter((l) => l.includes('issue'))).toHaveLength(3);
    expect(j.retries).toHaveLength(2);
    expect(j.retries[0]).toMatch(
      /^eu could not complete the exchange \(.+\); retrying with a fresh pairing token in [\d.]+s \(retry 1\)$/,
    );
    // The HTTP layer's schedule: 100 then 200 ms, each jittered down to half at most.
    expect(j.sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(j.sleeps[0]).toBeLessThanOrEqual(100);
    expect(j.sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(j.sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up on an unavailable peer when the retry count is spent', async () => {
    const unavailable = refusal({ status: 503, serverMessage: 'Service Unavailable' });
    const j = jpds([unavailable, unavailable, unavailable, unavailable, undefined]);
    await expect(establishPairing(action, j.run)).rejects.toThrow(
      'eu: PUT /artifactory/api/v1/service_trust/pairing/federated-repo/r -> 503: Service Unavailable (still failing after 3 retries with a fresh pairing token)',
    );
    // Capped at maxTimeoutMs (250), jittered.
    expect(j.sleeps[2]).toBeLessThanOrEqual(250);
    expect(j.log.filter((l) => l.includes('issue'))).toHaveLength(4);
  });

  it('gives up on an unavailable peer when the next wait would pass the time budget', async () => {
    const unavailable = refusal({ status: 503, serverMessage: 'Service Unavailable' });
    const j = jpds([unavailable, undefined]);
    // A budget shorter than the first backoff (50-100 ms): no retry, however high the count.
    const run = { ...j.run, retry: { ...j.run.retry, maxRetries: 1_000, budgetMs: 10 } };
    await expect(establishPairing(action, run)).rejects.toThrow(
      '(still failing after 0 retries with a fresh pairing token)',
    );
    expect(j.sleeps).toEqual([]);
  });

  it('does not retry a 500, nor an error that is not a remote failure', async () => {
    const five = jpds([refusal({ status: 500, serverMessage: 'boom' })]);
    await expect(establishPairing(action, five.run)).rejects.toThrow('-> 500: boom');
    expect(five.retries).toEqual([]);
    const bug = jpds([new Error('a bug')]);
    await expect(establishPairing(action, bug.run)).rejects.toThrow('a bug');
    expect(bug.retries).toEqual([]);
  });
});
