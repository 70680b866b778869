/**
 * The stream API (validateStream, filterStream, project) and compileQuery:
 * each gives what the CLIs give on the same input, and reports mistakes in what
 * the caller wrote before reading anything.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type CsmEvent,
  type FilteredEvent,
  FilterError,
  JsonNumber,
  type LineReport,
  UsageError,
  compileQuery,
  filterStream,
  parseLossless,
  project,
  stringifyJson,
  validateStream,
} from '../../src/index.js';
import { InputError } from '../../src/io/input.js';
import { CORPUS, EXAMPLES, ROOT, lines, run } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'csm-api-filter-'));
const exampleLines = lines(readFileSync(EXAMPLES, 'utf8'));
const events = exampleLines.map((l) => JSON.parse(l) as CsmEvent);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A path that does not exist: a call that throws before reading never notices. */
const MISSING = join(dir, 'never-read.ndjson');

describe('validateStream', () => {
  it('judges every example event valid and types it as CsmEvent', async () => {
    const results = await collect(validateStream(EXAMPLES));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('valid'));
    const first = results[0]!;
    if (first.status !== 'valid') throw new Error('unreachable');
    expectTypeOf(first.event).toEqualTypeOf<CsmEvent>();
    expect(first.event.evt?.name).toBe('exec');
    expect(first.bytes.toString()).toBe(exampleLines[0]);
  });

  it('reports the same invalid lines, with the same first column, as csm-validate', async () => {
    const results = await collect(validateStream(CORPUS));
    const cli = await run('csm-validate', ['-q', '--error-format', 'json', CORPUS]);
    const reports = lines(cli.stderr).map((l) => JSON.parse(l) as LineReport);
    const invalid = results.filter((r) => r.status === 'invalid');
    expect(invalid.map((r) => [r.line, r.errors.length, r.errors[0]!.column])).toEqual(
      reports.map((r) => [r.line, r.errors.length, r.errors[0]!.column]),
    );
    expect(invalid.length).toBeGreaterThan(0);
  });

  it('gives blank, json and schema verdicts for a stream, with the given name', async () => {
    const input = Readable.from([Buffer.from(`${exampleLines[0]}\n  \n{"a":\n{"agent":{},"title":"t"}\n`)]);
    const results = await collect(validateStream(input, { name: 'mixed' }));
    expect(results.map((r) => [r.file, r.line, r.status])).toEqual([
      ['mixed', 1, 'valid'],
      ['mixed', 2, 'blank'],
      ['mixed', 3, 'invalid'],
      ['mixed', 4, 'invalid'],
    ]);
    const json = results[2]!;
    expect(json.status === 'invalid' && json.errors[0]).toMatchObject({ code: 'json' });
    const schema = results[3]!;
    expect(schema.status === 'invalid' && schema.errors[0]).toMatchObject({
      code: 'required',
      instancePath: '/agent',
      params: { missingProperty: 'rule_id' },
    });
  });

  it('reads several sources in order, gzip included, each numbered from 1', async () => {
    const gz = join(dir, 'two.ndjson.gz');
    writeFileSync(gz, gzipSync(`${exampleLines[1]}\n${exampleLines[2]}\n`));
    const results = await collect(validateStream([EXAMPLES, gz]));
    expect(results.map((r) => `${r.file}:${r.line}`).slice(9)).toEqual([`${EXAMPLES}:10`, `${gz}:1`, `${gz}:2`]);
  });

  it('takes a schema object or a schema file', async () => {
    const schema = { type: 'object', required: ['x'] };
    const path = join(dir, 'x.schema.json');
    writeFileSync(path, JSON.stringify(schema));
    const input = () => Readable.from([Buffer.from('{"x":1}\n{}\n')]);
    for (const s of [schema, path]) {
      const results = await collect(validateStream<{ x: number }>(input(), { schema: s }));
      expect(results.map((r) => r.status)).toEqual(['valid', 'invalid']);
    }
  });

  it('throws a UsageError for a bad schema at the call, before opening the input', () => {
    expect(() => validateStream(MISSING, { schema: join(dir, 'no-such-schema.json') })).toThrow(UsageError);
    expect(() => validateStream(MISSING, { schema: { type: 'nope' } })).toThrow(/does not compile/);
  });

  it('throws an InputError naming an unreadable file while iterating', async () => {
    await expect(collect(validateStream(MISSING))).rejects.toThrow(InputError);
  });
});

