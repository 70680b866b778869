/**
 * Blank lines are cheap (README "Input", "Guarantees"): runs of them are framed
 * without a line object each, still counted one by one. Inputs are generated
 * gzipped here (100 MB of newlines is 100 KB of gzip).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/run.js';
import { VALID, expectNoStackTrace, parseSummary, useTempDir } from './support.js';

const { tmp } = useTempDir('blank-lines');

describe('blank lines', () => {
  it('100 MB of them (104,857,600 lines) complete and are all counted, bytes included', async () => {
    // Line by line this took over a minute (1.3 MB/s); it now reads at the speed of gunzip.
    const file = tmp('blank.ndjson.gz', gzipSync(Buffer.alloc(100 * 2 ** 20, 0x0a), { level: 9 }));
    const r = await run('csm-validate', ['--summary', file]);
    expectNoStackTrace(r.stderr);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(parseSummary(r.stderr)).toEqual({ read: 104_857_600, valid: 0, invalid: 0, blank: 104_857_600, bytes: 104_857_600 });
  });

  it('runs of them between events keep every line number, with and without --jobs', async () => {
    const runOf = (n: number): string => '\n'.repeat(n);
    // 9 MB of blank lines first, so that the default settings start worker threads.
    const text = `${runOf(9 * 2 ** 20)}${VALID}\n \t\r\n\r\n${runOf(1000)}{"bad"\n  \r\n${VALID}\r\n${runOf(5)}  `;
    const file = tmp('mixed.ndjson.gz', gzipSync(text));
    const first = 9 * 2 ** 20;
    for (const jobs of ['1', '2']) {
      const r = await run('csm-validate', ['--summary', '--jobs', jobs, file]);
      expect(r.code).toBe(1);
      expect(r.out).toBe(`${VALID}\n${VALID}\n`);
      expect(r.stderr).toContain(`mixed.ndjson.gz:${first + 1004}:7: expected ':' after an object key, found end of line (json)\n`);
      expect(parseSummary(r.stderr)).toEqual({
        read: first + 1012,
        valid: 2,
        invalid: 1,
        blank: first + 1009,
        // Each line's bytes and its \n: the CR of the 4 CRLFs is not counted, the last line's missing \n is.
        bytes: Buffer.byteLength(text) - 4 + 1,
      });
    }
  }, 60_000);
});

describe('--max-invalid bounds the reports of an untrusted stream', () => {
  it('20 MB of `1` lines: 10 reports, then the run stops (exit 1)', async () => {
    const r = await run('csm-validate', ['--max-invalid', '10', '--summary'], { input: '1\n'.repeat(10 * 2 ** 20) });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('<stdin>:'))).toHaveLength(10);
    expect(parseSummary(r.stderr)).toMatchObject({ read: 10, invalid: 10 });
  });

  it('csm-filter takes it too: with -c, the count of what was selected before the stop', async () => {
    const r = await run('csm-filter', ['--max-invalid', '3', '-c'], { input: '1\n{}\n'.repeat(100_000) });
    expect(r.code).toBe(1);
    expect(r.out).toBe('2\n');
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual(
      [1, 3, 5].map((n) => `<stdin>:${n}:1: (root): expected an object (an event), found a number (type)`),
    );
  });
});
