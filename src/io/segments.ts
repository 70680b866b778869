/**
 * `--jobs` on NDJSON: the main thread no longer frames lines. It copies the
 * input's chunks, as they come, into shared segments (SharedArrayBuffer, about
 * 1 MiB) cut after a `\n`; a worker frames a segment's lines (core/lines.ts),
 * judges them and answers with their verdicts and where each line lies in the
 * segment. The main thread keeps the segment (shared: nothing is copied to the
 * worker) until the answer is taken, so that a failing worker's segments are
 * framed and judged again here, nothing lost.
 *
 * What framing needs across segments is decided here, exactly as LineSplitter
 * decides it on the whole stream: a segment always starts a line (the partial
 * line at its end moves to the next one), a line longer than `--max-line-bytes`
 * (+1 for a CR) with no `\n` in sight is skipped here and handed on as the
 * over-long `head` of the next segment, and the stream's BOM was dropped
 * before (the segments start after the stream's first line).
 */
import { type Line, LineSplitter } from '../core/lines.js';
import { ndjsonEvent } from '../core/shapes/reader.js';

const LF = 0x0a;
const CR = 0x0d;

/** A segment's size: large enough that posting it costs little, small enough to keep a few in flight. */
export const SEGMENT_BYTES = 1024 * 1024;

/** A run of whole lines of one stream, in shared memory. */
export interface Segment {
  buffer: SharedArrayBuffer;
  /** Bytes used in `buffer`. */
  length: number;
  /** An over-long line that ends where the segment starts: its length (its bytes are gone), else -1. */
  head: number;
  /** The stream's end: a last line without `\n` is a line. */
  last: boolean;
  /** The stream was detected as NDJSON (not forced): a line that is an archive record says so. */
  detected: boolean;
}

/** Where a segment's lines are, relative to it; the verdicts come in the same order. */
export interface SegmentLines {
  count: number;
  /** Lines of the stream the segment covers (a blank run counts its lines). */
  lines: number;
  /** Line number within the segment (1-based), its offset, its bytes' range. */
  lineNos: Float64Array;
  offsets: Float64Array;
  starts: Float64Array;
  ends: Float64Array;
  /** Length of an over-long line, else -1. */
  tooLong: Float64Array;
  blankLines: Float64Array;
  blankBytes: Float64Array;
  /** Shape problems (sparse). */
  problems: (string | undefined)[] | undefined;
}

/**
 * Frames a segment: each line (numbered from 1 within the segment, its offset
 * relative to the segment, an over-long head first) as the event it holds;
 * returns how many lines of the stream the segment covers.
 */
export function frameSegment(seg: Segment, maxLineBytes: number, each: (line: Line) => void): number {
  const bytes = Buffer.from(seg.buffer, 0, seg.length);
  const shift = seg.head >= 0 ? 1 : 0;
  if (shift === 1) each({ line: 1, offset: 0, bytes: bytes.subarray(0, 0), tooLong: true, length: seg.head });
  const splitter = new LineSplitter({ maxLineBytes, blankRuns: true, bom: false });
  const shifted = (l: Line): void => {
    l.line += shift;
    each(ndjsonEvent(l, seg.detected));
  };
  splitter.push(bytes, shifted);
  if (seg.last) splitter.end(shifted);
  return splitter.lines + shift;
}

/** A line from frameSegment, numbered in its stream: `before` lines came before the segment. */
export function placeLine(seg: CutSegment, before: number, l: Line): Line {
  l.offset = seg.head >= 0 && l.line === 1 ? seg.headOffset : seg.offset + l.offset;
  l.line += before;
  return l;
}

/** Frames a segment and judges each line: what a worker does, and what the main thread does for a failed one. */
export function judgeSegment<V>(seg: Segment, maxLineBytes: number, judge: (line: Line) => V): { lines: SegmentLines; verdicts: V[] } {
  const base = Buffer.from(seg.buffer, 0, seg.length).byteOffset;
  const verdicts: V[] = [];
  const cols: number[][] = [[], [], [], [], [], [], []];
  const [lineNos, offsets, starts, ends, tooLong, blankLines, blankBytes] = cols as [number[], number[], number[], number[], number[], number[], number[]];
  let problems: (string | undefined)[] | undefined;
  const count = frameSegment(seg, maxLineBytes, (l) => {
    if (l.shapeProblem !== undefined) (problems ??= [])[verdicts.length] = l.shapeProblem;
    lineNos.push(l.line);
    offsets.push(l.offset);
    const start = l.bytes.length === 0 ? 0 : l.bytes.byteOffset - base;
    starts.push(start);
    ends.push(start + l.bytes.length);
    tooLong.push(l.tooLong === true ? (l.length ?? 0) : -1);
    blankLines.push(l.blank?.lines ?? 0);
    blankBytes.push(l.blank?.bytes ?? 0);
    verdicts.push(judge(l));
  });
  const lines: SegmentLines = {
    count: verdicts.length,
    lines: count,
    lineNos: Float64Array.from(lineNos),
    offsets: Float64Array.from(offsets),
    starts: Float64Array.from(starts),
    ends: Float64Array.from(ends),
    tooLong: Float64Array.from(tooLong),
    blankLines: Float64Array.from(blankLines),
    blankBytes: Float64Array.from(blankBytes),
    problems,
  };
  return { lines, verdicts };
}

