/**
 * Shared pieces of the hardening tests: an independent model of the NDJSON line
 * rules (so the real splitter is checked against the README, not against
 * itself), summary parsing, and process helpers beyond test/helpers/run.ts.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { EXAMPLES, binPath, lines } from '../../helpers/run.js';

export const VALIDATE = binPath('csm-validate');
export const EXAMPLE_LINES: string[] = lines(readFileSync(EXAMPLES, 'utf8'));
export const VALID = EXAMPLE_LINES[0]!;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `csm-hardening-${prefix}-`));
}

/** The README's line rules, written out independently of src/core/lines.ts. */
export interface ModelLine {
  /** 1-based line number in its stream. */
  line: number;
  bytes: Buffer;
  blank: boolean;
}

export function modelLines(stream: Buffer): ModelLine[] {
  let body = stream;
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  const pieces: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = body.indexOf(0x0a, start);
    if (nl === -1) break;
    pieces.push(body.subarray(start, nl));
    start = nl + 1;
  }
  // A last line without "\n" still counts; an empty remainder is no line.
  if (start < body.length) pieces.push(body.subarray(start));
  return pieces.map((p, i) => {
    const bytes = p.length > 0 && p[p.length - 1] === 0x0d ? p.subarray(0, p.length - 1) : p;
    return { line: i + 1, bytes, blank: /^[ \t\r]*$/.test(bytes.toString('latin1')) };
  });
}

/** Splits an output made of `line + "\n"` records; the output must end with "\n". */
export function outputRecords(out: Buffer): Buffer[] {
  if (out.length === 0) return [];
  expect(out[out.length - 1], 'output ends with a newline').toBe(0x0a);
  const records: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = out.indexOf(0x0a, start);
    if (nl === -1) break;
    records.push(out.subarray(start, nl));
    start = nl + 1;
  }
  return records;
}

export interface Summary {
  read: number;
  valid: number;
  invalid: number;
  blank: number;
  bytes: number;
}

/** The counts of a `--summary` block on stderr. */
export function parseSummary(stderr: string): Summary {
  const get = (label: string): number => {
    const m = new RegExp(`^  ${label.replace('/', '\\/')}\\s+(\\d+)$`, 'm').exec(stderr);
    expect(m, `summary has '${label}' in:\n${stderr}`).not.toBeNull();
    return Number(m![1]);
  };
  return { read: get('lines read'), valid: get('valid'), invalid: get('invalid'), blank: get('blank'), bytes: get('bytes') };
}

/** stderr never carries a stack trace or a raw Node error. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\b(?:Type|Range|Syntax|Reference)?Error: /);
  expect(stderr).not.toContain('internal error');
  expect(stderr).not.toContain('node:internal');
}

export function spawnValidate(args: string[], stdio: 'pipe' = 'pipe'): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return spawn(process.execPath, [VALIDATE, ...args], { stdio, env });
}

export interface Collected {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Collects a spawned child's stdout, stderr and exit. */
export function collect(child: ChildProcessWithoutNullStreams): Promise<Collected> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.on('error', () => {});
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/** Resolves once `predicate` holds, polling; rejects after `ms`. */
export async function waitFor(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A field of /proc/PID/status in kB (VmRSS, VmHWM), or undefined off Linux. */
export function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return undefined;
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(path, 'utf8'));
  return m === null ? undefined : Number(m[1]);
}

/** The example line with `marker` put at the start of its title (still a valid event). */
export function markedValid(marker: string, base = VALID): string {
  const at = base.indexOf('"title":"');
  if (at === -1 || base.indexOf('"title":"', at + 1) !== -1) throw new Error('example line needs exactly one title');
  return `${base.slice(0, at + 9)}${marker}${base.slice(at + 9)}`;
}

/** Replaces the first `"key":value` (a number or string token) of `line`. */
export function withField(line: string, key: string, raw: string): string {
  const re = new RegExp(`"${key}":(-?[0-9][0-9.eE+-]*|"[^"]*")`);
  if (!re.test(line)) throw new Error(`no field ${key}`);
  return line.replace(re, `"${key}":${raw}`);
}
