/**
 * The hostile-server suite: one scenario per answer a JPD (or whatever answers in its
 * place) can give. Each runs the real `fedctl apply --auto-approve` in-process against a loopback
 * server and checks: the exit code (1, or 0 where the data is valid), exactly one `fedctl:` line
 * naming the JPD, no stack, no token in any encoding anywhere, no write request sent, and bounded
 * time (the test timeout) and memory (resident set growth while the command ran).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { safeText } from '../../src/core/safe-text.js';
import {
  applyMeasured,
  expectContained,
  expectOneLine,
  hostileWorld,
  secretForms,
  type HostileWorld,
} from './support.js';
import { json, startHostile, stream, type HostileServer, type Scenario } from './server.js';

const CONFIGS = /^\/artifactory\/api\/repositories\/configurations/;
const READ = 'GET /artifactory/api/repositories/configurations\\?repoType=federated';
const MiB = 1024 * 1024;

let world: HostileWorld | undefined;
const extra: HostileServer[] = [];
afterEach(async () => {
  await world?.stop();
  world = undefined;
  await Promise.all(extra.splice(0).map((s) => s.close()));
});

/** A scenario for the configurations read; every other read gets a converged answer. */
function onConfigs(answer: Scenario, fallback?: (w: { libs: () => unknown }) => Scenario) {
  return (w: Pick<HostileWorld, 'libs'>): Scenario =>
    (exchange) => {
      const { req, res } = exchange;
      if (CONFIGS.test(req.url ?? '')) answer(exchange);
      else if (fallback !== undefined) fallback(w)(exchange);
      else json(res, 200, []);
    };
}

const body =
  (status: number, contentType: string, text: string): Scenario =>
  ({ res }) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(text);
  };

describe('broken answers', () => {
  it.each([
    [
      'malformed JSON',
      body(200, 'application/json', '{"FEDERATED": [{"key": "libs",'),
      /-> 200 \(unexpected response: the body is not valid JSON\)$/,
    ],
    [
      'truncated JSON (Content-Length promises more, then the connection closes)',
      ({ res }: Parameters<Scenario>[0]) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write('{"FEDERATED": [');
        setTimeout(() => res.socket?.destroy(), 20);
      },
      /\((connection reset by the server or a proxy|request failed)[^)]*\)$/,
    ],
    [
      'an HTML login page',
      body(
        200,
        'text/html',
        '<!doctype html><html><head><title>Sign in \u001b[2J</title></head></html>',
      ),
      /expected JSON, got an HTML page titled "Sign in \\x1b\[2J"; is a proxy or a login page answering/,
    ],
    [
      'wrong types',
      body(
        200,
        'application/json',
        JSON.stringify({
          FEDERATED: [{ key: 5, rclass: 'federated', packageType: 'generic', members: [] }],
        }),
      ),
      /unexpected response: FEDERATED\[0\]\.key should be a string, but is a number\)$/,
    ],
    [
      'an empty 200',
      body(200, 'application/json', ''),
      /unexpected response: expected JSON, got an empty body\)$/,
    ],
  ])('%s: exit 1, one line', { timeout: 20_000 }, async (_name, answer, message) => {
    world = await hostileWorld(onConfigs(answer));
    const run = await applyMeasured(world);
    expectOneLine(world, run, new RegExp(`^fedctl: evil: ${READ} .*${message.source}`));
  });

  it(
    '__proto__ keys are plain data: exit 0 and nothing polluted',
    { timeout: 20_000 },
    async () => {
      world = await hostileWorld((w) =>
        onConfigs(({ res }) => {
          const repo = JSON.stringify(w.libs()).replace(/^\{/, '{"__proto__":{"polluted":true},');
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`{"__proto__":{"polluted":true,"FEDERATED":[]},"FEDERATED":[${repo}]}`);
        })(w),
      );
      const run = await applyMeasured(world);
      expectContained(world, run);
      expect(run).toMatchObject({
        code: 0,
        stdout: 'No changes. The JPDs match the topology.\n',
        stderr: '',
      });
      expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );
});

