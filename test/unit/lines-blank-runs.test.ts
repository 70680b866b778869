import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Line, LineSplitter, splitLines } from '../../src/core/lines.js';
import { isBlank } from '../../src/core/parse-line.js';

/** The lines of `input` fed in chunks of `sizes` (cycled) to a splitter with `blankRuns`, runs expanded again. */
function withRuns(input: Buffer, sizes: number[], maxLineBytes?: number): { lines: Line[]; runs: number } {
  const splitter = new LineSplitter({ maxLineBytes, blankRuns: true });
  const lines: Line[] = [];
  let runs = 0;
  const sink = (l: Line): void => {
    if (l.blank === undefined) {
      lines.push({ ...l, bytes: Buffer.from(l.bytes) });
      return;
    }
    runs++;
    for (let k = 0; k < l.blank.lines; k++) lines.push({ line: l.line + k, offset: -1, bytes: Buffer.alloc(0) });
  };
  for (let at = 0, n = 0; at < input.length; n++) {
    const size = sizes[n % sizes.length]!;
    splitter.push(input.subarray(at, at + size), sink);
    at += size;
  }
  splitter.end(sink);
  return { lines, runs };
}

/** What a tool makes of a line: blank, over-long (with its length), or its bytes. */
function verdictOf(l: Line): string {
  if (l.tooLong === true) return `${l.line} long ${l.length}`;
  return isBlank(l.bytes) ? `${l.line} blank` : `${l.line} ${l.bytes.toString('latin1')}`;
}

describe('LineSplitter with blankRuns: runs of blank lines as one Line', () => {
  it('gives the same lines as the line-by-line splitter, however the input is chunked', () => {
    const alphabet = fc.constantFrom('\n', '\n', '\r', ' ', '\t', 'x', '{', '\r\n');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        (chars, sizes, max) => {
          const input = Buffer.from(chars.join(''), 'latin1');
          const reference = splitLines(input, { maxLineBytes: max }).map(verdictOf);
          expect(withRuns(input, sizes, max).lines.map(verdictOf)).toEqual(reference);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a megabyte of newlines in one chunk is one Line, its bytes counted', () => {
    const input = Buffer.alloc(2 ** 20, 0x0a);
    const seen: Line[] = [];
    const splitter = new LineSplitter({ blankRuns: true });
    splitter.push(input, (l) => seen.push(l));
    splitter.end((l) => seen.push(l));
    expect(seen).toEqual([{ line: 1, offset: 0, bytes: Buffer.alloc(0), blank: { lines: 2 ** 20, bytes: 2 ** 20 } }]);
  });

  it('a blank line longer than the limit is an over-long line, not part of a run', () => {
    expect(withRuns(Buffer.from('\n     \n\n'), [100], 2).lines.map(verdictOf)).toEqual(['1 blank', '2 long 5', '3 blank']);
  });
});
