import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: the e2e tests start processes, and a loaded 2-core machine slows them tenfold.
    testTimeout: 120_000,
    // csm-rules' policy cache goes to a temporary directory, not the user's ~/.cache.
    env: { CSM_RULES_CACHE: join(tmpdir(), 'csm-ndjson-test-policy-cache') },
    hookTimeout: 60_000,
    pool: 'forks',
    // At least two files at a time (vitest's default is one per core but one, so a
    // 2-core machine ran them one by one): the e2e files mostly wait for the
    // processes they start, while the others keep the test process busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // `npm run coverage`: line coverage of src/ by the tests that run in-process
    // (the spawned executables run dist/, which v8 coverage of this process does not see).
    coverage: { provider: 'v8', include: ['src/**/*.ts'], exclude: ['src/types/**'], reporter: ['text-summary', 'json-summary'] },
  },
});
