/**
 * Buffer chunks in, lines out: the one place where NDJSON framing is decided.
 *
 * Rules (README "Input"):
 * - `\n` ends a line; one `\r` right before it is dropped (CRLF), and so is a `\r`
 *   that ends a last line with no `\n`;
 * - a UTF-8 byte order mark (EF BB BF) at the very start of a stream is dropped;
 * - a last line without `\n` still counts, an empty stream has no lines;
 * - a line longer than `maxLineBytes` is not kept in memory: its bytes are skipped
 *   up to the next `\n` and it is delivered as `{tooLong: true, length}` with empty bytes.
 *
 * Pure: it never touches I/O, and chunk boundaries never change what it yields
 * (tests feed the same input byte by byte, in odd chunks and whole).
 */

export interface Line {
  /** 1-based line number within its stream. */
  line: number;
  /** Byte offset of the line's first byte in the stream (after decompression). */
  offset: number;
  /** The line's bytes, without its terminator. May be a view into an input chunk. */
  bytes: Buffer;
  /** Set when the line was longer than `maxLineBytes`; `bytes` is then empty. */
  tooLong?: boolean;
  /** Length in bytes of the line without its terminator (set with `tooLong`). */
  length?: number;
  /**
   * Set only by a splitter made with `blankRuns`: this Line stands for `lines`
   * consecutive blank lines (numbered from `line` on), `bytes` of input in all
   * (each line's `\n` counted, the CR before it not, as for any line); `bytes` is empty.
   */
  blank?: { lines: number; bytes: number };
  /**
   * Set for an event cut out of a document (input shapes other than NDJSON,
   * core/shapes): the 1-based column of its first byte on `line`, and for an
   * element of an array (a JSON array, an API page's `data`) its index.
   */
  column?: number;
  item?: number;
  /**
   * The whole record the event was cut from (an archive line, an API record),
   * compacted like the event; `bytes` is a view into it. `envelope` says which
   * kind of record it is (where its reserved attributes are).
   */
  record?: Buffer;
  envelope?: 'archive' | 'api';
  /** The input's shape rules this piece out (a bare event in an archive...): invalid, keyword `shape`. */
  shapeProblem?: string;
}

