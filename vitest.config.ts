import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `npm run coverage`: line coverage of src/ by the tests that run in-process
    // (the spawned executables run dist/, which v8 coverage of this process does not see).
    coverage: { provider: 'v8', include: ['src/**/*.ts'], exclude: ['src/types/**'], reporter: ['text-summary', 'json-summary'] },
  },
});
