import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Line, LineSplitter, splitLines } from '../../src/core/lines.js';

/** Feeds `input` in chunks of the given sizes (cycled) and collects the lines. */
function feed(input: Buffer, sizes: number[], maxLineBytes?: number): Line[] {
  const out: Line[] = [];
  const splitter = new LineSplitter({ maxLineBytes });
  const sink = (l: Line): void => {
    out.push({ ...l, bytes: Buffer.from(l.bytes) });
  };
  let i = 0;
  let k = 0;
  while (i < input.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    splitter.push(input.subarray(i, i + n), sink);
    i += n;
  }
  splitter.end(sink);
  return out;
}

/** Every expectation runs whole, byte by byte and in odd chunks (like ripgrep's SearcherTester). */
const CHUNKINGS: [string, number[]][] = [
  ['whole', [1 << 30]],
  ['1-byte', [1]],
  ['odd chunks', [3, 1, 7, 2]],
];

function expectLines(input: string | Buffer, expected: string[], maxLineBytes?: number): void {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  for (const [, sizes] of CHUNKINGS) {
    const got = feed(buf, sizes, maxLineBytes).map((l) => (l.tooLong === true ? `<tooLong ${l.length}>` : l.bytes.toString('latin1')));
    expect(got).toEqual(expected);
  }
}

describe('LineSplitter', () => {
  it.each<[string, string | Buffer, string[]]>([
    ['an empty stream has no lines', '', []],
    ['a newline ends a line', 'a\nb\n', ['a', 'b']],
    ['a last line without a newline still counts', 'a\nb', ['a', 'b']],
    ['a CR before LF is dropped', 'a\r\nb\r\n', ['a', 'b']],
    ['a CR ending the last line is dropped', 'a\r\nb\r', ['a', 'b']],
    ['only one CR is dropped', 'a\r\r\n', ['a\r']],
    ['a CR inside a line is kept', 'a\rb\n', ['a\rb']],
    ['blank lines are lines', '\n\n \n', ['', '', ' ']],
    ['a BOM at the start is dropped', '\uFEFF{"a":1}\n', ['{"a":1}']],
    ['a BOM later in the stream is kept', 'x\n\uFEFFy\n', ['x', '\xEF\xBB\xBFy']],
    ['a lone BOM is an empty stream', '\uFEFF', []],
    ['a stream that starts like a BOM is kept', Buffer.from([0xef, 0xbb, 0x7a]), ['\xEF\xBBz']],
    ['a stream that is a BOM prefix is kept', Buffer.from([0xef, 0xbb]), ['\xEF\xBB']],
  ])('%s', (_name, input, expected) => {
    expectLines(input, expected);
  });

  it('numbers lines from 1 and records byte offsets after the BOM', () => {
    const lines = splitLines(Buffer.from('\uFEFFab\r\n\ncd', 'utf8'));
    expect(lines.map((l) => [l.line, l.offset])).toEqual([
      [1, 3],
      [2, 7],
      [3, 8],
    ]);
  });

  it('turns a line longer than the limit into a tooLong line and goes on', () => {
    expectLines('ok\n0123456789\nnext\n', ['ok', '<tooLong 10>', 'next'], 5);
    expectLines('ok\n0123456789', ['ok', '<tooLong 10>'], 5);
    expectLines('12345\r\n', ['12345'], 5);
  });

  it('does not keep a skipped long line in memory', () => {
    const splitter = new LineSplitter({ maxLineBytes: 10 });
    const seen: Line[] = [];
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 20; i++) splitter.push(chunk, (l) => seen.push(l));
    // 20 MiB pushed, nothing retained: the pending buffer list is empty while skipping.
    expect((splitter as unknown as { pending: Buffer[] }).pending.length).toBe(0);
    splitter.push(Buffer.from('\nz\n'), (l) => seen.push(l));
    expect(seen.map((l) => l.tooLong === true ? l.length : l.bytes.toString())).toEqual([20 * 1024 * 1024, 'z']);
  });

  it('yields the same lines however the input is chunked (property)', () => {
    const alphabet = fc.constantFrom(...'ab{}\r\n \uFEFF'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), (chars, sizes) => {
        const input = Buffer.from(chars.join(''), 'utf8');
        const whole = feed(input, [1 << 30]);
        const chunked = feed(input, sizes);
        expect(chunked.map((l) => [l.line, l.offset, l.bytes.toString('hex')])).toEqual(
          whole.map((l) => [l.line, l.offset, l.bytes.toString('hex')]),
        );
      }),
    );
  });

  it('a last line that is only a CR (no LF) is one blank line, as the README says', () => {
    expect(splitLines(Buffer.from('\r')).map((l) => l.bytes.toString())).toEqual(['']);
    expect(splitLines(Buffer.from('a\n\r')).map((l) => l.bytes.toString())).toEqual(['a', '']);
  });

  it('joins the lines back into the input, line ends aside (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const input = Buffer.from(bytes);
        const lines = splitLines(input);
        const rebuilt = Buffer.concat(lines.map((l) => Buffer.concat([l.bytes, Buffer.from('\n')])));
        // Normalise the input the way the splitter is specified to.
        let norm = input;
        if (norm[0] === 0xef && norm[1] === 0xbb && norm[2] === 0xbf) norm = norm.subarray(3);
        let text = norm.toString('latin1').replace(/\r\n/g, '\n');
        // A last line without \n counts, even one that is only the \r it drops ("\r": one blank line).
        const unterminated = text !== '' && !text.endsWith('\n');
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (unterminated) text += '\n';
        expect(rebuilt.toString('latin1')).toBe(text);
      }),
    );
  });
});
