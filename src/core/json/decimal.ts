/**
 * Exact comparison of JSON numbers of any size and precision, on their text.
 */
import { DIGIT_0 } from './codes.js';
import { JsonNumber } from './value.js';

/**
 * A JSON number as an exact decimal: value = sign × 0.DIGITS × 10^point, with
 * DIGITS free of leading and trailing zeros. Zero is sign 0, digits "".
 * `point` is a number, or a bigint when the exponent text is too long for a
 * number to be exact (relational operators compare number and bigint exactly).
 */
interface Decimal {
  readonly sign: -1 | 0 | 1;
  readonly digits: string;
  readonly point: number | bigint;
}

/** RFC 8259 §6 number grammar, anchored, with the parts captured. */
const NUMBER_TEXT = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * A plain JS number stands for its shortest round-trip text String(n): that is
 * the text it was parsed from, since parseLossless keeps any other text in a
 * JsonNumber. (Doubles order the same way as their shortest texts, so this
 * never contradicts the double order.)
 */
function numberText(x: number | JsonNumber | string): string {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new RangeError(`not a JSON number: ${String(x)}`);
    return String(x); // String(-0) is "0"
  }
  return x instanceof JsonNumber ? x.raw : x;
}

function toDecimal(x: number | JsonNumber | string): Decimal {
  const text = numberText(x);
  const match = NUMBER_TEXT.exec(text);
  if (match === null) throw new RangeError(`not a JSON number: ${JSON.stringify(text)}`);
  const [, minus, integer, fraction = '', exponent = '0'] = match;
  const all = integer + fraction;
  let first = 0;
  while (first < all.length && all.charCodeAt(first) === DIGIT_0) first++;
  if (first === all.length) return { sign: 0, digits: '', point: 0 };
  let last = all.length;
  while (all.charCodeAt(last - 1) === DIGIT_0) last--;
  const shift = integer.length - first;
  // 15 digits keep exponent + shift well inside the safe integers.
  const point: number | bigint =
    exponent.length <= 15 ? shift + Number(exponent) : BigInt(shift) + BigInt(exponent);
  return { sign: minus === '' ? 1 : -1, digits: all.slice(first, last), point };
}

/**
 * Exact comparison of two JSON numbers of any size and precision: -1 when
 * a < b, 0 when equal ("1.0" = "1" = "1e0" = 1, "-0" = "0"), 1 when a > b.
 * A string is a JSON number text; a plain number stands for String(n).
 * @throws RangeError for a string that is not a JSON number, or a non-finite number.
 */
export function compareJsonNumbers(a: number | JsonNumber | string, b: number | JsonNumber | string): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = toDecimal(a);
  const y = toDecimal(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  const magnitude = compareMagnitudes(x, y);
  return x.sign === 1 || magnitude === 0 ? magnitude : magnitude === 1 ? -1 : 1;
}

/** Compares |x| and |y|, both non-zero. */
function compareMagnitudes(x: Decimal, y: Decimal): -1 | 0 | 1 {
  if (x.point < y.point) return -1;
  if (x.point > y.point) return 1;
  // Same position of the point: digit strings without trailing zeros compare
  // lexicographically ("12" < "125" < "13").
  return x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
}

/**
 * True when the number is mathematically an integer: "1.0", "1e400", "-0" yes;
 * "1e-400", "18446744073709551616.5" no. Same argument rules as compareJsonNumbers.
 */
export function isJsonInteger(x: number | JsonNumber | string): boolean {
  if (typeof x === 'number' && Number.isFinite(x)) return Number.isInteger(x);
  const d = toDecimal(x);
  return d.sign === 0 || d.digits.length <= d.point;
}

/**
 * `x & mask` for a JSON number `x` that is a non-negative integer ("4", "1.0e3",
 * "18446744073709551615"), exact; null for any other number (negative, or not an
 * integer). `mask` must be non-negative. A huge power of ten needs no huge
 * bigint: d × 10^z has its low z bits zero, so it ands to 0 with a mask of at
 * most z bits. Same argument rules as compareJsonNumbers.
 */
export function bitwiseAnd(x: number | JsonNumber | string, mask: bigint): bigint | null {
  if (typeof x === 'number' && Number.isSafeInteger(x)) return x >= 0 ? BigInt(x) & mask : null;
  const d = toDecimal(x);
  if (d.sign === 0) return 0n;
  if (d.sign < 0 || d.digits.length > d.point) return null;
  const zeros = BigInt(d.point) - BigInt(d.digits.length);
  if (zeros >= BigInt(mask.toString(2).length)) return 0n;
  return (BigInt(d.digits) * 10n ** zeros) & mask;
}

/** The integer a JSON number text stands for, when it is one ("0x" texts are not JSON); null otherwise. */
export function exactInteger(x: number | JsonNumber | string): bigint | null {
  if (!isJsonInteger(x)) return null;
  const d = toDecimal(x);
  if (d.sign === 0) return 0n;
  const zeros = BigInt(d.point) - BigInt(d.digits.length);
  if (zeros > 4096n) return null;
  return BigInt(d.sign) * BigInt(d.digits) * 10n ** zeros;
}

/**
 * One text per numeric value, whatever way it was written ("1.50", "1.5" and
 * "15e-1" give "1.5"; "1e2", "100.0" give "100"; "-0" gives "0"): plain digits
 * for integers up to 400 digits and for fractions down to 30 leading zeros,
 * `D.DDDeN` beyond. Same argument rules as compareJsonNumbers.
 */
export function canonicalNumberText(x: number | JsonNumber | string): string {
  if (typeof x === 'number' && Number.isSafeInteger(x)) return String(x);
  const d = toDecimal(x);
  if (d.sign === 0) return '0';
  const minus = d.sign < 0 ? '-' : '';
  const n = d.digits.length;
  const p = d.point;
  if (typeof p === 'number' && p >= n && p <= 400) return minus + d.digits + '0'.repeat(p - n);
  if (typeof p === 'number' && p > 0 && p < n) return `${minus}${d.digits.slice(0, p)}.${d.digits.slice(p)}`;
  if (typeof p === 'number' && p <= 0 && p > -30) return `${minus}0.${'0'.repeat(-p)}${d.digits}`;
  const exponent = typeof p === 'number' ? String(p - 1) : (p - 1n).toString();
  return `${minus}${d.digits[0]}${n > 1 ? `.${d.digits.slice(1)}` : ''}e${exponent}`;
}
