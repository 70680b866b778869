/**
 * csm-filter --count-by through the executable: equal to a reference count on
 * random streams with --jobs 1 (no threads) and --jobs 2 (worker threads,
 * started at once since --jobs is given), and a run as a user types it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLossless, type JsonValue } from '../../src/core/json.js';
import { eventArb, eventLine, referenceCount, refKey } from '../helpers/count-by-streams.js';
import { collect, spawnTool, waitFor } from './hardening/support.js';
import { runMain } from '../helpers/inprocess.js';
import { EXAMPLES, binPath, lines, run } from '../helpers/run.js';

const PATHS = 'evt.name,process.credentials.uid,file.flags';

/** The ndjson rows as the reference keys them. */
function counted(out: string): Map<string, number> {
  return new Map(
    lines(out).map((l) => {
      const row = parseLossless(l) as { key: Record<string, JsonValue>; count: number };
      return [refKey(PATHS.split(',').map((p) => row.key[p])), row.count];
    }),
  );
}

describe('csm-filter --count-by equals a reference count', () => {
  it.each([
    ['--jobs 1 (in the main thread)', 1, 25],
    ['--jobs 2 (worker threads, their keys counted in input order)', 2, 3],
  ])('%s', async (_name, jobs, numRuns) => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 60 }), async (events) => {
        const input = events.map((e) => `${eventLine(e)}\n`).join('') + 'not json\n';
        const args = ['--count-by', PATHS, '--format', 'ndjson', '--jobs', String(jobs), '--no-schema-check'];
        const r = jobs === 1 ? await runMain('csm-filter', args, { input }) : await run('csm-filter', args, { input });
        expect(r.code).toBe(1); // the bad line is reported, and the rest counted
        expect(counted(r.out)).toEqual(referenceCount(events));
      }),
      { numRuns },
    );
  }, 180_000); // --jobs 2 spawns a process with worker threads per run: slow on a loaded machine

  it('--jobs 2 prints exactly what --jobs 1 prints, order included, on the example events', async () => {
    const args = ['--count-by', 'evt.name,process.credentials.cap_effective', EXAMPLES];
    const one = await run('csm-filter', [...args, '--jobs', '1']);
    const two = await run('csm-filter', [...args, '--jobs', '2']);
    expect(one.code).toBe(0);
    expect(two.out).toBe(one.out);
    expect(one.out.split('\n')[0]).toBe('COUNT  evt.name     process.credentials.cap_effective');
  }, 120_000);
});

describe('csm-filter --count-by through bin/', () => {
  it('counts the example events by kind, most frequent first; beyond --max-groups, an incomplete result said on stderr', async () => {
    const r = await run('csm-filter', ['--count-by', 'evt.name', '--max-groups', '3', '--format', 'tsv', EXAMPLES]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('count\tevt.name\n2\texec\n2\topen\n1\tdns\n'); // the first 3 groups met
    expect(r.stderr).toMatch(/^csm-filter: --count-by: the result is incomplete: more than 3 distinct groups: 5 value\(s\)/);
  });

  it('a bad path is a usage error with a caret, nothing on stdout', async () => {
    const r = await run('csm-filter', ['--count-by', 'process.exe', EXAMPLES]);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.stderr).toContain('\n  process.exe\n');
    expect(r.stderr).toMatch(/\^\^\^/);
  });
});

describe('csm-filter --count-by on a terminal', () => {
  it.skipIf(!existsSync('/usr/bin/script'))('draws a bar per row when stdout is a TTY, and none through a pipe', () => {
    const command = `'${process.execPath}' '${binPath('csm-filter')}' --count-by evt.name --top 2 '${EXAMPLES}'`;
    const tty = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(tty.stdout.replace(/\r/g, '')).toBe(`COUNT  evt.name\n    2  exec      ${'█'.repeat(28)}\n    2  open      ${'█'.repeat(28)}\n`);
    const piped = spawnSync('bash', ['-c', `${command} | cat`], { encoding: 'utf8' });
    expect(piped.stdout).toBe('COUNT  evt.name\n    2  exec\n    2  open\n');
  });
});

describe('csm-filter --count-by interrupted', () => {
  it('SIGINT: the counts of the events read so far, exit 130, the summary marked partial', async () => {
    const errors = join(mkdtempSync(join(tmpdir(), 'csm-count-sigint-')), 'errors.txt');
    const child = spawnTool('csm-filter', ['--count-by', 'evt.name', '--format', 'tsv', '--errors', errors, '--summary', '--no-schema-check']);
    const done = collect(child);
    // The bad third line is reported once the two before it are counted: then the run is interrupted, stdin still open.
    child.stdin.write('{"evt":{"name":"exec"}}\n{"evt":{"name":"exec"}}\n{x\n');
    await waitFor(() => existsSync(errors) && readFileSync(errors, 'utf8').endsWith('\n'), 20_000, 'the report of line 3');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stdout.toString()).toBe('count\tevt.name\n2\texec\n');
    expect(r.stderr).toMatch(/^csm-filter: summary \(partial: interrupted by SIGINT\)\n/);
  });
});
