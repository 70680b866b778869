/**
 * JSON values as this project sees them (RFC 8259).
 *
 * `JSON.parse` is the fast path. It is exact for every number whose text is the
 * shortest round-trip form of a safe double ("0", "-12", "3.5"); for any other
 * number ("18446744073709551615", "1.50", "-0", "1e2") the lossless parser keeps
 * the text in a `JsonNumber`, so comparisons can be exact and output can copy
 * the digits as they were written.
 */
export class JsonNumber {
  /** The number exactly as written in the input, e.g. "18446744073709551615". */
  readonly raw: string;
  /** The nearest double, for code that only needs an approximation. */
  readonly value: number;
  constructor(raw: string) {
    this.raw = raw;
    this.value = Number(raw);
  }
  toJSON(): number {
    return this.value;
  }
}

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonNumber
  | JsonValue[]
  | { [key: string]: JsonValue };

/* ------------------------------------------------------------------------- */
/* Syntax errors                                                              */
/* ------------------------------------------------------------------------- */

/** Where and why a text is not JSON. */
export interface JsonSyntaxError {
  /**
   * 1-based column of the offending character, counted in Unicode code points
   * (a surrogate pair is one column, a lone surrogate is one column).
   */
  column: number;
  /**
   * UTF-16 index in the text of the first offending character, `text.length`
   * when the text ends too early. `text.slice(0, offset)` is always a prefix of
   * some valid JSON text, and `text.slice(0, offset + 1)` never is.
   */
  offset: number;
  /** One short phrase, e.g. "expected ',' or ']' after an array element, found '}'". */
  message: string;
}

/** What a message says when the text ends where a character was needed. */
const END_OF_LINE = 'end of line';

/** Internal failure signal; a plain object (not an Error), so throwing it captures no stack. */
class ScanFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/* Character codes used by the grammar. */
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LEFT_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RIGHT_BRACKET = 0x5d;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const LEFT_BRACE = 0x7b;
const RIGHT_BRACE = 0x7d;

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/** Value of a hex digit, or -1 (NaN from charCodeAt past the end also gives -1). */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Code points shown as \uHHHH in messages: invisible, blank or not a character. */
function isUnprintable(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0xa0) ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    cp === 0x205f ||
    cp === 0x3000 ||
    (cp >= 0xd800 && cp <= 0xdfff) ||
    cp === 0xfeff ||
    cp === 0xfffe ||
    cp === 0xffff
  );
}

/** `U+0001` style name of a code point. */
function codePointName(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/** A code point as message text: itself, or a \uHHHH escape when it is unprintable. */
function charText(cp: number): string {
  return isUnprintable(cp) ? '\\u' + cp.toString(16).padStart(4, '0') : String.fromCodePoint(cp);
}

/** A code point quoted for a message: 'x', "'" or '\u0001'. */
function quoteCodePoint(cp: number): string {
  return cp === 0x27 ? `"'"` : `'${charText(cp)}'`;
}

/** The character at `pos` quoted for a message (a whole surrogate pair), or "end of line". */
function describeAt(text: string, pos: number): string {
  const cp = text.codePointAt(pos);
  return cp === undefined ? END_OF_LINE : quoteCodePoint(cp);
}

/** 1 + the number of code points before `offset` (a surrogate pair counts once). */
function columnAt(text: string, offset: number): number {
  let column = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    column++;
  }
  return column;
}

/* ------------------------------------------------------------------------- */
/* The scanner / parser                                                       */
/* ------------------------------------------------------------------------- */

type JsonObject = { [key: string]: JsonValue };

/** An open array or object. Containers are null when only validating. */
interface Frame {
  readonly isArray: boolean;
  readonly array: JsonValue[] | null;
  readonly object: JsonObject | null;
  /** The key of the member whose value is being parsed (objects only). */
  key: string;
}

/** What "expected …" says when a value is missing. */
const EXPECT_VALUE = 'a value';
const EXPECT_VALUE_OR_CLOSE = "a value or ']'";
const EXPECT_KEY = 'a string key';
const EXPECT_KEY_OR_CLOSE = "a string key or '}'";