export type LineSink = (line: Line) => void;

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export class LineSplitter {
  private readonly maxLineBytes: number;
  /** Pieces of the current, unfinished line (carried across chunks). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of an over-long line. */
  private skipping = false;
  /** The last byte kept or skipped for the current line is a CR (not part of its length). */
  private tailCr = false;
  private lineNo = 0;
  /** Offset in the stream of the next byte to be pushed. */
  private streamOffset = 0;
  private lineStart = 0;
  /** Bytes still to inspect for a BOM at stream start (3 bytes at most). */
  private bomState: 'unknown' | 'done' = 'unknown';
  private bomPrefix: Buffer = EMPTY;

  /** Deliver each run of blank lines as one Line (`blank`), without a Line per blank line. */
  private readonly blankRuns: boolean;

  /** `bom: false`: the bytes do not start a stream (a --jobs segment after the first), so a BOM is not looked for. */
  constructor(options: { maxLineBytes?: number; blankRuns?: boolean; bom?: boolean } = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.blankRuns = options.blankRuns === true;
    if (options.bom === false) this.bomState = 'done';
  }

  /** Number of lines delivered so far. */
  get lines(): number {
    return this.lineNo;
  }

  /** Total bytes pushed so far (after decompression). */
  get bytes(): number {
    return this.streamOffset;
  }

  push(chunk: Buffer, sink: LineSink): void {
    if (this.bomState === 'unknown') {
      const joined: Buffer =
        this.bomPrefix.length === 0 ? chunk : Buffer.concat([this.bomPrefix, chunk]);
      if (joined.length < 3 && isBomPrefix(joined)) {
        // Could still become a BOM: wait for more bytes.
        this.bomPrefix = joined;
        return;
      }
      this.bomState = 'done';
      this.bomPrefix = EMPTY;
      if (joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf) {
        this.streamOffset += 3;
        this.lineStart = 3;
        chunk = joined.subarray(3);
      } else {
        chunk = joined;
      }
    }
    this.split(chunk, sink);
  }

  /** Signals the end of the stream: delivers a last line that had no `\n`. */
  end(sink: LineSink): void {
    if (this.bomState === 'unknown') {
      this.bomState = 'done';
      const rest = this.bomPrefix;
      this.bomPrefix = EMPTY;
      if (rest.length > 0) this.split(rest, sink);
    }
    if (this.skipping) {
      this.emitTooLong(sink, this.skippedLength(), false);
      return;
    }
    if (this.pendingBytes > 0) {
      let bytes = this.takePending();
      if (bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
      this.emit(sink, bytes);
    }
  }

  private split(chunk: Buffer, sink: LineSink): void {
    let start = 0;
    const n = chunk.length;
    while (start < n) {
      if (this.blankRuns && this.pendingBytes === 0 && !this.skipping) {
        start = this.blankRun(chunk, start, sink);
        if (start >= n) return;
      }
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.keep(chunk.subarray(start), sink);
        this.streamOffset += n - start;
        return;
      }
      this.streamOffset += nl + 1 - start;
      if (this.skipping) {
        this.keep(chunk.subarray(start, nl), sink);
        this.emitTooLong(sink, this.skippedLength(), true);
      } else if (this.pendingBytes === 0) {
        const end = nl > start && chunk[nl - 1] === CR ? nl - 1 : nl;
        if (end - start > this.maxLineBytes) this.emitTooLong(sink, end - start, true);
        else this.emit(sink, chunk.subarray(start, end), true);
      } else {
        this.keep(chunk.subarray(start, nl), sink);
        if (this.skipping) {
          this.emitTooLong(sink, this.skippedLength(), true);
        } else {
          let bytes = this.takePending();
          if (bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
          this.emit(sink, bytes, true);
        }
      }
      start = nl + 1;
    }
  }

  /**
   * The fast path for blank lines: the complete blank lines (only spaces, tabs,
   * CRs) from `start` on, delivered as one Line; returns where the next line
   * starts. A blank line longer than the limit is left to the normal path (it
   * is an over-long line, not a blank one).
   */
  private blankRun(chunk: Buffer, start: number, sink: LineSink): number {
    const n = chunk.length;
    let lines = 0;
    let crs = 0;
    let end = start;
    let lineAt = start;
    for (let j = start; j < n; j++) {
      const b = chunk[j];
      if (b === LF) {
        const cr = j > lineAt && chunk[j - 1] === CR ? 1 : 0;
        if (j - lineAt - cr > this.maxLineBytes) break;
        lines++;
        crs += cr;
        end = j + 1;
        lineAt = j + 1;
      } else if (b !== 0x20 && b !== 0x09 && b !== CR) {
        break;
      }
    }
    if (lines === 0) return start;
    this.streamOffset += end - start;
    const line = this.lineNo + 1;
    this.lineNo += lines;
    const offset = this.lineStart;
    this.lineStart = this.streamOffset;
    sink({ line, offset, bytes: EMPTY, blank: { lines, bytes: end - start - crs } });
    return end;
  }

  /** Adds bytes of an unfinished line; switches to skipping past the limit. */
  private keep(piece: Buffer, _sink: LineSink): void {
    if (piece.length === 0) return;
    this.tailCr = piece[piece.length - 1] === CR;
    if (this.skipping) {
      this.pendingBytes += piece.length;
      return;
    }
    // A trailing CR may still be dropped, so allow one byte over the limit.
    if (this.pendingBytes + piece.length > this.maxLineBytes + 1) {
      this.skipping = true;
      this.pending = [];
      this.pendingBytes += piece.length;
      return;
    }
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  /** Length of the over-long line being skipped, without a CR that ends it (as for any line). */
  private skippedLength(): number {
    return this.pendingBytes - (this.tailCr ? 1 : 0);
  }

  private takePending(): Buffer {
    const bytes =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.tailCr = false;
    return bytes;
  }

  private emit(sink: LineSink, bytes: Buffer, terminated = false): void {
    if (bytes.length > this.maxLineBytes) {
      this.emitTooLong(sink, bytes.length, terminated);
      return;
    }
    this.lineNo += 1;
    const offset = this.lineStart;
    this.lineStart = this.streamOffset;
    sink({ line: this.lineNo, offset, bytes });
  }

  private emitTooLong(sink: LineSink, length: number, _terminated: boolean): void {
    this.lineNo += 1;
    const offset = this.lineStart;
    this.lineStart = this.streamOffset;
    this.skipping = false;
    this.tailCr = false;
    this.pending = [];
    this.pendingBytes = 0;
    sink({ line: this.lineNo, offset, bytes: EMPTY, tooLong: true, length });
  }
}

function isBomPrefix(b: Buffer): boolean {
  return (
    (b.length === 0 || b[0] === 0xef) &&
    (b.length < 2 || b[1] === 0xbb) &&
    (b.length < 3 || b[2] === 0xbf)
  );
}

/** Splits a whole buffer into lines (convenience for tests and small inputs). */
export function splitLines(input: Buffer, options: { maxLineBytes?: number } = {}): Line[] {
  const out: Line[] = [];
  const splitter = new LineSplitter(options);
  const sink: LineSink = (l) => out.push({ ...l, bytes: Buffer.from(l.bytes) });
  splitter.push(input, sink);
  splitter.end(sink);
  return out;
}