describe('bodies that never end or never come', () => {
  it(
    'a 600 MB body stops at the cap: the connection is closed early and memory stays flat',
    { timeout: 60_000 },
    async () => {
      world = await hostileWorld(
        onConfigs((exchange) => {
          exchange.res.writeHead(200, { 'content-type': 'application/json' });
          stream(exchange, 600 * MiB);
        }),
      );
      const run = await applyMeasured(world);
      expectOneLine(
        world,
        run,
        new RegExp(`^fedctl: evil: ${READ} -> 200 \\(response larger than 8388608 bytes\\)$`),
      );
      expect(world.evil.bytesSent()).toBeLessThan(100 * MiB);
      expect(run.rssGrowth).toBeLessThan(150 * MiB);
    },
  );

  it(
    'a Content-Length over the cap is refused before the body is read',
    { timeout: 20_000 },
    async () => {
      world = await hostileWorld(
        onConfigs((exchange) => {
          exchange.res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': String(600 * MiB),
          });
          stream(exchange, 600 * MiB);
        }),
      );
      const run = await applyMeasured(world);
      expectOneLine(
        world,
        run,
        /-> 200 \(response larger than 8388608 bytes: Content-Length 629145600\)$/,
      );
      expect(world.evil.bytesSent()).toBeLessThan(100 * MiB);
    },
  );

  it('a trickling body ends at the deadline', { timeout: 20_000 }, async () => {
    world = await hostileWorld(
      onConfigs((exchange) => {
        exchange.res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => {
          if (exchange.res.destroyed) clearInterval(timer);
          else exchange.write(' ');
        }, 100);
      }),
    );
    const run = await applyMeasured(world);
    expectOneLine(
      world,
      run,
      /\(no complete answer within 3000 ms \(client deadline, retries included\)\)$/,
    );
  });

  it('headers, then silence, ends at the deadline', { timeout: 20_000 }, async () => {
    world = await hostileWorld(
      onConfigs(({ res }) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
      }),
    );
    const run = await applyMeasured(world);
    expectOneLine(
      world,
      run,
      /\(no complete answer within 3000 ms \(client deadline, retries included\)\)$/,
    );
  });
});

describe('redirects', () => {
  it(
    'a redirect to another origin is not followed: the token never reaches it',
    { timeout: 20_000 },
    async () => {
      const collector = await startHostile(({ res }) => {
        json(res, 200, { FEDERATED: [] });
      });
      extra.push(collector);
      world = await hostileWorld(
        onConfigs(({ res }) => {
          res.writeHead(302, {
            location: `${collector.url}/artifactory/api/repositories/configurations?steal=1`,
          });
          res.end();
        }),
      );
      const run = await applyMeasured(world);
      expectOneLine(
        world,
        run,
        new RegExp(
          `-> 302 \\(redirected to ${collector.url}/artifactory/api/repositories/configurations; set the JPD's baseUrl`,
        ),
      );
      expect(collector.seen).toEqual([]);
    },
  );
});

