/**
 * One regression test per bug the fuzzers (npm run fuzz) and the hardening
 * tests found, each with the shrunk counterexample (README "Fuzzing").
 */
import { describe, expect, it } from 'vitest';
import { LineSplitter, type Line } from '../../../src/core/lines.js';
import { parseLossless } from '../../../src/core/json/parse.js';
import { parsePath } from '../../../src/core/path.js';
import { compileProjection } from '../../../src/core/project.js';
import { compileQuery, renderQueryError } from '../../../src/query/index.js';
import { runMain } from '../../helpers/inprocess.js';

function lengths(chunks: string[], maxLineBytes: number): (number | string)[] {
  const splitter = new LineSplitter({ maxLineBytes });
  const out: (number | string)[] = [];
  const sink = (l: Line) => out.push(l.tooLong === true ? l.length! : l.bytes.toString('latin1'));
  for (const c of chunks) splitter.push(Buffer.from(c, 'latin1'), sink);
  splitter.end(sink);
  return out;
}

describe('LineSplitter: the length of an over-long line does not depend on where the chunks end', () => {
  it.each<[string, string[], number, (number | string)[]]>([
    // fuzz: lines/chunking-invariant, counterexample [Buffer.from([13,13,10]), [], 0]
    ['"\\r\\r\\n" whole, limit 0', ['\r\r\n'], 0, [1]],
    ['"\\r\\r\\n" byte by byte, limit 0', ['\r', '\r', '\n'], 0, [1]],
    ['"aaaa\\r\\n" whole, limit 3', ['aaaa\r\n'], 3, [4]],
    ['"aaaa" + "\\r\\n", limit 3', ['aaaa', '\r\n'], 3, [4]],
    ['"aa" + "aa\\r" + "\\n", limit 3', ['aa', 'aa\r', '\n'], 3, [4]],
    ['a last line "aaaaa\\r" without \\n, in two chunks, limit 3', ['aaa', 'aa\r'], 3, [5]],
    ['then the next line is read as usual', ['aaaa', '\r\nab\r\n'], 3, [4, 'ab']],
  ])('%s: the CR that ends the line is not counted', (_name, chunks, max, expected) => {
    expect(lengths(chunks, max)).toEqual(expected);
  });
});

describe('query errors stay one line whatever the query holds', () => {
  // The error values keep the query's text as it is; rendering escapes it (src/core/escape.ts).
  it.each<[string, string]>([
    // fuzz: query/any-text, counterexample "\"\\\n\"" (a backslash, then a newline, in a string)
    ['title == "a\\\nb"', "invalid escape '\\' followed by character U+000A in string"],
    ['title == "x" "y\nz"', 'expected \'and\', \'or\' or end of query, found string "y\\x0az"'],
    // fuzz: query/any-text, counterexample "\u2028"
    ['\u000b\u2028#', "unexpected '\\x0b\\u2028#'"],
    ['a == 1 \u0085', 'unexpected character U+0085'],
  ])('%j: %s', (query, message) => {
    const q = compileQuery(query);
    expect(q.ok).toBe(false);
    if (q.ok) return;
    expect(q.errors).toHaveLength(1);
    const rendered = renderQueryError(query, q.errors[0]!, '--where').split('\n');
    expect(rendered).toHaveLength(3);
    expect(rendered[0]).toMatch(new RegExp(`^--where: ${message.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} at (line \\d+, )?column \\d+$`));
  });
});

describe('an escape of a lone surrogate at the end of a query', () => {
  // fuzz: query/any-text (a second 10-minute run), counterexample "r\"\r<r\"\n\"false#\\\ud800": span 14-17 in a 16-character query
  it.each<[string, { start: number; end: number }]>([
    ['a == "\\\ud800', { start: 6, end: 8 }],
    ['a == "\\\ud800x"', { start: 6, end: 8 }],
    ['a == "\\\u{1F600}x"', { start: 6, end: 9 }],
  ])('%j: the error span stays inside the query (a lone surrogate is one code unit, a pair two)', (query, span) => {
    const q = compileQuery(query);
    expect(q.ok).toBe(false);
    if (q.ok) return;
    expect(q.errors[0]!.span).toEqual(span);
    expect(q.errors[0]!.span.end).toBeLessThanOrEqual(query.length);
  });

  it('in a --field path too', () => {
    const r = parsePath('a["\\\ud800');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.span).toEqual({ start: 3, end: 5 });
  });
});

describe('--field with [*] keeps every position of the list', () => {
  const nested = (paths: string[], text: string): unknown =>
    compileProjection(paths.map((p) => (parsePath(p) as { ok: true; path: never }).path)).nested(parseLossless(text));

  it.each<[string[], string, unknown]>([
    // fuzz: project/nested, counterexample toString[*].a on {"toString":[null]}
    [['toString[*].a'], '{"toString":[null]}', { toString: [{}] }],
    [['a[*].x'], '{"a":[{"x":1},"s",{"y":2},null,[1],{"x":3}]}', { a: [{ x: 1 }, {}, {}, {}, {}, { x: 3 }] }],
    [['b[*][1]'], '{"b":[[1,2],[3],5,[]]}', { b: [[2], [], [], []] }],
    [['b[*][*]'], '{"b":[[1,2],5]}', { b: [[1, 2], []] }],
  ])('%j on %s', (paths, text, expected) => {
    expect(nested(paths, text)).toEqual(expected);
  });

  it('through csm-filter', async () => {
    const r = await runMain('csm-filter', ['--no-schema-check', '-f', 'a[*].x'], { input: '{"a":[{"x":1},"s",{"y":2},null,{"x":3}]}\n' });
    expect([r.code, r.out, r.stderr]).toEqual([0, '{"a":[{"x":1},{},{},{},{"x":3}]}\n', '']);
  });
});
