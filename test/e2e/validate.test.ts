/**
 * csm-validate as a real process: what only a process shows (a TTY stderr,
 * stdout closed by `| head`, SIGINT, stdout on /dev/full). Every flag and exit
 * status is tested through main in test/cli/validate.test.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, binPath, lines } from '../helpers/run.js';
import { useTempDir } from './hardening/support.js';

const examples = readFileSync(EXAMPLES);
const exampleLines = lines(examples.toString('utf8'));
const VALID = exampleLines[0]!;
const { tmp } = useTempDir('validate');

describe('csm-validate: a TTY stderr', () => {
  it('shows a progress line on a TTY stderr only, and not with --no-progress', async () => {
    // script(1) gives the tool a terminal. The input stays open until the
    // progress line shows (or 30 s pass), so a slow start on a loaded machine
    // cannot end the input before the first draw (one second in).
    const gate = tmp('gate', '');
    const waitGate = `for i in $(seq 300); do [ -s ${gate} ] && break; sleep 0.1; done`;
    const cmd = (flags: string): string =>
      `(cat ${EXAMPLES}; ${waitGate}; cat ${EXAMPLES}) | ${process.execPath} ${binPath('csm-validate')} -q ${flags}`;
    const run = (flags: string, opened: (out: string) => boolean): Promise<string> =>
      new Promise<string>((resolve) => {
        writeFileSync(gate, '');
        const child = spawn('script', ['-qec', cmd(flags), '/dev/null']);
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (opened(out)) writeFileSync(gate, 'go');
        });
        child.on('close', () => resolve(out));
      });
    const tty = await run('', (out) => out.includes('lines/s'));
    expect(tty).toMatch(/\rcsm-validate: [\d.]+ MB · [\d,]+ lines\/s · 0 invalid\u001b\[K/);
    expect(tty).toContain('\r\u001b[K');
    // Without progress, the input is held open for 2.5 s: well past the first draw.
    const timer = setTimeout(() => writeFileSync(gate, 'go'), 2500);
    const off = await run('--no-progress', () => false);
    clearTimeout(timer);
    expect(off).not.toContain('lines/s');
  }, 60_000);
});

describe('csm-validate: stopping early', () => {
  it('exits 0 quietly when stdout is closed early (| head -1)', async () => {
    const big = tmp('big.ndjson', `${examples.toString('utf8')}`.repeat(3000));
    const r = await new Promise<{ code: number | null; stderr: string; head: string }>((resolve) => {
      const child = spawn('bash', ['-c', `set -o pipefail; node ${binPath('csm-validate')} ${big} | head -1; echo "status=$?" >&2`]);
      let stderr = '';
      let head = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (head += d.toString()));
      child.on('close', (code) => resolve({ code, stderr, head }));
    });
    expect(r.head).toBe(`${VALID}\n`);
    expect(r.stderr).toBe('status=0\n');
  });

  it('exits 130 on SIGINT after writing only complete lines, and still prints --summary', async () => {
    const child = spawn(process.execPath, [binPath('csm-validate'), '--summary'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.write(`${VALID}\n${VALID}\n${VALID.slice(0, 100)}`);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (out.length >= VALID.length * 2 + 2) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(out).toBe(`${VALID}\n${VALID}\n`);
    expect(err).toMatch(/lines read\s+2\n/);
  });
});

describe('csm-validate: stdout that cannot be written', () => {
  it('reports a stdout that cannot be written (/dev/full) with exit 2', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', `node ${binPath('csm-validate')} ${EXAMPLES} > /dev/full`]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('csm-validate: cannot write <stdout>: no space left on device\n');
  });
});
