/**
 * The tools' heap settings (io/memory-limits.ts: V8 flags set as a bin starts;
 * io/worker-limits.ts: each `--jobs` worker's young generation of 3 MB) keep
 * memory small; they must never cost a verdict. A line near `--max-line-bytes`,
 * far larger than a worker's young generation, is judged by a worker like any
 * other: the same output, reports and summary as `--jobs 1`, and no worker stops.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';
import { VALID, expectNoStackTrace, useTempDir } from './hardening/support.js';

const { tmp, path } = useTempDir('memory');

const MAX = 8 * 1024 * 1024;

/** 40 valid events, a valid one of about 7.5 MB (a long process.args), an invalid one of the same size, 40 more. */
function input(): string {
  const event = JSON.parse(VALID) as { process: { args: unknown[] } };
  const big = (arg: unknown): string => {
    event.process.args = Array.from({ length: 150_000 }, (_, i) => (i === 77_777 ? arg : `argument-${i}-${'x'.repeat(30)}`));
    return JSON.stringify(event);
  };
  const valid = big('-v');
  const invalid = big(7);
  expect(valid.length).toBeGreaterThan(MAX * 0.8);
  expect(invalid.length).toBeLessThan(MAX);
  const some = `${VALID}\n`.repeat(40);
  return tmp('big.ndjson', `${some}${valid}\n${invalid}\n${some}`);
}

describe('a line near --max-line-bytes, in a --jobs worker with the tools’ heap settings', () => {
  it('csm-validate: every line has the verdict of --jobs 1, and no worker stopped', async () => {
    const file = input();
    const args = (jobs: string, name: string): string[] => ['--max-line-bytes', String(MAX), '--jobs', jobs, '--invalid-out', path(`${name}.bad`), '--summary-json', path(`${name}.json`), file];
    const one = await run('csm-validate', args('1', 'one'));
    const two = await run('csm-validate', args('2', 'two'), { env: { CSM_SEGMENT_BYTES: String(256 * 1024) } });
    expectNoStackTrace(two.stderr);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(two.stderr).not.toContain('worker stopped');
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout.equals(one.stdout)).toBe(true);
    // 81 valid lines out, the big invalid one reported at its place (line 42, the 7 in process.args).
    expect(two.out.split('\n').length - 1).toBe(81);
    expect(two.stderr).toMatch(/big\.ndjson:42(:\d+)?: .*process\/args\/77777/);
    expect(readFileSync(path('two.bad')).equals(readFileSync(path('one.bad')))).toBe(true);
    const counts = (name: string): unknown => {
      const { seconds, linesPerSecond, megabytesPerSecond, ...rest } = JSON.parse(readFileSync(path(name), 'utf8')) as Record<string, unknown>;
      return rest;
    };
    expect(counts('two.json')).toEqual(counts('one.json'));
  }, 120_000);

  it('csm-filter --field: the big line’s field comes out whole, as with --jobs 1', async () => {
    const file = input();
    const args = (jobs: string): string[] => ['--max-line-bytes', String(MAX), '--jobs', jobs, '--kind', 'exec', '--field', 'process.args', file];
    const one = await run('csm-filter', args('1'));
    const two = await run('csm-filter', args('2'), { env: { CSM_SEGMENT_BYTES: String(256 * 1024) } });
    expectNoStackTrace(two.stderr);
    expect(two.stderr).not.toContain('worker stopped');
    expect(two.code).toBe(one.code);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout.equals(one.stdout)).toBe(true);
    expect(two.stdout.length).toBeGreaterThan(2 * MAX * 0.8);
  }, 120_000);
});
