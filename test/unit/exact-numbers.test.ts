import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { valueForValidation } from '../../src/core/exact-numbers.js';
import { isJsonInteger } from '../../src/core/json/decimal.js';

const numberText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,25})$/), fc.option(fc.stringMatching(/^[0-9]{1,25}$/)), fc.option(fc.integer({ min: -400, max: 400 })))
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac !== null ? `.${frac}` : ''}${exp !== null ? `e${exp}` : ''}`);

describe('valueForValidation', () => {
  it('returns the very same value when no number can be misread', () => {
    const value = { a: 1, b: [2, 3], date: '2024-08-01T12:00:00.5Z' };
    expect(valueForValidation(value, JSON.stringify(value))).toBe(value);
  });

  it('keeps the integer-ness the text says (property)', () => {
    fc.assert(
      fc.property(numberText, (raw) => {
        const text = `{"n":[${raw}]}`;
        const v = valueForValidation(JSON.parse(text), text) as { n: number[] };
        const n = v.n[0]!;
        if (!Number.isFinite(n) && !Number.isNaN(n)) return; // 1e400: Infinity, an integer for ajv too
        expect(Number.isInteger(n)).toBe(isJsonInteger(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it('moves a misread number only to the nearest double on the side of its exact value', () => {
    const v = (raw: string): number => (valueForValidation(JSON.parse(`[${raw}]`), `[${raw}]`) as number[])[0]!;
    expect(v('1e-400')).toBe(Number.MIN_VALUE);
    expect(v('-1e-400')).toBe(-Number.MIN_VALUE);
    expect(v('4242.00000000000000001')).toBeGreaterThan(4242);
    expect(v('4242.00000000000000001')).toBeLessThan(4242.00001);
    expect(v('4241.99999999999999999')).toBeLessThan(4242);
    expect(v('18446744073709551616.5')).toBeNaN();
    expect(v('1.5')).toBe(1.5);
  });

  it('walks any depth without recursion', () => {
    const text = '['.repeat(50_000) + '1e-400' + ']'.repeat(50_000);
    let v = valueForValidation(JSON.parse(text), text) as unknown;
    for (let i = 0; i < 50_000; i++) v = (v as unknown[])[0];
    expect(v).toBe(Number.MIN_VALUE);
  });
});
