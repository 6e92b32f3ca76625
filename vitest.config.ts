import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on a database, a child process or a browser: three at a time keep two cores busy.
    maxWorkers: 3,
    reporters: ['default'],
  },
});