/**
 * One pass over a JSON text with an explicit stack (no recursion, so nesting
 * depth is limited only by memory). With `build` false it only validates and
 * every value is null; with `build` true it produces the value.
 * Throws ScanFailure at the first offending character.
 */
class Scanner {
  private pos = 0;
  private readonly text: string;
  private readonly build: boolean;

  constructor(text: string, build: boolean) {
    this.text = text;
    this.build = build;
  }

  /** RFC 8259 §2: JSON-text = ws value ws. */
  document(): JsonValue {
    const stack: Frame[] = [];
    let expectation = EXPECT_VALUE;
    this.skipWhitespace();
    for (;;) {
      let value: JsonValue;
      const c = this.peek();
      if (c === LEFT_BRACE) {
        this.pos++;
        this.skipWhitespace();
        if (this.peek() === RIGHT_BRACE) {
          this.pos++;
          value = this.build ? {} : null;
        } else {
          const object: JsonObject | null = this.build ? {} : null;
          const key = this.key(EXPECT_KEY_OR_CLOSE);
          stack.push({ isArray: false, array: null, object, key });
          expectation = EXPECT_VALUE;
          continue;
        }
      } else if (c === LEFT_BRACKET) {
        this.pos++;
        this.skipWhitespace();
        if (this.peek() === RIGHT_BRACKET) {
          this.pos++;
          value = this.build ? [] : null;
        } else {
          const array: JsonValue[] | null = this.build ? [] : null;
          stack.push({ isArray: true, array, object: null, key: '' });
          expectation = EXPECT_VALUE_OR_CLOSE;
          continue;
        }
      } else if (c === QUOTE) {
        value = this.string();
      } else if (c === MINUS || isDigit(c)) {
        value = this.number();
      } else if (c === LOWER_T) {
        value = this.literal('true', true);
      } else if (c === LOWER_F) {
        value = this.literal('false', false);
      } else if (c === LOWER_N) {
        value = this.literal('null', null);
      } else {
        throw this.failHere(`expected ${expectation}, found`);
      }

      // The value is complete: store it in the enclosing containers, closing
      // every container that ends right after it.
      for (;;) {
        const frame = stack.length === 0 ? undefined : stack[stack.length - 1];
        if (frame === undefined) return this.end(value);
        this.store(frame, value);
        this.skipWhitespace();
        const d = this.peek();
        if (d === COMMA) {
          // RFC 8259 §4, §5: a comma must be followed by another member/element
          // (no trailing commas).
          this.pos++;
          this.skipWhitespace();
          if (!frame.isArray) frame.key = this.key(EXPECT_KEY);
          expectation = EXPECT_VALUE;
          break;
        }
        if (frame.isArray ? d !== RIGHT_BRACKET : d !== RIGHT_BRACE) {
          throw this.failHere(
            frame.isArray
              ? "expected ',' or ']' after an array element, found"
              : "expected ',' or '}' after an object member, found",
          );
        }
        this.pos++;
        stack.pop();
        value = frame.isArray ? frame.array : frame.object;
      }
    }
  }

