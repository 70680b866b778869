import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { firstInvalidUtf8, utf8ColumnAt } from '../../src/core/utf8.js';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

function decodesFatally(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function codePointCount(text: string): number {
  return [...text].length;
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Bytes at the edges of Table 3-7's ranges. */
const INTERESTING_BYTES = [
  0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
  0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf8, 0xfe, 0xff,
];

/** Mostly valid UTF-8 with some edge bytes spliced in, so errors land anywhere. */
const mostlyUtf8: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }).map((s) => Array.from(encoder.encode(s))) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom(...INTERESTING_BYTES), { minLength: 1, maxLength: 3 }) },
    ),
    { maxLength: 12 },
  )
  .map((chunks) => Uint8Array.from(chunks.flat()));

const anyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(fc.uint8Array({ maxLength: 24 }), mostlyUtf8);

describe('firstInvalidUtf8', () => {
  it('returns -1 exactly when a fatal TextDecoder accepts the bytes', () => {
    fc.assert(
      fc.property(anyBytes, (buf) => {
        expect(firstInvalidUtf8(buf) === -1).toBe(decodesFatally(buf));
      }),
      { numRuns: 5000 },
    );
  });

  it('returns the position where decoding fails: the prefix is valid and the rest starts with an invalid sequence', () => {
    fc.assert(
      fc.property(anyBytes, (buf) => {
        const at = firstInvalidUtf8(buf);
        if (at === -1) return;
        expect(decodesFatally(buf.subarray(0, at))).toBe(true);
        expect(decodesFatally(buf.subarray(at))).toBe(false);
        // A lenient decoder replaces the sequence at `at` with U+FFFD.
        expect(lenient.decode(buf.subarray(at)).charCodeAt(0)).toBe(0xfffd);
      }),
      { numRuns: 5000 },
    );
  });

  it('checks only the range [start, end), and a sequence cut by end is invalid', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), fc.nat(), (buf, x, y) => {
        const start = x % (buf.length + 1);
        const end = start + (y % (buf.length - start + 1));
        const inCopy = firstInvalidUtf8(buf.slice(start, end));
        expect(firstInvalidUtf8(buf, start, end)).toBe(inCopy === -1 ? -1 : start + inCopy);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts well-formed text, including boundary code points and a BOM', () => {
    expect(firstInvalidUtf8(new Uint8Array(0))).toBe(-1);
    expect(firstInvalidUtf8(encoder.encode('plain ascii {"a":1}'))).toBe(-1);
    expect(firstInvalidUtf8(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d))).toBe(-1); // BOM + {}
    expect(firstInvalidUtf8(bytes(0xc2, 0x80))).toBe(-1); // U+0080
    expect(firstInvalidUtf8(bytes(0xdf, 0xbf))).toBe(-1); // U+07FF
    expect(firstInvalidUtf8(bytes(0xe0, 0xa0, 0x80))).toBe(-1); // U+0800
    expect(firstInvalidUtf8(bytes(0xed, 0x9f, 0xbf))).toBe(-1); // U+D7FF
    expect(firstInvalidUtf8(bytes(0xee, 0x80, 0x80))).toBe(-1); // U+E000
    expect(firstInvalidUtf8(bytes(0xef, 0xbf, 0xbf))).toBe(-1); // U+FFFF
    expect(firstInvalidUtf8(bytes(0xf0, 0x90, 0x80, 0x80))).toBe(-1); // U+10000
    expect(firstInvalidUtf8(bytes(0xf4, 0x8f, 0xbf, 0xbf))).toBe(-1); // U+10FFFF
    expect(firstInvalidUtf8(Buffer.from('é😀€', 'utf8'))).toBe(-1);
  });

  it.each([
    ['an overlong 2-byte form C0 80', [0x41, 0xc0, 0x80], 1],
    ['an overlong 2-byte form C1 BF', [0xc1, 0xbf], 0],
    ['an overlong 3-byte form E0 80 80', [0x41, 0x42, 0xe0, 0x80, 0x80], 2],
    ['an overlong 3-byte form E0 9F BF', [0xe0, 0x9f, 0xbf], 0],
    ['an overlong 4-byte form F0 80 80 80', [0xf0, 0x80, 0x80, 0x80], 0],
    ['an overlong 4-byte form F0 8F BF BF', [0x61, 0xf0, 0x8f, 0xbf, 0xbf], 1],
    ['an encoded high surrogate ED A0 80 (U+D800)', [0x61, 0xed, 0xa0, 0x80], 1],
    ['an encoded low surrogate ED BF BF (U+DFFF)', [0xed, 0xbf, 0xbf], 0],
    ['an encoded surrogate pair ED A0 BD ED B8 80', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], 0],
    ['a code point above U+10FFFF: F4 90 80 80', [0xc3, 0xa9, 0xf4, 0x90, 0x80, 0x80], 2],
    ['the lead byte F5', [0xf5, 0x80, 0x80, 0x80], 0],
    ['a 5-byte form F8 88 80 80 80', [0xf8, 0x88, 0x80, 0x80, 0x80], 0],
    ['the byte FE', [0x61, 0xfe], 1],
    ['the byte FF', [0xff], 0],
    ['a lone continuation byte 80', [0x61, 0x62, 0x80], 2],
    ['a lone continuation byte BF after a complete sequence', [0xc3, 0xa9, 0xbf], 2],
    ['a truncated E2 82 at the end', [0x61, 0xe2, 0x82], 1],
    ['a truncated E2 82 in the middle', [0xe2, 0x82, 0x61, 0x62], 0],
    ['a truncated 4-byte sequence F0 9F 98 before ASCII', [0x7b, 0xf0, 0x9f, 0x98, 0x7d], 1],
    ['a lead byte followed by another lead byte', [0xc3, 0xc3, 0xa9], 0],
  ] as const)('finds %s', (_name, values, expected) => {
    const buf = Uint8Array.from(values);
    expect(firstInvalidUtf8(buf)).toBe(expected);
    expect(decodesFatally(buf)).toBe(false);
  });

  it('reports a sequence cut by the end of the range at its lead byte', () => {
    const euro = bytes(0x61, 0xe2, 0x82, 0xac, 0x62); // a € b
    expect(firstInvalidUtf8(euro)).toBe(-1);
    expect(firstInvalidUtf8(euro, 0, 3)).toBe(1);
    expect(firstInvalidUtf8(euro, 2, 5)).toBe(2); // starts on a continuation byte
    expect(firstInvalidUtf8(euro, 1, 4)).toBe(-1);
  });

  it('rejects a range outside the buffer with a RangeError', () => {
    const buf = bytes(0x61, 0x62);
    expect(() => firstInvalidUtf8(buf, -1, 2)).toThrow(RangeError);
    expect(() => firstInvalidUtf8(buf, 0, 3)).toThrow(RangeError);
    expect(() => firstInvalidUtf8(buf, 2, 1)).toThrow(RangeError);
  });
});

