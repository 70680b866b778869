/**
 * csm-validate on hostile input, through its main (in-process): one row per
 * case, each with its exit status, its one clear message and never a stack
 * trace; the library API in a fresh node process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { ROOT } from '../../helpers/run.js';
import { EXAMPLE_LINES, VALID, col, expectNoStackTrace, parseSummary, plain, useTempDir, withField, withPids } from './support.js';

const { path, tmp } = useTempDir('bad-input');

const TITLE = '"title":"A shell was spawned by a web server"';

describe('csm-validate: no input at all', () => {
  it('empty stdin: exit 0, no output, the summary counts nothing', async () => {
    const r = await runMain('csm-validate', ['--summary'], { input: '' });
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(parseSummary(plain(r.stderr))).toEqual({ read: 0, valid: 0, invalid: 0, blank: 0, bytes: 0 });
    expectNoStackTrace(plain(r.stderr));
  });

  it('only blank lines (spaces, tabs, CRs, CRLF, no final newline): exit 0, nothing printed, all counted blank', async () => {
    const r = await runMain('csm-validate', ['--summary'], { input: '\n \n\t\t\r\n\r\n \t \r\n\r' });
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(parseSummary(plain(r.stderr))).toMatchObject({ read: 6, valid: 0, invalid: 0, blank: 6 });
    expect(plain(r.stderr).split('\n')[0]).toBe('csm-validate: summary');
    expectNoStackTrace(plain(r.stderr));
  });

  it('a 0-byte file, plain or gzipped: exit 0, nothing printed, nothing on stderr', async () => {
    const empty = tmp('empty.ndjson', '');
    const emptyGz = tmp('empty.ndjson.gz', gzipSync(Buffer.alloc(0)));
    const r = await runMain('csm-validate', [empty, emptyGz]);
    expect([r.code, r.out, plain(r.stderr)]).toEqual([0, '', '']);
  });

  it('a directory among files: named once, the other files still validated, exit 2', async () => {
    const a = tmp('a.ndjson', `${EXAMPLE_LINES[0]}\n`);
    const b = tmp('b.ndjson', `${EXAMPLE_LINES[1]}\n`);
    const d = path('a-directory');
    mkdirSync(d, { recursive: true });
    const r = await runMain('csm-validate', [a, d, b]);
    expect(r.code).toBe(2);
    expect(r.out).toBe(`${EXAMPLE_LINES[0]}\n${EXAMPLE_LINES[1]}\n`);
    expect(plain(r.stderr)).toBe(`csm-validate: cannot read ${d}: is a directory\n`);
  });

  it('a missing file among files: named once, the other files still validated, exit 2 (not 1) even with invalid lines elsewhere', async () => {
    const a = tmp('c.ndjson', `${EXAMPLE_LINES[2]}\n{}\n`);
    const missing = path('no-such-file.ndjson');
    const r = await runMain('csm-validate', ['--error-format', 'json', missing, a]);
    expect(r.code).toBe(2);
    expect(r.out).toBe(`${EXAMPLE_LINES[2]}\n`);
    const [first, ...rest] = plain(r.stderr).split('\n').filter((l) => l !== '');
    expect(first).toBe(`csm-validate: cannot read ${missing}: no such file or directory`);
    expect(rest.map((l) => (JSON.parse(l) as { file: string; line: number }).line)).toEqual([2]);
  });
});

describe('csm-validate: JSON that is not an event object', () => {
  it.each<[string, string]>([
    ['[]', 'array'],
    ['42', 'integer'],
    ['"x"', 'string'],
    ['null', 'null'],
  ])('%s is a schema error (type) at column 1, exit 1', async (line, found) => {
    const out = path(`non-object-${found}.ndjson`);
    const r = await runMain('csm-validate', ['--invalid-out', out], { input: `${line}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(plain(r.stderr)).toBe(`<stdin>:1:1: (root): expected object, found ${found} (type)\n`);
    expect(readFileSync(out, 'utf8')).toBe(`${line}\n`);
  });
});

describe('csm-validate: duplicate keys (RFC 8259: names SHOULD be unique)', () => {
  it('the last occurrence counts, as in JSON.parse, and the error column points at it', async () => {
    const line = VALID.replace(TITLE, '"title":"a","title":5');
    const r = await runMain('csm-validate', [], { input: `${line}\n` });
    expect(r.code).toBe(1);
    const at = line.indexOf('"title":5') + '"title":'.length;
    expect(plain(r.stderr)).toBe(`<stdin>:1:${col(line, at)}: /title: expected string, found integer (type)\n`);
  });

  it('a bad first occurrence is overridden by a good last one: valid, copied byte for byte', async () => {
    const line = VALID.replace(TITLE, `"title":5,${TITLE}`);
    const r = await runMain('csm-validate', [], { input: `${line}\n` });
    expect([r.code, r.out, plain(r.stderr)]).toEqual([0, `${line}\n`, '']);
  });
});

describe('csm-validate: keys named __proto__, constructor, prototype', () => {
  const top = VALID.replace('{"agent"', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3},"agent"');
  const nested = VALID.replace('"evt":{', '"evt":{"__proto__":{"polluted":4},"constructor":5,"prototype":null,');

  it('are unknown keys at the top level, each named, with the column of the key', async () => {
    const r = await runMain('csm-validate', [], { input: `${top}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const key = (k: string): number => col(top, top.indexOf(`"${k}":`));
    expect(plain(r.stderr)).toBe(
      [
        `<stdin>:1:${key('__proto__')}: (root): unknown key '__proto__' (not in the schema) (additionalProperties)`,
        `<stdin>:1:${key('constructor')}: (root): unknown key 'constructor' (not in the schema) (additionalProperties)`,
        `<stdin>:1:${col(top, top.indexOf('"prototype":{"polluted":3}'))}: (root): unknown key 'prototype' (not in the schema) (additionalProperties)`,
        '',
      ].join('\n'),
    );
  });

  it('are unknown keys when nested, each named with its path', async () => {
    const r = await runMain('csm-validate', [], { input: `${nested}\n` });
    expect(r.code).toBe(1);
    const key = (k: string): number => col(nested, nested.indexOf(`"${k}":`));
    expect(plain(r.stderr)).toBe(
      ['__proto__', 'constructor', 'prototype']
        .map((k) => `<stdin>:1:${key(k)}: /evt: unknown key '${k}' (not in the schema) (additionalProperties)\n`)
        .join(''),
    );
  });

  it('do not pollute Object.prototype through the library API (readLines + validateLines)', () => {
    const file = tmp('proto.ndjson', `${top}\n${nested}\n${VALID}\n`);
    const script = `
      import { readLines, validateLines } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
      const before = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
      const out = [];
      for await (const r of validateLines(readLines(process.argv[1]))) {
        out.push({ line: r.line, status: r.status, keys: r.status === 'invalid' ? r.errors.map((e) => e.params.additionalProperty ?? e.keyword) : [] });
      }
      const after = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
      console.log(JSON.stringify({ out, same: before === after, polluted: ({}).polluted === undefined && Object.prototype.polluted === undefined ? null : 'polluted',
        protoOfPlain: Object.getPrototypeOf({}) === Object.prototype }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' });
    expect(plain(r.stderr)).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      out: [
        { line: 1, status: 'invalid', keys: ['__proto__', 'constructor', 'prototype'] },
        { line: 2, status: 'invalid', keys: ['__proto__', 'constructor', 'prototype'] },
        { line: 3, status: 'valid', keys: [] },
      ],
      same: true,
      polluted: null,
      protoOfPlain: true,
    });
  });
});

describe('csm-validate: numbers in integer fields (JSON Schema: a number with a zero fraction is an integer)', () => {
  it('1e400, -1e400, -0, 1.0, 1E+2, 100e-2, 20-digit and over-uint64 integers pass type integer and are copied digit for digit', async () => {
    const numbers = ['1e400', '-1e400', '-0', '1.0', '1E+2', '100e-2', '12345678901234567890', '18446744073709551616', '340282366920938463463374607431768211457'];
    const input = withPids(numbers);
    const r = await runMain('csm-validate', ['--summary'], { input });
    expect(r.code).toBe(0);
    expect(r.out).toBe(input);
    for (const n of numbers) expect(r.out).toContain(`"pid":${n},`);
    expect(parseSummary(plain(r.stderr))).toMatchObject({ read: numbers.length, valid: numbers.length, invalid: 0 });
    expectNoStackTrace(plain(r.stderr));
  });

  it('1.5 and -0.5 are not integers: a type error pointing at the number', async () => {
    const lines = ['1.5', '-0.5'].map((n) => withField(VALID, 'pid', n));
    const r = await runMain('csm-validate', [], { input: lines.join('\n') + '\n' });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(plain(r.stderr)).toBe(
      lines.map((l, i) => `<stdin>:${i + 1}:${col(l, l.indexOf('"pid":') + 6)}: /process/pid: expected integer, found number (type)\n`).join(''),
    );
  });

  it('1e-400, 1.0000000000000000001, 4242.00000000000000001 and 18446744073709551616.5 are not integers, as the text says', async () => {
    // JSON.parse rounds each of them to an integer; the verdict follows the text.
    const numbers = ['1e-400', '-1e-400', '1.0000000000000000001', '4242.00000000000000001', '18446744073709551616.5'];
    const lines = numbers.map((n) => withField(VALID, 'pid', n));
    const r = await runMain('csm-validate', [], { input: lines.join('\n') + '\n' });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(plain(r.stderr)).toBe(
      lines.map((l, i) => `<stdin>:${i + 1}:${col(l, l.indexOf('"pid":') + 6)}: /process/pid: expected integer, found number (type)\n`).join(''),
    );
  });

  it('1.0, 1e2, 100e-2 and 1E+2 are integers (zero fractional part)', async () => {
    const numbers = ['1.0', '1e2', '100e-2', '1E+2', '12345678901234567890.000'];
    const lines = numbers.map((n) => withField(VALID, 'pid', n));
    const r = await runMain('csm-validate', [], { input: lines.join('\n') + '\n' });
    expect([r.code, plain(r.stderr)]).toEqual([0, '']);
    for (const n of numbers) expect(r.out).toContain(`"pid":${n},`);
  });
});

describe('csm-validate: strings', () => {
  const titled = (raw: string): string => VALID.replace(TITLE, `"title":"${raw}"`);

  it.each<[string, string]>([
    ['a lone surrogate escape \\ud800 (valid by the RFC 8259 grammar)', '\\ud800'],
    ['a raw U+2028 LINE SEPARATOR', 'a\u2028b'],
    ['an escaped NUL \\u0000', 'a\\u0000b'],
  ])('%s is valid and printed back unchanged', async (_name, raw) => {
    const line = titled(raw);
    const r = await runMain('csm-validate', [], { input: `${line}\n` });
    expect([r.code, plain(r.stderr)]).toEqual([0, '']);
    expect(r.stdout.equals(Buffer.from(`${line}\n`))).toBe(true);
  });

  it('a raw NUL byte inside a string is invalid JSON (control character) at its column', async () => {
    const line = titled('ab\u0000cd');
    const out = path('raw-nul.ndjson');
    const r = await runMain('csm-validate', ['--invalid-out', out], { input: `${line}\n` });
    expect(r.code).toBe(1);
    expect(plain(r.stderr)).toBe(`<stdin>:1:${col(line, line.indexOf('\u0000'))}: unescaped control character U+0000 in string (json)\n`);
    expect(readFileSync(out).equals(Buffer.from(`${line}\n`))).toBe(true);
  });

  it.each<[string, number[]]>([
    ['an overlong C0 AF', [0xc0, 0xaf]],
    ['a truncated E2 82', [0xe2, 0x82]],
    ['a UTF-8-encoded surrogate ED A0 80', [0xed, 0xa0, 0x80]],
    ['a byte F5', [0xf5]],
  ])('%s is an encoding error at its column, copied byte for byte to --invalid-out (no U+FFFD)', async (_name, bad) => {
    const prefix = Buffer.from(VALID.slice(0, VALID.indexOf(TITLE) + 9) + 'caf\u00e9 \u{1F600} ');
    const line = Buffer.concat([prefix, Buffer.from(bad), Buffer.from(VALID.slice(VALID.indexOf(TITLE) + 9))]);
    const out = path(`bad-utf8-${bad[0]}.ndjson`);
    const r = await runMain('csm-validate', ['--invalid-out', out], { input: Buffer.concat([line, Buffer.from(`\n${VALID}\n`)]) });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`);
    const column = [...prefix.toString('utf8')].length + 1;
    const hex = bad[0]!.toString(16).toUpperCase();
    expect(plain(r.stderr)).toBe(`<stdin>:1:${column}: invalid UTF-8 byte 0x${hex} at byte ${prefix.length + 1} (encoding)\n`);
    const written = readFileSync(out);
    expect(written.equals(Buffer.concat([line, Buffer.from('\n')]))).toBe(true);
    expect(written.includes(Buffer.from('\uFFFD'))).toBe(false);
  });
});

describe('csm-validate: nesting depth', () => {
  const N = 100_000;

  it('100,000 unclosed [ on one line: a json error at the end of the line, no crash', async () => {
    const started = Date.now();
    const r = await runMain('csm-validate', ['--summary'], { input: `${'['.repeat(N)}\n${VALID}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`);
    expect(plain(r.stderr).split('\n')[0]).toBe(`<stdin>:1:${N + 1}: expected a value or ']', found end of line (json)`);
    expect(parseSummary(plain(r.stderr))).toMatchObject({ read: 2, valid: 1, invalid: 1 });
    expectNoStackTrace(plain(r.stderr));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('100,000 balanced [[...]]: valid JSON, rejected by the schema (type), the next line still validated', async () => {
    const started = Date.now();
    const r = await runMain('csm-validate', [], { input: `${'['.repeat(N)}${']'.repeat(N)}\n${VALID}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`);
    expect(plain(r.stderr)).toBe('<stdin>:1:1: (root): expected object, found array (type)\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('{"a":{"a":...}} 100,000 deep: rejected by the schema with every root error, no crash', async () => {
    const started = Date.now();
    const r = await runMain('csm-validate', [], { input: `${'{"a":'.repeat(N)}1${'}'.repeat(N)}\n${VALID}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`);
    expect(plain(r.stderr)).toBe(
      "<stdin>:1:1: (root): missing required key 'agent' (required)\n" +
        "<stdin>:1:1: (root): missing required key 'title' (required)\n" +
        "<stdin>:1:2: (root): unknown key 'a' (not in the schema) (additionalProperties)\n",
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a recursive --schema on 100,000-deep data: that line is invalid (depth), the run goes on, no crash', async () => {
    const schema = tmp('recursive.schema.json', JSON.stringify({ $defs: { node: { type: ['array', 'object', 'integer'], items: { $ref: '#/$defs/node' }, additionalProperties: { $ref: '#/$defs/node' } } }, $ref: '#/$defs/node' }));
    const deep = `${'['.repeat(N)}1${']'.repeat(N)}`;
    const out = path('deep-invalid.ndjson');
    const r = await runMain('csm-validate', ['--schema', schema, '--invalid-out', out, '--summary'], { input: `[[1]]\n${deep}\n{"a":[2]}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe('[[1]]\n{"a":[2]}\n');
    expect(plain(r.stderr).split('\n')[0]).toBe('<stdin>:2:1: (root): nested too deeply to validate against the schema (depth)');
    expect(parseSummary(plain(r.stderr))).toMatchObject({ read: 3, valid: 2, invalid: 1 });
    expect(readFileSync(out, 'utf8')).toBe(`${deep}\n`);
    expectNoStackTrace(plain(r.stderr));
  });
});
