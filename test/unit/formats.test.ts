import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRfc3339DateTime, isRfc3339DateTimeBytes } from '../../src/core/formats.js';

describe('isRfc3339DateTime follows RFC 3339 section 5.6 exactly', () => {
  it.each([
    ['2024-08-01T12:00:00Z', 'UTC with Z'],
    ['2024-08-01t12:00:00z', 'lowercase t and z (5.6 NOTE)'],
    ['2024-08-01T12:00:00.123456789Z', 'any number of fraction digits'],
    ['1970-01-01T01:00:00+01:00', 'a numeric offset'],
    ['0001-01-01T00:00:00Z', "Go's zero time"],
    ['2024-02-29T00:00:00Z', 'a leap day'],
    ['2000-02-29T00:00:00Z', 'a leap day in a year divisible by 400'],
    ['2016-12-31T23:59:60Z', 'a leap second at the end of a UTC day'],
    ['2016-12-31T18:59:60-05:00', 'a leap second at the end of the UTC day, in local time'],
    ['2024-08-01T12:00:00-23:59', 'the largest offset'],
  ])('accepts %s (%s)', (text) => {
    expect(isRfc3339DateTime(text)).toBe(true);
  });

  it.each([
    ['2024-08-01 12:00:00Z', 'a space instead of T (ajv-formats accepts it)'],
    ['2024-08-01T12:00:00+0100', 'an offset without its colon'],
    ['2024-08-01T12:00:00+01', 'an offset without minutes'],
    ['2024-08-01T12:00:00', 'no offset'],
    ['2024-08-01', 'a date alone'],
    ['2023-02-29T00:00:00Z', 'Feb 29 in a common year'],
    ['1900-02-29T00:00:00Z', 'Feb 29 in a year divisible by 100 only'],
    ['2024-04-31T00:00:00Z', 'April 31'],
    ['2024-13-01T00:00:00Z', 'month 13'],
    ['2024-00-01T00:00:00Z', 'month 0'],
    ['2024-08-00T00:00:00Z', 'day 0'],
    ['2024-08-01T24:00:00Z', 'hour 24'],
    ['2024-08-01T12:60:00Z', 'minute 60'],
    ['2024-08-01T12:00:61Z', 'second 61'],
    ['2024-08-01T12:00:60Z', 'a leap second that is not at 23:59 UTC'],
    ['2024-08-01T12:00:00.Z', 'a dot without fraction digits'],
    ['2024-08-01T12:00:00+24:00', 'offset hour 24'],
    ['24-08-01T12:00:00Z', 'a two-digit year'],
    ['2024-08-01T12:00:00Z\n', 'a trailing newline'],
    ['２０２４-08-01T12:00:00Z', 'non-ASCII digits'],
  ])('rejects %s (%s)', (text) => {
    expect(isRfc3339DateTime(text)).toBe(false);
  });
});

describe('isRfc3339DateTimeBytes gives isRfc3339DateTime verdict on ASCII bytes', () => {
  const digit = fc.constantFrom(...'0123456789');
  const digitsOf = (min: number, max: number) => fc.array(digit, { minLength: min, maxLength: max }).map((d) => d.join(''));
  // Near-misses of the grammar: each part usually well-formed, sometimes not.
  const part = (good: fc.Arbitrary<string>, bad: fc.Arbitrary<string>) => fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: bad });
  const anyAscii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 4 });
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const dateTime = fc
    .tuple(
      part(digitsOf(4, 4), digitsOf(0, 5)),
      part(fc.constant('-'), anyAscii),
      part(two(13), digitsOf(0, 3)),
      part(fc.constant('-'), anyAscii),
      part(two(32), digitsOf(0, 3)),
      part(fc.constantFrom('T', 't'), fc.constantFrom(' ', 'X', '')),
      part(two(24), digitsOf(0, 3)),
      part(fc.constant(':'), anyAscii),
      part(two(60), digitsOf(0, 3)),
      part(fc.constant(':'), anyAscii),
      part(two(61), digitsOf(0, 3)),
      fc.oneof(fc.constant(''), digitsOf(0, 12).map((d) => `.${d}`)),
      part(
        fc.oneof(fc.constantFrom('Z', 'z'), fc.tuple(fc.constantFrom('+', '-'), two(24), two(60)).map(([s, h, m]) => `${s}${h}:${m}`)),
        anyAscii,
      ),
      fc.oneof({ weight: 9, arbitrary: fc.constant('') }, { weight: 1, arbitrary: anyAscii }),
    )
    .map((parts) => parts.join(''));
  const leapSecond = fc
    .tuple(fc.constantFrom('2016-12-31', '2024-02-29', '2023-02-28'), two(23), two(59), fc.constantFrom('Z', '+00:00', '-05:00', '+23:59', '-00:01'))
    .map(([d, h, m, z]) => `${d}T${h}:${m}:60${z}`);
  const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 40 });

  it('on generated date-times, near-misses, leap seconds and any ASCII text, also inside a larger buffer', () => {
    fc.assert(
      fc.property(fc.oneof(dateTime, leapSecond, ascii), ascii, ascii, (text, before, after) => {
        const bytes = Buffer.from(before + text + after, 'latin1');
        expect(isRfc3339DateTimeBytes(bytes, before.length, before.length + text.length)).toBe(isRfc3339DateTime(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    '2024-08-01T12:00:00Z', '2024-08-01t12:00:00z', '2016-12-31T18:59:60-05:00', '2024-08-01T12:00:00.Z', '2024-08-01T12:00:00',
    '2024-08-01T12:00:00+0100', '2023-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2024-08-01T12:00:60Z',
  ])('agrees on %s', (text) => {
    expect(isRfc3339DateTimeBytes(Buffer.from(text), 0, text.length)).toBe(isRfc3339DateTime(text));
  });
});
