/**
 * core/count-by.ts: the group keys of an event, their counts under the caps,
 * and the order of the groups; a property test against a reference count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Group,
  GroupCounts,
  KEY_MAX_CHARS,
  MAX_TUPLES_PER_EVENT,
  compileCountBy,
  rankGroups,
} from '../../src/core/count-by.js';
import { FilterError, type SelectedEvent } from '../../src/core/filter-line.js';
import { type JsonValue, JsonNumber, needsLossless, parseLossless, stringifyJson } from '../../src/core/json.js';
import { canonicalNumberText } from '../../src/core/json/decimal.js';
import { bundledEventSchema } from '../../src/io/schemas.js';
import { eventArb, eventLine, referenceCount, refKey } from '../helpers/count-by-streams.js';
import { buildSchemaIndex } from '../../src/core/schema-index.js';

/** A line's event as filterLine hands it to a renderer. */
function selected(text: string): SelectedEvent {
  const value = JSON.parse(text) as unknown;
  return { value, exact: () => (needsLossless(text) ? parseLossless(text) : (value as JsonValue)) };
}

/** Counts the lines by the paths (no schema: paths split on dots) and gives [values as JSON texts or '-', count] rows. */
function countLines(paths: string[], lines: string[], options: { maxGroups?: number; rare?: boolean; top?: number } = {}) {
  const { keys } = compileCountBy(paths, null);
  const counts = new GroupCounts(options.maxGroups);
  for (const line of lines) counts.add(keys(selected(line)));
  return { counts, rows: rankGroups(counts, options).map(show) };
}

function show(g: Group): [string[], number] {
  return [g.values.map((v) => (v.missing ? '-' : `${stringifyJson(v.value)}${v.cut ? '…' : ''}`)), g.count];
}

describe('group keys', () => {
  it('counts events by one value, most frequent first, equal counts by value', () => {
    const { rows } = countLines(['evt.name'], ['{"evt":{"name":"open"}}', '{"evt":{"name":"exec"}}', '{"evt":{"name":"open"}}', '{"evt":{"name":"chmod"}}']);
    expect(rows).toEqual([[['"open"'], 2], [['"chmod"'], 1], [['"exec"'], 1]]);
  });

  it('a missing field is a group of its own, shown as missing (not null)', () => {
    const { rows } = countLines(['a'], ['{}', '{"a":null}', '{"b":1}']);
    expect(rows).toEqual([[['-'], 2], [['null'], 1]]);
  });

  it('1 and "1" are different groups; 1, 1.0 and 1e0 are one', () => {
    const { rows } = countLines(['a'], ['{"a":1}', '{"a":"1"}', '{"a":1.0}', '{"a":1e0}', '{"a":-0}', '{"a":0}']);
    expect(rows).toEqual([[['1'], 3], [['0'], 2], [['"1"'], 1]]);
  });

  it('uint64 keys stay exact: ...615 and ...614 are not one double', () => {
    const { rows } = countLines(['i'], ['{"i":18446744073709551615}', '{"i":18446744073709551614}', '{"i":18446744073709551615}']);
    expect(rows).toEqual([[['18446744073709551615'], 2], [['18446744073709551614'], 1]]);
  });

  it('a list fans out: each distinct element counts once per event; an empty list is the value []', () => {
    const { rows } = countLines(['f'], ['{"f":["O_WRONLY","O_CREAT"]}', '{"f":["O_WRONLY","O_WRONLY"]}', '{"f":[]}']);
    expect(rows).toEqual([[['"O_WRONLY"'], 2], [['"O_CREAT"'], 1], [['[]'], 1]]);
  });

  it('[*] fans out over the elements too', () => {
    const { rows } = countLines(['a[*].n'], ['{"a":[{"n":"x"},{"n":"y"},{"m":1}]}', '{"a":[{"n":"x"}]}']);
    expect(rows).toEqual([[['"x"'], 2], [['"y"'], 1]]);
  });

  it('several paths give tuples, lists their cartesian product', () => {
    const { rows } = countLines(['k', 'f'], ['{"k":"open","f":["R","W"]}', '{"k":"open","f":["W"]}', '{"k":"exec"}']);
    expect(rows).toEqual([
      [['"open"', '"W"'], 2],
      [['"exec"', '-'], 1],
      [['"open"', '"R"'], 1],
    ]);
  });

  it('objects and nested lists are keyed by their JSON text, numbers in it as written', () => {
    const { rows } = countLines(['o'], ['{"o":{"x":1.50}}', '{"o":{"x":1.50}}', '{"o":[[1]]}']);
    expect(rows).toEqual([[['{"x":1.50}'], 2], [['[1]'], 1]]);
  });

  it(`a string longer than ${KEY_MAX_CHARS} code units is cut there (and marked), never between surrogate halves`, () => {
    const long = 'a'.repeat(KEY_MAX_CHARS + 10);
    const other = 'a'.repeat(KEY_MAX_CHARS) + 'b';
    const pair = 'a'.repeat(KEY_MAX_CHARS - 1) + '😀';
    const { counts, rows } = countLines(['s'], [JSON.stringify({ s: long }), JSON.stringify({ s: other }), JSON.stringify({ s: pair })]);
    expect(rows).toEqual([
      [[JSON.stringify('a'.repeat(KEY_MAX_CHARS)) + '…'], 2],
      [[JSON.stringify('a'.repeat(KEY_MAX_CHARS - 1)) + '…'], 1],
    ]);
    expect(counts.incomplete).toBe(false);
  });

  it('a path that is not in the schema is a FilterError with its span; a path given twice too', () => {
    const index = buildSchemaIndex(bundledEventSchema());
    expect(() => compileCountBy(['process.executable.pat'], index)).toThrow(FilterError);
    try {
      compileCountBy(['evt.name', 'process.arg'], index);
    } catch (err) {
      expect((err as FilterError).option).toBe('count-by');
      expect((err as FilterError).errors[0]?.span).toEqual({ start: 8, end: 11 });
    }
    expect(() => compileCountBy(['evt.name', 'evt["name"]'], index)).toThrow(/given twice/);
  });
});

