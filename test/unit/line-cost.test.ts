import { describe, expect, it } from 'vitest';
import { MIN_LINE_VALUES, countValues, maxLineValues } from '../../src/core/line-cost.js';
import { parseLine } from '../../src/core/parse-line.js';

/** A JSON array of `n` elements `1`: it counts `n` (its `[` and `n - 1` commas). */
function arrayOf(n: number): Buffer {
  return Buffer.from(`[${Array(n).fill('1').join(',')}]`);
}

describe('how many JSON values a line may hold', () => {
  it('2^20, or one per 64 bytes of --max-line-bytes when that is more', () => {
    expect(maxLineValues(4096)).toBe(MIN_LINE_VALUES);
    expect(maxLineValues(64 * 2 ** 20)).toBe(2 ** 20);
    expect(maxLineValues(2 ** 30)).toBe(2 ** 24);
  });

  it('counts each {, [, : and , outside strings, never one inside a string', () => {
    const limit = 4;
    const pad = ' '.repeat(16);
    expect(countValues(Buffer.from(`{"a":[1,2]}${pad}`), 10)).toBe(4);
    expect(countValues(Buffer.from(`["[,:{\\"[,",1]${pad}`), limit)).toBe(2);
    expect(countValues(Buffer.from(`[[[[[[[[]]]]]]]]${pad}`), limit)).toBe(limit + 1);
  });

  it('a line of exactly the limit is parsed; one value more is invalid (values) and not parsed', () => {
    const at = parseLine({ line: 1, offset: 0, bytes: arrayOf(MIN_LINE_VALUES) });
    expect(at.kind).toBe('json');
    const over = parseLine({ line: 1, offset: 0, bytes: arrayOf(MIN_LINE_VALUES + 1) });
    expect(over).toMatchObject({ kind: 'invalid', issue: { code: 'values', params: { limit: MIN_LINE_VALUES } } });
  });

  it('a larger --max-line-bytes allows more values', () => {
    const line = { line: 1, offset: 0, bytes: arrayOf(MIN_LINE_VALUES + 1) };
    expect(parseLine(line, 128 * 2 ** 20).kind).toBe('json');
  });
});