  /** After the top-level value only whitespace may follow (exactly one value per text). */
  private end(value: JsonValue): JsonValue {
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      throw this.failHere('expected end of line after the JSON value, found');
    }
    return value;
  }

  /** Adds a finished value to its container (objects: the last duplicate key wins). */
  private store(frame: Frame, value: JsonValue): void {
    if (frame.array !== null) {
      frame.array.push(value);
    } else if (frame.object !== null) {
      setOwnMember(frame.object, frame.key, value);
    }
  }

  /** RFC 8259 §4: member = string name-separator value; consumes the key and the ':'. */
  private key(expectation: string): string {
    if (this.peek() !== QUOTE) throw this.failHere(`expected ${expectation}, found`);
    const key = this.string();
    this.skipWhitespace();
    if (this.peek() !== COLON) throw this.failHere("expected ':' after an object key, found");
    this.pos++;
    this.skipWhitespace();
    return key;
  }

  /** RFC 8259 §2: ws = *( %x20 / %x09 / %x0A / %x0D ) — nothing else is whitespace. */
  private skipWhitespace(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      i++;
    }
    this.pos = i;
  }

  /** Code unit at the cursor, or NaN at the end (NaN equals nothing). */
  private peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  /** `${prefix} ${the character at the cursor}`. */
  private failHere(prefix: string): ScanFailure {
    return new ScanFailure(this.pos, `${prefix} ${describeAt(this.text, this.pos)}`);
  }

  /** RFC 8259 §3: the literal names true, false and null, lowercase. */
  private literal<T extends JsonValue>(word: string, value: T): T {
    const text = this.text;
    const start = this.pos;
    for (let k = 1; k < word.length; k++) {
      if (text.charCodeAt(start + k) !== word.charCodeAt(k)) {
        const found = describeAt(text, start + k);
        throw new ScanFailure(start + k, `expected '${word[k]}' to complete '${word}', found ${found}`);
      }
    }
    this.pos = start + word.length;
    return value;
  }

  /**
   * RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ];
   * int = zero / ( digit1-9 *DIGIT ); frac = "." 1*DIGIT; exp = e [ minus / plus ] 1*DIGIT.
   */
  private number(): JsonValue {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let c = text.charCodeAt(i);
    if (c === MINUS) {
      c = text.charCodeAt(++i);
      if (!isDigit(c)) throw new ScanFailure(i, `expected a digit after '-', found ${describeAt(text, i)}`);
    }
    if (c === DIGIT_0) {
      // int = zero / ( digit1-9 *DIGIT ): no leading zeros.
      c = text.charCodeAt(++i);
      if (isDigit(c)) throw new ScanFailure(i, 'leading zero in number');
    } else {
      do c = text.charCodeAt(++i);
      while (isDigit(c));
    }
    if (c === DOT) {
      c = text.charCodeAt(++i);
      if (!isDigit(c)) throw new ScanFailure(i, `expected a digit after '.', found ${describeAt(text, i)}`);
      do c = text.charCodeAt(++i);
      while (isDigit(c));
    }
    if (c === LOWER_E || c === UPPER_E) {
      const exponentStart = i;
      c = text.charCodeAt(++i);
      if (c === PLUS || c === MINUS) c = text.charCodeAt(++i);
      if (!isDigit(c)) {
        const marker = text.slice(exponentStart, i);
        throw new ScanFailure(i, `expected a digit after '${marker}', found ${describeAt(text, i)}`);
      }
      do c = text.charCodeAt(++i);
      while (isDigit(c));
    }
    this.pos = i;
    return this.build ? numberValue(text.slice(start, i)) : null;
  }

  /**
   * RFC 8259 §7: string = quotation-mark *char quotation-mark, where a char is
   * any code unit except '"', '\' and U+0000-U+001F, or an escape. Runs
   * without escapes are sliced, not copied character by character.
   */
  private string(): string {
    const text = this.text;
    const length = text.length;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      if (i >= length) throw new ScanFailure(length, `unterminated string, found ${END_OF_LINE}`);
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return this.build ? text.slice(start, i) : '';
      }
      if (c === BACKSLASH) return this.escapedString(start, i);
      if (c < SPACE) throw controlCharacter(i, c);
      i++;
    }
  }

  /** The rest of a string from its first backslash at `i`. */
  private escapedString(start: number, i: number): string {
    const text = this.text;
    const length = text.length;
    const build = this.build;
    let out = build ? text.slice(start, i) : '';
    let runStart = i;
    for (;;) {
      if (i >= length) throw new ScanFailure(length, `unterminated string, found ${END_OF_LINE}`);
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return build ? out + text.slice(runStart, i) : '';
      }
      if (c === BACKSLASH) {
        if (build) out += text.slice(runStart, i);
        const decoded = this.escape(i);
        if (build) out += decoded;
        i += text.charCodeAt(i + 1) === LOWER_U ? 6 : 2; // \uHHHH or \X
        runStart = i;
        continue;
      }
      if (c < SPACE) throw controlCharacter(i, c);
      i++;
    }
  }

  /**
   * RFC 8259 §7: escape = '\' ( '"' / '\' / '/' / 'b' / 'f' / 'n' / 'r' / 't' / 'u' 4HEXDIG ).
   * \uHHHH may name a lone surrogate: that is grammatically valid, and decodes
   * to that code unit as JSON.parse does. Returns the decoded code unit.
   */
  private escape(backslash: number): string {
    const text = this.text;
    const at = backslash + 1;
    const e = text.charCodeAt(at);
    switch (e) {
      case QUOTE:
        return '"';
      case BACKSLASH:
        return '\\';
      case SLASH:
        return '/';
      case LOWER_B:
        return '\b';
      case LOWER_F:
        return '\f';
      case LOWER_N:
        return '\n';
      case LOWER_R:
        return '\r';
      case LOWER_T:
        return '\t';
      case LOWER_U:
        return String.fromCharCode(this.hex4(at + 1));
    }
    if (at >= text.length) throw new ScanFailure(at, `unterminated string, found ${END_OF_LINE}`);
    const cp = text.codePointAt(at) as number;
    if (isUnprintable(cp)) {
      throw new ScanFailure(at, `invalid escape '\\' followed by ${codePointName(cp)} in string`);
    }
    throw new ScanFailure(at, `invalid escape '\\${String.fromCodePoint(cp)}' in string`);
  }

  /** The four hex digits of a \u escape, starting at `at`. */
  private hex4(at: number): number {
    const text = this.text;
    let code = 0;
    for (let k = 0; k < 4; k++) {
      const h = hexValue(text.charCodeAt(at + k));
      if (h < 0) {
        if (at + k >= text.length) {
          throw new ScanFailure(text.length, `unterminated string, found ${END_OF_LINE}`);
        }
        throw new ScanFailure(at + k, `expected a hex digit in '\\u' escape, found ${describeAt(text, at + k)}`);
      }
      code = code * 16 + h;
    }
    return code;
  }
}

