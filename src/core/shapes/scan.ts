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

/** Index of the quote that closes the string opening at `i` (`b[i]` is `"`), or `b.length`. A byte loop: faster than a native search per (short) string. */
function stringEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  for (i++; i < n; i++) {
    const c = b[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return n;
}

/** Index after the object or array opening at `i`, or -1 if it does not close: one tight loop, strings inline (the hot path of archive lines). */
function containerEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  let depth = 0;
  for (; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const d = b[i];
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === LEFT_BRACE || c === LEFT_BRACKET) depth++;
    else if ((c === RIGHT_BRACE || c === RIGHT_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

function isScalarEnd(c: number | undefined): boolean {
  return c === COMMA || c === RIGHT_BRACE || c === RIGHT_BRACKET || c === COLON || c === QUOTE || c === LEFT_BRACE || c === LEFT_BRACKET || isJsonSpace(c);
}

/** Where a member's value lies in its text: `[start, end)`. */
export interface Slice {
  start: number;
  end: number;
}

const enum M {
  /** After `{`: a key or `}`. */
  First,
  /** After `,`: a key. */
  Key,
  /** After a key: `:`. */
  Colon,
  /** After `:`: a value. */
  Value,
  /** After a value: `,` or `}`. */
  After,
}

/**
 * The members `keys` (raw JSON key texts, quotes included, e.g. `"attributes"`)
 * of the text `b`, which must be one JSON object and nothing else (surrounding
 * whitespace aside). Returns the slice of each key's value (the last one when a
 * key is repeated, as JSON.parse takes it), or `undefined` when the text is not
 * one object whose structure closes: the caller then hands the text to the
 * parser, which says precisely what is wrong. One pass over the bytes: the
 * members' own structure is followed by depth only (their values are judged
 * later, by the parser).
 */
export function objectMembers(b: Buffer, keys: readonly Buffer[]): (Slice | undefined)[] | undefined {
  const n = b.length;
  let i = 0;
  while (i < n && isJsonSpace(b[i])) i++;
  if (b[i] !== LEFT_BRACE) return undefined;
  const found: (Slice | undefined)[] = keys.map(() => undefined);
  let state = M.First;
  let keyStart = 0;
  let keyEnd = 0;
  let valueStart = 0;
  const member = (end: number): void => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (keyEnd - keyStart === key.length && b.compare(key, 0, key.length, keyStart, keyEnd) === 0) found[k] = { start: valueStart, end };
    }
    state = M.After;
  };
  for (i++; i < n; i++) {
    const c = b[i]!;
    if (isJsonSpace(c)) continue;
    if (state === M.First || state === M.Key) {
      if (c === RIGHT_BRACE && state === M.First) break;
      if (c !== QUOTE) return undefined;
      keyStart = i;
      i = stringEnd(b, i);
      keyEnd = i + 1;
      state = M.Colon;
    } else if (state === M.Colon) {
      if (c !== COLON) return undefined;
      state = M.Value;
    } else if (state === M.Value) {
      valueStart = i;
      if (c === QUOTE) {
        i = stringEnd(b, i);
        member(i + 1);
      } else if (c === LEFT_BRACE || c === LEFT_BRACKET) {
        // a member's value: only its depth matters here
        const end = containerEnd(b, i);
        if (end < 0) return undefined;
        i = end - 1;
        member(end);
      } else if (isScalarEnd(c)) {
        return undefined;
      } else {
        while (i + 1 < n && !isScalarEnd(b[i + 1])) i++;
        member(i + 1);
      }
    } else if (c === COMMA) {
      state = M.Key;
    } else if (c === RIGHT_BRACE) {
      break;
    } else {
      return undefined;
    }
  }
  if (i >= n) return undefined;
  for (i++; i < n; i++) if (!isJsonSpace(b[i])) return undefined;
  return found;
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
