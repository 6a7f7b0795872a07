/**
 * The hostile-file corpus: files no one should hand fedctl, generated here rather than
 * committed (a 50 MB fixture, a FIFO and /dev/zero cannot live in git). Each gets one clear,
 * positioned or named error and exit 1, within the test's time limit and without a stack; a BOM
 * or CRLF line ends are ordinary files and just work.
 */
import { execFileSync } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let dir: string;
const env = { HUB_TOKEN: 't', EU_TOKEN: 't' };
const VALID = `version: 1
jpds:
  hub: { url: "https://hub.example.com", token: "\${HUB_TOKEN}" }
  eu: { url: "https://eu.example.com", token: "\${EU_TOKEN}" }
trust:
  - { source: hub, target: eu }
federations:
  - source: hub
    packageType: generic
    repositories: [libs]
    members: [{ jpd: eu, mode: receiver }]
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedctl-hostile-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function validate(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await runCli(['validate', path], { env, cwd: dir });
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('internal error');
  expect(result.stderr).not.toContain('Maximum call stack');
  return result;
}

describe('files that are not regular files', () => {
  it('a FIFO is refused at once, without waiting for a writer', { timeout: 5_000 }, async () => {
    const fifo = join(dir, 'topology.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await validate(fifo);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`fedctl: ${fifo} is a FIFO, not a regular file\n`);
  });

  it('/dev/zero is refused without reading it', { timeout: 5_000 }, async () => {
    const before = process.memoryUsage().rss;
    const result = await validate('/dev/zero');
    expect(result.stderr).toBe('fedctl: /dev/zero is a character device, not a regular file\n');
    expect(result.code).toBe(1);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a directory without topology files is refused', async () => {
    const sub = join(dir, 'a-directory.yaml');
    await mkdir(sub);
    const result = await validate(sub);
    expect(result).toMatchObject({
      code: 1,
      stderr: `fedctl: ${sub} is a directory with no *.yaml or *.yml file\n`,
    });
  });

  it('a socket is refused', { timeout: 5_000 }, async () => {
    const path = join(dir, 'topology.sock');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const result = await validate(path);
      expect(result).toMatchObject({
        code: 1,
        stderr: `fedctl: ${path} is a socket, not a regular file\n`,
      });
    } finally {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
  });

  it('a symlink to a regular file is followed', async () => {
    const target = await file('target.yaml', VALID);
    const link = join(dir, 'link.yaml');
    await symlink(target, link);
    expect((await validate(link)).code).toBe(0);
  });
});

describe('files that are too big, too deep or too expansive', () => {
  it('a 50 MB file is refused from its first 1 MiB', { timeout: 10_000 }, async () => {
    const big = await file('big.yaml', Buffer.alloc(50 * 1024 * 1024, 'a'));
    const result = await validate(big);
    expect(result).toMatchObject({
      code: 1,
      stderr: `fedctl: ${big} is larger than 1 MiB; a topology file is at most 1 MiB\n`,
    });
  });

  it.each([
    ['flow sequences', `version: 1\njpds: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['flow mappings', `version: 1\njpds: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`],
    [
      'block mappings',
      `version: 1\njpds:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')} 1\n`,
    ],
    ['a shallow but too deep file', `version: 1\njpds: ${'['.repeat(100)}${']'.repeat(100)}\n`],
  ])('deep nesting (%s) is one positioned error', { timeout: 20_000 }, async (_name, text) => {
    const deep = await file('deep.yaml', text);
    const result = await validate(deep);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^${deep}:\\d+:\\d+: YAML nested deeper than 64 levels\\n${deep}: invalid: 1 error\\n$`,
      ),
    );
  });

  it('an alias bomb is refused before it expands', { timeout: 10_000 }, async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${prev}`).join(',')}]`);
    }
    const bomb = await file(
      'bomb.yaml',
      `version: 1\n${levels.join('\n')}\njpds: {}\nfederations: []\n`,
    );
    const result = await validate(bomb);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bomb}:1:1: cannot expand aliases:`);
  });
});

