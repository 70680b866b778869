/**
 * Small things a new user met: a terminal as stdin, a schema file that is not
 * JSON, and what `--format raw` prints for a missing field.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main as validateMain } from '../../src/cli/validate.js';
import { runLine, runMain } from '../helpers/inprocess.js';
import { EXAMPLES } from '../helpers/run.js';

describe('a terminal as stdin', () => {
  it('is said once on stderr, instead of a progress line at 0 MB', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let err = '';
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const done = validateMain({ argv: ['-q', '--color', 'never'], env: {}, stdin, stdout: new PassThrough(), stderr });
    stdin.end('{}\n');
    expect(await done).toBe(1);
    expect(err.split('\n')[0]).toBe('csm-validate: reading events from the terminal (stdin); end with Ctrl-D, or give a FILE');
    expect(err).not.toContain('lines/s');
  });

  it('is not mentioned when stdin is a pipe or a file is given', async () => {
    const r = await runMain('csm-validate', ['-q'], { input: '' });
    expect(r.stderr).toBe('');
  });
});

describe('a --schema file that is not JSON', () => {
  it('names the line and column of the problem, on one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csm-schema-json-'));
    const path = join(dir, 's.json');
    writeFileSync(path, '{\n  "type": "object",\n  "x": ]\n}\n');
    const r = await runMain('csm-validate', ['--schema', path], { input: '' });
    expect([r.code, r.stderr]).toEqual([2, `csm-validate: schema ${path} is not JSON: line 3, column 8: expected a value, found ']'\n`]);
  });
});

describe('--format raw', () => {
  it('prints nothing for a missing field (jq -r prints null), and each value of a [*] path on its own line', async () => {
    const input = '{"process":{"args":["a","b"]}}\n{"process":{}}\n{"process":{"args":[]}}\n';
    const r = await runMain('csm-filter', ['--no-schema-check', '-f', 'process.args[*]', '--format', 'raw'], { input });
    expect(r.out).toBe('a\nb\n');
    const one = await runMain('csm-filter', ['--no-schema-check', '-f', 'process.pid', '--format', 'raw'], { input });
    expect(one.out).toBe('');
  });
});

describe('colour', () => {
  it('FORCE_COLOR is read before NO_COLOR: both set colours, as documented', async () => {
    const r = await runMain('csm-validate', ['-q'], { input: '{}\n', env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(r.stderr).toContain('\u001b[');
  });

  it('query errors are coloured (the caret) with --color always, and not with never', async () => {
    const on = await runMain('csm-filter', ['-w', 'process.uid ==', '--color', 'always'], { input: '' });
    expect(on.stderr.split('\n')[2]).toBe('\u001b[31m\u001b[1m               ^\u001b[22m\u001b[39m');
    const off = await runMain('csm-filter', ['-w', 'process.uid ==', '--color', 'never'], { input: '' });
    expect(off.stderr).not.toContain('\u001b[');
  });

  it('csm-schema takes --color (and --schema) before its command', async () => {
    const r = await runMain('csm-schema', ['--color', 'always', 'describe', 'process.pid']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toContain('\u001b[');
    const never = await runMain('csm-schema', ['--color=never', 'describe', 'process.pid']);
    expect([never.code, never.out.includes('\u001b[')]).toEqual([0, false]);
  });
});

describe('the cheat sheet finds what it says', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const hunt = (n: number): string => new RegExp(`^ {4}# ${n}\\. .*\\n {4}(csm-filter .*)$`, 'm').exec(readme)![1]!;
  const examples = readFileSync(EXAMPLES, 'utf8').trim().split('\n');

  it('#3 "writes under /etc": a write-open is found, a read-only open is not', async () => {
    const open = JSON.parse(examples.find((l) => l.includes('"name":"open"'))!) as { file: { path: string; flags: string[] } };
    const read = JSON.stringify(open);
    open.file.path = '/etc/passwd';
    open.file.flags = ['O_WRONLY', 'O_CREAT'];
    const r = await runLine(hunt(3), { input: `${read}\n${JSON.stringify(open)}\n` });
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${JSON.stringify(open)}\n`);
  });

  it('#10 "what a container did": every event of the example container', async () => {
    const r = await runLine(`${hunt(10)} ${EXAMPLES}`);
    expect(r.out.trim().split('\r\n')).toHaveLength(1 + 10);
  });
});
