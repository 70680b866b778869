import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type SourceLine, createValidator, parseLine, readLines, validateLines } from '../../src/index.js';
import { InputError } from '../../src/io/input.js';

const dir = mkdtempSync(join(tmpdir(), 'csm-api-'));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readLines', () => {
  it('reads a gzip file, detected by its bytes, with line numbers from 1', async () => {
    const path = join(dir, 'a.log');
    writeFileSync(path, gzipSync('{"a":1}\r\n\n{"b":2}'));
    const lines = await collect(readLines(path));
    expect(lines.map((l) => [l.file, l.line, l.bytes.toString()])).toEqual([
      [path, 1, '{"a":1}'],
      [path, 2, ''],
      [path, 3, '{"b":2}'],
    ]);
  });

  it('numbers the lines of each file from 1', async () => {
    const a = join(dir, 'x.ndjson');
    const b = join(dir, 'y.ndjson');
    writeFileSync(a, '1\n2\n');
    writeFileSync(b, '3\n');
    const lines = [...(await collect(readLines(a))), ...(await collect(readLines(b)))];
    expect(lines.map((l) => `${l.file}:${l.line}`)).toEqual([`${a}:1`, `${a}:2`, `${b}:1`]);
  });

  it('reads a stream in small chunks the same as whole', async () => {
    const text = '\uFEFF{"a":1}\r\n{"b":"é"}\n';
    const bytes = Buffer.from(text);
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const lines = await collect(readLines(Readable.from(chunks), { name: 'chunks' }));
    expect(lines.map((l) => l.bytes.toString())).toEqual(['{"a":1}', '{"b":"é"}']);
  });

  it('throws an InputError naming a missing file', async () => {
    await expect(collect(readLines(join(dir, 'missing')))).rejects.toThrow(InputError);
  });
});

describe('parseLine', () => {
  const line = (bytes: Buffer | string) => ({ line: 1, offset: 0, bytes: Buffer.from(bytes) });
  it('classifies blank, json, encoding and size', () => {
    expect(parseLine(line(' \t\r')).kind).toBe('blank');
    expect(parseLine(line('{"a":1}'))).toMatchObject({ kind: 'json', value: { a: 1 } });
    expect(parseLine(line(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])))).toMatchObject({
      kind: 'invalid',
      issue: { code: 'encoding', column: 3 },
    });
    expect(parseLine(line('{"a":1}{}'))).toMatchObject({ kind: 'invalid', issue: { code: 'json', column: 8 } });
    expect(parseLine({ line: 1, offset: 0, bytes: Buffer.alloc(0), tooLong: true, length: 99 }, 10)).toMatchObject({
      kind: 'invalid',
      issue: { code: 'size', params: { length: 99, limit: 10 } },
    });
  });
  it('accepts a genuine U+FFFD character', () => {
    expect(parseLine(line('"\uFFFD"'))).toMatchObject({ kind: 'json', value: '\uFFFD' });
  });
});

describe('validateLines', () => {
  it('yields a status per line with located errors', async () => {
    const lines: SourceLine[] = ['{}', '', 'nope'].map((t, i) => ({ file: 'f', line: i + 1, offset: 0, bytes: Buffer.from(t) }));
    const results = await collect(validateLines(lines, createValidator({ type: 'object', required: ['a'] })));
    expect(results.map((r) => r.status)).toEqual(['invalid', 'blank', 'invalid']);
    const first = results[0]!;
    expect(first.status === 'invalid' && first.errors[0]).toMatchObject({ code: 'required', column: 1 });
  });
});