describe('utf8ColumnAt', () => {
  it('counts code points before the index, starting at column 1', () => {
    const line = encoder.encode('aé😀€b'); // 1 + 2 + 4 + 3 + 1 bytes
    expect(utf8ColumnAt(line, 0, 0)).toBe(1);
    expect(utf8ColumnAt(line, 0, 1)).toBe(2);
    expect(utf8ColumnAt(line, 0, 3)).toBe(3);
    expect(utf8ColumnAt(line, 0, 7)).toBe(4);
    expect(utf8ColumnAt(line, 0, 10)).toBe(5);
    expect(utf8ColumnAt(line, 0, 11)).toBe(6);
  });

  it('counts from the start of the line, not of the buffer', () => {
    const buf = encoder.encode('{"x":1}\n{"é":€}');
    const start = buf.indexOf(0x0a) + 1;
    const euro = buf.indexOf(0xe2);
    expect(utf8ColumnAt(buf, start, euro)).toBe(6);
    expect(utf8ColumnAt(buf, start, start)).toBe(1);
  });

  it('gives the column of the first invalid byte of a line', () => {
    const buf = bytes(0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x3a, 0xed, 0xa0, 0x80, 0x7d); // {"é":<surrogate>}
    const at = firstInvalidUtf8(buf);
    expect(at).toBe(6);
    expect(utf8ColumnAt(buf, 0, at)).toBe(6);
  });

  it('counts a BOM as one column', () => {
    expect(utf8ColumnAt(bytes(0xef, 0xbb, 0xbf, 0x31), 0, 3)).toBe(2);
  });

  it('equals 1 + the code points a lenient decoder produces, for any bytes', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), fc.nat(), (buf, x, y) => {
        const start = x % (buf.length + 1);
        const index = start + (y % (buf.length - start + 1));
        expect(utf8ColumnAt(buf, start, index)).toBe(1 + codePointCount(lenient.decode(buf.subarray(start, index))));
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects an index before the start or past the buffer with a RangeError', () => {
    const buf = bytes(0x61, 0x62);
    expect(() => utf8ColumnAt(buf, 1, 0)).toThrow(RangeError);
    expect(() => utf8ColumnAt(buf, 0, 3)).toThrow(RangeError);
  });
});
