/**
 * Vitest global setup: tests that spawn the real `bin/fedctl.js` (a pseudo-terminal, signals, the
 * packed install) need `dist/` to match `src/`. Builds once per run, before any worker starts, and
 * only when a source file is newer than the build: building while other tests run would let them
 * read half-written files.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function builtAt(): number {
  try {
    return newest('dist');
  } catch {
    return 0;
  }
}

export default function setup(): void {
  if (builtAt() >= Math.max(newest('src'), statSync('tsconfig.build.json').mtimeMs)) return;
  try {
    execFileSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
      {
        stdio: 'inherit',
      },
    );
  } catch {
    // tsc still emits on type errors (noEmitOnError is off); `npm run typecheck` reports them,
    // and the tests that need dist/ run against what was emitted rather than not at all.
  }
}
