/**
 * Runs a tool's `main(io)` inside the test process, with an Io that feeds stdin
 * from a string or Buffer and collects stdout (bytes), stderr and the exit
 * status: the same `RunResult` as `run()` of ./run.ts, without starting node.
 *
 * Each main takes `TOOL completion ...` itself (runTool); stdout and stderr are collected
 * synchronously, so there is nothing left to flush once main has returned. What
 * only a real process shows (signals, a closed pipe, a TTY, /dev/full as stdout,
 * worker threads for --jobs or inputs over 8 MiB, the executables themselves)
 * needs `run()`.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { ExitCode } from '../../src/core/diagnostic.js';
import type { Io } from '../../src/cli/io.js';
import { main as filterMain } from '../../src/cli/filter.js';
import { main as rulesMain } from '../../src/cli/rules.js';
import { main as schemaMain } from '../../src/cli/schema.js';
import { main as validateMain } from '../../src/cli/validate.js';
import { ROOT, type RunOptions, type RunResult } from './run.js';

export type Tool = 'csm-validate' | 'csm-filter' | 'csm-schema' | 'csm-rules';

export const MAINS: Record<Tool, (io: Io) => Promise<ExitCode>> = {
  'csm-validate': validateMain,
  'csm-filter': filterMain,
  'csm-schema': schemaMain,
  'csm-rules': rulesMain,
};

/** stdin reaches a process through a pipe, in pieces of this size. */
const PIPE_CHUNK = 64 * 1024;

/** A Writable that keeps every chunk; not a TTY. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function stdinOf(input: string | Buffer | undefined): PassThrough {
  const stdin = new PassThrough();
  const bytes = input === undefined ? Buffer.alloc(0) : typeof input === 'string' ? Buffer.from(input) : input;
  for (let at = 0; at < bytes.length; at += PIPE_CHUNK) stdin.write(bytes.subarray(at, at + PIPE_CHUNK));
  stdin.end();
  return stdin;
}

/** The environment `run()` gives a child: this process's, without NO_COLOR and FORCE_COLOR, plus `env`. */
function envOf(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * `tool args` through its main. The working directory while main runs is
 * `cwd`, else the repository root, as for `run()` (vitest runs from the root,
 * so usually nothing moves; its pool is 'forks', where chdir is allowed).
 */
export async function runMain(tool: Tool, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const main = MAINS[tool];
  const stdout = new Collector();
  const stderr = new Collector();
  const io: Io = { argv: [...args], env: envOf(options.env), stdin: stdinOf(options.input), stdout, stderr };
  // Relative paths resolve as in run(): against ROOT unless `cwd` says otherwise.
  const before = process.cwd();
  const cwd = resolve(options.cwd ?? ROOT);
  const move = cwd !== before;
  if (move) process.chdir(cwd);
  let code: ExitCode;
  try {
    code = await main(io);
  } finally {
    if (move) process.chdir(before);
  }
  const out = stdout.bytes();
  return { code, signal: null, stdout: out, out: out.toString('utf8'), stderr: stderr.bytes().toString('utf8') };
}

/** The words of a shell command line, as bash splits them (quotes removed, no globbing). */
export function shellWords(line: string): string[] {
  const r = spawnSync('bash', ['-c', `set -f; printf '%s\\0' ${line}`], { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr !== '') throw new Error(`bash cannot split ${line}: ${r.stderr}`);
  return r.stdout.split('\0').slice(0, -1);
}

/** A command line such as `csm-filter -k exec -w '...' FILE` (one of the tools, then its arguments) through its main. */
export function runLine(line: string, options: RunOptions = {}): Promise<RunResult> {
  const [tool, ...args] = shellWords(line);
  if (tool === undefined || !(tool in MAINS)) throw new Error(`not a csm-ndjson tool: ${line}`);
  return runMain(tool as Tool, args, options);
}
