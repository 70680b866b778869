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
