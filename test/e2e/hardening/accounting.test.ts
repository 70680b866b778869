/**
 * The accounting invariant over random byte streams, through csm-validate's main
 * in-process (see accounting-model.ts). Plain files and stdin here; gzip in accounting-gzip.test.ts.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkAccounting, runSpec, startsLikeGzip } from './accounting-model.js';
import { useTempDir } from './support.js';

const temp = useTempDir('accounting');

describe('csm-validate accounting: stdout + --invalid-out = every non-blank line, once, in order', () => {
  it('holds for random mixes of valid events, broken JSON, blank lines, CRLF, BOMs, NULs, invalid UTF-8 and missing final newlines', async () => {
    await fc.assert(
      fc.asyncProperty(runSpec, async (spec) => {
        fc.pre(!startsLikeGzip(spec));
        await checkAccounting(temp.dir, spec, (s) => s);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('holds for corner cases tried on every run: a BOM-only stream, CR-only and NUL-only lines, BOM-prefixed events', async () => {
    const v = (b: number) => ({ t: 'valid' as const, base: b, lead: '', trail: '' });
    await checkAccounting(temp.dir, {
      streams: [
        { bom: true, lines: [], finalNewline: false },
        { bom: false, lines: [{ spec: { t: 'blank', ws: '\r' }, crlf: true }, { spec: { t: 'nearBlank', what: 0 }, crlf: false }, { spec: { t: 'nearBlank', what: 4 }, crlf: true }], finalNewline: false },
        { bom: true, lines: [{ spec: { t: 'bomPrefix', base: 1 }, crlf: false }, { spec: v(2), crlf: true }], finalNewline: false },
        { bom: false, lines: [{ spec: { t: 'bomPrefix', base: 3 }, crlf: true }, { spec: { t: 'random', bytes: [0x0d, 0x0d], at: 0 }, crlf: true }], finalNewline: false },
      ],
      stdin: 1,
    }, (s) => s);
  }, 30_000);
});
