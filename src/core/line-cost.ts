/**
 * What one line may cost to judge, decided from its bytes before it is parsed:
 * JSON.parse of 54 MB of `[{"a":[]},...]` needs about 450 MB of heap, and a
 * schema error per element (each an ajv error object) about 250 bytes per
 * value. So a line may hold at most `maxLineValues(maxLineBytes)` JSON values
 * (objects, arrays, object members, array elements: every `{`, `[`, `:` and `,`
 * outside strings counts one); past that it is invalid with keyword `values` and
 * is never parsed. This bounds both the heap a line needs (about 250 bytes per
 * value at worst, README "Guarantees") and its time, in the main thread and in
 * every `--jobs` worker alike, so both give the same verdicts.
 */

/** The least limit, whatever `--max-line-bytes`: 2^20 values. */
export const MIN_LINE_VALUES = 1 << 20;
/** Bytes of `--max-line-bytes` per value allowed beyond the least limit. */
export const BYTES_PER_VALUE = 64;

/** The most JSON values a line may hold: 2^20, or one per 64 bytes of `--max-line-bytes` if that is more. */
export function maxLineValues(maxLineBytes: number): number {
  return Math.max(MIN_LINE_VALUES, Math.floor(maxLineBytes / BYTES_PER_VALUE));
}

/**
 * How many values a line holds, counted up to `limit + 1` (the count stops
 * there). Every value but the first takes at least 2 bytes (`[1,1`, `[[]]`),
 * so a line shorter than 2 * limit is never scanned.
 */
export function countValues(bytes: Uint8Array, limit: number): number {
  if (bytes.length < 2 * limit) return 0;
  let count = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0x22) {
      // Inside a string: jump to its closing quote, past escapes.
      for (i++; i < n; i++) {
        const c = bytes[i];
        if (c === 0x5c) i++;
        else if (c === 0x22) break;
      }
    } else if (b === 0x2c || b === 0x3a || b === 0x5b || b === 0x7b) {
      if (++count > limit) return count;
    }
  }
  return count;
}
