/**
 * Shared pieces of the hardening tests: an independent model of the NDJSON line
 * rules (so the real splitter is checked against the README, not against
 * itself), summary parsing, a temporary directory per file, events built from
 * the examples, and process helpers beyond test/helpers/run.ts (for what needs
 * a real process: signals, a consumer that does not keep up).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { EXAMPLES, binPath, lines } from '../../helpers/run.js';

export const VALIDATE = binPath('csm-validate');
export const EXAMPLE_LINES: string[] = lines(readFileSync(EXAMPLES, 'utf8'));
export const VALID = EXAMPLE_LINES[0]!;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `csm-hardening-${prefix}-`));
}

export interface TempFiles {
  /** The directory (set in beforeAll). */
  readonly dir: string;
  /** A path in the directory. */
  path(name: string): string;
  /** Writes `content` to a file of the directory; returns its path. */
  tmp(name: string, content: string | Buffer): string;
}

/** A temporary directory for the calling test file: made in beforeAll, removed in afterAll. */
export function useTempDir(prefix: string): TempFiles {
  let dir: string | undefined;
  beforeAll(() => {
    dir = tempDir(prefix);
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const files: TempFiles = {
    get dir(): string {
      if (dir === undefined) throw new Error('the temporary directory exists from beforeAll on');
      return dir;
    },
    path: (name) => join(files.dir, name),
    tmp: (name, content) => {
      const path = files.path(name);
      writeFileSync(path, content);
      return path;
    },
  };
  return files;
}

/** 1-based column, in code points, of UTF-16 index `index` of `text`. */
export function col(text: string, index: number): number {
  return [...text.slice(0, index)].length + 1;
}

/** The example line with its process.pid written as `raw`, one line each, as one input. */
export function withPids(numbers: string[]): string {
  return numbers.map((n) => withField(VALID, 'pid', n)).join('\n') + '\n';
}

/** `count` distinct valid events (`L0 `, `L1 `... at the start of the title), cycling through the examples. */
export function distinctEvents(count: number): string[] {
  return Array.from({ length: count }, (_, i) => markedValid(`L${i} `, EXAMPLE_LINES[i % EXAMPLE_LINES.length]));
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

/** The counts of a `--summary` block on stderr (`valid`: csm-filter's `parsed` line). */
export function parseSummary(stderr: string): Summary {
  const get = (label: string): number => {
    const m = new RegExp(`^  ${label.replace('/', '\\/')}\\s+(\\d+)$`, 'm').exec(stderr);
    expect(m, `summary has '${label}' in:\n${stderr}`).not.toBeNull();
    return Number(m![1]);
  };
  return { read: get('lines read'), valid: get(/^  parsed\s/m.test(stderr) ? 'parsed' : 'valid'), invalid: get('invalid'), blank: get('blank'), bytes: get('bytes') };
}

/** stderr never carries a stack trace or a raw Node error. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\b(?:Type|Range|Syntax|Reference)?Error: /);
  expect(stderr).not.toContain('internal error');
  expect(stderr).not.toContain('node:internal');
}

export type LineTool = 'csm-validate' | 'csm-filter';

/** The tool's executable as a child with piped stdio, NO_COLOR and FORCE_COLOR unset. */
export function spawnTool(tool: LineTool, args: string[]): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return spawn(process.execPath, [binPath(tool), ...args], { stdio: 'pipe', env });
}

export function spawnValidate(args: string[]): ChildProcessWithoutNullStreams {
  return spawnTool('csm-validate', args);
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

/**
 * A consumer that does not keep up: `tool args` gets copies of VALID on stdin
 * (up to `offer` bytes) while nobody reads its stdout. It must stop taking
 * input after a bounded amount, with bounded memory; once stdout is read, it
 * must finish (exit 0, nothing on stderr) with `expected(VALID)` once per line
 * accepted, byte for byte.
 */
export async function expectBoundedWhileStdoutUnread(tool: LineTool, args: string[], offer: number, expected: (line: string) => string): Promise<void> {
  const child = spawnTool(tool, args);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => {});
  // stdout is not read: no 'data' listener until the end.
  const chunk = Buffer.from(`${VALID}\n`.repeat(64));
  let written = 0;
  let stalled = false;
  // A stall counts only once the tool has read some input (a drain): before that it may still be starting.
  let reading = false;
  while (written < offer) {
    const ok = child.stdin.write(chunk);
    written += chunk.length;
    if (!ok) {
      const drained = await Promise.race([
        new Promise<boolean>((r) => child.stdin.once('drain', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 1_500)),
      ]);
      if (drained) reading = true;
      else if (reading) {
        stalled = true;
        break;
      }
    }
  }
  const accepted = written - child.stdin.writableLength;
  const rssKb = procStatusKb(child.pid!, 'VmRSS');
  expect(stalled, `the tool took all ${written} bytes offered`).toBe(true);
  expect(accepted).toBeLessThan(64 * 1024 * 1024);
  if (rssKb === undefined) console.log('/proc not available: RSS of the child not checked');
  else expect(rssKb / 1024).toBeLessThan(200);
  // Now read: everything accepted so far comes out, line for line, byte for byte.
  const outs: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => outs.push(d));
  child.stdin.end();
  expect(await exited).toBe(0);
  expect(stderr).toBe('');
  const lines = written / (VALID.length + 1);
  expect(Buffer.concat(outs).equals(Buffer.from(`${expected(VALID)}\n`.repeat(lines)))).toBe(true);
}

/**
 * A report without the name of the bundled schema that judged the line (` [linux-2025-09]`):
 * these tests are about what a bad line is, not about which schema judges it (test/e2e/schemas.test.ts).
 */
export function plain(stderr: string): string {
  return stderr.replace(/ \[(?:linux|windows)-\d{4}-\d{2}\]$/gm, '');
}
