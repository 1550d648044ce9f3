import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Synthesizing CDK apps takes seconds on a 2-core machine; speed is measured by `npm run bench`, not here.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // "Today" for expiry warnings: fixed, so the example's future dates stay future in every run.
    env: { ROSTER_TODAY: '2026-11-22' },
  },
});
