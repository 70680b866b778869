/**
 * Scale-out as the README's "Scale-out" section describes it: the tools run
 * under GNU parallel (one stream cut into blocks) and xargs -P (many files)
 * give the same output as one process, and an exit status that is non-zero
 * exactly when the single run's is.
 *
 * The GNU parallel part is skipped, with a message, when GNU parallel is not
 * installed (Debian package `parallel`; moreutils' `parallel` is another tool
 * and is not used).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, EXAMPLES, ROOT } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'csm-parallel-'));
const binDir = join(dir, 'bin');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  // csm-validate and csm-filter on PATH, as after `npm install -g`, run by this node.
  PATH: `${binDir}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  NO_COLOR: '1',
};
delete env.FORCE_COLOR;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a shell pipeline in `dir`. */
function sh(script: string, input?: string): Result {
  const r = spawnSync('/bin/sh', ['-c', script], { cwd: dir, env, encoding: 'utf8', input, maxBuffer: 256 << 20, timeout: 120_000 });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function gnuParallel(): boolean {
  const r = spawnSync('parallel', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.startsWith('GNU parallel');
}

const HAS_PARALLEL = gnuParallel();
if (!HAS_PARALLEL) {
  console.log('GNU parallel not found: its scale-out tests are skipped (install it with: apt-get install parallel)');
}

const examples = readFileSync(EXAMPLES, 'utf8');
const corpus = readFileSync(CORPUS, 'utf8');

/** `file:line:col: ` off each report line, sorted: what was reported, wherever it was. */
const reportBodies = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^[^:]*:\d+:\d+: /, ''))
    .sort();
const lineNumbers = (stderr: string): number[] =>
  [...stderr.matchAll(/^[^:\n]*:(\d+):/gm)].map((m) => Number(m[1]));

/** Equal outputs; on a difference, a short account instead of two huge strings. */
function expectSameStdout(par: Result, single: Result): void {
  if (par.stdout === single.stdout) return;
  const count = (t: string) => t.split('\n').length - 1;
  expect.fail(
    `stdout differs: ${count(par.stdout)} lines in parallel, ${count(single.stdout)} in one process; ` +
      `parallel exit ${par.status}, stderr:\n${par.stderr.slice(0, 3000)}`,
  );
}

beforeAll(() => {
  sh(`mkdir -p ${binDir}`);
  symlinkSync(join(ROOT, 'bin/csm-validate.js'), join(binDir, 'csm-validate'));
  symlinkSync(join(ROOT, 'bin/csm-filter.js'), join(binDir, 'csm-filter'));
  // ~400 KB of valid events; the mixed stream has the (schema-invalid) corpus and one non-JSON line in the middle.
  writeFileSync(join(dir, 'valid.ndjson'), examples.repeat(12));
  writeFileSync(join(dir, 'mixed.ndjson'), examples.repeat(6) + corpus + 'not json\n' + examples.repeat(6));
});

// Small blocks so that even these inputs are cut into many jobs (the README's advice is 16M):
// 32k (12+ blocks of the valid stream) where the test counts the jobs; 96k (4+ blocks, each a
// node process) where it compares outputs, which only needs the stream cut in several places.
const PAR_MANY = 'parallel --will-cite --pipe --block 32k -j 2 -k';
const PAR = 'parallel --will-cite --pipe --block 96k -j 2 -k';

