/**
 * The line reader: LineSplitter, fed random bytes in random chunks, against a
 * reference written from the README's line rules.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, splitLines } from '../../dist/index.js';

/** README "Input: what a line is", directly. */
export function referenceLines(stream, maxLineBytes) {
  let base = 0;
  if (stream.length >= 3 && stream[0] === 0xef && stream[1] === 0xbb && stream[2] === 0xbf) base = 3;
  const out = [];
  let start = base;
  const add = (end) => {
    let bytes = stream.subarray(start, end);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    const line = out.length + 1;
    if (bytes.length > maxLineBytes) out.push({ line, offset: start, tooLong: true, length: bytes.length });
    else out.push({ line, offset: start, bytes: Buffer.from(bytes).toString('hex') });
  };
  for (;;) {
    const nl = stream.indexOf(0x0a, start);
    if (nl === -1) break;
    add(nl);
    start = nl + 1;
  }
  if (start < stream.length) add(stream.length);
  return out;
}

function normalise(l) {
  return l.tooLong === true
    ? { line: l.line, offset: l.offset, tooLong: true, length: l.length }
    : { line: l.line, offset: l.offset, bytes: Buffer.from(l.bytes).toString('hex') };
}

/** Feeds `stream` cut at `cuts` (empty chunks included) and collects the lines. */
function splitChunked(stream, cuts, maxLineBytes) {
  const splitter = new LineSplitter({ maxLineBytes });
  const got = [];
  const sink = (l) => got.push(normalise(l));
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(c, stream.length);
    splitter.push(stream.subarray(prev, at), sink);
    prev = at;
  }
  splitter.push(stream.subarray(prev), sink);
  splitter.end(sink);
  return { got, lines: splitter.lines, bytes: splitter.bytes };
}

/** Bytes that matter to the framing, often; anything else, sometimes. */
const byte = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0x0a, 0x0d, 0x20, 0x09, 0x61, 0x7b, 0xef, 0xbb, 0xbf) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);
const stream = fc.oneof(
  fc.array(byte, { maxLength: 200 }).map((a) => Buffer.from(a)),
  // A BOM, then lines.
  fc.array(byte, { maxLength: 100 }).map((a) => Buffer.from([0xef, 0xbb, 0xbf, ...a])),
  // Long lines of few distinct bytes, to cross small limits in many ways.
  fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('', '\r', '\r\r'), fc.constantFrom('\n', '\r\n', '')), { maxLength: 8 })
    .map((parts) => Buffer.from(parts.map(([n, cr, end]) => 'x'.repeat(n) + cr + end).join(''))),
);
const maxLineBytes = fc.oneof(fc.integer({ min: 0, max: 48 }), fc.constant(64 * 1024 * 1024));

export const properties = [
  {
    name: 'splitter-vs-reference',
    description: 'LineSplitter in random chunks gives the reference lines (bytes, numbers, offsets, over-long lengths)',
    property: () =>
      fc.property(stream, fc.array(fc.nat(260), { maxLength: 12 }), maxLineBytes, (s, cuts, max) => {
        const { got, lines, bytes } = splitChunked(s, cuts, max);
        assert.deepStrictEqual(got, referenceLines(s, max));
        assert.equal(lines, got.length);
        assert.equal(bytes, s.length);
      }),
  },
  {
    name: 'chunking-invariant',
    description: 'byte-by-byte, random and whole-buffer feeding give the same lines as splitLines',
    property: () =>
      fc.property(stream, fc.array(fc.nat(260), { maxLength: 30 }), maxLineBytes, (s, cuts, max) => {
        const whole = splitLines(s, { maxLineBytes: max }).map(normalise);
        const bytewise = splitChunked(s, Array.from({ length: s.length }, (_, i) => i), max).got;
        assert.deepStrictEqual(splitChunked(s, cuts, max).got, whole);
        assert.deepStrictEqual(bytewise, whole);
      }),
  },
];