/** The lines of a judged segment, as the main thread hands them on (views into the segment). */
export function segmentLines(seg: Segment, at: { line: number; offset: number; headOffset: number }, l: SegmentLines, each: (line: Line, i: number) => void): void {
  const bytes = Buffer.from(seg.buffer, 0, seg.length);
  for (let i = 0; i < l.count; i++) {
    const head = seg.head >= 0 && i === 0;
    const line: Line = {
      line: at.line + l.lineNos[i]!,
      offset: head ? at.headOffset : at.offset + l.offsets[i]!,
      bytes: bytes.subarray(l.starts[i]!, l.ends[i]!),
    };
    if (l.tooLong[i]! >= 0) {
      line.tooLong = true;
      line.length = l.tooLong[i]!;
    }
    if (l.blankLines[i]! > 0) line.blank = { lines: l.blankLines[i]!, bytes: l.blankBytes[i]! };
    const problem = l.problems?.[i];
    if (problem !== undefined) line.shapeProblem = problem;
    each(line, i);
  }
}

/** Segment buffers of the usual size, used again once their lines are taken (so memory stays flat). */
export class SegmentBuffers {
  private readonly free: SharedArrayBuffer[] = [];

  constructor(readonly size: number) {}

  take(size: number): SharedArrayBuffer {
    return (size === this.size ? this.free.pop() : undefined) ?? new SharedArrayBuffer(size);
  }

  give(buffer: SharedArrayBuffer): void {
    if (buffer.byteLength === this.size && this.free.length < 8) this.free.push(buffer);
  }
}

/** A segment ready to go, with where it lies in its stream (for the main thread). */
export interface CutSegment extends Segment {
  /** Stream offset of the segment's first byte, and of its over-long head line. */
  offset: number;
  headOffset: number;
}

/**
 * Cuts one stream's chunks into segments (the main thread's whole share of
 * framing: a copy and a backwards search for `\n` per segment).
 */
export class SegmentCutter {
  private cur: Uint8Array | undefined;
  private used = 0;
  /** Stream offset of `cur[0]`. */
  private start: number;
  private head = -1;
  private headOffset = 0;
  /** Skipping an over-long line: where it started, its bytes so far, whether the last one is a CR. */
  private skip: { offset: number; length: number; cr: boolean } | undefined;

  constructor(
    private readonly options: { maxLineBytes: number; detected: boolean; offset: number; buffers: SegmentBuffers },
    private readonly emit: (seg: CutSegment) => void,
  ) {
    this.start = options.offset;
  }

  push(chunk: Buffer): void {
    let p = 0;
    while (p < chunk.length) {
      if (this.skip !== undefined) {
        p = this.skipTo(chunk, p);
        continue;
      }
      const cur = (this.cur ??= this.fresh(this.options.buffers.size));
      const n = Math.min(cur.length - this.used, chunk.length - p);
      cur.set(chunk.subarray(p, p + n), this.used);
      this.used += n;
      p += n;
      if (this.used === cur.length) this.full();
    }
  }

  /** The stream's end: what is left (a last line without `\n`, an over-long line) goes in a last segment. */
  end(): void {
    if (this.skip !== undefined) this.endSkip(this.skip.length - (this.skip.cr ? 1 : 0), this.start);
    this.send(this.used, true);
    this.cur = undefined;
    this.used = 0;
  }

  private fresh(size: number): Uint8Array {
    return new Uint8Array(this.options.buffers.take(size));
  }

  /** Skips an over-long line up to its `\n`; returns where the next line starts in `chunk`. */
  private skipTo(chunk: Buffer, p: number): number {
    const skip = this.skip!;
    const nl = chunk.indexOf(LF, p);
    const to = nl === -1 ? chunk.length : nl;
    if (to > p) {
      skip.length += to - p;
      skip.cr = chunk[to - 1] === CR;
    }
    this.start += to - p;
    if (nl === -1) return chunk.length;
    this.start += 1;
    this.endSkip(skip.length - (skip.cr ? 1 : 0), this.start);
    return nl + 1;
  }

  private endSkip(length: number, next: number): void {
    this.head = length;
    this.headOffset = this.skip!.offset;
    this.skip = undefined;
    this.start = next;
  }

  /** A full segment: sent up to its last `\n`, the rest carried into the next one. */
  private full(): void {
    const cur = this.cur!;
    const view = Buffer.from(cur.buffer, cur.byteOffset, this.used);
    const nl = view.lastIndexOf(LF);
    if (nl >= 0) {
      const rest = this.used - nl - 1;
      const next = rest > 0 ? this.fresh(Math.max(this.options.buffers.size, rest * 2)) : undefined;
      next?.set(cur.subarray(nl + 1, this.used));
      this.send(nl + 1, false);
      this.cur = next;
      this.used = rest;
      return;
    }
    // One line fills the segment.
    if (this.used > this.options.maxLineBytes + 1) {
      // Too long: its bytes are not kept (LineSplitter's rule: +1 for a CR that may end it).
      if (this.head >= 0) this.send(0, false);
      this.skip = { offset: this.start, length: this.used, cr: cur[this.used - 1] === CR };
      this.start += this.used;
      this.drop();
      return;
    }
    const grown = this.fresh(Math.min(cur.length * 2, this.options.maxLineBytes + 2));
    grown.set(cur.subarray(0, this.used));
    const used = this.used;
    this.drop();
    this.cur = grown;
    this.used = used;
  }

  private drop(): void {
    if (this.cur !== undefined) this.options.buffers.give(this.cur.buffer as SharedArrayBuffer);
    this.cur = undefined;
    this.used = 0;
  }

  /** Sends the first `length` bytes of the current segment (and its head, if any). */
  private send(length: number, last: boolean): void {
    if (length === 0 && this.head < 0) return;
    // A head alone gets a buffer of its own (the current one goes on being filled, or is dropped).
    const buffer = length > 0 ? (this.cur!.buffer as SharedArrayBuffer) : new SharedArrayBuffer(0);
    this.emit({
      buffer,
      length,
      head: this.head,
      last,
      detected: this.options.detected,
      offset: this.start,
      headOffset: this.headOffset,
    });
    this.start += length;
    this.head = -1;
  }
}
