/**
 * The accounting invariant through gzip: the same random streams, each gzipped
 * (levels 0-9, sometimes as two concatenated members) and fed as a file or stdin.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkAccounting, gzipSpec, gzipStream, runSpec } from './accounting-model.js';
import { useTempDir } from './support.js';

const temp = useTempDir('accounting-gz');

describe('csm-validate accounting through gzip', () => {
  it('holds when every stream is gzipped, in one or two members', async () => {
    await fc.assert(
      fc.asyncProperty(runSpec, fc.array(gzipSpec, { minLength: 3, maxLength: 3 }), async (spec, gz) => {
        await checkAccounting(temp.dir, spec, (s, i) => gzipStream(s, gz[i]!));
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
