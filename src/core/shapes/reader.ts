/**
 * One input's bytes in, its events out as `Line`s, whatever its shape: the
 * shape is forced or detected from the first value, then each line (NDJSON,
 * archive) or element (JSON, API) is cut to the event's exact bytes, with where
 * it starts in the file, the record it came from and any shape problem. The
 * per-line steps downstream judge these events as they judge NDJSON lines.
 *
 * Pure, like LineSplitter: chunk boundaries never change what it yields.
 */
import { type Line, LineSplitter, type LineSink } from '../lines.js';
import { isBlank } from '../parse-line.js';
import { type InputShape, looksLikeArchiveRecord, shapeFromFirstValue, shapeFromStart } from './detect.js';
import { codePoints, isJsonSpace, objectMembers, rawKey } from './scan.js';
import { DocumentSplitter, type Element, type SplitFailure } from './splitter.js';

export interface ShapeReaderOptions {
  /** The shape to read, or `auto`: detected from the first value. */
  shape: InputShape | 'auto';
  maxLineBytes: number;
  /** NDJSON and archive lines: runs of blank lines come as one Line each (core/lines.ts `blankRuns`). */
  blankRuns?: boolean;
  /**
   * Told once the shape is known (`detected`: by looking, not forced; `array`:
   * a JSON array). A message returned refuses the input: nothing of it is read
   * and `failure` holds the message.
   */
  onShape?(shape: InputShape, detected: boolean, array: boolean): string | undefined;
}

export type ShapeFailure = SplitFailure;

const ATTRIBUTES = [rawKey('attributes')];
const EMPTY = Buffer.alloc(0);
/** Bytes of a first value read before giving up detection (beyond the line limit: NDJSON, whose line is too long anyway). */
const HEAD_SLACK = 64 * 1024;

/** Where byte `at` of an element lies in the file, through the marks of the whitespace dropped before it. */
export function positionIn(el: Element, at: number): { line: number; column: number } {
  let line = el.line;
  let column = el.column;
  let from = 0;
  const marks = el.marks;
  if (marks !== undefined) {
    for (let k = 0; k < marks.length && marks[k]! <= at; k += 3) {
      from = marks[k]!;
      line = marks[k + 1]!;
      column = marks[k + 2]!;
    }
  }
  return { line, column: column + codePoints(el.bytes, from, at) };
}

function allSpace(chunk: Buffer): boolean {
  for (let i = 0; i < chunk.length; i++) if (!isJsonSpace(chunk[i]!)) return false;
  return true;
}

/** A line of an NDJSON input -> the event (a detected input whose lines turn into archive records says so). */
export function ndjsonEvent(l: Line, detected: boolean): Line {
  if (detected && l.tooLong !== true && looksLikeArchiveRecord(l.bytes)) {
    return { ...l, shapeProblem: 'a Datadog log archive record, in an input whose first line is a bare event: its lines switch shape (force one with --input)' };
  }
  return l;
}

export class ShapeReader {
  private shape: InputShape | undefined;
  private head: Buffer[] = [];
  private headBytes = 0;
  private probe: DocumentSplitter | undefined;
  private firstValue: Element | undefined;
  private lines: LineSplitter | undefined;
  private doc: DocumentSplitter | undefined;
  private failureValue: ShapeFailure | undefined;
  private readonly auto: boolean;
  /** Every byte of the head so far is JSON whitespace: a new chunk alone is looked at (no rescan of the head). */
  private spaceOnly = true;

  constructor(private readonly options: ShapeReaderOptions) {
    this.auto = options.shape === 'auto';
  }

  /** The shape being read, once known. */
  get detected(): InputShape | undefined {
    return this.shape;
  }

  /** Why the input could not be read on (a broken document, a refused shape); nothing more is given. */
  get failure(): ShapeFailure | undefined {
    return this.failureValue ?? this.doc?.failure;
  }

  /** Lines (NDJSON, archive) delivered so far. */
  get lineCount(): number {
    return this.lines?.lines ?? 0;
  }

  /** Bytes read so far. */
  get bytes(): number {
    return this.lines !== undefined ? this.lines.bytes : this.headBytes;
  }

  push(chunk: Buffer, sink: LineSink): void {
    if (this.failure !== undefined) return;
    if (this.shape !== undefined) {
      this.feed(chunk, sink);
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.spaceOnly && this.probe === undefined) {
      // Blank lines before the first value (even megabytes of them) cost one look per byte.
      if (!allSpace(chunk)) this.spaceOnly = false;
      else if (this.headBytes <= this.options.maxLineBytes + HEAD_SLACK) return;
    }
    if (this.headBytes < 3) return;
    this.probe?.push(chunk, (el) => this.takeFirst(el));
    const decided = this.decide(false);
    if (decided !== undefined) this.start(decided.shape, decided.array === true, sink);
  }

  end(sink: LineSink): void {
    if (this.failure !== undefined) return;
    if (this.shape === undefined) {
      const decided = this.decide(true) ?? { shape: 'ndjson' as const };
      this.start(decided.shape, decided.array === true, sink);
      if (this.failure !== undefined) return;
    }
    if (this.lines !== undefined) this.lines.end((l) => sink(this.cutLine(l)));
    else this.doc?.end((el) => sink(this.cutElement(el)));
  }

  /** The head without a UTF-8 byte order mark. */
  private headText(): { bytes: Buffer; bom: number } {
    const joined = this.head.length === 1 ? this.head[0]! : Buffer.concat(this.head);
    this.head = [joined];
    const bom = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf ? 3 : 0;
    return { bytes: joined.subarray(bom), bom };
  }