describe('caps: the result says when it is incomplete', () => {
  it('beyond maxGroups, new groups are left out and counted as such; kept groups go on counting exactly', () => {
    const { counts, rows } = countLines(['a'], ['{"a":1}', '{"a":2}', '{"a":3}', '{"a":1}', '{"a":4}'], { maxGroups: 2 });
    expect(rows).toEqual([[['1'], 2], [['2'], 1]]);
    expect([counts.leftOut, counts.incomplete]).toEqual([2, true]);
  });

  it(`an event gives at most ${MAX_TUPLES_PER_EVENT} tuples`, () => {
    const many = Array.from({ length: 200 }, (_, i) => i);
    const { counts } = countLines(['a', 'b'], [JSON.stringify({ a: many, b: many })]);
    expect(counts.groups.size).toBe(MAX_TUPLES_PER_EVENT);
    expect([counts.tooManyTuples, counts.incomplete]).toEqual([1, true]);
  });
});

describe('order', () => {
  const lines = ['{"a":"b"}', '{"a":2}', '{"a":10}', '{"a":true}', '{"a":null}', '{}', '{"a":"a"}', '{"a":[[1]]}', '{"a":{"x":1}}', '{"a":"b"}', '{"a":"b"}', '{"a":2}'];

  it('equal counts: missing, null, false, true, numbers by value, strings, lists, objects (jq order, missing first)', () => {
    expect(countLines(['a'], lines).rows.map(([v, n]) => `${v.join()}:${n}`)).toEqual(
      ['"b":3', '2:2', '-:1', 'null:1', 'true:1', '10:1', '"a":1', '[1]:1', '{"x":1}:1'],
    );
  });

  it('--rare: least frequent first, same tie order; --top keeps the first N', () => {
    expect(countLines(['a'], lines, { rare: true, top: 3 }).rows.map(([v, n]) => `${v.join()}:${n}`)).toEqual(['-:1', 'null:1', 'true:1']);
  });
});

describe('canonicalNumberText', () => {
  it.each([
    ['1', '1'], ['1.0', '1'], ['1e2', '100'], ['1E+2', '100'], ['-0', '0'], ['0.0e5', '0'], ['1.50', '1.5'], ['15e-1', '1.5'],
    ['-0.001', '-0.001'], ['18446744073709551615', '18446744073709551615'], ['1e400', '1e400'], ['1.5e-40', '1.5e-40'],
    ['123e-2', '1.23'], ['1e+21', '1000000000000000000000'],
  ])('%s -> %s', (text, canonical) => {
    expect(canonicalNumberText(text)).toBe(canonical);
    expect(canonicalNumberText(new JsonNumber(text))).toBe(canonical);
  });

  it('equal numbers have one text, different ones different texts', () => {
    const num = fc.tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: -30, max: 30 }));
    fc.assert(
      fc.property(num, num, ([ma, ea], [mb, eb]) => {
        const text = (m: bigint, e: number): string => `${m}e${e}`;
        // m × 10^e compared exactly, scaled to a common exponent.
        const low = Math.min(ea, eb);
        const equal = ma * 10n ** BigInt(ea - low) === mb * 10n ** BigInt(eb - low);
        expect(canonicalNumberText(text(ma, ea)) === canonicalNumberText(text(mb, eb))).toBe(equal);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------
// Property: GroupCounts equals a reference count on random streams.

describe('property: counts equal a reference count', () => {
  it('on random streams, every group and count, nothing else', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const { keys } = compileCountBy(['evt.name', 'process.credentials.uid', 'file.flags'], null);
        const counts = new GroupCounts();
        for (const e of events) counts.add(keys(selected(eventLine(e))));
        const got = new Map(rankGroups(counts).map((g) => [refKey(g.values.map((v) => (v.missing ? undefined : v.value))), g.count]));
        expect(got).toEqual(referenceCount(events));
        expect(counts.events).toBe(events.length);
      }),
      { numRuns: 200 },
    );
  });
});