describe('valid but hostile data', () => {
  it(
    '100,001 members: exit 0, every foreign member reported and kept',
    { timeout: 60_000 },
    async () => {
      world = await hostileWorld((w) =>
        onConfigs(({ res }) => {
          const foreign = Array.from({ length: 99_999 }, (_, i) => ({
            url: `https://site${i}.example.com/artifactory/libs`,
            mode: 'receiver',
            enabled: true,
          }));
          json(res, 200, { FEDERATED: [w.libs(foreign)] });
        })(w),
      );
      // About 10 MB of JSON: above the suite's small cap, far below the default.
      const run = await applyMeasured(world, { FEDCTL_MAX_RESPONSE_BYTES: String(64 * MiB) });
      expectContained(world, run);
      expect(run.code).toBe(0);
      expect(
        run.stdout
          .split('\n')
          .filter((l) => l.endsWith('member not declared in the topology; left alone')),
      ).toHaveLength(99_999);
      expect(run.rssGrowth).toBeLessThan(600 * MiB);
    },
  );

  it(
    'escape sequences in every string field are shown escaped: exit 0',
    { timeout: 20_000 },
    async () => {
      const evilText = '\u001b[2J\u001b]0;owned\u0007\r\b\u0000\u202e\u009b1m';
      world = await hostileWorld((w) =>
        onConfigs(({ res }) => {
          const repos = [
            w.libs([
              {
                url: `https://x${evilText}.example.com/artifactory/libs`,
                mode: 'receiver',
                enabled: true,
              },
            ]),
            {
              key: `foreign${evilText}`,
              rclass: 'federated',
              packageType: `generic${evilText}`,
              description: evilText,
              notes: evilText,
              members: [
                {
                  url: `https://y.example.com/artifactory/k${evilText}`,
                  mode: 'receiver',
                  enabled: true,
                },
              ],
            },
          ];
          json(res, 200, { FEDERATED: repos });
        })(w),
      );
      const run = await applyMeasured(world);
      expectContained(world, run);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/,
      );
      expect(run.stdout).toContain(
        `  evil/foreign${safeText(evilText)}: federated repository not in the topology; left alone`,
      );
    },
  );

  it(
    'escape sequences in an error message are shown escaped: exit 1, one line',
    { timeout: 20_000 },
    async () => {
      world = await hostileWorld(
        onConfigs(({ res }) => {
          json(res, 500, {
            errors: [{ status: 500, message: 'boom\u001b[2J\u001b]0;owned\u0007\u202e' }],
          });
        }),
      );
      const run = await applyMeasured(world);
      expectOneLine(world, run, /-> 500: boom\\x1b\[2J\\x1b\]0;owned\\x07\\u202e$/);
    },
  );
});

describe('error statuses with long bodies', () => {
  const long = 'Lorem ipsum '.repeat(90_000);
  it.each([
    [401, /-> 401: Lorem ipsum .{0,300}… \(the token for evil was not accepted/],
    [403, /-> 403: Lorem ipsum .{0,300}… \(the token for evil lacks the permission/],
    [500, /-> 500: Lorem ipsum .{0,300}…$/],
  ])(
    '%i with a 1 MB body: exit 1, one short line',
    { timeout: 20_000 },
    async (status, message) => {
      world = await hostileWorld(onConfigs(body(status, 'text/plain', long)));
      const run = await applyMeasured(world);
      expectOneLine(world, run, message);
      expect(run.stderr.length).toBeLessThan(1000);
    },
  );

  it(
    '404 (no configurations API) falls back to the list, whose 404 is one line',
    { timeout: 20_000 },
    async () => {
      world = await hostileWorld(() => body(404, 'text/plain', long));
      const run = await applyMeasured(world);
      expectOneLine(
        world,
        run,
        /^fedctl: evil: GET \/artifactory\/api\/repositories\?type=federated -> 404: Lorem/,
      );
    },
  );
});

describe('echoed tokens', () => {
  it.each(['plain', 'base64', 'base64url', 'percent', 'hex', 'basic', 'cut'])(
    'a server echoing the token %s-encoded never gets it printed',
    { timeout: 20_000 },
    async (form) => {
      world = await hostileWorld(() => ({ req, res }) => {
        const auth = req.headers.authorization ?? '';
        const token = auth.replace(/^Bearer /, '');
        const encoded = {
          plain: auth,
          base64: Buffer.from(auth).toString('base64'),
          base64url: Buffer.from(token).toString('base64url'),
          percent: encodeURIComponent(token).replace(
            /[-_.!~*'()a-zA-Z0-9]/g,
            (c) => `%${c.charCodeAt(0).toString(16)}`,
          ),
          hex: Buffer.from(token).toString('hex'),
          basic: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`,
          // Straddling the 300-character limit of a quoted message: only whole-body redaction
          // before shortening keeps its first half out.
          cut: `${'x'.repeat(260)} ${token}`,
        }[form];
        json(res, 401, { errors: [{ status: 401, message: `Bad credentials: ${encoded ?? ''}` }] });
      });
      const run = await applyMeasured(world);
      expectOneLine(world, run, /-> 401: Bad credentials: .*\[redacted\]/);
      for (const f of secretForms(world.tokens.evil)) expect(run.stderr).not.toContain(f);
    },
  );
});