describe('filterStream', () => {
  /** The selected lines csm-filter prints for the same arguments. */
  async function cliLines(args: string[], file = EXAMPLES): Promise<string[]> {
    const r = await run('csm-filter', [...args, file]);
    expect(r.code, r.stderr).toBe(0);
    return lines(r.out);
  }

  it('selects what csm-filter selects: kinds, where (ANDed), invert', async () => {
    const cases: [Parameters<typeof filterStream>[1], string[]][] = [
      [{}, []],
      [{ kinds: 'open' }, ['-k', 'open']],
      [{ kinds: ['exec', 'dns'], where: 'process.credentials.uid == 0' }, ['-k', 'exec,dns', '-w', 'process.credentials.uid == 0']],
      [
        { where: ['process.args =~ "**169.254.169.254**"', 'evt.name != "dns"'] },
        ['-w', 'process.args =~ "**169.254.169.254**"', '-w', 'evt.name != "dns"'],
      ],
      [{ kinds: 'exec', invert: true }, ['-k', 'exec', '-v']],
      [{ where: 'file.inode == 18446744073709551615' }, ['-w', 'file.inode == 18446744073709551615']],
    ];
    for (const [options, args] of cases) {
      const got = await collect(filterStream(EXAMPLES, options));
      expect(got.map((e) => e.bytes.toString()), JSON.stringify(options)).toEqual(await cliLines(args));
    }
  });

  it('compares uint64 values exactly (2^64-1 is not 2^64-2)', async () => {
    const got = await collect(filterStream(EXAMPLES, { where: 'file.inode == 18446744073709551614' }));
    expect(got).toEqual([]);
  });

  it('yields file, line and the typed event, and projects fields as csm-filter --field prints them', async () => {
    const fields = ['evt.name', 'file.inode', 'mount.mountpoint.path', 'process.args[0]'];
    const got = await collect(filterStream(EXAMPLES, { fields }));
    expectTypeOf(got).toEqualTypeOf<FilteredEvent<CsmEvent>[]>();
    expect(got.map((e) => [e.file, e.line])).toEqual(exampleLines.map((_, i) => [EXAMPLES, i + 1]));
    expect(got.map((e) => e.event)).toEqual(events);
    expect(got.map((e) => stringifyJson(e.projected!))).toEqual(await cliLines(['-f', fields.join(',')]));
    expect(stringifyJson(got[7]!.projected!)).toContain('"inode":18446744073709551615');
  });

  it('stops after limit events and stops reading', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield Buffer.from(`${exampleLines[0]}\n`);
      }
    }
    const got = await collect(filterStream(Readable.from(endless()), { limit: 3 }));
    expect(got.map((e) => e.line)).toEqual([1, 2, 3]);
    expect(pulled).toBeLessThan(100);
    expect(await collect(filterStream(MISSING, { limit: 0 }))).toEqual([]);
  });

  it('skips lines that are not JSON, handing them to onInvalid; with validate also invalid events', async () => {
    const text = `${exampleLines[0]}\nnot json\n{"agent":{},"title":"t"}\n`;
    const reports: LineReport[] = [];
    const got = await collect(filterStream(Readable.from([Buffer.from(text)]), { onInvalid: (r) => reports.push(r) }));
    expect(got.map((e) => e.line)).toEqual([1, 3]);
    expect(reports.map((r) => [r.file, r.line, r.errors[0]!.code])).toEqual([['<stdin>', 2, 'json']]);

    reports.length = 0;
    const valid = await collect(
      filterStream(Readable.from([Buffer.from(text)]), { validate: true, onInvalid: (r) => reports.push(r) }),
    );
    expect(valid.map((e) => e.line)).toEqual([1]);
    expect(reports.map((r) => [r.line, r.errors[0]!.code])).toEqual([
      [2, 'json'],
      [3, 'required'],
    ]);
  });

  it('throws a FilterError for a bad query at the call, before reading, with every error and a caret', () => {
    let err: unknown;
    try {
      filterStream(MISSING, { where: ['evt.name == "exec"', 'process.uid =='] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect(err).toBeInstanceOf(UsageError);
    const fe = err as FilterError;
    expect([fe.option, fe.source, fe.errors[0]!.code]).toEqual(['where', 'process.uid ==', 'syntax']);
    expect(fe.message).toBe(
      ["where: expected a value after '==' at column 14", '  process.uid ==', '               ^'].join('\n'),
    );
  });

  it('checks fields and query paths against the schema unless schemaCheck is false', async () => {
    expect(() => filterStream(MISSING, { where: 'process.arg == "x"' })).toThrow(/did you mean 'process.args'/);
    expect(() => filterStream(MISSING, { where: 'process.pid == "1"' })).toThrow(FilterError);
    try {
      filterStream(MISSING, { fields: ['evt.name', 'process.arg'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ option: 'fields', source: 'process.arg', errors: [{ code: 'unknown-field', suggestion: 'process.args' }] });
    }
    const got = await collect(filterStream(EXAMPLES, { where: 'extra.thing == 1', fields: 'no.such', schemaCheck: false }));
    expect(got).toEqual([]);
    const all = await collect(filterStream(EXAMPLES, { fields: 'no.such', schemaCheck: false, limit: 1 }));
    expect(all.map((e) => e.projected)).toEqual([{}]);
  });

  it('refuses the option combinations csm-filter refuses', () => {
    expect(() => filterStream(MISSING, { invert: true })).toThrow(/invert needs kinds or where/);
    expect(() => filterStream(MISSING, { fields: ['process.args[*]', 'process.args[0]'] })).toThrow(FilterError);
    expect(() => filterStream(MISSING, { limit: -1 })).toThrow(/limit/);
  });
});

describe('compileQuery', () => {
  it('compiles once and matches parsed events; a bad query gives errors, not an exception', () => {
    const q = compileQuery('process.credentials.uid == 0 and evt.name in ["exec", "open"]');
    if (!q.ok) throw new Error('should compile');
    expect(events.map((e) => q.match(e as never))).toEqual(events.map((e) => e.process!.credentials!.uid === 0 && ['exec', 'open'].includes(e.evt!.name!)));
    const bad = compileQuery('process.uid ==');
    expect(bad.ok).toBe(false);
  });
});

describe('project', () => {
  const mount = events.find((e) => e.evt?.name === 'mount')!;

  it('projects like --field, resolving dotted keys with the bundled schema', () => {
    expect(project(mount, ['evt.name', 'mount.mountpoint.path'])).toEqual({
      evt: { name: 'mount' },
      mount: { 'mountpoint.path': mount.mount!['mountpoint.path'] },
    });
    expect(project(mount, 'process.ancestors[*].executable.name')).toEqual({
      process: { ancestors: mount.process!.ancestors!.map((a) => ({ executable: { name: a.executable!.name } })) },
    });
    expect(project(mount, 'file.path')).toEqual({});
  });

  it('keeps exact numbers of a lossless event', () => {
    const chmod = parseLossless(exampleLines[7]!);
    const p = project(chmod, 'file.inode') as { file: { inode: JsonNumber } };
    expect(p.file.inode).toBeInstanceOf(JsonNumber);
    expect(stringifyJson(p)).toBe('{"file":{"inode":18446744073709551615}}');
  });

  it('throws a FilterError for an unknown path, and accepts any path without the schema check', () => {
    expect(() => project(mount, 'mount.mountpoint.pth')).toThrow(FilterError);
    expect(project({ a: { 'b.c': 1 } }, 'a["b.c"]', { schemaCheck: false })).toEqual({ a: { 'b.c': 1 } });
    expect(project({ a: { b: 2 } }, 'a.b', { schema: { type: 'object', properties: { a: { type: 'object' } } } })).toEqual({ a: { b: 2 } });
  });
});

describe('README "Library" program', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Library'), readme.indexOf('\n## ', readme.indexOf('## Library') + 1));
  const demo = readFileSync(join(ROOT, 'examples/library-demo.mjs'), 'utf8');

  it('is examples/library-demo.mjs, word for word', () => {
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBe(demo);
    for (const name of ['validateStream', 'filterStream', 'compileQuery', 'project']) expect(demo).toContain(`${name}(`);
  });

  it('prints what the README shows (it imports csm-ndjson, the built package, by its name)', () => {
    const r = spawnSync(process.execPath, ['examples/library-demo.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const shown = /```\n\$ node examples\/library-demo\.mjs\n([\s\S]*?)```/.exec(section)?.[1];
    expect(r.stdout).toBe(shown);
    expect(r.stdout).toContain('18446744073709551615');
  });
});
