/**
 * `--jobs` on inputs other than NDJSON (archives, API pages, JSON arrays: cut
 * into events by core/shapes in the main thread): events are packed into
 * batches (copied into one buffer each) and sent to the workers; the main
 * thread keeps each batch until it is answered.
 */
import type { Line } from '../core/lines.js';

export interface BatchMessage {
  count: number;
  buffer: ArrayBuffer;
  starts: Int32Array;
  ends: Int32Array;
  /** Length of an over-long line, -1 for a normal one. */
  tooLong: Float64Array;
  /** For an event cut out of a record (core/shapes): the record's range in `buffer` (-1: none), with the event inside it. */
  recStarts: Int32Array;
  recEnds: Int32Array;
  /** The record's kind: 0 none, 1 archive, 2 api. */
  envelopes: Uint8Array;
  /** The shape problem of each line that has one (sparse; most batches have none). */
  problems: (string | undefined)[] | undefined;
}

const ENVELOPES = [undefined, 'archive', 'api'] as const;

/** Line `i` of a batch whose bytes are `bytes` (its line number, column and item are the caller's). */
export function lineOf(b: BatchMessage, bytes: Buffer, i: number, line: number): Line {
  const tooLong = b.tooLong[i]!;
  const problem = b.problems?.[i];
  const base: Line =
    tooLong >= 0
      ? { line, offset: 0, bytes: bytes.subarray(0, 0), tooLong: true, length: tooLong }
      : { line, offset: 0, bytes: bytes.subarray(b.starts[i]!, b.ends[i]!) };
  if (problem !== undefined) base.shapeProblem = problem;
  const envelope = ENVELOPES[b.envelopes[i]!];
  if (b.recStarts[i]! >= 0) base.record = bytes.subarray(b.recStarts[i]!, b.recEnds[i]!);
  if (envelope !== undefined) base.envelope = envelope;
  return base;
}

/** A batch as the main thread keeps it: the message plus where its lines come from. */
export interface Batch extends BatchMessage {
  file: string;
  lineNos: Float64Array;
  /** For a run of blank lines (an empty line to the worker): its line count and bytes; 0 otherwise. */
  blankLines: Float64Array;
  blankBytes: Float64Array;
  /** Column and item of a line cut out of a document (NaN: none). */
  columns: Float64Array;
  items: Float64Array;
}

const BATCH_BYTES = 512 * 1024;

const BATCH_LINES = 4096;

/** The lines of a batch, in order, as the main thread reads them back. */
export function batchLines(batch: Batch, each: (line: Line, index: number) => void): void {
  const bytes = Buffer.from(batch.buffer);
  for (let i = 0; i < batch.count; i++) {
    const line = lineOf(batch, bytes, i, batch.lineNos[i]!);
    if (!Number.isNaN(batch.columns[i]!)) line.column = batch.columns[i]!;
    if (!Number.isNaN(batch.items[i]!)) line.item = batch.items[i]!;
    if (batch.blankLines[i]! > 0) line.blank = { lines: batch.blankLines[i]!, bytes: batch.blankBytes[i]! };
    each(line, i);
  }
}

/** Packs the lines of one file into batches. */
export class Batcher {
  private current: Batch | undefined;
  private used = 0;
  /** Delivered batches, whose arrays are reused so memory stays flat (no garbage per batch). */
  private readonly free: Batch[] = [];

  constructor(private readonly ready: (batch: Batch) => void) {}

  add(file: string, line: Line): void {
    const whole = line.record ?? line.bytes;
    const size = line.tooLong === true ? 0 : whole.length;
    let b = this.current;
    if (b !== undefined && (b.file !== file || b.count === BATCH_LINES || this.used + size > b.buffer.byteLength)) {
      this.flush();
      b = undefined;
    }
    if (b === undefined) {
      b = this.fresh(file, size);
      this.current = b;
      this.used = 0;
    }
    const i = b.count++;
    b.lineNos[i] = line.line;
    b.blankLines[i] = line.blank?.lines ?? 0;
    b.blankBytes[i] = line.blank?.bytes ?? 0;
    b.columns[i] = line.column ?? NaN;
    b.items[i] = line.item ?? NaN;
    b.envelopes[i] = line.envelope === 'archive' ? 1 : line.envelope === 'api' ? 2 : 0;
    if (line.shapeProblem !== undefined) (b.problems ??= [])[i] = line.shapeProblem;
    b.starts[i] = this.used;
    b.recStarts[i] = -1;
    if (line.tooLong === true) {
      b.tooLong[i] = line.length ?? 0;
    } else {
      b.tooLong[i] = -1;
      new Uint8Array(b.buffer, this.used, size).set(whole);
      if (line.record !== undefined) {
        // the event is a view into its record: the same bytes, once
        const at = line.bytes.byteOffset - line.record.byteOffset;
        b.recStarts[i] = this.used;
        b.recEnds[i] = this.used + size;
        b.starts[i] = this.used + at;
        b.ends[i] = this.used + at + line.bytes.length;
        this.used += size;
        return;
      }
      this.used += size;
    }
    b.ends[i] = this.used;
  }

  private fresh(file: string, size: number): Batch {
    const reused = this.free.pop();
    if (reused !== undefined && reused.buffer.byteLength >= size) {
      return Object.assign(reused, { file, count: 0, problems: undefined });
    }
    return {
      file,
      count: 0,
      buffer: new ArrayBuffer(Math.max(BATCH_BYTES, size)),
      starts: new Int32Array(BATCH_LINES),
      ends: new Int32Array(BATCH_LINES),
      tooLong: new Float64Array(BATCH_LINES),
      recStarts: new Int32Array(BATCH_LINES),
      recEnds: new Int32Array(BATCH_LINES),
      envelopes: new Uint8Array(BATCH_LINES),
      problems: undefined,
      lineNos: new Float64Array(BATCH_LINES),
      blankLines: new Float64Array(BATCH_LINES),
      blankBytes: new Float64Array(BATCH_LINES),
      columns: new Float64Array(BATCH_LINES),
      items: new Float64Array(BATCH_LINES),
    };
  }

  /** Gives back a batch whose lines have all been taken (outputs copy what they keep). */
  recycle(batch: Batch): void {
    if (batch.buffer.byteLength === BATCH_BYTES && this.free.length < 8) this.free.push(batch);
  }

  /** Sends the batch being filled, if any. */
  flush(): void {
    if (this.current !== undefined && this.current.count > 0) this.ready(this.current);
    this.current = undefined;
  }
}

