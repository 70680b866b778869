/**
 * The JSON scanner (RFC 8259): one pass, an explicit stack, the first syntax
 * error as a ScanFailure. json/parse.ts builds the public entry points on it.
 */
import { JSON_NAMING, codePointName, describeChar, isUnprintable } from '../text.js';
import {
  COLON,
  COMMA,
  CR,
  DIGIT_0,
  DOT,
  LEFT_BRACE,
  LEFT_BRACKET,
  LF,
  LOWER_E,
  LOWER_F,
  LOWER_N,
  LOWER_T,
  MINUS,
  PLUS,
  QUOTE,
  RIGHT_BRACE,
  RIGHT_BRACKET,
  SPACE,
  TAB,
  UPPER_E,
  isDigit,
} from './codes.js';
import { StringFailure, type StringRules, readJsonString } from './string.js';
import { JsonNumber, type JsonObject, type JsonValue } from './value.js';

/** Where and why a text is not JSON; a plain object (not an Error), so throwing it captures no stack. */
export class ScanFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** The character at `pos` quoted for a message (a whole surrogate pair), or "end of line". */
function describeAt(text: string, pos: number): string {
  return describeChar(text, pos, JSON_NAMING);
}

/** The text ended inside a string. */
function unterminated(text: string): ScanFailure {
  return new ScanFailure(text.length, `unterminated string, found ${JSON_NAMING.end}`);
}

/** A string decoder's failure in this parser's words. */
function stringFailure(text: string, f: StringFailure): ScanFailure {
  const at = f.at;
  switch (f.kind) {
    case 'unterminated':
      return unterminated(text);
    case 'control':
      // RFC 8259 §7: U+0000 through U+001F must be escaped inside strings.
      return new ScanFailure(at, `unescaped control character ${codePointName(text.charCodeAt(at))} in string`);
    case 'escape': {
      const cp = text.codePointAt(at)!;
      if (isUnprintable(cp)) {
        return new ScanFailure(at, `invalid escape '\\' followed by ${codePointName(cp)} in string`);
      }
      return new ScanFailure(at, `invalid escape '\\${String.fromCodePoint(cp)}' in string`);
    }
    case 'hex':
      if (at >= text.length) return unterminated(text);
      return new ScanFailure(at, `expected a hex digit in '\\u' escape, found ${describeAt(text, at)}`);
  }
}

/** What was thrown while scanning `text`, as a ScanFailure; anything else is rethrown. */
function failureOf(text: string, thrown: unknown): ScanFailure {
  if (thrown instanceof ScanFailure) return thrown;
  if (thrown instanceof StringFailure) return stringFailure(text, thrown);
  throw thrown;
}

/* ------------------------------------------------------------------------- */
/* The scanner / parser                                                       */
/* ------------------------------------------------------------------------- */

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

/** Strings are checked as JSON does; only the parser builds their values. */
const BUILD_STRINGS: StringRules = { build: true, refuseControls: true };
const CHECK_STRINGS: StringRules = { build: false, refuseControls: true };

/** What Scanner.complete returns when a comma says another value follows. */
const NEXT_VALUE: unique symbol = Symbol('next value');

/**
 * One pass over a JSON text with an explicit stack (no recursion, so nesting
 * depth is limited only by memory). With `build` false it only validates and
 * every value is null; with `build` true it produces the value.
 * Throws ScanFailure (or the string decoder's StringFailure) at the first
 * offending character; scanJson turns the latter into the former.
 */
class Scanner {
  /** The cursor (the string decoder moves it too). */
  pos = 0;
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
      const c = this.peek();
      let value: JsonValue;
      if (c === LEFT_BRACE || c === LEFT_BRACKET) {
        const frame = this.open(c === LEFT_BRACKET);
        if (frame !== null) {
          stack.push(frame);
          expectation = frame.isArray ? EXPECT_VALUE_OR_CLOSE : EXPECT_VALUE;
          continue;
        }
        value = !this.build ? null : c === LEFT_BRACKET ? [] : {};
      } else {
        value = this.scalar(c, expectation);
      }
      const done = this.complete(stack, value);
      if (done !== NEXT_VALUE) return done;
      expectation = EXPECT_VALUE;
    }
  }

  /**
   * Opens the array or object at the cursor and reads up to its first element
   * (for an object: its first key and ':'). Null when it is empty: then it is
   * already closed.
   */
  private open(isArray: boolean): Frame | null {
    this.pos++;
    this.skipWhitespace();
    if (this.peek() === (isArray ? RIGHT_BRACKET : RIGHT_BRACE)) {
      this.pos++;
      return null;
    }
    if (isArray) return { isArray: true, array: this.build ? [] : null, object: null, key: '' };
    const object: JsonObject | null = this.build ? {} : null;
    const key = this.key(EXPECT_KEY_OR_CLOSE);
    return { isArray: false, array: null, object, key };
  }

  /** A string, number or literal name at the cursor, whose first code unit is `c`. */
  private scalar(c: number, expectation: string): JsonValue {
    if (c === QUOTE) return this.string();
    if (c === MINUS || isDigit(c)) return this.number();
    if (c === LOWER_T) return this.literal('true', true);
    if (c === LOWER_F) return this.literal('false', false);
    if (c === LOWER_N) return this.literal('null', null);
    throw this.failHere(`expected ${expectation}, found`);
  }

  /**
   * The value is complete: stores it in the enclosing containers, closing every
   * container that ends right after it. Returns the document's value when it
   * is complete, NEXT_VALUE when a ',' (and for an object the next key and
   * ':') says another value follows.
   */
  private complete(stack: Frame[], value: JsonValue): JsonValue | typeof NEXT_VALUE {
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
        return NEXT_VALUE;
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
   * any code unit except '"', '\' and U+0000-U+001F, or an escape.
   */
  private string(): string {
    return readJsonString(this.text, this, this.build ? BUILD_STRINGS : CHECK_STRINGS);
  }
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
 * Scans a JSON text: its value (with `build` false only validates, and the
 * value is null).
 * @throws ScanFailure at the first offending character.
 */
export function scanJson(text: string, build: boolean): JsonValue {
  try {
    return new Scanner(text, build).document();
  } catch (thrown) {
    throw failureOf(text, thrown);
  }
}
