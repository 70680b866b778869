/**
 * The one decoder of JSON string literals (RFC 8259 §7), for the JSON parser
 * and for quoted keys and strings in paths and queries. It reports what went
 * wrong and where; each caller words its own message.
 */
import {
  BACKSLASH,
  LOWER_B,
  LOWER_F,
  LOWER_N,
  LOWER_R,
  LOWER_T,
  LOWER_U,
  QUOTE,
  SLASH,
  SPACE,
  hexValue,
} from './codes.js';

/**
 * Why a string literal could not be read. Thrown as a plain object (not an
 * Error), so throwing it captures no stack.
 * - `unterminated`: the text ends inside the string (`at` is the text's length);
 * - `control`: an unescaped U+0000-U+001F at `at` (only when they are refused);
 * - `escape`: a backslash at `escape` followed by something that is no escape, at `at`;
 * - `hex`: a `\u` at `escape` whose first non-hex-digit is at `at` (the text's length when it ends).
 */
export class StringFailure {
  constructor(
    readonly kind: 'unterminated' | 'control' | 'escape' | 'hex',
    readonly at: number,
    readonly escape = -1,
  ) {}
}

/** How strict the decoder is, and whether it builds the value. */
export interface StringRules {
  /** Decode the value; when false the string is only checked and '' is returned. */
  readonly build: boolean;
  /** Refuse unescaped U+0000-U+001F, as JSON does (a query typed in a shell may hold a tab). */
  readonly refuseControls: boolean;
}

/** Where reading stands: the opening quote before reading, just past the closing quote after. */
export interface Cursor {
  pos: number;
}

/**
 * Reads the string literal whose opening quote is at `cursor.pos`. Runs without
 * escapes are sliced, not copied character by character. \uHHHH may name a lone
 * surrogate: that is grammatically valid, and decodes to that code unit as
 * JSON.parse does.
 * @throws StringFailure when the literal is not valid.
 */
export function readJsonString(text: string, cursor: Cursor, rules: StringRules): string {
  const length = text.length;
  const start = cursor.pos + 1;
  let i = start;
  for (;;) {
    if (i >= length) throw new StringFailure('unterminated', length);
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      cursor.pos = i + 1;
      return rules.build ? text.slice(start, i) : '';
    }
    if (c === BACKSLASH) return readEscaped(text, cursor, rules, start, i);
    if (c < SPACE && rules.refuseControls) throw new StringFailure('control', i);
    i++;
  }
}

/** The rest of a string from its first backslash at `i`. */
function readEscaped(text: string, cursor: Cursor, rules: StringRules, start: number, i: number): string {
  const length = text.length;
  const build = rules.build;
  let out = build ? text.slice(start, i) : '';
  let runStart = i;
  for (;;) {
    if (i >= length) throw new StringFailure('unterminated', length);
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      cursor.pos = i + 1;
      return build ? out + text.slice(runStart, i) : '';
    }
    if (c === BACKSLASH) {
      if (build) out += text.slice(runStart, i);
      const decoded = decodeEscape(text, i);
      if (build) out += decoded;
      i += text.charCodeAt(i + 1) === LOWER_U ? 6 : 2; // \uHHHH or \X
      runStart = i;
      continue;
    }
    if (c < SPACE && rules.refuseControls) throw new StringFailure('control', i);
    i++;
  }
}

/**
 * escape = '\' ( '"' / '\' / '/' / 'b' / 'f' / 'n' / 'r' / 't' / 'u' 4HEXDIG ).
 * Returns the decoded code unit of the escape whose backslash is at `backslash`.
 */
function decodeEscape(text: string, backslash: number): string {
  const at = backslash + 1;
  switch (text.charCodeAt(at)) {
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
      return String.fromCharCode(hex4(text, backslash));
  }
  if (at >= text.length) throw new StringFailure('unterminated', text.length);
  throw new StringFailure('escape', at, backslash);
}

/** The four hex digits of the \u escape whose backslash is at `backslash`. */
function hex4(text: string, backslash: number): number {
  let code = 0;
  for (let at = backslash + 2; at < backslash + 6; at++) {
    const h = hexValue(text.charCodeAt(at));
    if (h < 0) throw new StringFailure('hex', Math.min(at, text.length), backslash);
    code = code * 16 + h;
  }
  return code;
}
