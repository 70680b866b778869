/**
 * csm-filter on hostile input and hostile queries, through its main
 * (in-process): keys named __proto__/constructor/prototype are data, numbers
 * come back digit for digit, pathological regexes and nesting answer quickly;
 * never a stack trace. The library API in a fresh node process.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { ROOT } from '../../helpers/run.js';
import { expectNoStackTrace, useTempDir, withPids } from './support.js';

const { tmp } = useTempDir('filter-bad-input');

describe('csm-filter: keys named __proto__, constructor, prototype are data', () => {
  const proto =
    '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3},' +
    '"process":{"__proto__":{"polluted":4},"constructor":{"prototype":{"polluted":5}},"prototype":6,"args":["a"]';
  // The first line goes through JSON.parse; the uint64 in the second sends it through the lossless parser.
  const fast = `{${proto},"pid":7},"evt":{"name":"exec"}}`;
  const lossless = `{${proto},"pid":18446744073709551616},"evt":{"name":"exec"}}`;
  const plain = '{"process":{"args":["a"],"pid":7},"evt":{"name":"exec"}}';
  const input = `${fast}\n${lossless}\n${plain}\n`;
  const filter = (args: string[]) => runMain('csm-filter', args, { input });

  it.each<[string, string]>([
    ['exists(process.__proto__)', `${fast}\n${lossless}\n`],
    ['process.__proto__.polluted == 4', `${fast}\n${lossless}\n`],
    ['process.constructor.prototype.polluted == 5', `${fast}\n${lossless}\n`],
    ['__proto__.polluted == 1 and prototype.polluted == 3', `${fast}\n${lossless}\n`],
    ['exists(process.prototype) and process.prototype == 6', `${fast}\n${lossless}\n`],
    // Nothing is inherited: a plain event has none of these keys.
    [
      'not exists(process.__proto__) and (exists(process.constructor) or exists(process.toString) or exists(process.args.length) or exists(polluted) or exists(hasOwnProperty))',
      '',
    ],
    ['not exists(process.__proto__)', `${plain}\n`],
  ])('--no-schema-check -w %j selects exactly the events that hold the key, byte for byte', async (query, expected) => {
    const r = await filter(['--no-schema-check', '-w', query]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toBe(expected);
  });

  it('with the schema check, such a path is an unknown field (exit 2), not a lookup on Object.prototype', async () => {
    const r = await filter(['-w', 'exists(process.__proto__)']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toBe("csm-filter: --where: unknown field 'process.__proto__' at column 16\n  exists(process.__proto__)\n                 ^^^^^^^^^\n");
    const f = await filter(['-f', 'process.constructor']);
    expect([f.code, f.stderr]).toEqual([2, "csm-filter: --field process.constructor: unknown field 'process.constructor'\n"]);
  });

  const fields = ['-f', 'process.__proto__,process.constructor.prototype,__proto__,prototype,process.prototype', '--no-schema-check'];

  it('-f (nested) writes them as keys of the output, in the order given', async () => {
    const r = await filter(fields);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const line =
      '{"process":{"__proto__":{"polluted":4},"constructor":{"prototype":{"polluted":5}},"prototype":6},"__proto__":{"polluted":1},"prototype":{"polluted":3}}';
    expect(r.out).toBe(`${line}\n${line}\n{}\n`);
  });

  it('-f with one such key: {"process":{"__proto__":{"polluted":4}}}', async () => {
    const r = await filter(['-f', 'process.__proto__', '--no-schema-check']);
    expect(r.out).toBe('{"process":{"__proto__":{"polluted":4}}}\n{"process":{"__proto__":{"polluted":4}}}\n{}\n');
  });

  it('--flat writes them as flat keys', async () => {
    const r = await filter([...fields, '--flat']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const line =
      '{"process.__proto__":{"polluted":4},"process.constructor.prototype":{"polluted":5},"__proto__":{"polluted":1},"prototype":{"polluted":3},"process.prototype":6}';
    expect(r.out).toBe(`${line}\n${line}\n{}\n`);
  });

  it('--format tsv writes them as columns', async () => {
    const r = await filter([...fields, '--format', 'tsv']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const row = '{"polluted":4}\t{"polluted":5}\t{"polluted":1}\t{"polluted":3}\t6';
    expect(r.out).toBe(`process.__proto__\tprocess.constructor.prototype\t__proto__\tprototype\tprocess.prototype\n${row}\n${row}\n\t\t\t\t\n`);
  });

  it('--format raw reads through them', async () => {
    const r = await filter(['-f', 'process.__proto__.polluted', '--format', 'raw', '--no-schema-check']);
    expect([r.code, r.out, r.stderr]).toEqual([0, '4\n4\n', '']);
    const c = await filter(['-f', 'process.constructor.prototype', '--format', 'raw', '--no-schema-check']);
    expect(c.out).toBe('{"polluted":5}\n{"polluted":5}\n');
  });

  it('compileQuery, compileProjection and filterStream (dist/index.js) leave Object.prototype alone', () => {
    const file = tmp('proto.ndjson', input);
    const script = `
      import { compileQuery, compileProjection, filterStream, parsePath, parseLossless, stringifyJson } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
      const before = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
      const lines = ${JSON.stringify([fast, lossless, plain])};
      const queries = ['exists(process.__proto__)', 'process.__proto__.polluted == 4', '__proto__.polluted == 1', 'constructor.prototype.polluted == 2', 'exists(process.toString)'];
      const matches = queries.map((q) => { const c = compileQuery(q); return lines.map((l) => c.ok && c.match(l === lines[1] ? parseLossless(l) : JSON.parse(l))); });
      const projector = compileProjection(['__proto__', 'process.__proto__.polluted', 'constructor.prototype', 'process.prototype'].map((p) => parsePath(p).path));
      const nested = lines.map((l) => stringifyJson(projector.nested(parseLossless(l))));
      const streamed = [];
      for await (const e of filterStream(process.argv[1], { where: 'exists(process.__proto__)', fields: ['process.__proto__', '__proto__.polluted'], schemaCheck: false })) {
        streamed.push({ line: e.line, projected: stringifyJson(e.projected), ownProto: Object.hasOwn(e.event, '__proto__'), plain: Object.getPrototypeOf(e.event) === Object.prototype });
      }
      const after = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
      console.log(JSON.stringify({ matches, nested, streamed, same: before === after,
        polluted: [({}).polluted, Object.prototype.polluted, Object.polluted, ({}).constructor === Object].map(String) }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const projected = '{"__proto__":{"polluted":1},"process":{"__proto__":{"polluted":4},"prototype":6},"constructor":{"prototype":{"polluted":2}}}';
    expect(JSON.parse(r.stdout)).toEqual({
      matches: [
        [true, true, false],
        [true, true, false],
        [true, true, false],
        [true, true, false],
        [false, false, false],
      ],
      nested: [projected, projected, '{}'],
      streamed: [
        { line: 1, projected: '{"process":{"__proto__":{"polluted":4}},"__proto__":{"polluted":1}}', ownProto: true, plain: true },
        { line: 2, projected: '{"process":{"__proto__":{"polluted":4}},"__proto__":{"polluted":1}}', ownProto: true, plain: true },
      ],
      same: true,
      polluted: ['undefined', 'undefined', 'undefined', 'true'],
    });
  });
});

describe('csm-filter: numbers digit for digit', () => {
  const numbers = ['1e400', '-0', '1.0', '12345678901234567890', '18446744073709551616', '-1e400', '1E+2', '0.1', '340282366920938463463374607431768211457'];
  const input = withPids(numbers);

  it('without --field every line is copied byte for byte', async () => {
    const r = await runMain('csm-filter', [], { input });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.equals(Buffer.from(input))).toBe(true);
  });

  it.each<[string, string[], (n: string) => string]>([
    ['raw', ['--format', 'raw'], (n) => n],
    ['ndjson', [], (n) => `{"process":{"pid":${n}}}`],
    ['--flat', ['--flat'], (n) => `{"process.pid":${n}}`],
    ['tsv', ['--format', 'tsv', '--no-header'], (n) => n],
  ])('-f process.pid (%s) writes each number as written', async (_name, extra, line) => {
    const r = await runMain('csm-filter', ['-f', 'process.pid', ...extra], { input });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toBe(numbers.map((n) => `${line(n)}\n`).join(''));
  });

  it('--format csv writes them as written, CRLF records', async () => {
    const r = await runMain('csm-filter', ['-f', 'process.pid', '--format', 'csv', '--no-header'], { input });
    expect(r.out).toBe(numbers.map((n) => `${n}\r\n`).join(''));
  });

  it.each<[string, string[]]>([
    ['process.pid == 18446744073709551616', ['18446744073709551616']],
    ['process.pid == 18446744073709551615', []],
    ['process.pid == 18446744073709551617', []],
    ['process.pid == 1.8446744073709551616e19', ['18446744073709551616']],
    ['process.pid > 18446744073709551615', ['1e400', '18446744073709551616', '340282366920938463463374607431768211457']],
    ['process.pid == 340282366920938463463374607431768211457', ['340282366920938463463374607431768211457']],
    ['process.pid == 340282366920938463463374607431768211456', []],
    ['process.pid == 0', ['-0']],
    ['process.pid == 1', ['1.0']],
    ['process.pid == 100', ['1E+2']],
    ['process.pid < -1e399', ['-1e400']],
    ['process.pid == 12345678901234567890', ['12345678901234567890']],
    ['process.pid in [12345678901234567891, 0.1]', ['0.1']],
  ])('-w %j compares exactly', async (query, selected) => {
    const r = await runMain('csm-filter', ['-w', query, '-f', 'process.pid', '--format', 'raw'], { input });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toBe(selected.map((n) => `${n}\n`).join(''));
  });
});

describe('csm-filter: pathological regexes answer in linear time', () => {
  const N = 100_000;
  const titles = ['a'.repeat(N), `${'a'.repeat(N)}b`, 'x'.repeat(N), `${'a'.repeat(N - 1)}c`];
  const input = titles.map((t) => `{"title":"${t}"}`).join('\n') + '\n';

  it.each<[string, number[]]>([
    ['r"(a+)+$"', [0]],
    ['r"(a|aa)*c"', [3]],
    ['r"(.*)*x"', [2]],
    ['r"(x+x+)+y"', []],
    ['r"^(a|a?)+$"', [0]],
    ['r"(a*)*b"', [1]],
  ])('title =~ %s on 100,000-character strings: the right lines, within seconds', async (regex, selected) => {
    const started = Date.now();
    const r = await runMain('csm-filter', ['-w', `title =~ ${regex}`, '-f', 'title', '--format', 'raw'], { input });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toBe(selected.map((i) => `${titles[i]}\n`).join(''));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a backreference is refused (RE2 cannot run it in linear time): exit 2 with the caret', async () => {
    const r = await runMain('csm-filter', ['-w', 'title =~ r"(a)\\1"'], { input });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toBe(
      'csm-filter: --where: invalid regex: invalid escape sequence: `\\1` (RE2 syntax: no lookaround, no backreferences) at column 15\n' +
        '  title =~ r"(a)\\1"\n' +
        '                ^^\n',
    );
  });
});

describe('csm-filter: nesting and length limits of --where', () => {
  const input = '{"title":"x"}\n';
  const deep = (query: string, column: number, width = 1) => async () => {
    const started = Date.now();
    const r = await runMain('csm-filter', ['-c', '-w', query], { input });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`csm-filter: --where: query nested too deeply (more than 256 levels of '(', 'not' or '[') at column ${column}`);
    expect(lines[1]).toBe(`  ${query}`);
    expect(lines[2]).toBe(`  ${' '.repeat(column - 1)}${'^'.repeat(width)}`);
    expect(lines[3]).toBe('');
    expectNoStackTrace(r.stderr);
    expect(Date.now() - started).toBeLessThan(10_000);
  };

  it('10,000 nested parentheses: a depth error at the 257th', deep(`${'('.repeat(10_000)}title == "x"${')'.repeat(10_000)}`, 257));
  it('10,000 chained "not": a depth error at the 257th', deep(`${'not '.repeat(10_000)}title == "x"`, 4 * 256 + 1, 3));
  it('10,000 chained "!": a depth error at the 257th', deep(`${'!'.repeat(10_000)}title == "x"`, 257));
  it('10,000 nested list brackets: a depth error at the 257th', deep(`title in ${'['.repeat(10_000)}`, 'title in '.length + 256 + 1));

  it('10,000 conditions chained with && (flat, not nested): compiled and run, exit 0', async () => {
    const started = Date.now();
    const query = Array.from({ length: 10_000 }, (_, i) => `a!=${i}`).join('&&');
    const r = await runMain('csm-filter', ['-c', '--no-schema-check', '-w', query], { input: '{"a":10000}\n{"a":5000}\n' });
    expect([r.code, r.out, r.stderr]).toEqual([0, '1\n', '']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('256 nested parentheses are fine', async () => {
    const r = await runMain('csm-filter', ['-c', '-w', `${'('.repeat(256)}title == "x"${')'.repeat(256)}`], { input });
    expect([r.code, r.out, r.stderr]).toEqual([0, '1\n', '']);
  });
});
