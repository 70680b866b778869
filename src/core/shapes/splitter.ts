/**
 * Buffer chunks of a JSON document in, its event elements out, one at a time:
 * the framing of the `json` and `api` input shapes, as `LineSplitter` is that of
 * NDJSON. Memory holds one element, never the document.
 *
 * - `json`: JSON texts one after another (any whitespace between). A text that
 *   is an array gives its elements, numbered (`item`); any other text is one
 *   element (a pretty-printed event, `jq .` output).
 * - `api`: Datadog API responses (one page or several, concatenated): objects
 *   whose `data` member is an array; its elements (the records) are given,
 *   numbered; the other members (`links`, `meta`) are skipped. A page without
 *   a `data` list is given as a problem (an error response, `{"errors":[...]}`).
 *
 * An element is handed on compacted: whitespace outside strings is dropped,
 * every other byte is the input's (strings, digits, escapes, key order), so a
 * compact document gives slices of itself. `marks` remember where whitespace
 * was dropped, so a position inside the element maps back to the file.
 *
 * Only the structure is followed (strings, brackets, and the commas and
 * brackets of the enclosing array); the element itself is judged later by the
 * per-line step. A break of the enclosing structure (`[1 2]`, an unclosed
 * array, garbage after a page) ends the document: `failure` says where.
 * Pure, and chunk boundaries never change what it yields (tests feed it byte
 * by byte, in odd chunks and whole).
 */
import { BACKSLASH, COLON, COMMA, LEFT_BRACE, LEFT_BRACKET, LF, QUOTE, RIGHT_BRACE, RIGHT_BRACKET } from '../json/codes.js';
import type { DocumentMode, ElementSink, SplitFailure } from './element.js';
import { isJsonSpace } from './scan.js';

export type { DocumentMode, Element, ElementSink, SplitFailure } from './element.js';

const enum S {
  /** Between texts. */
  Top,
  /** In an array of elements, after `[` (or `,` when `afterComma`). */
  ArrayExpect,
  /** In an array of elements, after an element. */
  ArrayAfter,
  /** An API page, after `{` or `,`: a key. */
  PageKey,
  /** In a key of a page. */
  PageKeyString,
  /** After a key of a page: `:`. */
  PageColon,
  /** After `:` in a page: the value. */
  PageValue,
  /** After a value in a page: `,` or `}`. */
  PageAfter,
  /** Inside an element (or a skipped value). */
  Value,
  /** Failed: the rest is ignored. */
  Failed,
}

const DATA_KEY = Buffer.from('"data"');

function describeByte(c: number): string {
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0').toUpperCase()}`;
}

export class DocumentSplitter {
  private state = S.Top;
  /** What the Value state returns to when the value ends. */
  private after = S.Top;
  private afterComma = false;
  /** Inside Value: keep the bytes (an element) or only skip them (a page member). */
  private keep = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  private pieces: Buffer[] = [];
  private kept = 0;
  private marks: number[] | undefined;
  private dropped = false;
  private skippingLong = false;
  private start = { line: 1, column: 1, offset: 0 };
  private item = 0;
  private itemOpen = false;
  /** API page state. */
  private key: number[] = [];
  private isData = false;
  private sawData = false;
  private pageStart = { line: 1, column: 1, offset: 0 };
  /** Position of the next byte. */
  private line = 1;
  private col = 0;
  private offset = 0;
  private failureValue: SplitFailure | undefined;

  constructor(
    private readonly mode: DocumentMode,
    private readonly options: { maxBytes: number; firstOffset?: number } = { maxBytes: Infinity },
  ) {
    this.offset = options.firstOffset ?? 0;
  }

  /** Why the document broke, once it did. */
  get failure(): SplitFailure | undefined {
    return this.failureValue;
  }

  push(chunk: Buffer, sink: ElementSink): void {
    let i = 0;
    const n = chunk.length;
    /** Start, in this chunk, of the element's bytes not yet kept (-1: none). */
    let segStart = -1;
    while (i < n && this.state !== S.Failed) {
      const c = chunk[i]!;
      if (this.state !== S.Value) {
        this.structureByte(c, sink);
        if (!this.inValue()) {
          this.advance(c);
          i++;
          continue;
        }
        segStart = -1;
      }
      if (segStart < 0 && this.keep) segStart = i;
      if (this.inString && !this.escaped && c !== QUOTE && c !== BACKSLASH) {
        // the inside of a string, where most bytes are: only the position moves
        let j = i;
        let line = this.line;
        let col = this.col;
        for (; j < n; j++) {
          const b = chunk[j]!;
          if (b === QUOTE || b === BACKSLASH) break;
          if (b === LF) {
            line++;
            col = 0;
          } else if ((b & 0xc0) !== 0x80) col++;
        }
        this.line = line;
        this.col = col;
        this.offset += j - i;
        i = j;
        continue;
      }
      const r = this.valueByte(chunk, i, c, segStart, sink);
      if (r === -2) {
        // the byte ended a scalar and is not part of it: read it again as structure
        segStart = -1;
        continue;
      }
      segStart = this.state === S.Value ? r : -1;
      this.advance(c);
      i++;
    }
    if (this.state === S.Value && segStart >= 0) this.keepPiece(chunk.subarray(segStart, n));
  }

