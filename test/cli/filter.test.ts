/**
 * csm-filter through its main, in-process: selection, paths, output formats,
 * errors and exit statuses; a differential test against jq; the command lines
 * of the README and of --help, split into words by bash. What needs a real
 * process (| head) is in test/e2e/filter.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLine, runMain } from '../helpers/inprocess.js';
import { CORPUS, EXAMPLES, ROOT as ROOT_DIR, lines } from '../helpers/run.js';

const examples = readFileSync(EXAMPLES, 'utf8');
const exampleLines = lines(examples);
const events = exampleLines.map((l) => JSON.parse(l) as Record<string, any>);
const kindOf = (e: Record<string, any>): string => e.evt.name as string;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-filter-'));
});

const filter = (args: string[], input?: string | Buffer) => runMain('csm-filter', input === undefined ? [...args, EXAMPLES] : args, input === undefined ? {} : { input });

describe('csm-filter: selection', () => {
  it('without conditions passes every event through byte for byte', async () => {
    const r = await filter([]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toBe(examples);
  });

  it('--kind selects by evt.name, comma-separated and repeatable', async () => {
    const r1 = await filter(['--kind', 'open,unlink']);
    const r2 = await filter(['-k', 'open', '-k', 'unlink']);
    const expected = exampleLines.filter((_, i) => ['open', 'unlink'].includes(kindOf(events[i]!)));
    expect(expected).toHaveLength(3);
    expect(lines(r1.out)).toEqual(expected);
    expect(r2.out).toBe(r1.out);
  });

  it('--where conditions are ANDed with each other and with --kind', async () => {
    const r = await filter(['-k', 'open,unlink', '-w', 'file.path =~ "/etc/**"', '-w', 'process.credentials.uid == 0']);
    expect(lines(r.out).map((l) => JSON.parse(l).title)).toEqual(['/etc/shadow was opened']);
  });

  it('the issue example: writes under /etc by root', async () => {
    const r = await filter(['-k', 'open,unlink', '-w', 'file.path =~ "/etc/**" and process.credentials.uid == 0']);
    expect(lines(r.out)).toHaveLength(1);
  });

  it('-v selects the events that do not match', async () => {
    const all = await filter(['-c']);
    const yes = await filter(['-c', '-k', 'exec']);
    const no = await filter(['-c', '-v', '-k', 'exec']);
    expect(Number(yes.out) + Number(no.out)).toBe(Number(all.out));
    expect(Number(no.out)).toBe(events.filter((e) => kindOf(e) !== 'exec').length);
  });

  it('-n stops after N selected events', async () => {
    const r = await filter(['-n', '2', '-k', 'open,dns,exit']);
    expect(lines(r.out).map((l) => JSON.parse(l).evt.name)).toEqual(['open', 'open']);
    const zero = await filter(['-n', '0']);
    expect([zero.code, zero.out]).toEqual([0, '']);
  });

  it('-c prints only the number of selected events', async () => {
    const r = await filter(['-c', '-w', 'process.credentials.uid == 0']);
    expect(r.out).toBe(`${events.filter((e) => e.process.credentials.uid === 0).length}\n`);
    const none = await filter(['-c', '-k', 'ptrace']); // a kind the examples do not have
    expect([none.code, none.out]).toEqual([0, '0\n']);
  });

  it('compares uint64 values exactly', async () => {
    const r = await filter(['-c', '-w', 'file.inode == 18446744073709551615']);
    expect(r.out).toBe('1\n');
    const off = await filter(['-c', '-w', 'file.inode == 18446744073709551614']);
    expect(off.out).toBe('0\n');
    const gt = await filter(['-c', '-w', 'file.inode > 9007199254740993']);
    expect(gt.out).toBe('1\n');
  });

  it('matches through arrays (any element), with globs, regexes, in and exists', async () => {
    const count = async (q: string): Promise<number> => Number((await filter(['-c', '-w', q])).out);
    expect(await count('process.args == "-c"')).toBe(events.filter((e) => e.process.args.includes('-c')).length);
    expect(await count('process.ancestors[*].executable.name == "nginx"')).toBe(events.filter((e) => e.process.ancestors.some((a: any) => a.executable.name === 'nginx')).length);
    expect(await count('process.executable.path =~ "/usr/bin/*"')).toBe(events.filter((e) => e.process.executable.path.startsWith('/usr/bin/')).length);
    expect(await count('file.path =~ r"^/tmp/[^/]+\\.ko$"')).toBe(1);
    expect(await count('evt.name in ["dns", "exit"]')).toBe(2);
    expect(await count('evt.name not in ["dns", "exit"]')).toBe(events.length - 2);
    expect(await count('exists(dns.question.name)')).toBe(1);
    expect(await count('not exists(dns)')).toBe(events.length - 1);
    expect(await count('exists(exit.code) and exit.code != 0 || evt.outcome == "Refused"')).toBe(2);
    // A missing field makes != true, so not (a == b) and a != b agree.
    expect(await count('exit.code != 0')).toBe(events.length);
  });

  it('treats a missing field as false for == and true for !=', async () => {
    const eq = await filter(['-c', '-w', 'dns.question.name == "x"']);
    const ne = await filter(['-c', '-w', 'dns.question.name != "x"']);
    expect([eq.out, ne.out]).toEqual(['0\n', `${events.length}\n`]);
  });
});

describe('csm-filter: paths and --field', () => {
  it('--field projects keeping the nesting, keys in the order given', async () => {
    const r = await filter(['--kind', 'exec', '--field', 'process.args']);
    expect(lines(r.out)).toEqual(events.filter((e) => kindOf(e) === 'exec').map((e) => JSON.stringify({ process: { args: e.process.args } })));
    const two = await filter(['-k', 'dns', '-f', 'process.pid,evt.name', '-f', 'process.comm']);
    expect(two.out).toBe('{"process":{"pid":4300,"comm":"curl"},"evt":{"name":"dns"}}\n');
  });

  it('--field indexes from the start and from the end', async () => {
    const r = await filter(['-k', 'exec', '-f', 'process.args[0]', '--flat']);
    expect(lines(r.out)).toEqual(['{"process.args[0]":"-c"}', '{"process.args[0]":"-s"}']);
    const last = await filter(['-k', 'exec', '-f', 'process.args[-1]', '--format', 'raw']);
    expect(last.out).toBe('id\nX-Note: café ☕\n');
  });

  it('--field with [*] keeps arrays', async () => {
    const r = await filter(['-k', 'exec', '-n', '1', '-f', 'process.ancestors[*].executable.path']);
    expect(r.out).toBe('{"process":{"ancestors":[{"executable":{"path":"/usr/sbin/nginx"}},{"executable":{"path":"/sbin/init"}}]}}\n');
  });

  it('a missing field is left out, an event with none prints {}', async () => {
    const r = await filter(['-k', 'exec,dns', '-f', 'dns.question.name']);
    expect(r.out).toBe('{}\n{}\n{"dns":{"question":{"name":"pool.minexmr.example"}}}\n');
  });

  it('resolves dotted keys with the schema: mount.mountpoint.path means key "mountpoint.path"', async () => {
    const a = await filter(['-k', 'mount', '-f', 'mount.mountpoint.path']);
    const b = await filter(['-k', 'mount', '-f', 'mount["mountpoint.path"]']);
    expect(a.out).toBe('{"mount":{"mountpoint.path":"/mnt/x"}}\n');
    expect(b.out).toBe(a.out);
    const q = await filter(['-c', '-w', 'mount.mountpoint.path == "/mnt/x"']);
    expect(q.out).toBe('1\n');
  });

  it('copies numbers digit for digit (uint64, 1.50, -0)', async () => {
    const e = { ...events[0], process: { ...events[0]!.process, pid: '@PID@' } };
    const input = ['18446744073709551615', '1.50', '-0', '1e2']
      .map((n) => JSON.stringify(e).replace('"@PID@"', n))
      .join('\n');
    const r = await runMain('csm-filter', ['-f', 'process.pid', '--format', 'raw'], { input });
    expect(r.out).toBe('18446744073709551615\n1.50\n-0\n1e2\n');
    const nd = await runMain('csm-filter', ['-f', 'process.pid'], { input });
    expect(lines(nd.out)[1]).toBe('{"process":{"pid":1.50}}');
  });

  it('--format tsv: header, one column per field, empty cell for missing, JSON for arrays', async () => {
    const r = await filter(['-k', 'exec,dns', '-f', 'evt.name,dns.question.name,process.args', '--format', 'tsv']);
    expect(lines(r.out)).toEqual([
      'evt.name\tdns.question.name\tprocess.args',
      'exec\t\t["-c","id"]',
      'exec\t\t["-s","http://169.254.169.254/latest/meta-data/","-H","X-Note: café ☕"]',
      'dns\tpool.minexmr.example\t["-s","http://169.254.169.254/latest/meta-data/","-H","X-Note: café ☕"]',
    ]);
    const noHeader = await filter(['-k', 'dns', '-f', 'evt.name', '--format', 'tsv', '--no-header']);
    expect(noHeader.out).toBe('dns\n');
  });

  it('--format tsv escapes tabs, newlines and backslashes', async () => {
    const r = await runMain('csm-filter', ['-f', 'title', '--format', 'tsv', '--no-header'], { input: '{"title":"a\\tb\\nc\\\\d"}\n' });
    expect(r.out).toBe('a\\tb\\nc\\\\d\n');
  });

  it('--format csv quotes per RFC 4180 and ends records with CRLF', async () => {
    const r = await runMain('csm-filter', ['-f', 'title,evt.name', '--format', 'csv'], { input: '{"title":"say \\"hi\\", ok","evt":{"name":"exec"}}\n' });
    expect(r.out).toBe('title,evt.name\r\n"say ""hi"", ok",exec\r\n');
  });

  it('--format raw prints one field unquoted, one line per value reached', async () => {
    const r = await filter(['-k', 'exec', '-n', '1', '-f', 'process.ancestors[*].pid', '--format', 'raw']);
    expect(r.out).toBe('4100\n1\n');
  });

  it('--flat prints {"path": value}', async () => {
    const r = await filter(['-k', 'exec', '-n', '1', '-f', 'process.args', '--flat']);
    expect(r.out).toBe('{"process.args":["-c","id"]}\n');
  });

  it('--no-schema-check accepts any path', async () => {
    const r = await filter(['--no-schema-check', '-c', '-w', 'custom.thing == 1']);
    expect([r.code, r.out]).toEqual([0, '0\n']);
  });

  it('free-form objects accept any sub-path', async () => {
    const r = await filter(['-c', '-w', 'process.variables.anything.at.all == 1']);
    expect([r.code, r.out]).toEqual([0, '0\n']);
  });
});

describe('csm-filter: input, --validate and bad lines', () => {
  it('reports a line that is not JSON with file:line:col, skips it, and exits 1 at the end', async () => {
    const input = `${exampleLines[0]}\n{"evt":\n\n${exampleLines[1]}\n`;
    const r = await runMain('csm-filter', ['-k', 'exec', '-f', 'process.pid'], { input });
    expect(r.code).toBe(1);
    expect(r.out).toBe('{"process":{"pid":4242}}\n{"process":{"pid":4300}}\n');
    expect(r.stderr).toBe("<stdin>:2:8: expected a value, found end of line (json)\n");
  });

  it('--validate drops invalid events with the same reports as csm-validate', async () => {
    const r = await runMain('csm-filter', ['--validate', CORPUS, EXAMPLES]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(examples);
    const v = await runMain('csm-validate', ['-q', CORPUS]);
    expect(r.stderr).toBe(v.stderr);
  });

  it('reads gzip and several files in order', async () => {
    const gz = join(dir, 'events.gz');
    writeFileSync(gz, gzipSync(examples));
    const r = await runMain('csm-filter', ['-c', gz, EXAMPLES]);
    expect(r.out).toBe(`${events.length * 2}\n`);
  });

  it('--summary reports the counts on stderr', async () => {
    const r = await filter(['-k', 'exec', '-c', '--summary']);
    expect(r.stderr).toMatch(/lines read\s+10\n/);
    expect(r.stderr).toMatch(/selected\s+2\n/);
  });
});

describe('csm-filter: usage errors (exit 2)', () => {
  it('a query syntax error names the column with a caret under the expression', async () => {
    const r = await filter(['-w', 'process.uid ==']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toBe("csm-filter: --where: expected a value after '==' at column 14\n  process.uid ==\n               ^\n");
  });

  it('an unknown field gets a suggestion', async () => {
    const r = await filter(['--field', 'process.arg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("csm-filter: --field process.arg: unknown field 'process.arg' — did you mean 'process.args'?\n");
    const w = await filter(['-w', 'process.arg == "x"']);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain("did you mean 'process.args'?");
  });

  it('a pathological regex cannot hang the process', async () => {
    const a = 'a'.repeat(100000);
    const input = `{"title":"${a}b"}\n{"title":"${a}"}\n`;
    const started = Date.now();
    const r = await runMain('csm-filter', ['-c', '-w', 'title =~ r"(a+)+$"'], { input });
    expect(r.code).toBe(0);
    expect(r.out).toBe('1\n');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it.each<[string[], RegExp]>([
    [['--format', 'raw', '-f', 'a,b', '--no-schema-check'], /--format raw takes exactly one --field/],
    [['--format', 'tsv'], /--format tsv needs at least one --field/],
    [['--flat'], /--flat goes with --field/],
    [['-v'], /--invert needs a --kind or --where/],
    [['-n', '-1'], /--limit/],
    [['--format', 'xml', '-f', 'title'], /--format.*xml.*(choices|Allowed)/i],
  ])('rejects %j', async (args, pattern) => {
    const r = await filter(args);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it('--help shows usage, options and examples; --version prints the version', async () => {
    const help = await runMain('csm-filter', ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: csm-filter \[options\] \[FILE\.\.\.\]/);
    expect(help.out).toContain('Examples:');
    expect((await runMain('csm-filter', ['-V'])).code).toBe(0);
  });
});

const hasJq = spawnSync('jq', ['--version']).status === 0;

describe.skipIf(!hasJq)('csm-filter agrees with jq on examples/', () => {
  const jq = (program: string): string => execFileSync('jq', ['-c', program, EXAMPLES], { encoding: 'utf8' });
  it.each<[string, string[], string]>([
    ['kind + field', ['--kind', 'exec', '--field', 'process.args'], 'select(.evt.name == "exec") | {process:{args:.process.args}}'],
    ['uid 0 count', ['-c', '-w', 'process.credentials.uid == 0'], '[inputs, .] | map(select(.process.credentials.uid == 0)) | length'],
    ['glob /etc/**', ['-w', 'file.path =~ "/etc/**"', '-f', 'file.path', '--format', 'raw'], 'select(.file.path? // "" | startswith("/etc/")) | .file.path'],
    ['any ancestor is nginx', ['-w', 'process.ancestors[*].executable.name == "nginx"', '-f', 'title', '--format', 'raw'], 'select(any(.process.ancestors[]; .executable.name == "nginx")) | .title'],
  ])('%s', async (_name, args, program) => {
    const r = await filter(args);
    let expected = jq(program);
    if (program.startsWith('[inputs')) expected = execFileSync('jq', ['-n', '[inputs] | map(select(.process.credentials.uid == 0)) | length', EXAMPLES], { encoding: 'utf8' });
    if (args.includes('raw')) expected = execFileSync('jq', ['-r', program, EXAMPLES], { encoding: 'utf8' });
    expect(r.out).toBe(expected);
  });
});

if (!hasJq) console.warn('jq not found: the differential tests against jq are skipped');

describe('the README cheat sheet', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  // The first cheat sheet (the one of counting, bits and lists has its own test: hunts-count.test.ts).
  const sheet = readme.slice(readme.indexOf('#### Cheat sheet: twelve'), readme.indexOf('\n#', readme.indexOf('#### Cheat sheet: twelve') + 5));
  const hunts = [...sheet.matchAll(/^ {4}# \d+\. .*\n {4}(csm-filter .*)$/gm)].map((m) => m[1]!);
  it('has twelve hunts', () => {
    expect(hunts).toHaveLength(12);
  });
  it.skipIf(!hasJq)('the jq twin of the time window selects what csm-filter selects', async () => {
    const twin = /^ {4}# {5}jq -c '(.*)'$/m.exec(readme);
    expect(twin).not.toBeNull();
    const program = twin![1]!;
    // jq -c re-writes the lines (numbers, escapes): compare the titles
    const titles = (p: string): string => execFileSync('jq', ['-r', `${p} | .title`, EXAMPLES], { encoding: 'utf8' });
    const window = ['--format', 'raw', '-f', 'title', EXAMPLES];
    const hour = await runMain('csm-filter', ['--since', '2024-08-01T12:00:00Z', '--until', '2024-08-01T13:00:00Z', ...window]);
    expect(lines(hour.out)).toHaveLength(10);
    expect(hour.out).toBe(titles(program));
    const none = await runMain('csm-filter', ['--since', '2024-08-01T13:00:00Z', ...window]);
    expect(none.out).toBe('');
    expect(titles(program.replace('1722513600', '1722517200').replace('1722517200)', '1e10)'))).toBe('');
  });
  it('#7 (setuid) takes 0o104755 and not 0o100755', async () => {
    const hunt = hunts.find((h) => h.includes('0o4000'))!;
    const suid = `{"evt":{"name":"chmod"},"file":{"destination":{"mode":${0o104755}}}}`;
    const plain = `{"evt":{"name":"chmod"},"file":{"destination":{"mode":${0o100755}}}}`;
    const r = await runLine(hunt, { input: `${suid}\n${plain}\n` });
    expect(r.out).toBe(`${suid}\n`);
  });
  it.each(hunts)('runs: %s', async (hunt) => {
    const r = await runLine(`${hunt} ${EXAMPLES}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('csm-filter: shared flags', () => {
  it('--error-format json and --errors FILE report bad lines as csm-validate does', async () => {
    const path = join(dir, 'filter-errors.ndjson');
    const r = await runMain('csm-filter', ['-c', '--error-format', 'json', '--errors', path], { input: `${exampleLines[0]}\n{oops\n` });
    expect([r.code, r.out, r.stderr]).toEqual([1, '1\n', '']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ file: '<stdin>', line: 2, column: 2, errors: [{ keyword: 'json' }] });
  });

  it('--max-line-bytes reports a longer line (size) and goes on', async () => {
    const r = await runMain('csm-filter', ['-c', '--max-line-bytes', '8K'], { input: `{"title":"${'x'.repeat(9000)}"}\n${exampleLines[0]}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe('1\n');
    expect(r.stderr).toMatch(/^<stdin>:1: line is 9012 bytes, longer than the limit of 8192 bytes/);
  });

  it('--color always colours the reports', async () => {
    const r = await runMain('csm-filter', ['--color', 'always'], { input: '{x\n' });
    expect(r.stderr).toContain('\u001b[');
  });

});

describe('the --help examples', () => {
  it.each(['csm-filter', 'csm-validate'] as const)('of %s all run on examples/ with exit 0 or 1, never 2', async (tool) => {
    const help = (await runMain(tool, ['--help'])).out;
    const examples = help
      .slice(help.indexOf('Examples:'))
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => l.startsWith(tool));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) {
      // Run each example's flags on the sample stream (file names in the examples are placeholders;
      // `cat FILE |` feeds stdin, here empty; `> FILE` sends stdout, which is collected, away).
      const cmd = example
        .replace(/^cat events\.ndjson \| /, '')
        .replace(/\S+\.ndjson(\.gz)?|\S+\.schema\.json/g, (m) => (m.includes('schema') ? JSON.stringify(join(ROOT_DIR, 'schema/backend_linux.schema.json')) : m.startsWith('bad') || m.startsWith('report') || m.startsWith('good') ? JSON.stringify(join(dir, m)) : EXAMPLES))
        .replace(/ > \S+$/, '');
      const r = await runLine(cmd);
      expect([0, 1], `${example}\n${r.stderr}`).toContain(r.code);
    }
  });
});