/** RFC 8259 §7: U+0000 through U+001F must be escaped inside strings. */
function controlCharacter(offset: number, c: number): ScanFailure {
  return new ScanFailure(offset, `unescaped control character ${codePointName(c)} in string`);
}

/**
 * A plain number when the double is exact for the text: the text is the
 * shortest round-trip form of the double and, for integers, a safe integer.
 * Anything else keeps its text in a JsonNumber ("1.50", "-0", "1e2", "1E400",
 * "18446744073709551615").
 */
function numberValue(raw: string): number | JsonNumber {
  const n = Number(raw);
  if (String(n) === raw && (Number.isSafeInteger(n) || !Number.isInteger(n))) return n;
  return new JsonNumber(raw);
}

/**
 * Sets an own, enumerable data property. A plain assignment of "__proto__"
 * would call the Object.prototype setter and replace the prototype (prototype
 * pollution); JSON.parse makes it an ordinary own property, and so do we.
 */
function setOwnMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/**
 * The first syntax error of `text` as a JSON text (RFC 8259 / ECMA-404), or
 * null exactly when `JSON.parse(text)` would succeed. Iterative: any nesting
 * depth is fine.
 */
export function locateJsonError(text: string): JsonSyntaxError | null {
  try {
    new Scanner(text, false).document();
    return null;
  } catch (failure) {
    if (!(failure instanceof ScanFailure)) throw failure;
    return { column: columnAt(text, failure.offset), offset: failure.offset, message: failure.message };
  }
}

/**
 * Parses like JSON.parse, but every number whose double is not exact for its
 * text (see JsonNumber) becomes a JsonNumber holding the text as written.
 * Objects are plain objects (prototype Object.prototype) with own keys only,
 * "__proto__" included; duplicate keys: the last one wins. Iterative: any
 * nesting depth is fine.
 * @throws SyntaxError with locateJsonError's message when the text is not JSON.
 */
