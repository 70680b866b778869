/**
 * The accounting invariant with --jobs 2: lines validated in worker threads must
 * still come out exactly once each, in input order, with the same counts.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkAccounting, gzipSpec, gzipStream, runSpec, startsLikeGzip } from './accounting-model.js';
import { tempDir } from './support.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('accounting-jobs');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('csm-validate accounting with --jobs 2', () => {
  it('holds for the same random streams, plain or gzipped', async () => {
    await fc.assert(
      fc.asyncProperty(runSpec, fc.option(fc.array(gzipSpec, { minLength: 3, maxLength: 3 }), { nil: null }), async (spec, gz) => {
        fc.pre(gz !== null || !startsLikeGzip(spec));
        await checkAccounting(dir, spec, (s, i) => (gz === null ? s : gzipStream(s, gz[i]!)), ['--jobs', '2']);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
