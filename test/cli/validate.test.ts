/**
 * csm-validate through its main, in-process: every documented flag and exit
 * status. What needs a real process (signals, | head, a TTY, stdout on
 * /dev/full) is in test/e2e/validate.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync, symlinkSync, linkSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import { CORPUS, EXAMPLES, ROOT, lines } from '../helpers/run.js';

const examples = readFileSync(EXAMPLES);
const exampleLines = lines(examples.toString('utf8'));
const VALID = exampleLines[0]!;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-validate-'));
});

function tmp(name: string, content?: string | Buffer): string {
  const path = join(dir, name);
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

describe('csm-validate: valid input', () => {
  it('passes every valid line to stdout byte for byte and exits 0', async () => {
    const r = await runMain('csm-validate', [EXAMPLES]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.equals(examples)).toBe(true);
  });

  it('copies a uint64 inode digit for digit', async () => {
    const r = await runMain('csm-validate', [EXAMPLES]);
    expect(r.out).toContain('"inode":18446744073709551615,');
  });

  it('reads stdin when no FILE is given, and with -', async () => {
    for (const args of [[], ['-']]) {
      const r = await runMain('csm-validate', args, { input: examples });
      expect(r.code).toBe(0);
      expect(r.stdout.equals(examples)).toBe(true);
    }
  });

  it('treats empty input as valid (exit 0, no output)', async () => {
    const r = await runMain('csm-validate', [], { input: '' });
    expect([r.code, r.out, r.stderr]).toEqual([0, '', '']);
  });

  it('normalises CRLF, drops a BOM, skips blank lines and accepts a last line without newline', async () => {
    const input = `\uFEFF${VALID}\r\n\r\n   \n\t\n${VALID}`;
    const r = await runMain('csm-validate', ['--summary'], { input });
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${VALID}\n${VALID}\n`);
    expect(r.stderr).toMatch(/lines read\s+5\n/);
    expect(r.stderr).toMatch(/blank\s+3\n/);
    expect(r.stderr).toMatch(/valid\s+2\n/);
  });

  it('decompresses gzip detected by its magic bytes, whatever the file name', async () => {
    const path = tmp('events.txt', gzipSync(examples));
    const r = await runMain('csm-validate', [path]);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(examples)).toBe(true);
    const fromStdin = await runMain('csm-validate', [], { input: gzipSync(examples) });
    expect(fromStdin.stdout.equals(examples)).toBe(true);
  });

  it('-q prints no valid lines', async () => {
    const r = await runMain('csm-validate', ['-q', EXAMPLES]);
    expect([r.code, r.out, r.stderr]).toEqual([0, '', '']);
  });
});

describe('csm-validate: the published corpus', () => {
  it('reports every event invalid with the missing agent, title and auid errors', async () => {
    const r = await runMain('csm-validate', ['-q', CORPUS]);
    expect(r.code).toBe(1);
    const errs = lines(r.stderr);
    // Each line: agent and title at the root, auid in every credentials object (104 in all).
    const root = errs.filter((l) => l.includes(': (root): missing required key '));
    expect(root.length).toBe(36);
    const auid = errs.filter((l) => /credentials: missing required key 'auid' \(required\) \[linux-2025-09\]$/.test(l));
    expect(auid.length).toBe(104);
    expect(errs.length).toBe(36 + 104);
    // No agent.version: judged by the newest Linux schema, which each report names.
    expect(errs[0]).toBe(`${CORPUS}:1:1: (root): missing required key 'agent' (required) [linux-2025-09]`);
    expect(errs).toContain(`${CORPUS}:1:1: (root): missing required key 'title' (required) [linux-2025-09]`);
    expect(errs.some((l) => /events\.ndjson:\d+:\d+: \/process\/ancestors\/9\/credentials: missing required key 'auid'/.test(l))).toBe(true);
  });

  it('points the column at the object that lacks the key', async () => {
    const r = await runMain('csm-validate', ['-q', CORPUS]);
    const first = readFileSync(CORPUS, 'utf8').split('\n')[0]!;
    const m = /:1:(\d+): \/process\/credentials: missing/.exec(r.stderr);
    expect(m).not.toBeNull();
    const col = Number(m![1]);
    expect(first.slice(col - 1 - '"credentials":'.length, col - 1)).toBe('"credentials":');
    expect(first[col - 1]).toBe('{');
  });
});

describe('csm-validate: invalid lines', () => {
  it.each<[string, string, RegExp]>([
    ['truncated JSON', '{"agent":{"rule_id":"x"},"title":"t"', /^<stdin>:1:37: expected ',' or '}'.*found end of line \(json\)$/],
    ['two values on one line', '{} {}', /^<stdin>:1:4: .*\(json\)$/],
    ['trailing garbage', '{"a":1}x', /^<stdin>:1:8: .*\(json\)$/],
  ])('reports %s with keyword json and the column', async (_name, input, pattern) => {
    const r = await runMain('csm-validate', [], { input: `${input}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(pattern);
  });

  it('reports invalid UTF-8 with keyword encoding and the column of the bad byte', async () => {
    const input = Buffer.concat([Buffer.from('{"title":"caf\u00e9 '), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    const r = await runMain('csm-validate', [], { input });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^<stdin>:1:16: invalid UTF-8 byte 0xC3 at byte 17 \(encoding\)$/);
  });

  it('names the unknown key, the missing key and the expected and actual types', async () => {
    const event = JSON.parse(VALID) as Record<string, unknown>;
    const bad = { ...event, bogus: 1, agent: {}, evt: { name: 5 } };
    const r = await runMain('csm-validate', [], { input: `${JSON.stringify(bad)}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`(root): unknown key 'bogus' (not in the schema) (additionalProperties)`);
    expect(r.stderr).toContain(`/agent: missing required key 'rule_id' (required)`);
    expect(r.stderr).toContain(`/evt/name: expected string, found integer (type)`);
  });

  it('checks date-time as RFC 3339 says, not more leniently', async () => {
    const withDate = (d: string): string => {
      const e = JSON.parse(VALID) as { file: Record<string, unknown> };
      e.file.change_time = d;
      return JSON.stringify(e);
    };
    const cases: [string, boolean][] = [
      ['2024-08-01T12:00:00Z', true],
      ['2024-08-01t12:00:00z', true],
      ['2016-12-31T23:59:60Z', true],
      ['0001-01-01T00:00:00Z', true],
      ['2024-08-01 12:00:00Z', false],
      ['2024-08-01T12:00:00+0100', false],
      ['2024-08-01T12:00:00', false],
      ['2023-02-29T00:00:00Z', false],
      ['2024-08-01T12:00:60Z', false],
    ];
    const input = cases.map(([d]) => withDate(d)).join('\n') + '\n';
    const r = await runMain('csm-validate', ['-q', '--error-format', 'json'], { input });
    const badLines = lines(r.stderr).map((l) => (JSON.parse(l) as { line: number }).line);
    expect(badLines).toEqual(cases.flatMap(([, ok], i) => (ok ? [] : [i + 1])));
  });

  it('--invalid-out gets the invalid lines byte for byte: valid + invalid + blank = input', async () => {
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    const input = Buffer.concat([
      Buffer.from(`${VALID}\n{"broken"\n\n`),
      invalidUtf8,
      Buffer.from(`\r\n${exampleLines[1]}\n{}\n`),
    ]);
    const out = tmp('invalid.ndjson');
    const r = await runMain('csm-validate', ['--invalid-out', out, '--summary'], { input });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n${exampleLines[1]}\n`);
    expect(readFileSync(out).equals(Buffer.concat([Buffer.from('{"broken"\n'), invalidUtf8, Buffer.from('\n{}\n')]))).toBe(true);
    expect(r.stderr).toMatch(/lines read\s+6\n\s+valid\s+2\n\s+invalid\s+3\n\s+blank\s+1\n/);
  });
});

describe('csm-validate: reports', () => {
  it('--error-format json writes one object per invalid line with every error', async () => {
    const r = await runMain('csm-validate', ['-q', '--error-format', 'json', CORPUS]);
    expect(r.code).toBe(1);
    const reports = lines(r.stderr).map((l) => JSON.parse(l) as { file: string; line: number; column: number; errors: { instancePath: string; schemaPath: string; keyword: string; params: Record<string, unknown>; message: string }[] });
    expect(reports).toHaveLength(18);
    expect(reports.map((x) => x.line)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const first = reports[0]!;
    expect(first.file).toBe(CORPUS);
    expect(first.column).toBe(1);
    expect(first.errors[0]).toMatchObject({
      instancePath: '',
      schemaPath: '#/required',
      keyword: 'required',
      params: { missingProperty: 'agent' },
      message: "missing required key 'agent'",
    });
    expect(Object.keys(first.errors[0]!).slice(0, 5)).toEqual(['instancePath', 'schemaPath', 'keyword', 'params', 'message']);
    expect(reports.reduce((n, x) => n + x.errors.length, 0)).toBe(140);
  });

  it('--error-format json gives a json error its column', async () => {
    const r = await runMain('csm-validate', ['--error-format', 'json'], { input: '{"a":}\n' });
    expect(JSON.parse(r.stderr)).toMatchObject({ file: '<stdin>', line: 1, column: 6, errors: [{ keyword: 'json', instancePath: '' }] });
  });

  it('--errors FILE writes the reports there instead of stderr', async () => {
    const path = tmp('errors.txt');
    const r = await runMain('csm-validate', ['-q', '--errors', path, CORPUS]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(lines(readFileSync(path, 'utf8'))).toHaveLength(140);
  });

  it('--summary counts lines, kinds and the most frequent error paths, with bars', async () => {
    const r = await runMain('csm-validate', ['-q', '--summary', CORPUS, EXAMPLES]);
    expect(r.code).toBe(1);
    const summary = r.stderr.slice(r.stderr.indexOf('csm-validate: summary\n'));
    expect(summary).toMatch(/^csm-validate: summary\n  lines read\s+28\n  valid\s+10\n  invalid\s+18\n  blank\s+0\n  bytes\s+\d+\n  seconds\s+[\d.]+\n  lines\/s\s+\d+\n  MB\/s\s+[\d.]+\n/);
    expect(summary).toMatch(/\n {4}exec\s+20  █{28}\n {4}open\s+2  █+.?\n/);
    expect(summary).toMatch(/\n {4}\/process\/credentials\/auid \(required\)\s+18  █{28}\n/);
  });

  it('--summary-json writes the same counts as one JSON object, full maps', async () => {
    const path = tmp('summary.json');
    const r = await runMain('csm-validate', ['-q', '--summary-json', path, CORPUS, EXAMPLES]);
    expect(r.code).toBe(1);
    const s = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(s).toMatchObject({ tool: 'csm-validate', read: 28, valid: 10, invalid: 18, blank: 0, kinds: { exec: 20, open: 2, mount: 1 } });
    expect((s.errorPaths as Record<string, number>)['/process/credentials/auid (required)']).toBe(18);
    expect(Object.keys(s)).toEqual(['tool', 'read', 'valid', 'invalid', 'blank', 'bytes', 'seconds', 'linesPerSecond', 'megabytesPerSecond', 'errorPaths', 'kinds', 'schemas']);
  });

  it('--summary-json to a missing directory fails at the start with exit 2, before any line is read', async () => {
    const r = await runMain('csm-validate', ['-q', '--summary-json', join(dir, 'no/such/dir.json'), EXAMPLES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^csm-validate: --summary-json: cannot open .*dir\.json: no such file or directory\n$/);
  });

  it('names each file in its reports, and <stdin> for stdin', async () => {
    const r = await runMain('csm-validate', ['-q', EXAMPLES, '-'], { input: '{}\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "<stdin>:1:1: (root): missing required key 'agent' (required) [linux-2025-09]\n<stdin>:1:1: (root): missing required key 'title' (required) [linux-2025-09]\n",
    );
  });
});

describe('csm-validate: stopping early', () => {
  it('--fail-fast stops at the first invalid line', async () => {
    const r = await runMain('csm-validate', ['--fail-fast', '--summary'], { input: `${VALID}\n{}\n${VALID}\n{}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`);
    expect(r.stderr).toMatch(/lines read\s+2\n/);
  });

  it('--max-invalid N stops after N invalid lines', async () => {
    const r = await runMain('csm-validate', ['-q', '--max-invalid', '2', '--error-format', 'json'], { input: '{}\n{}\n{}\n{}\n' });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(2);
  });

  it('--max-line-bytes turns a longer line into an invalid line (size) and goes on', async () => {
    const long = `{"title":"${'x'.repeat(10000)}"}`;
    const out = tmp('long-invalid.ndjson');
    const r = await runMain('csm-validate', ['--max-line-bytes', '8K', '--invalid-out', out], { input: `${long}\n${VALID}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`);
    expect(r.stderr.trim()).toBe('<stdin>:1: line is 10012 bytes, longer than the limit of 8192 bytes (--max-line-bytes) (size)');
  });

});

describe('csm-validate: usage and I/O errors (exit 2)', () => {
  it('rejects an unknown option in one line', async () => {
    const r = await runMain('csm-validate', ['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("csm-validate: unknown option '--frobnicate' (see --help)\n");
  });

  it('rejects a bad --max-invalid value', async () => {
    const r = await runMain('csm-validate', ['--max-invalid', 'x']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^csm-validate: .*--max-invalid.*whole number/);
  });

  it('names a missing file, goes on with the others, and exits 2', async () => {
    const r = await runMain('csm-validate', [join(dir, 'nope.ndjson'), EXAMPLES]);
    expect(r.code).toBe(2);
    expect(r.stdout.equals(examples)).toBe(true);
    expect(r.stderr).toBe(`csm-validate: cannot read ${join(dir, 'nope.ndjson')}: no such file or directory\n`);
  });

  it('names a directory given as FILE', async () => {
    const d = join(dir, 'adir');
    mkdirSync(d, { recursive: true });
    const r = await runMain('csm-validate', [d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-validate: cannot read ${d}: is a directory\n`);
  });

  it('reports a truncated gzip file with its offset after handling the earlier lines', async () => {
    const gz = gzipSync(Buffer.from(`${VALID}\n`.repeat(200)));
    const path = tmp('trunc.gz', gz.subarray(0, gz.length - 20));
    const r = await runMain('csm-validate', ['-q', '--summary', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`csm-validate: cannot read ${path}: truncated gzip stream \\(gzip, at compressed byte \\d+\\)`));
  });

  it('refuses an output that is one of the inputs, also via a symlink or a hard link, before truncating it', async () => {
    const input = tmp('same.ndjson', examples);
    const sym = join(dir, 'same-link.ndjson');
    const hard = join(dir, 'same-hard.ndjson');
    if (!existsSync(sym)) symlinkSync(input, sym);
    if (!existsSync(hard)) linkSync(input, hard);
    for (const out of [input, sym, hard]) {
      const r = await runMain('csm-validate', [input, '--invalid-out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/refusing to overwrite it\n$/);
      expect(readFileSync(input).equals(examples)).toBe(true);
    }
  });

  it('reports an unwritable output (/dev/full) with exit 2', async () => {
    const r = await runMain('csm-validate', ['--invalid-out', '/dev/full', CORPUS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/csm-validate: cannot write \/dev\/full: no space left on device\n/);
  });

  it('--help shows usage, options with defaults and examples on stdout; --version the version', async () => {
    const help = await runMain('csm-validate', ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: csm-validate \[options\] \[FILE\.\.\.\]/);
    expect(help.out).toContain('--error-format <FORMAT>');
    expect(help.out).toMatch(/--error-format <FORMAT>[^]*default: "text"/);
    expect(help.out).toMatch(/--max-line-bytes <SIZE>[^]*\(default: 64M\)/);
    expect(help.out).toContain('Examples:');
    const version = await runMain('csm-validate', ['--version']);
    expect(version.code).toBe(0);
    expect(version.out.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('csm-validate: --schema', () => {
  it('validates against another schema, picking the draft from $schema', async () => {
    const schemas: Record<string, object> = {
      'draft7.json': { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['a'] },
      '2019.json': { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object', required: ['a'] },
      '2020.json': { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } },
    };
    for (const [name, schema] of Object.entries(schemas)) {
      const path = tmp(name, JSON.stringify(schema));
      const r = await runMain('csm-validate', ['--schema', path], { input: '{"a":1}\n{"b":1}\n' });
      expect(r.code).toBe(1);
      expect(r.out).toBe('{"a":1}\n');
      expect(r.stderr).toBe("<stdin>:2:1: (root): missing required key 'a' (required)\n");
    }
  });

  it.each<[string, string, RegExp]>([
    ['an unreadable schema file', '', /^csm-validate: cannot read schema .*missing\.json: no such file or directory\n$/],
    ['a schema that is not JSON', '{"type":', /^csm-validate: schema .*\.json is not JSON: /],
    ['a schema that does not compile', '{"type":"objekt"}', /^csm-validate: schema .*\.json does not compile: schema is invalid: /],
    ['an unsupported $schema', '{"$schema":"http://json-schema.org/draft-04/schema#"}', /^csm-validate: schema .*\.json: unsupported \$schema 'http:\/\/json-schema.org\/draft-04\/schema#' \(supported: draft-07, 2019-09, 2020-12, or a meta-schema given with --ref\)\n$/],
  ])('rejects %s with exit 2', async (_name, content, pattern) => {
    const path = content === '' ? join(dir, 'missing.json') : tmp(`schema-${Math.random()}.json`, content);
    const r = await runMain('csm-validate', ['--schema', path], { input: '{}\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(lines(r.stderr)).toHaveLength(1);
  });
});

describe('csm-validate: colour', () => {
  const input = '{}\n';
  it('is off when stderr is not a TTY, and with --color never', async () => {
    for (const args of [[], ['--color', 'never']]) {
      const r = await runMain('csm-validate', args, { input });
      expect(r.stderr).not.toContain('\u001b[');
    }
  });
  it('is on with --color always and with FORCE_COLOR', async () => {
    expect((await runMain('csm-validate', ['--color', 'always'], { input })).stderr).toContain('\u001b[');
    expect((await runMain('csm-validate', [], { input, env: { FORCE_COLOR: '1' } })).stderr).toContain('\u001b[');
  });
  it('--color always wins over NO_COLOR; NO_COLOR alone keeps it off', async () => {
    expect((await runMain('csm-validate', ['--color', 'always'], { input, env: { NO_COLOR: '1' } })).stderr).toContain('\u001b[');
    expect((await runMain('csm-validate', [], { input, env: { NO_COLOR: '1' } })).stderr).not.toContain('\u001b[');
  });
});
