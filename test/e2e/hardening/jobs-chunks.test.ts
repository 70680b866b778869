/**
 * --jobs 2 and 3 (the main thread with one worker, or two) equal --jobs 1, for both line tools, wherever the segments handed to
 * the workers end (CSM_SEGMENT_BYTES makes them tiny: their ends fall inside
 * multi-byte characters, between a CR and its LF, inside lines that span many
 * segments), with over-long lines (--max-line-bytes), BOMs, blank runs, a last
 * line without newline, gzip and several inputs: the same stdout, reports,
 * --invalid-out, summary and exit status (through the real executable).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { run } from '../../helpers/run.js';
import { buildStreams, gzipStream, runSpec, startsLikeGzip } from './accounting-model.js';
import { expectNoStackTrace, useTempDir } from './support.js';

const temp = useTempDir('jobs-chunks');

/** The summary's counts (not its timings). */
function counts(path: string): unknown {
  const { seconds, linesPerSecond, megabytesPerSecond, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return rest;
}

const TOOLS: [string, 'csm-validate' | 'csm-filter', string[]][] = [
  ['csm-validate', 'csm-validate', ['--error-format', 'json']],
  ['csm-filter (fields)', 'csm-filter', ['--field', 'evt.name', '--field', 'title']],
  ['csm-filter (selection, inverted)', 'csm-filter', ['-v', '--where', 'evt.name == "exec"']],
];

describe.each(TOOLS)('%s --jobs 2 and 3 equal --jobs 1', (_name, tool, toolArgs) => {
  it('wherever the segments end', async () => {
    await fc.assert(
      fc.asyncProperty(
        runSpec,
        fc.integer({ min: 1, max: 900 }),
        fc.constantFrom([], ['--max-line-bytes', '400'], ['--max-line-bytes', '3000']),
        fc.boolean(),
        fc.constantFrom(2, 3),
        async (spec, segmentBytes, limit, gz, jobs) => {
          fc.pre(gz || !startsLikeGzip(spec));
          const id = Math.random().toString(36).slice(2);
          const { streams } = buildStreams(spec);
          let input: Buffer | undefined;
          const files = streams.map((s, i) => {
            const bytes = gz ? gzipStream(s, { level: 6, split: i === 0 ? 0.5 : null }) : s;
            if (spec.stdin === i) {
              input = bytes;
              return '-';
            }
            return temp.tmp(`${id}-${i}.ndjson`, bytes);
          });
          const once = async (jobs: number) => {
            const extra = tool === 'csm-validate' ? ['--invalid-out', temp.path(`${id}-inv${jobs}`)] : [];
            const args = ['--jobs', String(jobs), '--summary-json', temp.path(`${id}-sum${jobs}`), ...limit, ...toolArgs, ...extra, ...files];
            const env = { CSM_SEGMENT_BYTES: String(segmentBytes) };
            const r = await (jobs === 1 ? runMain : run)(tool, args, { input, env });
            const invalid = tool === 'csm-validate' ? readFileSync(temp.path(`${id}-inv${jobs}`)).toString('hex') : '';
            return { code: r.code, out: r.stdout.toString('hex'), stderr: r.stderr, invalid, summary: counts(temp.path(`${id}-sum${jobs}`)) };
          };
          const one = await once(1);
          const many = await once(jobs);
          expectNoStackTrace(many.stderr);
          expect(many).toEqual(one);
        },
      ),
      { numRuns: 6 },
    );
  }, 180_000);
});

describe('a worker that fails on a segment', () => {
  it('has its segments framed and judged again in the main thread: the same output, reports and summary as --jobs 1, and one message naming their lines', async () => {
    const valid = readFileSync(new URL('../../../examples/events.ndjson', import.meta.url), 'utf8').split('\n')[0]!;
    const event = JSON.parse(valid) as { process: { args: unknown[] } };
    event.process.args = Array(400_000).fill(1);
    const file = temp.tmp('fails-late.ndjson', `${valid}\n`.repeat(3000) + `${JSON.stringify(event)}\n` + `${valid}\r\n`.repeat(3000));
    const one = await run('csm-validate', ['--jobs', '1', '--summary-json', temp.path('late1.json'), file]);
    const two = await run('csm-validate', ['--jobs', '2', '--summary-json', temp.path('late2.json'), file], {
      env: { CSM_WORKER_HEAP_MB: '24', CSM_SEGMENT_BYTES: String(256 * 1024) },
    });
    expectNoStackTrace(two.stderr);
    expect(two.code).toBe(1);
    expect(two.out).toBe(one.out);
    const message = /^csm-validate: a --jobs worker stopped \(Worker terminated due to reaching memory limit: JS heap out of memory\); its lines \(\S+ lines (\d+)-[\d, -]*?(\d+)\) are judged in the main thread$/m;
    const m = message.exec(two.stderr);
    expect(m, two.stderr.slice(0, 500)).not.toBeNull();
    // A segment (the worker ran out of heap on line 3001 or soon after), not the first lines: those were framed before the hand-over.
    expect(Number(m![1])).toBeGreaterThan(1);
    expect(Number(m![1])).toBeLessThan(Number(m![2]));
    expect(Number(m![2])).toBeLessThanOrEqual(6001);
    expect(two.stderr.replace(`${m![0]}\n`, '')).toBe(one.stderr);
    expect(counts(temp.path('late2.json'))).toEqual(counts(temp.path('late1.json')));
  }, 120_000);
});
