/**
 * The accounting invariant with --jobs 2: lines validated in worker threads must
 * still come out exactly once each, in input order, with the same counts
 * (through the real executable: the workers are loaded from dist/).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkAccounting, gzipSpec, gzipStream, runSpec, startsLikeGzip } from './accounting-model.js';
import { useTempDir } from './support.js';

const temp = useTempDir('accounting-jobs');

describe('csm-validate accounting with --jobs 2', () => {
  it('holds for the same random streams, plain or gzipped', async () => {
    await fc.assert(
      fc.asyncProperty(runSpec, fc.option(fc.array(gzipSpec, { minLength: 3, maxLength: 3 }), { nil: null }), async (spec, gz) => {
        fc.pre(gz !== null || !startsLikeGzip(spec));
        await checkAccounting(temp.dir, spec, (s, i) => (gz === null ? s : gzipStream(s, gz[i]!)), ['--jobs', '2']);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
