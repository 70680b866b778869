/**
 * print/count-by.ts: how groups are written (cells, escapes, the bar chart on a TTY).
 */
import { describe, expect, it } from 'vitest';
import type { Group, GroupValue } from '../../src/core/count-by.js';
import { JsonNumber } from '../../src/core/json.js';
import { type CountByPrint, formatGroups } from '../../src/print/count-by.js';

const v = (value: GroupValue extends infer T ? (T extends { value: infer V } ? V : never) : never, cut = false): GroupValue => ({ missing: false, value, cut });
const MISSING: GroupValue = { missing: true };
const opts = (over: Partial<CountByPrint> = {}): CountByPrint => ({ format: 'text', names: ['x'], header: true, rare: false, maxGroups: 10, tty: false, ...over });
const groups = (...rows: [GroupValue, number][]): Group[] => rows.map(([g, count]) => ({ values: [g], count }));

describe('count-by cells', () => {
  it('a string that would read as another value is written as its JSON string; other strings as they are', () => {
    const gs = groups([v('1'), 1], [v(''), 1], [v('true'), 1], [v('(missing)'), 1], [v('"q"'), 1], [v(' pad'), 1], [v('/bin/sh'), 1], [MISSING, 1], [v(null), 1], [v(new JsonNumber('18446744073709551615')), 1]);
    expect(formatGroups(gs, opts({ header: false }))).toBe(
      ['1  "1"', '1  ""', '1  "true"', '1  "(missing)"', '1  "\\"q\\""', '1  " pad"', '1  /bin/sh', '1  (missing)', '1  null', '1  18446744073709551615', ''].join('\n'),
    );
    expect(formatGroups(gs, opts({ header: false, format: 'tsv' })).split('\n').slice(6, 10)).toEqual(['1\t/bin/sh', '1\t', '1\tnull', '1\t18446744073709551615']);
  });

  it('text escapes controls, C1 and bidi characters as \\uXXXX (in JSON text too); tsv escapes them too, as csm-filter --format tsv does (README: Output)', () => {
    const gs = groups([v('a\u009bb'), 2], [v({ k: 'x\u2067y' }), 1], [v('t\tab'), 1]);
    expect(formatGroups(gs, opts({ header: false }))).toBe('2  "a\\u009bb"\n1  {"k":"x\\u2067y"}\n1  "t\\tab"\n');
    expect(formatGroups(gs, opts({ header: false, format: 'tsv' }))).toBe('2\ta\\u009bb\n1\t{"k":"x\\u2067y"}\n1\tt\\tab\n');
  });

  it('a cut value ends in …; ndjson lists the cut paths', () => {
    const gs = groups([v('/very/long', true), 3]);
    expect(formatGroups(gs, opts({ header: false }))).toBe('3  /very/long…\n');
    expect(formatGroups(gs, opts({ format: 'ndjson' }))).toBe('{"key":{"x":"/very/long"},"count":3,"cut":["x"]}\n');
  });

  it('on a TTY, text pads the columns and draws a bar scaled to the largest count; elsewhere no bar', () => {
    const gs = groups([v('exec'), 8], [v('open'), 4], [v('unlink'), 1]);
    expect(formatGroups(gs, opts({ tty: true }))).toBe(
      ['COUNT  x', '    8  exec    ' + '█'.repeat(28), '    4  open    ' + '█'.repeat(14), '    1  unlink  ' + '███▌', ''].join('\n'),
    );
    expect(formatGroups(gs, opts())).not.toContain('█');
  });
});
