/**
 * --jobs N gives the same outputs, reports, counts and exit status as --jobs 1.
 * --jobs 1 (no threads) runs main in-process; --jobs 2 and 3 run the
 * executables, whose worker threads are loaded from dist/.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import { CORPUS, EXAMPLES, run } from '../helpers/run.js';

let dir: string;
let input: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-jobs-'));
  const valid = readFileSync(EXAMPLES, 'utf8').trim().split('\n');
  const invalid = readFileSync(CORPUS, 'utf8').trim().split('\n');
  const odd = ['', '   ', '{"broken":', '[]', `{"title":"${'x'.repeat(300_000)}"}`, '\uFEFF{}', '{"a":1}\r'];
  const lines: string[] = [];
  let size = 0;
  const push = (line: string): void => {
    lines.push(line);
    size += line.length + 1;
  };
  // ~6 MB, several batches per worker, every kind of line spread through it.
  for (let i = 0; size < 6_000_000; i++) {
    push(valid[i % valid.length]!);
    push(valid[(i * 7) % valid.length]!);
    if (i % 5 === 0) push(invalid[i % invalid.length]!);
    if (i % 13 === 0) push(odd[i % odd.length]!);
  }
  input = join(dir, 'mixed.ndjson');
  writeFileSync(input, lines.join('\n'));
});

const timing = /^\s+(seconds|lines\/s|MB\/s)\s.*\n/gm;

async function runJobs(jobs: number, extra: string[]) {
  const invalidOut = join(dir, `invalid-${jobs}-${extra.join('_').replace(/\W/g, '')}.ndjson`);
  const r = await (jobs === 1 ? runMain : run)('csm-validate', ['--jobs', String(jobs), '--invalid-out', invalidOut, '--summary', '--max-line-bytes', '256K', ...extra, input]);
  return { code: r.code, stdout: r.out, stderr: r.stderr.replace(timing, ''), invalid: readFileSync(invalidOut, 'utf8') };
}

describe('csm-validate --jobs', () => {
  it.each<[string, string[]]>([
    ['text reports', []],
    ['json reports', ['--error-format', 'json']],
    ['--max-invalid 100', ['--max-invalid', '100']],
    ['--fail-fast', ['--fail-fast']],
  ])('--jobs 2 and 3 equal --jobs 1 (%s)', async (_name, extra) => {
    const one = await runJobs(1, extra);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/invalid\s+\d+/);
    for (const jobs of [2, 3]) {
      const many = await runJobs(jobs, extra);
      expect(many.code).toBe(one.code);
      expect(many.stdout === one.stdout).toBe(true);
      expect(many.invalid === one.invalid).toBe(true);
      expect(many.stderr).toBe(one.stderr);
    }
  });

  it('--jobs 2 with --schema compiles the schema in each worker', async () => {
    const schema = join(dir, 'schema.json');
    writeFileSync(schema, JSON.stringify({ type: 'object', required: ['title'] }));
    const one = await runJobs(1, ['--schema', schema]);
    const two = await runJobs(2, ['--schema', schema]);
    expect(two).toEqual(one);
  });

  it('rejects --jobs 0', async () => {
    const r = await runMain('csm-validate', ['--jobs', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^csm-validate: .*--jobs.*whole number >= 1/);
  });
});

async function runFilterJobs(jobs: number, args: string[]) {
  const r = await (jobs === 1 ? runMain : run)('csm-filter', ['--jobs', String(jobs), '--summary', '--max-line-bytes', '256K', ...args, input]);
  return { code: r.code, stdout: r.out, stderr: r.stderr.replace(timing, '') };
}

describe('csm-filter --jobs', () => {
  it.each<[string, string[]]>([
    ['passthrough by kind', ['-k', 'exec,open']],
    ['query and projection', ['-w', 'process.credentials.uid == 0', '-f', 'evt.name,process.args,file.inode']],
    ['tsv', ['-f', 'evt.name,title', '--format', 'tsv']],
    ['inverted count', ['-v', '-k', 'exec', '-c']],
    ['--limit', ['-k', 'exec', '-n', '1000']],
    ['--validate, json reports', ['--validate', '--error-format', 'json', '-f', 'title', '--format', 'raw']],
  ])('--jobs 2 equals --jobs 1 (%s)', async (_name, args) => {
    const one = await runFilterJobs(1, args);
    const two = await runFilterJobs(2, args);
    expect(one.code).toBe(1);
    expect(two.code).toBe(one.code);
    expect(two.stdout === one.stdout).toBe(true);
    expect(two.stderr).toBe(one.stderr);
  });
});
