/**
 * Instants against an independent reference: each random RFC 3339 text (any
 * offset, `T`/`t`, `Z`/`z`, fractions of 0 to 13 digits) becomes a BigInt of
 * 10^-24 s since the epoch by plain counting (days year by year, month by
 * month), not by the implementation's arithmetic; the query's verdicts and
 * `compareInstants` must agree with it.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { compareInstants, isRfc3339DateTime, parseRfc3339Instant } from '../../../src/core/formats.js';
import { buildSchemaIndex } from '../../../src/core/schema-index.js';
import { compileQuery } from '../../../src/query/index.js';

const schema = buildSchemaIndex(
  JSON.parse(readFileSync(new URL('../../../schema/backend_linux.schema.json', import.meta.url), 'utf8')) as object,
);

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  offset: { sign: '+' | '-'; hours: number; minutes: number } | 'Z' | 'z';
  t: 'T' | 't';
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function monthLength(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Units of 10^-24 s since 1970-01-01T00:00:00Z, counted day by day of the calendar. */
function reference(p: Parts): bigint {
  let days = 0n;
  if (p.year >= 1970) for (let y = 1970; y < p.year; y++) days += isLeap(y) ? 366n : 365n;
  else for (let y = p.year; y < 1970; y++) days -= isLeap(y) ? 366n : 365n;
  for (let m = 1; m < p.month; m++) days += BigInt(monthLength(p.year, m));
  days += BigInt(p.day - 1);
  let secs = days * 86400n + BigInt(p.hour * 3600 + p.minute * 60 + p.second);
  if (typeof p.offset === 'object') {
    const off = BigInt(p.offset.hours * 3600 + p.offset.minutes * 60);
    secs = p.offset.sign === '+' ? secs - off : secs + off;
  }
  // fractions here have at most 13 digits: units of 10^-24 s hold them all
  return secs * 10n ** 24n + BigInt(p.fraction.padEnd(24, '0'));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function text(p: Parts): string {
  const off =
    typeof p.offset === 'object' ? `${p.offset.sign}${pad(p.offset.hours)}:${pad(p.offset.minutes)}` : p.offset;
  const frac = p.fraction === '' ? '' : `.${p.fraction}`;
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}${p.t}${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${frac}${off}`;
}

const parts: fc.Arbitrary<Parts> = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1960, max: 2040 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[0-9]{1,9}$/),
      fc.stringMatching(/^[0-9]{10,12}$/),
      fc.stringMatching(/^[0-9]{1,3}0{1,6}$/),
    ),
    offset: fc.oneof(
      fc.constantFrom<'Z' | 'z'>('Z', 'z'),
      fc.record({
        sign: fc.constantFrom<'+' | '-'>('+', '-'),
        hours: fc.integer({ min: 0, max: 23 }),
        minutes: fc.integer({ min: 0, max: 59 }),
      }),
    ),
    t: fc.constantFrom<'T' | 't'>('T', 't'),
  })
  .map((p) => ({ ...p, day: Math.min(p.day, monthLength(p.year, p.month)) }));

/** Two texts, often close to each other (same instant, written otherwise; a nanosecond apart). */
const pair: fc.Arbitrary<[Parts, Parts]> = fc.oneof(
  fc.tuple(parts, parts),
  parts.chain((a) =>
    fc
      .record({
        fraction: fc.oneof(fc.constant(a.fraction), fc.constant(a.fraction + '0'), fc.constant(a.fraction + '1')),
        t: fc.constantFrom<'T' | 't'>('T', 't'),
        offset: fc.constantFrom<Parts['offset']>(a.offset, 'z', 'Z'),
      })
      .map((b): [Parts, Parts] => [a, { ...a, ...b }]),
  ),
);

const sign = (x: bigint): number => (x < 0n ? -1 : x > 0n ? 1 : 0);

describe('instants against a reference', () => {
  test('compareInstants orders like the reference', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        // the generator makes valid texts only (the validator agrees)
        expect(isRfc3339DateTime(text(a)) && isRfc3339DateTime(text(b))).toBe(true);
        const x = parseRfc3339Instant(text(a));
        const y = parseRfc3339Instant(text(b));
        expect(x).not.toBeNull();
        expect(y).not.toBeNull();
        expect(compareInstants(x!, y!), `${text(a)} vs ${text(b)}`).toBe(sign(reference(a) - reference(b)));
      }),
      { numRuns: 1000 },
    );
  });

  test('date OP "literal" on the event agrees with the reference, for every operator', () => {
    const ops: [string, (c: number) => boolean][] = [
      ['==', (c) => c === 0],
      ['!=', (c) => c !== 0],
      ['<', (c) => c < 0],
      ['<=', (c) => c <= 0],
      ['>', (c) => c > 0],
      ['>=', (c) => c >= 0],
    ];
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const c = sign(reference(a) - reference(b));
        for (const [op, want] of ops) {
          const query = `date ${op} ${JSON.stringify(text(b))}`;
          const q = compileQuery(query, { schema });
          if (!q.ok) throw new Error(`${query}: ${q.errors[0].message}`);
          expect(q.match({ date: text(a) }), `${text(a)} ${op} ${text(b)}`).toBe(want(c));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a leap second sorts after the last instant of its day and before the next day', () => {
    const leap = parseRfc3339Instant('2016-12-31T23:59:60.5Z')!;
    expect(compareInstants(leap, parseRfc3339Instant('2016-12-31T23:59:59.999999999999Z')!)).toBe(1);
    expect(compareInstants(leap, parseRfc3339Instant('2017-01-01T00:00:00Z')!)).toBe(-1);
    expect(compareInstants(leap, parseRfc3339Instant('2017-01-01T00:59:60.5+01:00')!)).toBe(0);
    expect(parseRfc3339Instant('2016-12-31T22:59:60Z')).toBeNull();
  });
});
