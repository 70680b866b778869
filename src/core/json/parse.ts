/**
 * Reading JSON texts (RFC 8259): the syntax-error locator and the lossless
 * parser, both on the one scanner (json/scanner.ts).
 */
import type { Diagnostic } from '../diagnostic.js';
import { columnAt } from '../text.js';
import { ScanFailure, scanJson } from './scanner.js';
import type { JsonValue } from './value.js';

/** Where and why a text is not JSON. */
export interface JsonSyntaxError extends Diagnostic {
  code: 'json';
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

/**
 * The first syntax error of `text` as a JSON text (RFC 8259 / ECMA-404), or
 * null exactly when `JSON.parse(text)` would succeed. Iterative: any nesting
 * depth is fine.
 */
export function locateJsonError(text: string): JsonSyntaxError | null {
  try {
    scanJson(text, false);
    return null;
  } catch (failure) {
    if (!(failure instanceof ScanFailure)) throw failure;
    return { code: 'json', column: columnAt(text, failure.offset), offset: failure.offset, message: failure.message };
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
    return scanJson(text, true);
  } catch (failure) {
    if (!(failure instanceof ScanFailure)) throw failure;
    throw new SyntaxError(failure.message);
  }
}

/**
 * Where a number token can start: a JSON text, or after (whitespace and) a `:`
 * that ends a member name (so a `"` before it), a `,` or a `[`. Requiring that
 * context keeps date-times such as "12:00:00.123Z" (a digit before the `:`)
 * from matching on nearly every real event. False positives (such text inside
 * strings) are harmless: the caller just takes the slower exact path; false
 * negatives would lose digits.
 */
const NUMBER_START = String.raw`(?:^|"[ \t\n\r]*:|[,[])[ \t\n\r]*`;
const NEEDS_LOSSLESS = new RegExp(NUMBER_START + String.raw`(?:-?[0-9]+[.eE]|-?[0-9]{16}|-0)`);
const FRACTION_OR_EXPONENT = new RegExp(NUMBER_START + String.raw`-?[0-9]+[.eE]`);

/**
 * True when the text MAY hold a number that parseLossless would keep as a
 * JsonNumber: a fraction or exponent (digits then '.', 'e' or 'E'), a
 * negative zero, or an integer of 16+ digits (every integer of at most 15
 * digits is a safe integer). See NUMBER_START for where numbers are looked for.
 */
export function needsLossless(text: string): boolean {
  return NEEDS_LOSSLESS.test(text);
}

/** True when the text MAY hold a number token with a fraction or an exponent (see NUMBER_START). */
export function mayHoldFractionOrExponent(text: string): boolean {
  return FRACTION_OR_EXPONENT.test(text);
}
