import { describe, expect, test } from 'vitest';
import { compileQuery, renderQueryError } from '../../../src/query/index.js';

/** As csm-filter prints them: its name before each rendered error. */
function rendered(source: string, label = '--where', program = 'csm-filter'): string {
  const r = compileQuery(source);
  if (r.ok) throw new Error(`${source} compiled`);
  return r.errors.map((e) => `${program}: ${renderQueryError(source, e, label)}`).join('\n');
}

describe('renderQueryError', () => {
  test('a missing value at the end of the query points at its last character', () => {
    expect(rendered('process.uid ==')).toBe(
      [
        "csm-filter: --where: expected a value after '==' at column 14",
        '  process.uid ==',
        '               ^',
      ].join('\n'),
    );
  });

  test('a longer span is underlined with ^^^', () => {
    expect(rendered('process.uid in "x"')).toBe(
      [
        "csm-filter: --where: expected a list after 'in', found a string (write in [...]) at column 16",
        '  process.uid in "x"',
        '                 ^^^',
      ].join('\n'),
    );
  });

  test("an unclosed '(' marks the opener and the end", () => {
    expect(rendered('(a == 1 and (b == 2')).toBe(
      [
        "csm-filter: --where: expected ')' to close '(' at column 19",
        '  (a == 1 and (b == 2',
        '              ^     ^',
      ].join('\n'),
    );
  });

  test('the label is passed in; the renderer adds no program name (the caller does)', () => {
    const r = compileQuery('a ==');
    expect(!r.ok && renderQueryError('a ==', r.errors[0]!, '--filter').split('\n')[0]).toBe("--filter: expected a value after '==' at column 4");
    expect(!r.ok && renderQueryError('a ==', r.errors[0]!).split('\n')[0]).toBe("expected a value after '==' at column 4");
    expect(rendered('a ==', '--filter', 'csm-validate').split('\n')[0]).toBe(
      "csm-validate: --filter: expected a value after '==' at column 4",
    );
  });

  test('columns count code points, and the caret lines up after non-ASCII text', () => {
    expect(rendered('a == "é😀" and')).toBe(
      [
        "csm-filter: --where: expected a condition after 'and' at column 13",
        '  a == "é😀" and',
        '              ^',
      ].join('\n'),
    );
  });

  test('a query on several lines gives line and column, and shows the right line', () => {
    expect(rendered('a == 1 and\n  b = 2')).toBe(
      [
        "csm-filter: --where: unexpected '=': did you mean '=='? at line 2, column 5",
        '    b = 2',
        '      ^',
      ].join('\n'),
    );
  });

  test('an opener on an earlier line is shown above', () => {
    expect(rendered('(a == 1 and\n b == 2')).toBe(
      [
        "csm-filter: --where: expected ')' to close '(' at line 2, column 7",
        '  (a == 1 and',
        '  ^ opened here',
        '   b == 2',
        '        ^',
      ].join('\n'),
    );
  });

  test('every error gets its own block', () => {
    const out = rendered('a = 1 | b');
    expect(out.split('\n').filter((l) => l.startsWith('csm-filter'))).toEqual([
      "csm-filter: --where: unexpected '=': did you mean '=='? at column 3",
      "csm-filter: --where: unexpected '|': did you mean '||'? at column 7",
    ]);
  });
});
