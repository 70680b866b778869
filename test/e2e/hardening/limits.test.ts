/**
 * What the tools do NOT promise (README "Guarantees", "Not promised"), pinned
 * down so that the README stays true: each test shows the limit as it is.
 * Through main in-process, but for a 26 MB stream (past 8 MiB the executable
 * starts worker threads, loaded from dist/).
 */
import { readFileSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { run } from '../../helpers/run.js';
import { VALID, distinctEvents, expectNoStackTrace, parseSummary, useTempDir } from './support.js';

const { path, tmp } = useTempDir('limits');

describe('not promised: an over-long line in --invalid-out', () => {
  it('is counted and reported (size) but not copied to --invalid-out', async () => {
    const long = `{"title":"${'x'.repeat(5000)}"}`;
    const out = path('invalid.ndjson');
    const r = await runMain('csm-validate', ['--max-line-bytes', '4K', '--invalid-out', out, '--summary'], { input: `${long}\n{}\n${VALID}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${VALID}\n`);
    expect(readFileSync(out, 'utf8')).toBe('{}\n');
    expect(r.stderr.split('\n')[0]).toBe(`<stdin>:1: line is ${long.length} bytes, longer than the limit of 4096 bytes (--max-line-bytes) (size)`);
    expect(parseSummary(r.stderr)).toMatchObject({ read: 3, valid: 1, invalid: 2 });
  });
});

describe('not promised: minimum/maximum of a --schema beyond 2^53', () => {
  it('are compared on the nearest double: 18446744073709551616 passes maximum 18446744073709551615', async () => {
    const schema = tmp('max.schema.json', '{"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"n":{"type":"integer","maximum":18446744073709551615}}}');
    const lines = '{"n":18446744073709551615}\n{"n":18446744073709551616}\n{"n":18446744073709553665}\n';
    const r = await runMain('csm-validate', ['--schema', schema], { input: lines });
    // Mathematically only the first is within the maximum; the doubles of the first two are equal.
    expect(r.code).toBe(1);
    expect(r.out).toBe('{"n":18446744073709551615}\n{"n":18446744073709551616}\n');
    expect(r.stderr).toBe('<stdin>:3:6: /n: must be <= 18446744073709552000 (maximum)\n');
  });
});

describe('not promised: corrupt gzip data', () => {
  const LINES = distinctEvents(8000);
  const PLAIN = Buffer.from(LINES.join('\n') + '\n');
  const GZ = gzipSync(PLAIN);

  it('a damaged second member on stdin: up to 256 KiB of decoded lines before the damage may be lost (a file is re-read: nothing lost)', async () => {
    const damaged = Buffer.concat([GZ, Buffer.from([0x1f, 0x8c]), GZ.subarray(2, 1000)]);
    const gz = tmp('second-member.gz', damaged);
    // 26 MB decoded: past 8 MiB the tool starts worker threads, so the executable.
    const file = await run('csm-filter', [gz]);
    expect(file.code).toBe(2);
    expect(file.out).toBe(PLAIN.toString('utf8'));
    const stdin = await run('csm-filter', [], { input: damaged });
    expect(stdin.code).toBe(2);
    const kept = stdin.out.split('\n').slice(0, -1);
    expect(kept).toEqual(LINES.slice(0, kept.length));
    const lost = PLAIN.length - Buffer.byteLength(stdin.out);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(256 * 1024 + Buffer.byteLength(LINES[0]!) * 2);
    expect(stdin.stderr).toMatch(/^csm-filter: cannot read <stdin>: corrupt gzip stream: incorrect header check \(gzip, at compressed byte \d+\)$/m);
    expectNoStackTrace(stdin.stderr);
  });

  it('damage the decoder accepts is found by the CRC at the end of the member: the garbage decoded before it is read as lines (reported invalid), then exit 2', async () => {
    const small = gzipSync(Buffer.from(LINES.slice(0, 2000).join('\n') + '\n'));
    const at = Math.floor(small.length * 0.1);
    const damaged = Buffer.from(small);
    damaged.fill(0x00, at, at + 64);
    const before = gunzipSync(small.subarray(0, at), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8').split('\n').length - 1;
    const r = await runMain('csm-filter', ['-c'], { input: damaged });
    expect(r.code).toBe(2);
    const reports = r.stderr.split('\n').filter((l) => l.startsWith('<stdin>:'));
    // Nothing invented on the valid side: the count is at most the lines before the damage...
    expect(Number(r.out)).toBeLessThanOrEqual(before);
    expect(Number(r.out)).toBeGreaterThan(before - 100);
    // ...but the decoded garbage came out as many bad lines before the CRC failed.
    expect(reports.length).toBeGreaterThan(100);
    expect(r.stderr).toMatch(/^csm-filter: cannot read <stdin>: corrupt gzip stream: incorrect data check \(gzip, at compressed byte \d+\)\n$/m);
  });
});

describe('not promised: key order of integer-like keys in --field output', () => {
  it('a key such as "0" comes first, as in any JavaScript object (JSON.parse, JSON.stringify), not in the order given', async () => {
    const r = await runMain('csm-filter', ['--no-schema-check', '-f', 'x.b,x["0"]'], { input: '{"x":{"b":1,"0":2}}\n' });
    expect([r.code, r.out, r.stderr]).toEqual([0, '{"x":{"0":2,"b":1}}\n', '']);
    const flat = await runMain('csm-filter', ['--no-schema-check', '-f', 'x.b,x["0"]', '--flat'], { input: '{"x":{"b":1,"0":2}}\n' });
    expect(flat.out).toBe('{"x.b":1,"x[\\"0\\"]":2}\n');
  });
});