  private decide(atEnd: boolean): { shape: InputShape; array?: true } | undefined {
    if (!this.auto) return { shape: this.options.shape as InputShape };
    if (this.probe === undefined) {
      const { bytes } = this.headText();
      const early = shapeFromStart(bytes);
      if (early !== undefined) return early;
      const first = bytes.findIndex((c) => !isJsonSpace(c));
      if (first < 0 || bytes[first] !== 0x7b) {
        // only whitespace so far, or `[` and whitespace: read on
        return atEnd || this.headBytes > this.options.maxLineBytes + HEAD_SLACK ? { shape: 'ndjson' } : undefined;
      }
      // Read the first value whole (JSON texts one after another), then look at it.
      this.probe = new DocumentSplitter('json', { maxBytes: this.options.maxLineBytes });
      this.probe.push(bytes, (el) => this.takeFirst(el));
    }
    if (this.firstValue === undefined && atEnd) this.probe.end((el) => this.takeFirst(el));
    const first = this.firstValue;
    if (first !== undefined) {
      if (first.tooLong === true) return { shape: 'ndjson' };
      const marks = first.marks ?? [];
      let oneLine = true;
      for (let k = 1; k < marks.length; k += 3) if (marks[k] !== first.line) oneLine = false;
      return { shape: shapeFromFirstValue(first.bytes, oneLine) };
    }
    if (this.probe.failure !== undefined || atEnd || this.headBytes > this.options.maxLineBytes + HEAD_SLACK) return { shape: 'ndjson' };
    return undefined;
  }

  private takeFirst(el: Element): void {
    if (this.firstValue === undefined) this.firstValue = { ...el, bytes: Buffer.from(el.bytes) };
  }

  private start(shape: InputShape, array: boolean, sink: LineSink): void {
    this.shape = shape;
    const refused = this.options.onShape?.(shape, this.auto, array);
    if (refused !== undefined) {
      this.failureValue = { line: 0, column: 0, offset: 0, message: refused };
      this.head = [];
      return;
    }
    const head = this.head;
    this.head = [];
    this.probe = undefined;
    if (shape === 'ndjson' || shape === 'archive') {
      this.lines = new LineSplitter({ maxLineBytes: this.options.maxLineBytes, blankRuns: this.options.blankRuns === true });
      for (const chunk of head) this.feed(chunk, sink);
      return;
    }
    const joined = head.length === 1 ? head[0]! : Buffer.concat(head);
    const bom = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf ? 3 : 0;
    this.doc = new DocumentSplitter(shape, { maxBytes: this.options.maxLineBytes, firstOffset: bom });
    this.feed(joined.subarray(bom), sink);
  }

  private feed(chunk: Buffer, sink: LineSink): void {
    if (this.lines !== undefined) this.lines.push(chunk, (l) => sink(this.cutLine(l)));
    else this.doc?.push(chunk, (el) => sink(this.cutElement(el)));
  }

  /** A line of an NDJSON or archive input -> the event it holds. */
  private cutLine(l: Line): Line {
    if (l.tooLong === true) return l;
    if (this.shape === 'ndjson') return ndjsonEvent(l, this.auto);
    if (l.bytes.length === 0 || isBlank(l.bytes)) return l;
    const found = objectMembers(l.bytes, ATTRIBUTES);
    // Not one JSON object: handed on whole, so that its parse error is reported where it is.
    if (found === undefined) return l;
    const attributes = found[0];
    if (attributes === undefined || l.bytes[attributes.start] !== 0x7b) {
      const why = attributes === undefined ? 'no "attributes" object' : '"attributes" is not an object';
      const tail = this.auto ? ': the lines of this archive switch shape (force one with --input)' : ' (--input archive)';
      return { ...l, shapeProblem: `not a Datadog log archive record (${why})${tail}` };
    }
    return {
      ...l,
      bytes: l.bytes.subarray(attributes.start, attributes.end),
      record: l.bytes,
      envelope: 'archive',
      column: 1 + codePoints(l.bytes, 0, attributes.start),
    };
  }

  /** An element of a JSON or API document -> the event it holds. */
  private cutElement(el: Element): Line {
    const at = { line: el.line, offset: el.offset, column: el.column, ...(el.item !== undefined ? { item: el.item } : {}) };
    if (el.problem !== undefined) return { ...at, bytes: EMPTY, shapeProblem: el.problem };
    if (el.tooLong === true) return { ...at, bytes: EMPTY, tooLong: true, length: el.length ?? 0 };
    if (this.shape === 'json') {
      if (this.auto && looksLikeArchiveRecord(el.bytes)) {
        return { ...at, bytes: el.bytes, shapeProblem: 'a Datadog log archive record, not a bare event (force a shape with --input)' };
      }
      return { ...at, bytes: el.bytes };
    }
    // api: the event is the record's attributes.attributes
    const outer = objectMembers(el.bytes, ATTRIBUTES)?.[0];
    const inner =
      outer !== undefined && el.bytes[outer.start] === 0x7b ? objectMembers(el.bytes.subarray(outer.start, outer.end), ATTRIBUTES)?.[0] : undefined;
    if (outer === undefined || inner === undefined || el.bytes[outer.start + inner.start] !== 0x7b) {
      return { ...at, bytes: el.bytes, shapeProblem: 'an API record without an "attributes.attributes" object (not a log or a security signal)' };
    }
    const start = outer.start + inner.start;
    const pos = positionIn(el, start);
    return {
      ...at,
      line: pos.line,
      column: pos.column,
      bytes: el.bytes.subarray(start, outer.start + inner.end),
      record: el.bytes,
      envelope: 'api',
    };
  }
}