// Each job starts a node process: give the tests time on a loaded 2-core machine.
describe.skipIf(!HAS_PARALLEL)('GNU parallel --pipe: one stream in blocks', { timeout: 120_000 }, () => {
  for (const input of ['valid.ndjson', 'mixed.ndjson']) {
    it(`csm-validate: the same stdout and the same verdict as one process (${input})`, () => {
      const single = sh(`csm-validate < ${input}`);
      const par = sh(`${PAR_MANY} --joblog ${input}.jobs csm-validate < ${input}`);
      expect(par.stdout.length).toBeGreaterThan(0);
      expectSameStdout(par, single);
      // The same reports, nothing lost or added; only their line numbers differ (relative to each block).
      expect(reportBodies(par.stderr)).toEqual(reportBodies(single.stderr));
      const jobs = readFileSync(join(dir, `${input}.jobs`), 'utf8').trim().split('\n').slice(1);
      const failed = jobs.filter((j) => j.split('\t')[6] !== '0').length;
      expect(jobs.length).toBeGreaterThan(10);
      // parallel's exit status: the number of failed jobs.
      expect(par.status).toBe(failed);
      if (input === 'valid.ndjson') {
        expect([single.status, par.status, single.stderr, par.stderr]).toEqual([0, 0, '', '']);
      } else {
        expect(single.status).toBe(1);
        expect(par.status).toBeGreaterThan(0);
        expect(Math.max(...lineNumbers(par.stderr))).toBeLessThan(Math.min(...lineNumbers(single.stderr)));
      }
    });

    it(`csm-validate -q: the same verdict, no output (${input})`, () => {
      const single = sh(`csm-validate -q < ${input}`);
      const par = sh(`${PAR} csm-validate -q < ${input}`);
      expect([par.stdout, single.stdout]).toEqual(['', '']);
      expect(par.status === 0).toBe(single.status === 0);
      expect(reportBodies(par.stderr)).toEqual(reportBodies(single.stderr));
    });

    it(`csm-filter: the same selected lines and projections (${input})`, () => {
      const args = `-k exec,open,chmod -w 'process.credentials.uid == 0' -f evt.name,process.args,file.inode`;
      const single = sh(`csm-filter ${args} < ${input}`);
      // parallel -q: the command's words are passed as they are (else the query is split on its spaces).
      const par = sh(`${PAR} -q csm-filter ${args} < ${input}`);
      expect(par.stdout.length).toBeGreaterThan(0);
      expectSameStdout(par, single);
      expect(par.status === 0).toBe(single.status === 0);
      expect(single.status).toBe(input === 'valid.ndjson' ? 0 : 1); // the non-JSON line
      const whole = sh(`csm-filter -w 'exists(process.ancestors)' < ${input}`);
      expectSameStdout(sh(`${PAR} -q csm-filter -w 'exists(process.ancestors)' < ${input}`), whole);
    });

    it(`csm-filter --count: per-block counts add up to the single count (${input})`, () => {
      const single = sh(`csm-filter -c -k exec < ${input}`);
      const par = sh(`${PAR} csm-filter -c -k exec < ${input} | awk '{ n += $1 } END { print n }'`);
      expect(Number(par.stdout)).toBe(Number(single.stdout));
      expect(Number(single.stdout)).toBeGreaterThan(0);
    });
  }

  it('without -q a query with spaces is cut into words: every job refuses it (exit 2), and the status says so', () => {
    const par = sh(`${PAR} csm-filter -w 'process.credentials.uid == 0' < valid.ndjson`);
    expect(par.stdout).toBe('');
    expect(par.stderr).toContain("csm-filter: --where: expected an operator");
    expect(par.status).toBeGreaterThan(0);
  });

  it('over files (parallel ::: FILES, -k): the same output as one process over the same files', () => {
    const files = ['valid.ndjson', 'mixed.ndjson', 'valid.ndjson'].join(' ');
    const single = sh(`csm-filter -k dns -f dns.question.name --format tsv --no-header ${files}`);
    const par = sh(`parallel --will-cite -j 2 -k csm-filter -k dns -f dns.question.name --format tsv --no-header ::: ${files}`);
    expectSameStdout(par, single);
    expect([single.status, par.status]).toEqual([1, 1]);
  });
});

describe('xargs -P over many files', { timeout: 120_000 }, () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `part-${n}.ndjson`);
  beforeAll(() => {
    names.forEach((name, i) => writeFileSync(join(dir, name), i === 3 ? examples + corpus : examples.repeat(i + 1)));
  });
  const list = (files: string[]) => files.map((f) => `${f}\n`).join('');

  it('csm-validate: each file reports to its own file; together they equal one run, exit 123 iff some line was invalid', () => {
    for (const files of [names, names.filter((_, i) => i !== 3)]) {
      const single = sh(`csm-validate -q ${files.join(' ')}`);
      sh(`rm -f part-*.err`);
      const par = sh(`xargs -P 3 -I{} csm-validate -q --errors {}.err {}`, list(files));
      const reports = files.map((f) => readFileSync(join(dir, `${f}.err`), 'utf8')).join('');
      // Per file, reports keep their file name and line numbers: identical to the single run's.
      expect(reports).toBe(single.stderr);
      expect([par.stdout, par.stderr]).toEqual(['', '']);
      expect(par.status).toBe(single.status === 0 ? 0 : 123);
      expect(single.status).toBe(files.length === names.length ? 1 : 0);
    }
  });

  it('csm-filter: one output file per input, concatenated in order, equals one run', () => {
    const single = sh(`csm-filter -k exec -f process.executable.path ${names.join(' ')}`);
    const par = sh(`xargs -P 3 -I{} sh -c 'csm-filter -k exec -f process.executable.path "$1" > "$1.out"' sh {}`, list(names));
    expect(par.status).toBe(0);
    expect(names.map((f) => readFileSync(join(dir, `${f}.out`), 'utf8')).join('')).toBe(single.stdout);
    expect(single.stdout.length).toBeGreaterThan(0);
  });
});
