import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The many small fits of the suite plan with the shipped calibration (no probes, nothing written to the user's cache).
    env: { DEEP_PRIOR_CALIBRATION: 'shipped' },
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        // Redis for the queue tests: a redis-server on a free loopback port (test/setup/redis.ts).
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/web/**'], globalSetup: ['test/setup/redis.ts'] },
      },
      // The browser app in chromium: built and served once per run (test/web/global-setup.ts), one file at a time.
      {
        extends: true,
        test: {
          name: 'web',
          include: ['test/web/**/*.test.ts'],
          globalSetup: ['test/web/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
