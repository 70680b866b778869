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