export function parseLossless(text: string): JsonValue {
  try {
    return new Scanner(text, true).document();
  } catch (failure) {
    if (!(failure instanceof ScanFailure)) throw failure;
    throw new SyntaxError(failure.message);
  }
}

/**
 * True when the text MAY hold a number that parseLossless would keep as a
 * JsonNumber: a fraction or exponent (digits then '.', 'e' or 'E'), a
 * negative zero, or an integer of 16+ digits (every integer of at most 15
 * digits is a safe integer).
 *
 * A number token can only start a JSON text or follow (after whitespace) a
 * `:` that ends a member name (so a `"` before it), a `,` or a `[`; requiring
 * that context keeps date-times such as "12:00:00.123Z" (a digit before the
 * `:`) from triggering the slow path on nearly every real event. False
 * positives (such text inside strings) are harmless: the caller just takes the
 * slower lossless path; false negatives would lose digits.
 */
export function needsLossless(text: string): boolean {
  return NEEDS_LOSSLESS.test(text);
}
const NEEDS_LOSSLESS = /(?:^|"[ \t\n\r]*:|[,[])[ \t\n\r]*(?:-?[0-9]+[.eE]|-?[0-9]{16}|-0)/;

/* ------------------------------------------------------------------------- */
/* Serialisation                                                              */
/* ------------------------------------------------------------------------- */

/** An array or object being written. */
interface WriteFrame {
  readonly array: JsonValue[] | null;
  readonly object: JsonObject | null;
  readonly keys: string[];
  /** Next element index / next key index. */
  index: number;
  /** Members written so far (objects skip undefined values). */
  written: number;
}

/**
 * Compact JSON text, like JSON.stringify(value), except that a JsonNumber is
 * written as its raw text. Keys are written in the object's own enumerable
 * key order (insertion order, integer-like keys first: the same as
 * JSON.stringify); strings are written by JSON.stringify (well-formed: lone
 * surrogates escaped). Iterative: any nesting depth is fine.
 * As in JSON.stringify, non-finite numbers are written as null, undefined
 * array elements as null, and undefined object members are skipped.
 * @throws TypeError on a circular structure or when `value` itself is undefined.
 */
export function stringifyJson(value: JsonValue): string {
  if (value === undefined) throw new TypeError('cannot serialise undefined as JSON');
  const stack: WriteFrame[] = [];
  const open = new Set<object>();
  let out = '';
  let next: JsonValue = value;
  for (;;) {
    // Write `next`: a scalar entirely, a container only its opening bracket.
    if (typeof next === 'object' && next !== null && !(next instanceof JsonNumber)) {
      if (open.has(next)) throw new TypeError('cannot serialise a circular structure as JSON');
      open.add(next);
      if (Array.isArray(next)) {
        stack.push({ array: next, object: null, keys: [], index: 0, written: 0 });
        out += '[';
      } else {
        stack.push({ array: null, object: next, keys: Object.keys(next), index: 0, written: 0 });
        out += '{';
      }
    } else {
      out += scalarText(next);
    }
    // Find the next value to write, closing finished containers.
    for (;;) {
      const frame = stack.length === 0 ? undefined : stack[stack.length - 1];
      if (frame === undefined) return out;
      const found = advance(frame);
      if (found !== undefined) {
        out += found.prefix;
        next = found.value;
        break;
      }
      out += frame.array !== null ? ']' : '}';
      open.delete((frame.array ?? frame.object) as object);
      stack.pop();
    }
  }
}

/** The next element or member of a container being written, with its separator and key. */
function advance(frame: WriteFrame): { prefix: string; value: JsonValue } | undefined {
  if (frame.array !== null) {
    if (frame.index >= frame.array.length) return undefined;
    const index = frame.index++;
    const element: JsonValue | undefined = frame.array[index];
    return { prefix: index === 0 ? '' : ',', value: element === undefined ? null : element };
  }
  const object = frame.object as JsonObject;
  while (frame.index < frame.keys.length) {
    const key = frame.keys[frame.index++];
    const member: JsonValue | undefined = object[key];
    if (member === undefined) continue;
    const prefix = (frame.written++ === 0 ? '' : ',') + JSON.stringify(key) + ':';
    return { prefix, value: member };
  }
  return undefined;
}

/** Text of a non-container value. */
function scalarText(value: JsonValue): string {
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return value.raw;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
  }
}

