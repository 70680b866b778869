/**
 * csm-validate on huge lines (the real executable: its peak memory is measured)
 * and damaged gzip files (through main, in-process).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { VALID, VALIDATE, collect, distinctEvents, expectNoStackTrace, parseSummary, useTempDir } from './support.js';

const { path: tempPath, tmp } = useTempDir('size-gzip');

const TIME = '/usr/bin/time';

describe('csm-validate: a 200 MB line with --max-line-bytes 1M', () => {
  it('is one size error, is never held in memory, and the next line is still validated', async () => {
    const LINE = 200 * 1000 * 1000;
    const timed = existsSync(TIME);
    if (!timed) console.log(`${TIME} not found: peak memory of the child not checked`);
    const args = [VALIDATE, '--max-line-bytes', '1M', '--summary'];
    const child = timed
      ? spawn(TIME, ['-f', 'maxrss-kb=%M', process.execPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const done = collect(child);
    // Stream the line in 1 MB pieces with backpressure: the test never holds it either.
    const first = Buffer.alloc(1 << 20, 'x');
    first[0] = 0x7b; // '{x...': not JSON, but it must never get as far as parsing
    const rest = Buffer.alloc(1 << 20, 'x');
    let sent = 0;
    while (sent < LINE) {
      const n = Math.min(rest.length, LINE - sent);
      const ok = child.stdin.write((sent === 0 ? first : rest).subarray(0, n));
      sent += n;
      if (!ok) await new Promise((r) => child.stdin.once('drain', r));
    }
    child.stdin.end(`\n${VALID}\n`);
    const r = await done;
    const rss = /maxrss-kb=(\d+)\n?$/.exec(r.stderr);
    const stderr = r.stderr.replace(/(Command exited with non-zero status \d+\n)?maxrss-kb=\d+\n?$/, '');
    expect(r.code).toBe(1);
    expect(r.stdout.toString()).toBe(`${VALID}\n`);
    expect(stderr.split('\n')[0]).toBe(`<stdin>:1: line is ${LINE} bytes, longer than the limit of 1048576 bytes (--max-line-bytes) (size)`);
    expect(parseSummary(stderr)).toMatchObject({ read: 2, valid: 1, invalid: 1, blank: 0 });
    expectNoStackTrace(stderr);
    if (timed) {
      expect(rss).not.toBeNull();
      // Node itself takes ~80 MB; holding the line would add 200 MB.
      expect(Number(rss![1]) / 1024).toBeLessThan(180);
    }
  }, 60_000);
});

/** 2,000 distinct valid events (about 6.5 MB, about 250 KB gzipped). */
const LINES = distinctEvents(2000);
const PLAIN = Buffer.from(LINES.join('\n') + '\n');
const GZ = gzipSync(PLAIN);

