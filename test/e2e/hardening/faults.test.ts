/**
 * csm-validate under faults and signals: a reader that goes away, signals
 * mid-stream and a consumer that does not keep up (csm-filter too), through
 * the real executable; an output that cannot be written, through main.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants as fsConstants, createWriteStream, openSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { CORPUS } from '../../helpers/run.js';
import { type LineTool, VALID, VALIDATE, collect, expectBoundedWhileStdoutUnread, expectNoStackTrace, parseSummary, spawnValidate, useTempDir, waitFor } from './support.js';

const temp = useTempDir('faults');

describe('csm-validate: the reader goes away (| head -1)', () => {
  it('a slow, endless FILE (a FIFO fed a line every 5 ms): exits 0 promptly and silently once head has its line', async () => {
    const fifo = temp.path('slow.ndjson');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const shell = spawn('bash', ['-c', `set -o pipefail; "${process.execPath}" "${VALIDATE}" "${fifo}" | head -1; echo "status=$?" >&2`]);
    let head = '';
    let stderr = '';
    shell.stdout.on('data', (d: Buffer) => (head += d.toString()));
    shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Opening the FIFO for writing waits for the tool to open it for reading.
    const writer = createWriteStream(fifo);
    let writerGone = false;
    writer.on('error', () => (writerGone = true));
    const trickle = setInterval(() => {
      if (!writerGone) writer.write(`${VALID}\n`);
    }, 5);
    try {
      const code = await new Promise<number | null>((resolve) => shell.on('close', resolve));
      expect(code).toBe(0);
      expect(head).toBe(`${VALID}\n`);
      expect(stderr).toBe('status=0\n');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      clearInterval(trickle);
      // If the tool never opened the FIFO, our open for writing is still waiting: release it.
      if (writer.pending) closeSync(openSync(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK));
      writer.destroy();
      shell.kill();
    }
  }, 15_000);
});

describe('csm-validate: signals mid-stream', () => {
  it('SIGTERM: exit 143 after writing only the complete lines, and --summary is still printed', async () => {
    const child = spawnValidate(['--summary']);
    const done = collect(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write(`${VALID}\n${VALID}\n${VALID.slice(0, 200)}`);
    await waitFor(() => out.length >= 2 * (VALID.length + 1), 10_000, 'two lines on stdout');
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(143);
    expect(r.stdout.toString()).toBe(`${VALID}\n${VALID}\n`);
    expect(parseSummary(r.stderr)).toMatchObject({ read: 2, valid: 2, invalid: 0 });
    expect(r.stderr.startsWith('csm-validate: summary (partial: interrupted by SIGTERM)\n')).toBe(true);
    expectNoStackTrace(r.stderr);
  });

  it('SIGINT: exit 130, and --invalid-out holds only the complete invalid lines (not the torn one)', async () => {
    const invalidOut = temp.path('sigint-invalid.ndjson');
    const child = spawnValidate(['--summary', '--invalid-out', invalidOut, '--errors', temp.path('sigint-errors.txt')]);
    const done = collect(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write(`${VALID}\n{}\n[1]\n{"title":"torn`);
    await waitFor(() => out.length >= VALID.length + 1, 10_000, 'a line on stdout');
    await waitFor(() => readFileSync(invalidOut, 'utf8').length >= '{}\n[1]\n'.length, 10_000, 'two invalid lines');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stdout.toString()).toBe(`${VALID}\n`);
    expect(readFileSync(invalidOut, 'utf8')).toBe('{}\n[1]\n');
    expect(parseSummary(r.stderr)).toMatchObject({ read: 3, valid: 1, invalid: 2 });
    expectNoStackTrace(r.stderr);
  });
});

describe('csm-validate: an output that cannot be written', () => {
  it.each<[string, string[]]>([
    ['text reports', []],
    ['json reports', ['--error-format', 'json']],
  ])('--errors /dev/full (%s): exit 2 with one message naming it', async (_name, extra) => {
    const r = await runMain('csm-validate', ['-q', '--errors', '/dev/full', ...extra, CORPUS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('csm-validate: cannot write /dev/full: no space left on device\n');
    expect(r.out).toBe('');
  });
});

describe.each<[LineTool, number]>([
  ['csm-validate', 200 * 1000 * 1000],
  ['csm-filter', 300 * 1000 * 1000],
])('%s: a consumer that does not keep up', (tool, offer) => {
  it('stops taking input after a bounded amount while stdout is not read, keeps its memory bounded, then finishes with every line selected', async () => {
    await expectBoundedWhileStdoutUnread(tool, [], offer, (line) => line);
  }, 60_000);
});
