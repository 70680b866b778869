/**
 * One line may not take a `--jobs` worker (or the main thread) down: a line
 * with more JSON values than a line may hold is invalid (keyword `values`)
 * before it is parsed, and the run goes on with every line accounted for.
 * The input is generated here and kept gzipped (about 120 KB on disk).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/run.js';
import { VALID, expectNoStackTrace, parseSummary, useTempDir } from './support.js';

const { tmp, path } = useTempDir('worker-bounds');

/**
 * The audit's file: a 9 MB line (past 8 MiB, so --jobs starts its workers), a
 * 54 MB line of `[{"a":[]},...]` (under the 64M --max-line-bytes, but 450 MB
 * of heap once parsed: more than a worker has), then 100 valid events.
 */
function crashInput(): Buffer {
  const big = `["${'x'.repeat(9 * 1024 * 1024)}"]`;
  const values = `[${Array(6_000_000).fill('{"a":[]}').join(',')}]`;
  return gzipSync(`${big}\n${values}\n${`${VALID}\n`.repeat(100)}`);
}

describe('a line too costly for a worker', () => {
  const input = (): string => tmp('crash.ndjson.gz', crashInput());
  const limitMessage =
    'line holds more than 1048576 JSON values (objects, arrays, members, elements), the most one line may hold (--max-line-bytes / 64, at least 1048576) (values)';

  it('csm-validate: the line is invalid (values), the 100 valid lines after it come out, the summary adds up', async () => {
    const file = input();
    const invalidOut = path('invalid.ndjson');
    const r = await run('csm-validate', ['--summary', '--invalid-out', invalidOut, file]);
    expectNoStackTrace(r.stderr);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`.repeat(100));
    expect(r.stderr).toContain(`crash.ndjson.gz:2: ${limitMessage}\n`);
    expect(parseSummary(r.stderr)).toMatchObject({ read: 102, valid: 100, invalid: 2 });
    // Both invalid lines, byte for byte: 9 MB + 54 MB and their newlines.
    expect(readFileSync(invalidOut).length).toBe(9 * 1024 * 1024 + 4 + 1 + (6_000_000 * 9 + 1) + 1);
  }, 120_000);

  it('csm-filter -c: counts the 100 events, reports the line, exit 1', async () => {
    const r = await run('csm-filter', ['-c', input()]);
    expectNoStackTrace(r.stderr);
    expect(r.code).toBe(1);
    expect(r.out).toBe('100\n');
    expect(r.stderr).toContain(`crash.ndjson.gz:2: ${limitMessage}\n`);
  }, 120_000);
});

describe('a worker that fails anyway', () => {
  // CSM_WORKER_HEAP_MB gives the workers a heap too small for one line (400,000
  // wrong-typed elements: 400,000 ajv errors), so that one of them runs out of it.
  it('has its lines judged in the main thread: the same output, reports and summary as --jobs 1, and one message', async () => {
    const event = JSON.parse(VALID) as { process: { args: unknown[] } };
    event.process.args = Array(400_000).fill(1);
    const file = tmp('fails.ndjson', `${VALID}\n`.repeat(50) + `${JSON.stringify(event)}\n` + `${VALID}\n`.repeat(50));
    const one = await run('csm-validate', ['--jobs', '1', '--summary-json', path('one.json'), file]);
    const two = await run('csm-validate', ['--jobs', '2', '--summary-json', path('two.json'), file], { env: { CSM_WORKER_HEAP_MB: '24' } });
    expectNoStackTrace(two.stderr);
    expect(two.code).toBe(1);
    expect(two.out).toBe(one.out);
    const message = `csm-validate: a --jobs worker stopped (Worker terminated due to reaching memory limit: JS heap out of memory); its lines (${file} line 51) are judged in the main thread\n`;
    expect(two.stderr).toBe(message + one.stderr);
    const counts = (name: string): unknown => {
      const { seconds, linesPerSecond, megabytesPerSecond, ...rest } = JSON.parse(readFileSync(path(name), 'utf8')) as Record<string, unknown>;
      return rest;
    };
    expect(counts('two.json')).toEqual(counts('one.json'));
  }, 60_000);
});
