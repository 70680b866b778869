/**
 * A run's outputs and fate: opening outputs (never one that is an input),
 * write errors, signals, and the exit status decided once at the end.
 */
import { unlinkSync } from 'node:fs';
import { ExitCode, UsageError, describeSystemError } from '../core/diagnostic.js';
import { escapeText } from '../core/escape.js';
import type { InputSpec } from '../io/input.js';
import { FileOutput, type Output, StreamOutput } from '../io/output.js';
import { type Endpoint, canonicalPath, fdEndpoint, findClash, pathEndpoint } from '../io/same-file.js';
import type { Io } from './io.js';

/** The descriptor behind a stream of the process (process.stdin/stdout/stderr have one; a test's streams do not). */
function streamFd(stream: unknown): number | undefined {
  const fd = (stream as { fd?: unknown } | undefined)?.fd;
  return typeof fd === 'number' ? fd : undefined;
}

/**
 * stdin (when it is read), stdout and stderr, when they are regular files:
 * `--invalid-out x < x` and `csm-validate x >> x` are clashes too.
 */
function standardEndpoints(inputs: readonly InputSpec[], io: Pick<Io, 'stdin' | 'stdout' | 'stderr'> | undefined): Endpoint[] {
  if (io === undefined) return [];
  const out: (Endpoint | undefined)[] = [];
  const stdin = streamFd(io.stdin);
  if (stdin !== undefined && inputs.some((i) => i.path === '-')) out.push(fdEndpoint('<stdin>', 'input', stdin));
  const stdout = streamFd(io.stdout);
  if (stdout !== undefined) out.push(fdEndpoint('stdout', 'output', stdout, true));
  const stderr = streamFd(io.stderr);
  if (stderr !== undefined) out.push(fdEndpoint('stderr', 'output', stderr, true));
  return out.filter((e) => e !== undefined);
}

/** The run's inputs (stdin included) and its standard outputs, as endpoints. */
function runEndpoints(inputs: readonly InputSpec[], io: Pick<Io, 'stdin' | 'stdout' | 'stderr'> | undefined): Endpoint[] {
  return [...standardEndpoints(inputs, io), ...inputs.filter((i) => i.path !== '-').map((i) => pathEndpoint(i.name, 'input', i.path))];
}

/**
 * Refuses, before anything is opened, an output that is one of the inputs
 * (also through a symlink, a hard link, or stdin: `--invalid-out x < x`), or
 * another output (also spelled differently, or through a dangling symlink, or
 * stdout/stderr redirected to it), and stdout or stderr that is an input
 * (`csm-validate x >> x` would read its own output forever).
 */
export function checkOutputPaths(
  inputs: InputSpec[],
  outputs: { flag: string; path: string }[],
  io?: Pick<Io, 'stdin' | 'stdout' | 'stderr'>,
): void {
  const endpoints = [
    ...runEndpoints(inputs, io),
    ...outputs.map((o) => pathEndpoint(`${o.flag} ${o.path}`, 'output', o.path, o.flag)),
  ];
  const clash = findClash(endpoints);
  if (clash !== undefined) throw new UsageError(clash);
}

/** An output file opened (not yet truncated) by the run. */
interface OpenedFile {
  flag: string;
  path: string;
  output: FileOutput;
  /** The run created it: removed again if the run refuses to start. */
  created: boolean;
}

/**
 * The run's shared state: outputs, the first fatal error, stop flags and the
 * exit status, decided once at the end (like ripgrep's main).
 */
export class RunState {
  /** A fatal problem (unwritable output, unreadable input): exit 2 at the end. */
  failed = false;
  /**
   * Why reading stopped before the end of the input, if it did: stdout closed
   * by its reader (`| head`: quietly, exit 0), an output that failed (nothing
   * more can be written), or SIGINT/SIGTERM. The first reason stays.
   */
  private stop: 'broken-pipe' | 'output' | 'SIGINT' | 'SIGTERM' | undefined;
  readonly abort = new AbortController();
  private readonly outputs: Output[] = [];
  private readonly files: OpenedFile[] = [];

  constructor(
    private readonly tool: string,
    private readonly io: Io,
  ) {}

  /** Prints one diagnostic line to stderr, bypassing the report stream. */
  message(text: string): void {
    // File names and causes come from outside: one escaped line (src/core/escape.ts).
    this.io.stderr.write(`${this.tool}: ${escapeText(text)}\n`);
  }

