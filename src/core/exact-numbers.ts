/**
 * Validation on the numbers the text says, not on their doubles.
 *
 * JSON.parse rounds `1e-400` to 0 and `4242.00000000000000001` to 4242, which
 * would then pass `type: integer` although neither is an integer (JSON Schema
 * counts a number as an integer only if its fractional part is zero). For a
 * line whose text holds a fraction or an exponent, the numbers are re-read
 * exactly; each one whose text is not an integer but whose double is gets, for
 * validation only, the nearest double that is not an integer (or NaN beyond
 * 2^52, where there is none) so the verdict is the text's.
 */
import { compareJsonNumbers, isJsonInteger } from './json/decimal.js';
import { mayHoldFractionOrExponent, parseLossless } from './json/parse.js';
import { JsonNumber, type JsonValue } from './json/value.js';

/** The nearest double after `x` towards `up` (+Infinity) or down. */
function nextDouble(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, (x > 0) === up ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The value to validate for a number token: its double, unless that turns a non-integer into an integer. */
function standIn(n: JsonNumber): number {
  const d = n.value;
  if (!Number.isInteger(d) || isJsonInteger(n.raw)) return d;
  // Beyond 2^52 every double is an integer: NaN is a number that is not one.
  if (Math.abs(d) >= 2 ** 52) return Number.NaN;
  // The nearest non-integer double on the side where the exact value lies.
  return nextDouble(d, compareJsonNumbers(n.raw, d) > 0);
}

/**
 * The value a validator should see for this line: `value` itself when no number
 * can be misread, else a copy whose misread numbers are replaced (see above).
 */
export function valueForValidation(value: unknown, text: string): unknown {
  if (!mayHoldFractionOrExponent(text)) return value;
  const exact = parseLossless(text);
  let changed = false;
  // Iterative walk: any depth. Replaces every JsonNumber in place in our own copy.
  const stack: JsonValue[] = [exact];
  const convert = (v: JsonValue): JsonValue => {
    if (v instanceof JsonNumber) {
      const s = standIn(v);
      if (!Object.is(s, v.value)) changed = true;
      return s;
    }
    if (typeof v === 'object' && v !== null) stack.push(v);
    return v;
  };
  if (exact instanceof JsonNumber) return standIn(exact);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) node[i] = convert(node[i]!);
    else if (typeof node === 'object' && node !== null && !(node instanceof JsonNumber)) {
      for (const key of Object.keys(node)) node[key] = convert(node[key]!);
    }
  }
  return changed ? exact : value;
}
