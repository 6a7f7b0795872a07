/**
 * Tests that spawn the real CLI (`node bin/fedctl.js`: a pseudo-terminal prompt, signals, the
 * detached simulator, the packed install) run the compiled `dist/`. Build it once per test run, so
 * they never exercise a stale build of older sources (the build is incremental: a second run with
 * nothing changed takes a second or two).
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