  private onOutputError = (output: Output, err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' && output.name === '<stdout>') {
      this.stop ??= 'broken-pipe';
      return;
    }
    this.failed = true;
    this.stop ??= 'output';
    // Nobody is reading our diagnostics (EPIPE on stderr): nothing to say, but the run still failed.
    if (err.code === 'EPIPE' && output.name === '<stderr>') return;
    this.message(`cannot write ${output.name}: ${describeSystemError(err)}`);
  };

  stdout(): Output {
    return this.track(new StreamOutput('<stdout>', this.io.stdout, this.onOutputError));
  }

  stderr(): Output {
    return this.track(new StreamOutput('<stderr>', this.io.stderr, this.onOutputError));
  }

  /** An output file, opened without truncating it (see `commitFiles`); flushed and closed with the run's outputs. */
  file(flag: string, path: string): Output {
    return this.track(this.openFile(flag, path));
  }

  /** An output file the caller writes and closes itself (`--summary-json`, at the end), opened and checked with the others. */
  openFile(flag: string, path: string): FileOutput {
    try {
      const { output, created } = FileOutput.openKeeping(path, this.onOutputError);
      this.files.push({ flag, path, output, created });
      return output;
    } catch (err) {
      this.discardFiles();
      throw new UsageError(`${flag}: cannot open ${path}: ${describeSystemError(err)}`);
    }
  }

  /**
   * Once every output is open: checks them again by what was opened (device and
   * inode: two names of one new file are one file now), then truncates them
   * all. On a clash nothing is truncated and the files the run created are removed.
   */
  commitFiles(inputs: readonly InputSpec[]): void {
    const endpoints = [
      ...runEndpoints(inputs, this.io),
      ...this.files.flatMap((f) => {
        const e = f.output.descriptor !== undefined ? fdEndpoint(`${f.flag} ${f.path}`, 'output', f.output.descriptor) : undefined;
        return e !== undefined ? [{ ...e, flag: f.flag }] : [];
      }),
    ];
    const clash = findClash(endpoints);
    if (clash !== undefined) {
      this.discardFiles();
      throw new UsageError(clash);
    }
    for (const f of this.files) {
      try {
        f.output.truncate();
      } catch (err) {
        this.discardFiles();
        throw new UsageError(`${f.flag}: cannot truncate ${f.path}: ${describeSystemError(err)}`);
      }
    }
  }

  /** Closes the output files opened so far and removes those the run created: the run does not start. */
  discardFiles(): void {
    for (const f of this.files.splice(0)) {
      void f.output.close();
      if (!f.created) continue;
      try {
        unlinkSync(canonicalPath(f.path));
      } catch {
        // Already gone: nothing to undo.
      }
    }
  }

  private track(output: Output): Output {
    this.outputs.push(output);
    return output;
  }

  shouldStop(): boolean {
    return this.stop !== undefined;
  }

  /** The signal that stopped the run, if one did. */
  get signal(): 'SIGINT' | 'SIGTERM' | undefined {
    return this.stop === 'SIGINT' || this.stop === 'SIGTERM' ? this.stop : undefined;
  }

  /** stdout was closed by its reader: the run ends quietly, and writes no final count or header. */
  get brokenPipe(): boolean {
    return this.stop === 'broken-pipe';
  }

  async afterChunk(): Promise<void> {
    for (const o of this.outputs) o.flush();
    await Promise.all(this.outputs.map((o) => o.ready()));
  }

  async closeAll(): Promise<void> {
    for (const o of this.outputs) await o.close();
  }

  /** Installs SIGINT/SIGTERM handling: stop at the next line, flush, exit 130/143. */
  trapSignals(): () => void {
    if (this.io.onSignal === undefined) return () => {};
    return this.io.onSignal((signal) => {
      // A signal outranks a closed stdout; the first signal stays.
      if (this.stop === 'SIGINT' || this.stop === 'SIGTERM') return;
      this.stop = signal;
      this.abort.abort();
      // Diagnostics must not hold the exit: a stderr nobody reads is never waited for again.
      for (const o of this.outputs) if (o instanceof StreamOutput && o.name === '<stderr>') o.stopWaiting();
    });
  }

  /** The exit status: signal, then fatal error, then the tool's own verdict. */
  exitCode(verdict: ExitCode): ExitCode {
    if (this.stop === 'SIGINT') return ExitCode.sigint;
    if (this.stop === 'SIGTERM') return ExitCode.sigterm;
    if (this.failed) return ExitCode.usage;
    if (this.brokenPipe) return ExitCode.ok;
    return verdict;
  }
}

