import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Line, LineSplitter } from '../../src/core/lines.js';
import { type CutSegment, SegmentBuffers, SegmentCutter, frameSegment, judgeSegment, placeLine, segmentLines } from '../../src/io/segments.js';

/** A line as compared: a blank run is spread over the line numbers it covers. */
type Seen = { line: number; offset: number; bytes: string; tooLong?: boolean; length?: number } | { blank: number };

function seen(l: Line): Seen[] {
  if (l.blank !== undefined) return Array.from({ length: l.blank.lines }, (_, k) => ({ blank: l.line + k }));
  // A blank line cut by a chunk boundary comes as a line of its own (judged blank all the same).
  if (l.tooLong !== true && l.bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) return [{ blank: l.line }];
  return [{ line: l.line, offset: l.offset, bytes: l.bytes.toString('hex'), ...(l.tooLong === true ? { tooLong: true, length: l.length } : {}) }];
}

/** Bytes of blank lines: those of the runs, and those of a blank line that came alone (and its newline). */
function blankBytesOf(l: Line): number {
  if (l.blank !== undefined) return l.blank.bytes;
  const blank = seen(l)[0];
  return blank !== undefined && 'blank' in blank ? l.bytes.length + 1 : 0;
}

/** What one thread sees: LineSplitter on the whole stream. */
function reference(input: Buffer, maxLineBytes: number): { lines: Seen[]; blankBytes: number } {
  const out: Seen[] = [];
  let blankBytes = 0;
  const s = new LineSplitter({ maxLineBytes, blankRuns: true });
  const sink = (l: Line): void => {
    blankBytes += blankBytesOf(l);
    out.push(...seen(l));
  };
  s.push(input, sink);
  s.end(sink);
  return { lines: out, blankBytes };
}

/**
 * What `--jobs` sees, as io/pump.ts and io/parallel.ts do it: the stream's start
 * framed in the main thread up to the end of a line in some chunk, the rest cut
 * into segments, each framed and judged on its own, the lines numbered in order.
 */
function segmented(input: Buffer, maxLineBytes: number, chunks: number[], segmentBytes: number, here = false): { lines: Seen[]; blankBytes: number } {
  const out: Seen[] = [];
  let blankBytes = 0;
  const sink = (l: Line): void => {
    blankBytes += blankBytesOf(l);
    out.push(...seen(l));
  };
  const head = new LineSplitter({ maxLineBytes, blankRuns: true });
  const segments: CutSegment[] = [];
  let cutter: SegmentCutter | undefined;
  let start = 0;
  let k = 0;
  let at = 0;
  while (at < input.length) {
    const chunk = input.subarray(at, at + Math.max(1, chunks[k++ % chunks.length]!));
    at += chunk.length;
    if (cutter !== undefined) {
      cutter.push(chunk);
      continue;
    }
    const nl = k > 1 ? chunk.indexOf(0x0a) : -1;
    if (nl === -1) {
      head.push(chunk, sink);
      continue;
    }
    head.push(chunk.subarray(0, nl + 1), sink);
    start = head.lines;
    cutter = new SegmentCutter({ maxLineBytes, detected: false, offset: head.bytes, buffers: new SegmentBuffers(segmentBytes) }, (seg) => segments.push(seg));
    cutter.push(chunk.subarray(nl + 1));
  }
  if (cutter === undefined) head.end(sink);
  else cutter.end();
  let cursor = start;
  for (const seg of segments) {
    if (here) {
      // The workers were let go: the main thread frames each segment and takes its lines at once.
      const before = cursor;
      cursor += frameSegment(seg, maxLineBytes, (l) => sink(placeLine(seg, before, l)));
      continue;
    }
    const { lines, verdicts } = judgeSegment(seg, maxLineBytes, (l) => l);
    segmentLines(seg, { line: cursor, offset: seg.offset, headOffset: seg.headOffset }, lines, (l, i) => {
      // The worker's line (its verdict) and the main thread's view of it hold the same bytes.
      expect(l.bytes.equals(verdicts[i]!.bytes)).toBe(true);
      sink(l);
    });
    cursor += lines.lines;
  }
  return { lines: out, blankBytes };
}

const BYTES = [0x0a, 0x0a, 0x0d, 0x20, 0x09, 0x61, 0x7b, 0x7d, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xef, 0xbb, 0xbf];
const stream = fc.array(fc.constantFrom(...BYTES), { maxLength: 600 }).map((b) => Buffer.from(b));
const longLines = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.constantFrom('\n', '\r\n', '\n\n', ' \r\n')), { maxLength: 8 })
  .map((parts) => Buffer.from(parts.map(([n, end]) => 'é'.repeat(n) + end).join('')));

describe('NDJSON in segments (--jobs)', () => {
  it('frames every stream as one thread does, wherever chunks and segments end (in a worker or, once the workers are let go, here): CRLF, multi-byte characters, blank runs, over-long lines, a last line without newline', () => {
    fc.assert(
      fc.property(
        fc.oneof(stream, longLines),
        fc.oneof(fc.constant(64 * 1024 * 1024), fc.integer({ min: 0, max: 40 })),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 80 }),
        fc.boolean(),
        (input, maxLineBytes, chunks, segmentBytes, here) => {
          expect(segmented(input, maxLineBytes, chunks, segmentBytes, here)).toEqual(reference(input, maxLineBytes));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps a line longer than many segments whole, and skips one past --max-line-bytes without keeping it', () => {
    const input = Buffer.from(`${'x'.repeat(1000)}\n{}\r\n${'y'.repeat(5000)}\r\nlast`);
    expect(segmented(input, 64 * 1024 * 1024, [7], 16)).toEqual(reference(input, 64 * 1024 * 1024));
    const cut = segmented(input, 2000, [7], 16);
    expect(cut).toEqual(reference(input, 2000));
    expect(cut.lines).toContainEqual({ line: 3, offset: 1005, bytes: '', tooLong: true, length: 5000 });
  });
});
