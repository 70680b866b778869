/**
 * Byte-level structure of one complete JSON text (an archive line, an API
 * record): where a member's value starts and ends, without parsing it. Only
 * the structure is followed (strings, brackets, commas, colons); the values are
 * judged later by the per-line step, so a slice is always the input's bytes.
 */
import { BACKSLASH, COLON, COMMA, CR, LEFT_BRACE, LEFT_BRACKET, LF, QUOTE, RIGHT_BRACE, RIGHT_BRACKET, SPACE, TAB } from '../json/codes.js';

export function isJsonSpace(c: number | undefined): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length && isJsonSpace(b[i])) i++;
  return i;
}

/** Index after the string that opens at `i` (`b[i]` is `"`), or -1 if it does not end. */
export function skipString(b: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, j);
    if (q === -1) return -1;
    let k = q - 1;
    while (k > i && b[k] === BACKSLASH) k--;
    // an even number of backslashes before the quote: it closes the string
    if (((q - 1 - k) & 1) === 0) return q + 1;
    j = q + 1;
  }
}

function isDelimiter(c: number | undefined): boolean {
  return c === COMMA || c === RIGHT_BRACE || c === RIGHT_BRACKET || isJsonSpace(c) || c === COLON;
}

/** Index after the value that starts at `i`, or -1 if its brackets or strings do not close. */
export function skipValue(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === LEFT_BRACE || c === LEFT_BRACKET) {
    let depth = 0;
    let j = i;
    while (j < b.length) {
      const x = b[j]!;
      if (x === QUOTE) {
        j = skipString(b, j);
        if (j < 0) return -1;
        continue;
      }
      if (x === LEFT_BRACE || x === LEFT_BRACKET) depth++;
      else if (x === RIGHT_BRACE || x === RIGHT_BRACKET) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return -1;
  }
  let j = i;
  while (j < b.length && !isDelimiter(b[j]) && b[j] !== LEFT_BRACE && b[j] !== LEFT_BRACKET && b[j] !== QUOTE) j++;
  return j > i ? j : -1;
}

/** Where a member's value lies in its text: `[start, end)`. */
export interface Slice {
  start: number;
  end: number;
}

/**
 * The members `keys` (raw JSON key texts, quotes included, e.g. `"attributes"`)
 * of the object `b[from, to)` that must be one JSON object and nothing else
 * (surrounding whitespace aside). Returns the slice of each key's value (the last
 * one when a key is repeated, as JSON.parse takes it), or `undefined` when the
 * text is not one object whose structure closes: the caller then hands the text
 * to the parser, which says precisely what is wrong.
 */
export function objectMembers(b: Buffer, keys: readonly Buffer[]): (Slice | undefined)[] | undefined {
  const found: (Slice | undefined)[] = keys.map(() => undefined);
  let i = skipSpace(b, 0);
  if (b[i] !== LEFT_BRACE) return undefined;
  i = skipSpace(b, i + 1);
  if (b[i] === RIGHT_BRACE) return skipSpace(b, i + 1) === b.length ? found : undefined;
  for (;;) {
    if (b[i] !== QUOTE) return undefined;
    const keyStart = i;
    i = skipString(b, i);
    if (i < 0) return undefined;
    const keyEnd = i;
    i = skipSpace(b, i);
    if (b[i] !== COLON) return undefined;
    i = skipSpace(b, i + 1);
    const start = i;
    i = skipValue(b, i);
    if (i < 0) return undefined;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (keyEnd - keyStart === key.length && b.compare(key, 0, key.length, keyStart, keyEnd) === 0) found[k] = { start, end: i };
    }
    i = skipSpace(b, i);
    if (b[i] === COMMA) {
      i = skipSpace(b, i + 1);
      continue;
    }
    if (b[i] !== RIGHT_BRACE) return undefined;
    return skipSpace(b, i + 1) === b.length ? found : undefined;
  }
}

/** `"name"` as the raw key bytes `objectMembers` looks for. */
export function rawKey(name: string): Buffer {
  return Buffer.from(JSON.stringify(name), 'utf8');
}

/** Number of code points in `b[from, to)` (UTF-8: the bytes that are not continuation bytes). */
export function codePoints(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((b[i]! & 0xc0) !== 0x80) n++;
  return n;
}