describe('absurd sizes', () => {
  it(
    '10,000 JPDs sharing one URL: every duplicate reported, exit 1, in bounded time',
    { timeout: 15_000 },
    async () => {
      const lines = ['version: 1', 'jpds:'];
      for (let i = 0; i < 10_000; i += 1) {
        lines.push(`  u${i}: { url: "https://same.example.invalid", token: "\${T${i}}" }`);
      }
      lines.push('federations: []');
      const path = await file('ten-thousand.yaml', `${lines.join('\n')}\n`);
      const result = await validate(path);
      expect(result.code).toBe(1);
      const errors = result.stderr
        .split('\n')
        .filter(
          (l) =>
            l.includes(': has the same URL') ||
            l.includes('duplicate-url') ||
            l.includes('same URL as JPD'),
        );
      expect(errors).toHaveLength(9_999);
      expect(result.stderr).toContain(`${path}: invalid: 9999 errors`);
    },
  );
});

describe('encodings and line ends', () => {
  it('invalid UTF-8 is one error with its line and column', async () => {
    const bad = await file(
      'latin1.yaml',
      Buffer.concat([Buffer.from(VALID), Buffer.from('# caf\xe9\n', 'latin1')]),
    );
    const result = await validate(bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${bad}:12:6: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8\n${bad}: invalid: 1 error\n`,
    );
  });

  it('a UTF-8 byte order mark just works', async () => {
    const bom = await file('bom.yaml', `\ufeff${VALID}`);
    expect(await validate(bom)).toMatchObject({ code: 0, stderr: '' });
  });

  it('CRLF line ends just work, tokens included', async () => {
    const crlf = await file('crlf.yaml', VALID.replace(/\n/g, '\r\n'));
    expect(await validate(crlf)).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('references that must not be run or expanded', () => {
  it.each([
    [
      'token',
      ['"${HUB_TOKEN}"', '"$(touch MARKER)"'],
      '3:49: jpds.hub.token must be an environment variable reference',
    ],
    [
      'url',
      ['https://eu.example.com', '$(touch MARKER)'],
      '4:14: URL of JPD "eu" is not a valid URL',
    ],
  ])('$(cmd) as a %s is refused, and nothing runs', async (_field, [from, to], message) => {
    const marker = join(dir, 'ran');
    const path = await file(
      'cmd.yaml',
      VALID.replace(from ?? '', (to ?? '').replace('MARKER', marker)),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path}:${message}`);
    const plan = await runCli(['plan', '-f', path], { env, cwd: dir });
    expect(plan.code).toBe(1);
    await expect(access(marker)).rejects.toThrow();
  });

  it('${HOME} as a token is refused: it is not a secret', async () => {
    const path = await file('home.yaml', VALID.replace('${HUB_TOKEN}', '${HOME}'));
    const result = await validate(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${path}:3:49: jpds.hub.token names HOME, which holds no access token; name the variable that does`,
    );
  });

  it('${HOME} in a caFile path is a fedctl variable, never the environment', async () => {
    const path = await file(
      'home-ca.yaml',
      VALID.replace('token: "${EU_TOKEN}" }', 'token: "${EU_TOKEN}", caFile: "${HOME}/ca.pem" }'),
    );
    const result = await validate(path);
    expect(result.code).toBe(1);
    // HOME is set in this process; an environment variable is still never expanded into a path.
    expect(process.env['HOME']).toBeDefined();
    expect(result.stderr).toContain(
      `home-ca.yaml:4:71: variable HOME is not set: give it with --var HOME=VALUE or in a --var-file`,
    );
    const dollar = await file(
      'dollar-ca.yaml',
      VALID.replace('token: "${EU_TOKEN}" }', 'token: "${EU_TOKEN}", caFile: "$(id)/ca.pem" }'),
    );
    expect((await validate(dollar)).stderr).toContain(
      `jpds.eu.caFile is a path and is not expanded: "$(" would be read literally; write the path out`,
    );
  });
});
