import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The many small fits of the suite plan with the shipped calibration (no probes, nothing written to the user's cache).
    env: { DEEP_PRIOR_CALIBRATION: 'shipped' },
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
