/**
 * The byte-level pieces of JSON text the fast path's scanner (scan.ts) reads
 * in strings and keys: one UTF-8 sequence (as `isUtf8` takes them), one escape
 * (as JSON.parse takes them), and a key with escapes, decoded to the UTF-8 bytes
 * of the string JSON.parse gives, so that it is compared with the schema's keys.
 * Each takes the bytes and their end (`N`) and returns the index after what it read, or -1.
 */

/** One UTF-8 sequence from its lead byte at `i` (>= 0x80): the index after it, or -1. */
export function utf8At(B: Uint8Array, N: number, i: number): number {
  const c = B[i]!;
  if (c >= 0xc2 && c <= 0xdf) return cont(B, N, i + 1) ? i + 2 : -1;
  if (c >= 0xe0 && c <= 0xef) {
    if (i + 2 >= N) return -1;
    const c1 = B[i + 1]!;
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return c1 >= lo && c1 <= hi && cont(B, N, i + 2) ? i + 3 : -1;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (i + 3 >= N) return -1;
    const c1 = B[i + 1]!;
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return c1 >= lo && c1 <= hi && cont(B, N, i + 2) && cont(B, N, i + 3) ? i + 4 : -1;
  }
  return -1;
}

function cont(B: Uint8Array, N: number, i: number): boolean {
  if (i >= N) return false;
  const c = B[i]!;
  return c >= 0x80 && c <= 0xbf;
}

function isHex(B: Uint8Array, N: number, i: number): boolean {
  if (i >= N) return false;
  const c = B[i]!;
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** An escape at `i` (a backslash): the index after it, or -1. `\uD800` alone is well-formed JSON (JSON.parse keeps it). */
export function escapeAt(B: Uint8Array, N: number, i: number): number {
  if (i + 1 >= N) return -1;
  switch (B[i + 1]) {
    case 0x22:
    case 0x5c:
    case 0x2f:
    case 0x62:
    case 0x66:
    case 0x6e:
    case 0x72:
    case 0x74:
      return i + 2;
    case 0x75:
      return isHex(B, N, i + 2) && isHex(B, N, i + 3) && isHex(B, N, i + 4) && isHex(B, N, i + 5) ? i + 6 : -1;
    default:
      return -1;
  }
}

/** Longest decoded key with escapes that is proven (longer ones give up). */
const MAX_ESCAPED_KEY = 256;
/** The UTF-8 bytes of the last key with escapes, decoded (escapedKey). */
export const KEY = new Uint8Array(MAX_ESCAPED_KEY + 4);
export let escapedHash = 0;
export let escapedEnd = 0;

function hexAt(B: Uint8Array, i: number): number {
  let v = 0;
  for (let k = i; k < i + 4; k++) {
    const c = B[k]!;
    v = v * 16 + (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);
  }
  return v;
}

/**
 * A key with escapes, whose content starts at `start`: decodes it into KEY as
 * the UTF-8 bytes of the string JSON.parse gives, and returns their length
 * (escapedHash: their hash, as keyHash computes it; escapedEnd: the index of
 * the closing quote), or -1 when not proven: malformed (a bad escape, a raw
 * control character, invalid UTF-8, no closing quote), a lone surrogate (no
 * UTF-8 spells it: such a key is never a known one), or longer than MAX_ESCAPED_KEY.
 */
export function escapedKey(B: Uint8Array, N: number, start: number): number {
  let i = start;
  let n = 0;
  for (;;) {
    if (i >= N || n > MAX_ESCAPED_KEY) return -1;
    const c = B[i]!;
    if (c === 0x22) break;
    if (c === 0x5c) {
      const next = escapeAt(B, N, i);
      if (next < 0) return -1;
      const e = B[i + 1]!;
      if (e !== 0x75) {
        KEY[n++] = e === 0x62 ? 0x08 : e === 0x66 ? 0x0c : e === 0x6e ? 0x0a : e === 0x72 ? 0x0d : e === 0x74 ? 0x09 : e;
        i = next;
        continue;
      }
      let cp = hexAt(B, i + 2);
      i = next;
      if (cp >= 0xdc00 && cp <= 0xdfff) return -1;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        // A high surrogate: proven only with its low half right after it.
        if (i + 1 >= N || B[i] !== 0x5c || B[i + 1] !== 0x75) return -1;
        const after = escapeAt(B, N, i);
        if (after < 0) return -1;
        const low = hexAt(B, i + 2);
        if (low < 0xdc00 || low > 0xdfff) return -1;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i = after;
      }
      if (cp < 0x80) KEY[n++] = cp;
      else if (cp < 0x800) {
        KEY[n++] = 0xc0 | (cp >> 6);
        KEY[n++] = 0x80 | (cp & 0x3f);
      } else if (cp < 0x10000) {
        KEY[n++] = 0xe0 | (cp >> 12);
        KEY[n++] = 0x80 | ((cp >> 6) & 0x3f);
        KEY[n++] = 0x80 | (cp & 0x3f);
      } else {
        KEY[n++] = 0xf0 | (cp >> 18);
        KEY[n++] = 0x80 | ((cp >> 12) & 0x3f);
        KEY[n++] = 0x80 | ((cp >> 6) & 0x3f);
        KEY[n++] = 0x80 | (cp & 0x3f);
      }
    } else if (c < 0x20) return -1;
    else if (c >= 0x80) {
      const next = utf8At(B, N, i);
      if (next < 0) return -1;
      while (i < next) KEY[n++] = B[i++]!;
    } else {
      KEY[n++] = c;
      i++;
    }
  }
  if (n > MAX_ESCAPED_KEY) return -1;
  let h = 0;
  for (let k = 0; k < n; k++) h = (Math.imul(h, 31) + KEY[k]!) | 0;
  escapedHash = h;
  escapedEnd = i;
  return n;
}
