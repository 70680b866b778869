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

export type JsonObject = { [key: string]: JsonValue };

/** A JSON object (not an array, not null, not a JsonNumber). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}
