import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  MAX_PATH_STEPS,
  formatPath,
  getPathValues,
  parsePath,
  scanJsonString,
  type Path,
  type Segment,
} from '../../src/core/path.js';
import { JsonNumber, type JsonValue } from '../../src/core/json/value.js';

/** Steps without spans, for readable expectations. */
function steps(text: string): unknown[] {
  const r = parsePath(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.path.segments.map((s) =>
    s.kind === 'key' ? (s.quoted ? { quoted: s.key } : s.key) : s.kind === 'index' ? s.index : '*',
  );
}

function parsed(text: string): Path {
  const r = parsePath(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.path;
}

describe('parsePath', () => {
  test.each([
    ['process', ['process']],
    ['process.args', ['process', 'args']],
    ['process.args[0]', ['process', 'args', 0]],
    ['process.args[-1]', ['process', 'args', -1]],
    ['process.ancestors[*].file.path', ['process', 'ancestors', '*', 'file', 'path']],
    ['mount["mountpoint.path"]', ['mount', { quoted: 'mountpoint.path' }]],
    ['a["x\\"y\\u00e9"].b', ['a', { quoted: 'x"yé' }, 'b']],
    ['["weird key"].x', [{ quoted: 'weird key' }, 'x']],
    ['a[ 1 ][ * ]', ['a', 1, '*']],
    ['  process.pid  ', ['process', 'pid']],
    ['_a.b_2.C', ['_a', 'b_2', 'C']],
  ])('%s has the steps %j', (text, expected) => {
    expect(steps(text)).toEqual(expected);
  });

  test('spans are 0-based offsets of each step in the text', () => {
    const p = parsed('process.args[0]');
    expect(p.span).toEqual({ start: 0, end: 15 });
    expect(p.text).toBe('process.args[0]');
    expect(p.segments.map((s) => s.span)).toEqual([
      { start: 0, end: 7 },
      { start: 8, end: 12 },
      { start: 12, end: 15 },
    ]);
  });

  test.each([
    ['', 0, 'empty path'],
    ['process.', 7, "expected a field name after '.'"],
    ['process..pid', 8, "expected a field name after '.'"],
    ['process.1abc', 8, 'expected a field name'],
    ['process.args[', 12, "expected an index, '*' or a quoted key after '['"],
    ['process.args[x]', 13, "expected an index, '*' or a quoted key after '['"],
    ['process.args[0', 12, "expected ']'"],
    ['process.args[-]', 13, "expected digits after '-'"],
    ['process.args[99999999999999999999]', 13, 'too large'],
    ['a["x', 2, 'unterminated string'],
    ['a["\\x"]', 3, "invalid escape '\\x'"],
    ['process pid', 8, "unexpected 'p' in path"],
    ['process-pid', 7, "unexpected '-' in path"],
    ['1abc', 0, 'expected a field name'],
  ])('%j is an error at offset %i: %s', (text, start, message) => {
    const r = parsePath(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('path');
    expect(r.error.span.start).toBe(start);
    expect(r.error.message).toContain(message);
  });

  test(`a path longer than ${MAX_PATH_STEPS} steps is an error, not a deep walk`, () => {
    const r = parsePath(Array.from({ length: MAX_PATH_STEPS + 1 }, () => 'a').join('.'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('path too long');
    expect(parsePath(Array.from({ length: MAX_PATH_STEPS }, () => 'a').join('.')).ok).toBe(true);
  });
});

describe('formatPath', () => {
  test.each([
    ['process.args[0]', 'process.args[0]'],
    ['process.ancestors[*].file.path', 'process.ancestors[*].file.path'],
    ['mount["mountpoint.path"]', 'mount["mountpoint.path"]'],
    ['mount["fs_type"]', 'mount.fs_type'],
    ['a["x y"]["0"]', 'a["x y"]["0"]'],
    ['["a"].b', 'a.b'],
  ])('%s prints as %s', (text, expected) => {
    expect(formatPath(parsed(text))).toBe(expected);
  });

  const segment: fc.Arbitrary<Segment> = fc.oneof(
    fc.string({ maxLength: 8 }).map((key) => ({ kind: 'key' as const, key, span: { start: 0, end: 0 } })),
    fc.integer({ min: -5, max: 5 }).map((index) => ({ kind: 'index' as const, index, span: { start: 0, end: 0 } })),
    fc.constant({ kind: 'wildcard' as const, span: { start: 0, end: 0 } }),
  );

  test('parsePath reads back what formatPath prints, for any steps', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segs) => {
        const r = parsePath(formatPath(segs));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const simple = (s: Segment) => (s.kind === 'key' ? s.key : s.kind === 'index' ? s.index : '*');
        expect(r.path.segments.map(simple)).toEqual(segs.map(simple));
      }),
    );
  });
});

describe('getPathValues', () => {
  const event: JsonValue = {
    process: {
      pid: 42,
      args: ['-c', 'id'],
      ancestors: [
        { file: { name: 'bash', path: '/bin/bash' } },
        { file: { name: 'sshd' } },
        { pid: 1 },
      ],
      tty: null,
    },
    mount: { 'mountpoint.path': '/mnt', mountpoint: { path: '/nested' } },
    file: { inode: new JsonNumber('18446744073709551615') },
  };

  test.each<[string, JsonValue[]]>([
    ['process.pid', [42]],
    ['process.args', [['-c', 'id']]],
    ['process.args[0]', ['-c']],
    ['process.args[-1]', ['id']],
    ['process.args[-2]', ['-c']],
    ['process.args[2]', []],
    ['process.args[-3]', []],
    ['process.args[*]', ['-c', 'id']],
    ['process.ancestors[*].file.name', ['bash', 'sshd']],
    ['process.ancestors[*].file.path', ['/bin/bash']],
    ['process.tty', [null]],
    ['process.missing', []],
    ['process.pid.deeper', []],
    ['process.pid[0]', []],
    ['process[0]', []],
    ['process.args.length', []],
    ['mount["mountpoint.path"]', ['/mnt']],
    ['mount.mountpoint.path', ['/nested']],
    ['file.inode', [new JsonNumber('18446744073709551615')]],
    ['file.inode.raw', []],
  ])('%s reaches %j', (text, expected) => {
    expect(getPathValues(event, parsed(text))).toEqual(expected);
  });

  test('__proto__ and constructor only find own keys', () => {
    const own = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "c"}') as JsonValue;
    expect(getPathValues(own, parsed('["__proto__"].polluted'))).toEqual([1]);
    expect(getPathValues(own, parsed('constructor'))).toEqual(['c']);
    expect(getPathValues({}, parsed('constructor'))).toEqual([]);
    expect(getPathValues({}, parsed('__proto__'))).toEqual([]);
    expect(getPathValues({ a: {} }, parsed('a.toString'))).toEqual([]);
    expect(getPathValues({ a: {} }, parsed('a.hasOwnProperty'))).toEqual([]);
  });
});

describe('scanJsonString', () => {
  test('decodes JSON escapes and stops at the closing quote', () => {
    const r = scanJsonString('"a\\n\\t\\/\\\\\\"\\ud83d\\ude00" rest', 0);
    expect(r).toEqual({ ok: true, value: 'a\n\t/\\"😀', end: 25 });
  });

  test('agrees with JSON.parse on any JSON-encoded string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) => {
        const text = JSON.stringify(s);
        const r = scanJsonString(text, 0);
        expect(r).toEqual({ ok: true, value: JSON.parse(text), end: text.length });
      }),
    );
  });
});
