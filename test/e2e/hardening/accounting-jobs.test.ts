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

  it('holds wherever the segments handed to the workers end (CSM_SEGMENT_BYTES: inside a character, a CRLF, a long line)', async () => {
    await fc.assert(
      fc.asyncProperty(runSpec, fc.integer({ min: 1, max: 700 }), fc.boolean(), async (spec, segmentBytes, gz) => {
        fc.pre(gz || !startsLikeGzip(spec));
        const encode = (s: Buffer): Buffer => (gz ? gzipStream(s, { level: 6, split: null }) : s);
        await checkAccounting(temp.dir, spec, encode, ['--jobs', '2'], { CSM_SEGMENT_BYTES: String(segmentBytes) });
      }),
      { numRuns: 8 },
    );
  }, 240_000);
});