/* ------------------------------------------------------------------------- */
/* Exact numeric comparison                                                   */
/* ------------------------------------------------------------------------- */

/**
 * A JSON number as an exact decimal: value = sign × 0.DIGITS × 10^point, with
 * DIGITS free of leading and trailing zeros. Zero is sign 0, digits "".
 * `point` is a number, or a bigint when the exponent text is too long for a
 * number to be exact (relational operators compare number and bigint exactly).
 */
interface Decimal {
  readonly sign: -1 | 0 | 1;
  readonly digits: string;
  readonly point: number | bigint;
}

/** RFC 8259 §6 number grammar, anchored, with the parts captured. */
const NUMBER_TEXT = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * A plain JS number stands for its shortest round-trip text String(n): that is
 * the text it was parsed from, since parseLossless keeps any other text in a
 * JsonNumber. (Doubles order the same way as their shortest texts, so this
 * never contradicts the double order.)
 */
function numberText(x: number | JsonNumber | string): string {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new RangeError(`not a JSON number: ${String(x)}`);
    return String(x); // String(-0) is "0"
  }
  return x instanceof JsonNumber ? x.raw : x;
}

function toDecimal(x: number | JsonNumber | string): Decimal {
  const text = numberText(x);
  const match = NUMBER_TEXT.exec(text);
  if (match === null) throw new RangeError(`not a JSON number: ${JSON.stringify(text)}`);
  const [, minus, integer, fraction = '', exponent = '0'] = match;
  const all = integer + fraction;
  let first = 0;
  while (first < all.length && all.charCodeAt(first) === DIGIT_0) first++;
  if (first === all.length) return { sign: 0, digits: '', point: 0 };
  let last = all.length;
  while (all.charCodeAt(last - 1) === DIGIT_0) last--;
  const shift = integer.length - first;
  // 15 digits keep exponent + shift well inside the safe integers.
  const point: number | bigint =
    exponent.length <= 15 ? shift + Number(exponent) : BigInt(shift) + BigInt(exponent);
  return { sign: minus === '' ? 1 : -1, digits: all.slice(first, last), point };
}

/**
 * Exact comparison of two JSON numbers of any size and precision: -1 when
 * a < b, 0 when equal ("1.0" = "1" = "1e0" = 1, "-0" = "0"), 1 when a > b.
 * A string is a JSON number text; a plain number stands for String(n).
 * @throws RangeError for a string that is not a JSON number, or a non-finite number.
 */
export function compareJsonNumbers(a: number | JsonNumber | string, b: number | JsonNumber | string): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = toDecimal(a);
  const y = toDecimal(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  const magnitude = compareMagnitudes(x, y);
  return x.sign === 1 || magnitude === 0 ? magnitude : magnitude === 1 ? -1 : 1;
}

/** Compares |x| and |y|, both non-zero. */
function compareMagnitudes(x: Decimal, y: Decimal): -1 | 0 | 1 {
  if (x.point < y.point) return -1;
  if (x.point > y.point) return 1;
  // Same position of the point: digit strings without trailing zeros compare
  // lexicographically ("12" < "125" < "13").
  return x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
}

/**
 * True when the number is mathematically an integer: "1.0", "1e400", "-0" yes;
 * "1e-400", "18446744073709551616.5" no. Same argument rules as compareJsonNumbers.
 */
export function isJsonInteger(x: number | JsonNumber | string): boolean {
  if (typeof x === 'number' && Number.isFinite(x)) return Number.isInteger(x);
  const d = toDecimal(x);
  return d.sign === 0 || d.digits.length <= d.point;
}
