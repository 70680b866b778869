/**
 * What one line, or many distinct names, may cost (README "Guarantees",
 * "Bounded memory"): errors reported per line, distinct summary entries,
 * through the executables. Inputs are generated here; nothing big is stored.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/run.js';
import { VALID, expectNoStackTrace, parseSummary, useTempDir } from './support.js';

const { tmp } = useTempDir('per-line-bounds');

/** The example event with `count` unknown keys `u0`, `u1`... added to its `evt`. */
function withUnknownKeys(count: number): string {
  const event = JSON.parse(VALID) as { evt: Record<string, unknown> };
  for (let i = 0; i < count; i++) event.evt[`u${i}`] = 1;
  return JSON.stringify(event);
}

describe('errors per line: at most 100 are listed, the rest counted', () => {
  // 100,000 unknown keys on one 1 MB line: locating each error with a scan of
  // the line took time quadratic in their number (about 15 minutes here).
  const line = withUnknownKeys(100_000);

  it('text: 100 located reports, then one line with the count of the others', async () => {
    const r = await run('csm-validate', ['-q', '--summary'], { input: `${line}\n${VALID}\n` });
    expect(r.code).toBe(1);
    const reports = r.stderr.split('\n').filter((l) => l.startsWith('<stdin>:'));
    expect(reports).toHaveLength(101);
    expect(reports[0]).toBe(`<stdin>:1:${line.indexOf('"u0"') + 1}: /evt: unknown key 'u0' (not in the schema) (additionalProperties) [linux-2024-08]`);
    expect(reports[99]).toBe(`<stdin>:1:${line.indexOf('"u99"') + 1}: /evt: unknown key 'u99' (not in the schema) (additionalProperties) [linux-2024-08]`);
    expect(reports[100]).toBe('<stdin>:1: ... and 99900 more errors on this line, not listed (at most 100 are)');
    expect(parseSummary(r.stderr)).toMatchObject({ read: 2, valid: 1, invalid: 1 });
    expect(r.stderr).toMatch(/^ {2}errors unlisted\s+99900$/m);
    expectNoStackTrace(r.stderr);
  });

  it('json and --summary-json: the count is "omitted" / "errorsOmitted"', async () => {
    const summary = tmp('summary.json', '');
    const r = await run('csm-validate', ['-q', '--error-format', 'json', '--summary-json', summary], { input: `${line}\n` });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stderr) as { errors: unknown[]; omitted: number };
    expect(report.errors).toHaveLength(100);
    expect(report.omitted).toBe(99_900);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ invalid: 1, errorsOmitted: 99_900 });
  });

  it('github: 100 annotations and one more for the count', async () => {
    const file = tmp('keys.ndjson', `${line}\n`);
    const r = await run('csm-validate', ['-q', '--error-format', 'github', file]);
    const annotations = r.stderr.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(101);
    expect(annotations[100]).toMatch(/^::error file=.*keys\.ndjson,line=1,title=CSM event \(more errors\)::\.\.\. and 99900 more errors/);
  });

  it('csm-filter --validate caps them the same way', async () => {
    const r = await run('csm-filter', ['--validate', '-c'], { input: `${line}\n` });
    expect(r.out).toBe('0\n');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('<stdin>:'))).toHaveLength(101);
  });

  it('a line with exactly 100 errors lists them all, with no count line', async () => {
    const event = JSON.parse(withUnknownKeys(100)) as Record<string, unknown>;
    const r = await run('csm-validate', ['-q'], { input: `${JSON.stringify(event)}\n` });
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(100);
    expect(r.stderr).not.toContain('more error');
  });
});

describe('summary maps: at most 1000 distinct entries, names cut at 256 characters', () => {
  /** Line i: an event named `<i>` followed by 24 KiB of `x`, with an unknown key as long. */
  function distinctLongNames(count: number): Buffer {
    const pad = 'x'.repeat(24 * 1024);
    let text = '';
    for (let i = 0; i < count; i++) text += `{"evt":{"name":"${i}${pad}","${i}${pad}":1}}\n`;
    return gzipSync(text);
  }

  it('1,100 distinct 24 KiB names run in a 40 MB heap, counted under (other) past the cap', async () => {
    // Before the cap the maps kept every name whole: 1,100 x 2 x 24 KiB outgrew the heap (exit 134).
    const input = tmp('names.ndjson.gz', distinctLongNames(1100));
    const summary = tmp('names.json', '');
    const r = await run('csm-validate', ['-q', '--jobs', '1', '--summary', '--summary-json', summary, input], {
      env: { NODE_OPTIONS: '--max-old-space-size=40' },
    });
    expectNoStackTrace(r.stderr);
    expect(r.code).toBe(1);
    const { readFileSync } = await import('node:fs');
    const data = JSON.parse(readFileSync(summary, 'utf8')) as { kinds: Record<string, number>; errorPaths: Record<string, number> };
    expect(Object.keys(data.kinds)).toHaveLength(1000);
    expect(data.kinds['(other)']).toBe(1100 - 999);
    expect(data.kinds[`0${'x'.repeat(255)}…`]).toBe(1);
    expect(Math.max(...Object.keys(data.kinds).map((k) => k.length))).toBe(257);
    expect(Object.keys(data.errorPaths)).toHaveLength(1000);
    // /agent and /title (required), then the first 997 unknown keys; the 103 others are (other).
    expect(data.errorPaths['(other)']).toBe(103);
    expect(r.stderr).toMatch(/^ {4}\(other\): beyond 999 distinct\s+101 /m);
  }, 60_000);
});
