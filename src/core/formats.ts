/**
 * String formats checked exactly as their RFCs write them.
 *
 * ajv-formats' `date-time` accepts things RFC 3339 section 5.6 does not (a space
 * instead of `T`, an offset without its colon or minutes such as `+01`), so the
 * project replaces it with this checker; the text of the RFC wins.
 */

// date-time = full-date "T" full-time; "T" and "Z" may be lowercase (RFC 3339 5.6 NOTE).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** RFC 3339 section 5.6 `date-time`, with the section 5.7 restrictions on values. */
export function isRfc3339DateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return false;
  const maxDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month]!;
  if (day > maxDay) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  let offsetMinutes = 0;
  if (m[7] !== undefined) {
    const offHour = Number(m[8]);
    const offMinute = Number(m[9]);
    if (offHour > 23 || offMinute > 59) return false;
    offsetMinutes = (m[7] === '-' ? -1 : 1) * (offHour * 60 + offMinute);
  }
  if (second === 60) {
    // A leap second can only be the last second of a UTC day (5.7, Appendix D).
    const utcMinutes = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440;
    if (utcMinutes !== 23 * 60 + 59) return false;
  }
  return true;
}

/** The two ASCII digits at `i` and `i + 1` as a number, or -1. */
function digits2(bytes: Uint8Array, i: number): number {
  const a = bytes[i]! - 0x30;
  const b = bytes[i + 1]! - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `isRfc3339DateTime` on bytes[start, end), read as characters one byte each
 * (the caller's string holds only ASCII: csm-validate's fast path, on a JSON
 * string without escapes or non-ASCII bytes). The same verdict as the regular
 * expression and the value checks above, with no string made: a property test
 * holds them equal (test/unit/formats.test.ts).
 */
export function isRfc3339DateTimeBytes(bytes: Uint8Array, start: number, end: number): boolean {
  // YYYY-MM-DDTHH:MM:SS then (.fraction) and Z or +HH:MM: 20 bytes at least.
  if (end - start < 20) return false;
  const y1 = digits2(bytes, start);
  const y2 = digits2(bytes, start + 2);
  const month = digits2(bytes, start + 5);
  const day = digits2(bytes, start + 8);
  const hour = digits2(bytes, start + 11);
  const minute = digits2(bytes, start + 14);
  const second = digits2(bytes, start + 17);
  if ((y1 | y2 | month | day | hour | minute | second) < 0) return false;
  const t = bytes[start + 10];
  if (bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d || (t !== 0x54 && t !== 0x74)) return false;
  if (bytes[start + 13] !== 0x3a || bytes[start + 16] !== 0x3a) return false;
  let i = start + 19;
  if (bytes[i] === 0x2e) {
    i++;
    const first = i;
    while (i < end && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) i++;
    if (i === first) return false;
  }
  if (i >= end) return false;
  let offsetMinutes = 0;
  const z = bytes[i];
  if (z === 0x5a || z === 0x7a) {
    if (i + 1 !== end) return false;
  } else if (z === 0x2b || z === 0x2d) {
    if (i + 6 !== end || bytes[i + 3] !== 0x3a) return false;
    const offHour = digits2(bytes, i + 1);
    const offMinute = digits2(bytes, i + 4);
    if (offHour < 0 || offMinute < 0 || offHour > 23 || offMinute > 59) return false;
    offsetMinutes = (z === 0x2d ? -1 : 1) * (offHour * 60 + offMinute);
  } else return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const year = y1 * 100 + y2;
  const maxDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month]!;
  if (day > maxDay || hour > 23 || minute > 59 || second > 60) return false;
  if (second === 60) {
    // A leap second can only be the last second of a UTC day (5.7, Appendix D).
    const utcMinutes = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440;
    if (utcMinutes !== 23 * 60 + 59) return false;
  }
  return true;
}

/**
 * An RFC 3339 date-time as an instant, exact: `seconds` since 1970-01-01T00:00:00Z
 * (a bigint, the offset applied), `leap` 1 for a leap second (`23:59:60Z`, which
 * comes after `23:59:59.999...Z` and before the next day's `00:00:00Z`; `seconds`
 * is then that of `23:59:59Z`), and `fraction` the digits after the decimal point
 * with trailing zeros dropped (any number of digits: nanoseconds and beyond, no
 * rounding). Two instants compare with `compareInstants`.
 */
export interface Instant {
  readonly seconds: bigint;
  readonly leap: 0 | 1;
  readonly fraction: string;
}

/** Days from 1970-01-01 to year-month-day (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The instant of an RFC 3339 date-time (as `isRfc3339DateTime` accepts them), or null for any other text. */
export function parseRfc3339Instant(text: string): Instant | null {
  if (!isRfc3339DateTime(text)) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text)!;
  const second = Number(m[6]);
  const leap = second === 60 ? 1 : 0;
  let offset = 0;
  if (m[8] !== undefined) offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10]) * 60);
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const local = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + (second - leap);
  return { seconds: BigInt(local - offset), leap, fraction: (m[7] ?? '').replace(/0+$/, '') };
}

/** -1, 0 or 1 as `a` is before, the same instant as, or after `b`. */
export function compareInstants(a: Instant, b: Instant): -1 | 0 | 1 {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  if (a.leap !== b.leap) return a.leap < b.leap ? -1 : 1;
  // without trailing zeros, fractions order as their digit strings ("05" < "1" < "15")
  return a.fraction < b.fraction ? -1 : a.fraction > b.fraction ? 1 : 0;
}
