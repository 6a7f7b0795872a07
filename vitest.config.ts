import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that spawn bin/fedctl.js need dist/ built from the current sources.
    globalSetup: ['test/support/build-dist.ts'],
    // e2e tests start loopback servers; keep the worker count modest on 2-core CI machines.
    maxWorkers: 2,
  },
});