  /** The end of the input: a scalar text ends here; anything left open is a failure. */
  end(sink: ElementSink): void {
    if (this.state === S.Value && this.scalar && this.after === S.Top) {
      this.finishValue(sink);
      return;
    }
    if (this.state === S.Top || this.state === S.Failed) return;
    const what =
      this.state === S.Value && this.keep
        ? `${this.itemOpen ? `item ${this.item} is` : 'the value is'} not closed`
        : this.state === S.ArrayExpect || this.state === S.ArrayAfter
          ? `the array is not closed (']' missing${this.itemOpen || this.item > 0 ? ` after item ${this.item - 1}` : ''})`
          : `the ${this.mode === 'api' ? 'API page' : 'value'} is not closed`;
    this.fail(`unexpected end of input: ${what}`);
  }

  /** The state, read again after a step that changed it. */
  private inValue(): boolean {
    return this.state === S.Value;
  }

  private fail(message: string): void {
    this.failureValue = { line: this.line, column: this.col + 1, offset: this.offset, message };
    this.state = S.Failed;
    this.pieces = [];
  }

  private advance(c: number): void {
    this.offset++;
    if (c === LF) {
      this.line++;
      this.col = 0;
    } else if ((c & 0xc0) !== 0x80) this.col++;
  }

  private here(): { line: number; column: number; offset: number } {
    return { line: this.line, column: this.col + 1, offset: this.offset };
  }

  /** Starts a value at the current byte `c`. */
  private beginValue(c: number, keep: boolean, after: S): void {
    this.state = S.Value;
    this.after = after;
    this.keep = keep;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = c !== LEFT_BRACE && c !== LEFT_BRACKET && c !== QUOTE;
    this.pieces = [];
    this.kept = 0;
    this.marks = undefined;
    this.dropped = false;
    this.skippingLong = false;
    this.start = this.here();
  }

