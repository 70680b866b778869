/**
 * csm-filter under faults and signals: signals mid-stream, stdout on /dev/full
 * and a consumer that does not keep up (the passthrough case, shared with
 * csm-validate, is in faults.test.ts), through the real executable; report
 * files that cannot be written and an output that is an input, through main.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, readFileSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { CORPUS, binPath } from '../../helpers/run.js';
import { VALID, collect, expectBoundedWhileStdoutUnread, expectNoStackTrace, parseSummary, spawnTool, useTempDir, waitFor } from './support.js';

const FILTER = binPath('csm-filter');
const temp = useTempDir('filter-faults');
const spawnFilter = (args: string[]) => spawnTool('csm-filter', args);

/** Runs `csm-filter ARGS > /dev/full` through bash. */
function toDevFull(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('bash', ['-c', `"${process.execPath}" "${FILTER}" ${quoted} > /dev/full`]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const PID = '{"process":{"pid":4242}}';

describe('csm-filter: signals mid-stream', () => {
  it('SIGTERM: exit 143 after writing only the complete projected lines, and --summary is still printed', async () => {
    const child = spawnFilter(['--summary', '-f', 'process.pid']);
    const done = collect(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write(`${VALID}\n${VALID}\n${VALID.slice(0, 200)}`);
    await waitFor(() => out.length >= 2 * (PID.length + 1), 10_000, 'two lines on stdout');
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(143);
    expect(r.stdout.toString()).toBe(`${PID}\n${PID}\n`);
    expect(parseSummary(r.stderr)).toMatchObject({ read: 2, valid: 2, invalid: 0 });
    expect(r.stderr).toMatch(/^ {2}selected\s+2$/m);
    expect(r.stderr.startsWith('csm-filter: summary (partial: interrupted by SIGTERM)\n')).toBe(true);
    expectNoStackTrace(r.stderr);
  });

  it('SIGINT: exit 130; stdout holds only the complete selected lines, --errors only the complete bad lines', async () => {
    const errors = temp.path('sigint-errors.txt');
    const child = spawnFilter(['--errors', errors, '--summary']);
    const done = collect(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write(`${VALID}\n{x\n${VALID}\n{"title":"torn`);
    await waitFor(() => out.length >= 2 * (VALID.length + 1), 10_000, 'two lines on stdout');
    await waitFor(() => existsSync(errors) && readFileSync(errors, 'utf8').endsWith('\n'), 10_000, 'a report in --errors');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stdout.toString()).toBe(`${VALID}\n${VALID}\n`);
    expect(readFileSync(errors, 'utf8')).toBe("<stdin>:2:2: expected a string key or '}', found 'x' (json)\n");
    expect(parseSummary(r.stderr)).toMatchObject({ read: 3, valid: 2, invalid: 1 });
    expectNoStackTrace(r.stderr);
  });
});

describe('csm-filter: an output that cannot be written', () => {
  it.each<[string, string[]]>([
    ['selected lines', [CORPUS]],
    ['-f title', ['-f', 'title', CORPUS]],
    ['-f title --format tsv', ['-f', 'title', '--format', 'tsv', CORPUS]],
    ['-f process.executable.path --format raw', ['-f', 'process.executable.path', '--format', 'raw', CORPUS]],
    ['-c', ['-c', CORPUS]],
  ])('stdout is /dev/full (%s): exit 2 with one message naming <stdout>', async (_name, args) => {
    const r = await toDevFull(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('csm-filter: cannot write <stdout>: no space left on device\n');
  });

  it.each<[string, string[]]>([
    ['text reports', []],
    ['json reports', ['--error-format', 'json']],
    ['github reports', ['--error-format', 'github']],
  ])('--errors /dev/full (%s) with a bad line: exit 2 with one message naming it', async (_name, extra) => {
    const r = await runMain('csm-filter', ['-c', '--errors', '/dev/full', ...extra], { input: `{x\n${VALID}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('csm-filter: cannot write /dev/full: no space left on device\n');
  });

  it('--summary-json /dev/full: exit 2 with one message naming it', async () => {
    const r = await runMain('csm-filter', ['-c', '--summary-json', '/dev/full'], { input: `${VALID}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('csm-filter: cannot write /dev/full: no space left on device\n');
  });

  it('nothing selected and stdout /dev/full: exit 0 and nothing on stderr (nothing was written)', async () => {
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(binPath('csm-filter'))} -k ptrace > /dev/full`], { input: `${VALID}\n`, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const validate = spawnSync('bash', ['-c', `node ${JSON.stringify(binPath('csm-validate'))} -q > /dev/full`], { input: `${VALID}\n`, encoding: 'utf8' });
    expect([validate.status, validate.stderr]).toEqual([0, '']);
  });
});

describe('csm-filter: an output that is one of the inputs', () => {
  it.each(['--errors', '--summary-json'])('%s naming an input (itself, a symlink, a hard link) is refused with exit 2 before truncation', async (flag) => {
    const content = `${VALID}\n{x\n`;
    const input = temp.tmp(`same-${flag.slice(2)}.ndjson`, content);
    const sym = temp.path(`same-${flag.slice(2)}-link.ndjson`);
    const hard = temp.path(`same-${flag.slice(2)}-hard.ndjson`);
    symlinkSync(input, sym);
    linkSync(input, hard);
    for (const out of [input, sym, hard]) {
      const r = await runMain('csm-filter', [input, flag, out]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.stderr).toBe(`csm-filter: ${flag} ${out} is the input ${input}: refusing to overwrite it\n`);
      expect(readFileSync(input, 'utf8')).toBe(content);
    }
  });

  it('--errors and --summary-json naming the same file is refused', async () => {
    const out = temp.path('both.txt');
    const r = await runMain('csm-filter', [CORPUS, '--errors', out, '--summary-json', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-filter: --summary-json ${out} is also given to --errors\n`);
  });
});

describe('csm-filter: a consumer that does not keep up', () => {
  it('-f process.pid: stops taking input after a bounded amount while stdout is not read, keeps its memory bounded, then finishes', async () => {
    await expectBoundedWhileStdoutUnread('csm-filter', ['-f', 'process.pid'], 300 * 1000 * 1000, () => PID);
  }, 60_000);

  it('SIGINT while stdout is not read: the tool waits for the reader (it never drops a written line), then exits 130 with complete lines', async () => {
    const child = spawnFilter([]);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.on('error', () => {});
    const chunk = Buffer.from(`${VALID}\n`.repeat(64));
    // A stall counts only once the tool has read some input (a drain): before
    // that it may still be starting (a loaded machine), its SIGINT handler not yet set.
    let reading = false;
    for (;;) {
      if (child.stdin.write(chunk)) continue;
      const drained = await Promise.race([
        new Promise<boolean>((r) => child.stdin.once('drain', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 1_500)),
      ]);
      if (drained) reading = true;
      else if (reading) break;
    }
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(child.exitCode, 'still waiting for its reader').toBeNull();
    const outs: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => outs.push(d));
    expect(await exited).toBe(130);
    const out = Buffer.concat(outs).toString('utf8');
    expect(out.length).toBeGreaterThan(0);
    expect(out.length % (VALID.length + 1)).toBe(0);
    expect(out).toBe(`${VALID}\n`.repeat(out.length / (VALID.length + 1)));
  }, 30_000);
});