/** The complete lines a decoder can get out of the compressed bytes before `at`. */
function linesBefore(at: number): number {
  const text = gunzipSync(GZ.subarray(0, at), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  return text.split('\n').length - 1;
}

function stdoutLines(stdout: Buffer): string[] {
  return stdout.toString('utf8').split('\n').slice(0, -1);
}

describe('csm-validate: a truncated gzip file', () => {
  it.each<[string, number]>([
    ['in the middle of the deflate data', Math.floor(GZ.length / 2)],
    ['20 bytes before the end', GZ.length - 20],
    ['inside the CRC/length trailer', GZ.length - 3],
  ])('cut %s: every complete line before the cut is handled, then exit 2 naming the file and the offset', async (_name, cut) => {
    const path = tmp(`truncated-${cut}.gz`, GZ.subarray(0, cut));
    const r = await runMain('csm-validate', ['--summary', '--error-format', 'json', path]);
    expect(r.code).toBe(2);
    const before = linesBefore(cut);
    expect(stdoutLines(r.stdout)).toEqual(LINES.slice(0, before));
    const message = r.stderr.split('\n').find((l) => l.startsWith('csm-validate: cannot read'));
    const m = new RegExp(`^csm-validate: cannot read ${path}: truncated gzip stream \\(gzip, at compressed byte (\\d+)\\)$`).exec(message ?? '');
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(cut);
    // A torn last line is reported as invalid JSON; a cut at a line end leaves none.
    const torn = gunzipSync(GZ.subarray(0, cut), { finishFlush: constants.Z_SYNC_FLUSH }).length > Buffer.byteLength(LINES.slice(0, before).join('\n') + '\n');
    const reports = r.stderr.split('\n').filter((l) => l.startsWith('{'));
    expect(reports.map((l) => (JSON.parse(l) as { line: number; errors: { keyword: string }[] }).errors[0]!.keyword)).toEqual(torn ? ['json'] : []);
    expect(parseSummary(r.stderr)).toMatchObject({ valid: before, invalid: torn ? 1 : 0 });
    expectNoStackTrace(r.stderr);
  });

  it('through stdin too: the lines before the cut, then exit 2 naming <stdin>', async () => {
    const cut = Math.floor(GZ.length / 3);
    const r = await runMain('csm-validate', ['-q', '--summary'], { input: GZ.subarray(0, cut) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^csm-validate: cannot read <stdin>: truncated gzip stream \(gzip, at compressed byte \d+\)$/m);
    expect(parseSummary(r.stderr).valid).toBe(linesBefore(cut));
    expectNoStackTrace(r.stderr);
  });
});

describe('csm-validate: a corrupt gzip file', () => {
  it.each<[string, number]>([
    ['10%', 0.1],
    ['50%', 0.5],
    ['90%', 0.9],
  ])('64 bytes overwritten at %s: the lines before the damage are handled, then exit 2 with the cause and the offset', async (_name, frac) => {
    const at = Math.floor(GZ.length * frac);
    const damaged = Buffer.from(GZ);
    damaged.fill(0xff, at, at + 64);
    const path = tmp(`corrupt-${frac}.gz`, damaged);
    const r = await runMain('csm-validate', ['--error-format', 'json', '--errors', tempPath(`corrupt-${frac}.errors`), path]);
    expect(r.code).toBe(2);
    const before = linesBefore(at);
    expect(before).toBeGreaterThan(100);
    expect(stdoutLines(r.stdout).slice(0, before)).toEqual(LINES.slice(0, before));
    const m = new RegExp(`^csm-validate: cannot read ${path}: corrupt gzip stream: [^\\n]+ \\(gzip, at compressed byte (\\d+)\\)\\n$`).exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    // The damage is found at or after the first damaged byte, never before it.
    expect(Number(m![1])).toBeGreaterThanOrEqual(at);
    expectNoStackTrace(r.stderr);
  });

  it.each<[string, Buffer, string]>([
    ['a wrong CRC in the trailer', Buffer.concat([GZ.subarray(0, GZ.length - 8), Buffer.from([GZ[GZ.length - 8]! ^ 1]), GZ.subarray(GZ.length - 7)]), 'incorrect data check'],
    ['a second member with a damaged header', Buffer.concat([GZ, Buffer.from([0x1f, 0x8c]), GZ.subarray(2, 1000)]), 'incorrect header check'],
    ['trailing garbage after the member', Buffer.concat([GZ, Buffer.from('garbage\n')]), 'incorrect header check'],
  ])('%s: every line of the intact data is handled, then exit 2', async (name, bytes, cause) => {
    const path = tmp(`damaged-${name.replace(/\W+/g, '-')}.gz`, bytes);
    const r = await runMain('csm-validate', ['--summary', path]);
    expect(r.code).toBe(2);
    expect(stdoutLines(r.stdout)).toEqual(LINES);
    expect(r.stderr).toMatch(new RegExp(`^csm-validate: cannot read ${path}: corrupt gzip stream: ${cause} \\(gzip, at compressed byte \\d+\\)\\n`));
    expect(parseSummary(r.stderr)).toMatchObject({ read: LINES.length, valid: LINES.length, invalid: 0 });
    expectNoStackTrace(r.stderr);
  });
});