  private structureByte(c: number, sink: ElementSink): void {
    if (isJsonSpace(c) && this.state !== S.PageKeyString) return;
    switch (this.state) {
      case S.Top:
        if (this.mode === 'json') {
          if (c === LEFT_BRACKET) {
            this.state = S.ArrayExpect;
            this.afterComma = false;
            this.item = 0;
            this.itemOpen = false;
          } else if (c === RIGHT_BRACKET || c === RIGHT_BRACE || c === COMMA || c === COLON) {
            this.fail(`expected a JSON value, found ${describeByte(c)}`);
          } else {
            this.itemOpen = false;
            this.beginValue(c, true, S.Top);
          }
        } else if (c === LEFT_BRACE) {
          this.state = S.PageKey;
          this.afterComma = false;
          this.sawData = false;
          this.pageStart = this.here();
        } else {
          this.fail(`expected an API response (a JSON object with a "data" list), found ${describeByte(c)}`);
        }
        return;
      case S.ArrayExpect:
        if (c === RIGHT_BRACKET && !this.afterComma) {
          this.state = this.mode === 'api' ? S.PageAfter : S.Top;
        } else if (c === RIGHT_BRACKET || c === RIGHT_BRACE || c === COMMA || c === COLON) {
          this.fail(`expected item ${this.item} of the array, found ${describeByte(c)}`);
        } else {
          this.itemOpen = true;
          this.beginValue(c, true, S.ArrayAfter);
        }
        return;
      case S.ArrayAfter:
        if (c === COMMA) {
          this.state = S.ArrayExpect;
          this.afterComma = true;
        } else if (c === RIGHT_BRACKET) {
          this.state = this.mode === 'api' ? S.PageAfter : S.Top;
        } else {
          this.fail(`expected ',' or ']' after item ${this.item - 1} of the array, found ${describeByte(c)}`);
        }
        return;
      case S.PageKey:
        if (c === QUOTE) {
          this.state = S.PageKeyString;
          this.key = [c];
          this.escaped = false;
        } else if (c === RIGHT_BRACE && !this.afterComma) {
          this.endPage(sink);
        } else {
          this.fail(`expected a key of the API response, found ${describeByte(c)}`);
        }
        return;
      case S.PageKeyString:
        if (this.key.length < 16) this.key.push(c);
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.state = S.PageColon;
          this.isData = this.key.length === DATA_KEY.length && DATA_KEY.equals(Buffer.from(this.key));
        }
        return;
      case S.PageColon:
        if (c === COLON) this.state = S.PageValue;
        else this.fail(`expected ':' after a key of the API response, found ${describeByte(c)}`);
        return;
      case S.PageValue:
        if (this.isData && c === LEFT_BRACKET) {
          this.sawData = true;
          this.state = S.ArrayExpect;
          this.afterComma = false;
          this.item = 0;
          this.itemOpen = false;
        } else if (c === RIGHT_BRACE || c === RIGHT_BRACKET || c === COMMA || c === COLON) {
          this.fail(`expected a value in the API response, found ${describeByte(c)}`);
        } else {
          this.beginValue(c, false, S.PageAfter);
        }
        return;
      case S.PageAfter:
        if (c === COMMA) {
          this.state = S.PageKey;
          this.afterComma = true;
        } else if (c === RIGHT_BRACE) {
          this.endPage(sink);
        } else {
          this.fail(`expected ',' or '}' in the API response, found ${describeByte(c)}`);
        }
        return;
      default:
        return;
    }
  }

  private endPage(sink: ElementSink): void {
    this.state = S.Top;
    if (!this.sawData) {
      sink({
        bytes: Buffer.alloc(0),
        ...this.pageStart,
        problem: 'an API response without a "data" list (an error response?): no events in it',
      });
    }
  }

  /**
   * One byte inside a value. Returns the start of the bytes still to keep in
   * this chunk (-1: none), or -2 when the byte is not part of the value (it
   * ended a scalar) and must be read again as structure.
   */
  private valueByte(chunk: Buffer, i: number, c: number, segStart: number, sink: ElementSink): number {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) {
        this.inString = false;
        if (this.depth === 0) return this.close(chunk, i + 1, segStart, sink);
      }
      return segStart;
    }
    if (this.scalar) {
      if (isJsonSpace(c) || c === COMMA || c === RIGHT_BRACKET || c === RIGHT_BRACE || c === LEFT_BRACE || c === LEFT_BRACKET || c === QUOTE || c === COLON) {
        this.close(chunk, i, segStart, sink);
        return -2;
      }
      return segStart;
    }
    if (isJsonSpace(c)) {
      // dropped: keep what came before, start again after it
      if (segStart >= 0 && segStart < i) this.keepPiece(chunk.subarray(segStart, i));
      this.dropped = true;
      return -1;
    }
    if (this.dropped && this.keep) {
      // segStart is this byte: everything before it is kept already
      this.dropped = false;
      if (!this.skippingLong) (this.marks ??= []).push(this.kept, this.line, this.col + 1);
    }
    if (c === QUOTE) {
      this.inString = true;
    } else if (c === LEFT_BRACE || c === LEFT_BRACKET) {
      this.depth++;
    } else if (c === RIGHT_BRACE || c === RIGHT_BRACKET) {
      this.depth--;
      if (this.depth === 0) return this.close(chunk, i + 1, segStart, sink);
    }
    return segStart;
  }

  /** The value ends before `end` in `chunk`: hands it on. */
  private close(chunk: Buffer, end: number, segStart: number, sink: ElementSink): number {
    if (segStart >= 0 && segStart < end) this.keepPiece(chunk.subarray(segStart, end));
    this.finishValue(sink);
    return -1;
  }

  private finishValue(sink: ElementSink): void {
    this.state = this.after;
    if (!this.keep) return;
    const item = this.itemOpen ? { item: this.item++ } : {};
    const marks = this.marks !== undefined ? { marks: this.marks } : {};
    if (this.skippingLong) {
      sink({ bytes: Buffer.alloc(0), ...this.start, ...item, tooLong: true, length: this.kept });
    } else {
      const bytes = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.kept);
      sink({ bytes, ...this.start, ...item, ...marks });
    }
    this.pieces = [];
    this.marks = undefined;
  }

  private keepPiece(piece: Buffer): void {
    if (!this.keep || piece.length === 0) return;
    this.kept += piece.length;
    if (this.skippingLong) return;
    if (this.kept > this.options.maxBytes) {
      this.skippingLong = true;
      this.pieces = [];
      this.marks = undefined;
      return;
    }
    this.pieces.push(piece);
  }
}
