/**
 * UTF-8 well-formedness (RFC 3629, Unicode 15 §3.9 Table 3-7) over byte ranges.
 * Pure: no I/O. Lines are expected whole, so a sequence cut by the end of the
 * range is invalid.
 */
import { isUtf8 } from 'node:buffer';

/**
 * Inspects the sequence whose lead byte is buf[i] (i < end).
 * Returns its length (1-4) when it is a complete well-formed sequence, else
 * -k where k >= 1 is the length of its maximal subpart: the bytes a decoder
 * replaces with one U+FFFD (WHATWG Encoding / Unicode "substitution of
 * maximal subparts").
 *
 * Table 3-7, well-formed byte sequences:
 *   00..7F
 *   C2..DF 80..BF
 *   E0     A0..BF 80..BF        (E0 80..9F would be overlong)
 *   E1..EC 80..BF 80..BF
 *   ED     80..9F 80..BF        (ED A0..BF would be a surrogate U+D800..DFFF)
 *   EE..EF 80..BF 80..BF
 *   F0     90..BF 80..BF 80..BF (F0 80..8F would be overlong)
 *   F1..F3 80..BF 80..BF 80..BF
 *   F4     80..8F 80..BF 80..BF (F4 90.. would be above U+10FFFF)
 * Any other lead byte (80..BF continuation, C0/C1 overlong, F5..FF) is invalid.
 */
function inspectSequence(buf: Uint8Array, i: number, end: number): number {
  const lead = buf[i];
  if (lead < 0x80) return 1;
  let continuations: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    continuations = 1;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    continuations = 2;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    continuations = 3;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else {
    return -1;
  }
  for (let k = 1; k <= continuations; k++) {
    const j = i + k;
    if (j >= end) return -k; // truncated
    const b = buf[j];
    if (b < low || b > high) return -k;
    // Only the second byte has a narrowed range.
    low = 0x80;
    high = 0xbf;
  }
  return continuations + 1;
}

function checkRange(buf: Uint8Array, start: number, end: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > buf.length || start > end) {
    throw new RangeError(`invalid byte range [${start}, ${end}) for a buffer of ${buf.length} bytes`);
  }
}

/**
 * Index of the lead byte of the first ill-formed UTF-8 sequence in
 * buf[start, end) (for a stray continuation byte, that byte), or -1 when the
 * range is well-formed. Everything before the returned index is well-formed.
 * Ill-formed: overlong forms (C0 80, E0 80 80, F0 80 80 80), encoded
 * surrogates (ED A0 80), code points above U+10FFFF (F4 90 80 80, F5..FF),
 * unexpected continuation bytes, sequences truncated by a following byte or by
 * `end`.
 * @throws RangeError when the range is not inside the buffer.
 */
export function firstInvalidUtf8(buf: Uint8Array, start = 0, end = buf.length): number {
  checkRange(buf, start, end);
  // Fast path: a SIMD validator in Node (>= 18.14).
  if (isUtf8(buf.subarray(start, end))) return -1;
  let i = start;
  while (i < end) {
    if (buf[i] < 0x80) {
      i++;
      continue;
    }
    const length = inspectSequence(buf, i, end);
    if (length < 0) return i;
    i += length;
  }
  return -1;
}

/**
 * 1-based column, in code points, of byte `index` in the line that starts at
 * byte `start`: 1 + the number of code points in buf[start, index). When that
 * range is well-formed this is 1 + its number of lead bytes; an ill-formed
 * part counts as many columns as a decoder would produce U+FFFD for it
 * (maximal subparts), so the result equals
 * 1 + code points of `new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf.subarray(start, index))`.
 * A BOM counts as one column.
 * @throws RangeError when start/index are not inside the buffer or index < start.
 */
export function utf8ColumnAt(buf: Uint8Array, start: number, index: number): number {
  checkRange(buf, start, index);
  let column = 1;
  let i = start;
  while (i < index) {
    if (buf[i] < 0x80) {
      i++;
    } else {
      const length = inspectSequence(buf, i, index);
      i += length < 0 ? -length : length;
    }
    column++;
  }
  return column;
}
