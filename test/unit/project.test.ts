import { describe, expect, it } from 'vitest';
import { parseLossless } from '../../src/core/json/parse.js';
import { stringifyJson } from '../../src/core/json/stringify.js';
import { JsonNumber, type JsonValue } from '../../src/core/json/value.js';
import { parsePath } from '../../src/core/path.js';
import { ProjectionError, compileProjection } from '../../src/core/project.js';
import { fieldPrinter, csvCell, tsvCell } from '../../src/print/fields.js';

function projector(...fields: string[]) {
  return compileProjection(
    fields.map((f) => {
      const r = parsePath(f);
      if (!r.ok) throw new Error(r.error.message);
      return r.path;
    }),
  );
}

const event = parseLossless(
  '{"process":{"pid":1,"args":["sh","-c","id"],"ancestors":[{"pid":2,"file":{"path":"/bin/sh"}},{"pid":3}]},"mount":{"mountpoint.path":"/mnt"},"n":18446744073709551615}',
);

describe('compileProjection: nested output', () => {
  it.each<[string[], string]>([
    [['process.args'], '{"process":{"args":["sh","-c","id"]}}'],
    [['n', 'process.pid'], '{"n":18446744073709551615,"process":{"pid":1}}'],
    [['process.pid', 'n', 'process.args'], '{"process":{"pid":1,"args":["sh","-c","id"]},"n":18446744073709551615}'],
    [['process.ancestors[*].file.path'], '{"process":{"ancestors":[{"file":{"path":"/bin/sh"}},{}]}}'],
    [['process.ancestors[*].pid', 'process.ancestors[*].file.path'], '{"process":{"ancestors":[{"pid":2,"file":{"path":"/bin/sh"}},{"pid":3}]}}'],
    [['process.args[0]', 'process.args[-1]'], '{"process":{"args":["sh","id"]}}'],
    [['process.args[9]'], '{}'],
    [['mount["mountpoint.path"]'], '{"mount":{"mountpoint.path":"/mnt"}}'],
    [['nothing.here'], '{}'],
    [['process', 'process.pid'], '{"process":{"pid":1,"args":["sh","-c","id"],"ancestors":[{"pid":2,"file":{"path":"/bin/sh"}},{"pid":3}]}}'],
  ])('%j -> %s', (fields, expected) => {
    expect(stringifyJson(projector(...fields).nested(event))).toBe(expected);
  });

  it('refuses [*] and [N] on the same list', () => {
    expect(() => projector('process.args[*]', 'process.args[0]')).toThrow(ProjectionError);
  });

  it('never writes through __proto__', () => {
    const e = JSON.parse('{"__proto__":{"polluted":1}}') as JsonValue;
    const out = projector('__proto__.polluted').nested(e) as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(stringifyJson(out as JsonValue)).toBe('{"__proto__":{"polluted":1}}');
  });
});

describe('compileProjection: columns', () => {
  it('gives one value per plain path and the list reached for [*]', () => {
    const cols = projector('process.pid', 'process.ancestors[*].pid', 'missing').columns(event);
    expect(cols[0]).toBe(1);
    expect(cols[1]).toEqual([2, 3]);
    expect(cols[2]).toBeUndefined();
  });
});

describe('fieldPrinter', () => {
  const p = projector('process.pid', 'process.args', 'n');
  it('tsv: header, JSON for arrays, exact numbers', () => {
    const printer = fieldPrinter(p, { format: 'tsv', flat: false, header: true });
    expect(printer.header()).toBe('process.pid\tprocess.args\tn\n');
    expect(printer.record(event)).toBe('1\t["sh","-c","id"]\t18446744073709551615\n');
  });
  it('flat ndjson uses the canonical path text as key', () => {
    const printer = fieldPrinter(p, { format: 'ndjson', flat: true, header: true });
    expect(printer.record(event)).toBe('{"process.pid":1,"process.args":["sh","-c","id"],"n":18446744073709551615}\n');
  });
  it('raw: one value per line, strings unquoted', () => {
    const printer = fieldPrinter(projector('process.args[*]'), { format: 'raw', flat: false, header: true });
    expect(printer.record(event)).toBe('sh\n-c\nid\n');
    expect(fieldPrinter(projector('nope'), { format: 'raw', flat: false, header: true }).record(event)).toBe('');
  });
  it('cells: tsv escapes, csv quotes per RFC 4180, null and numbers as JSON', () => {
    expect(tsvCell('a\tb\\c\r\n')).toBe('a\\tb\\\\c\\r\\n');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell('l1\nl2')).toBe('"l1\nl2"');
    expect(csvCell(null)).toBe('null');
    expect(csvCell(undefined)).toBe('');
    expect(tsvCell(new JsonNumber('1.50'))).toBe('1.50');
  });
});
