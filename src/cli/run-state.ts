/**
 * A run's outputs and fate: opening outputs (never one that is an input),
 * write errors, signals, and the exit status decided once at the end.
 */
import { statSync } from 'node:fs';
import { ExitCode, UsageError, describeSystemError } from '../core/diagnostic.js';
import type { InputSpec } from '../io/input.js';
import { FileOutput, type Output, StreamOutput } from '../io/output.js';
import type { Io } from './io.js';

interface FileId {
  dev: number;
  ino: number;
}

function fileId(path: string): FileId | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? { dev: st.dev, ino: st.ino } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses, before anything is truncated, an output file that is one of the
 * inputs (also through a symlink or a hard link) or another output.
 */
export function checkOutputPaths(inputs: InputSpec[], outputs: { flag: string; path: string }[]): void {
  const inputIds = inputs.filter((i) => i.path !== '-').map((i) => ({ name: i.name, id: fileId(i.path) }));
  const seen: { flag: string; id: FileId | undefined; path: string }[] = [];
  for (const out of outputs) {
    const id = fileId(out.path);
    if (id !== undefined) {
      for (const input of inputIds) {
        if (input.id !== undefined && input.id.dev === id.dev && input.id.ino === id.ino) {
          throw new UsageError(`${out.flag} ${out.path} is the input ${input.name}: refusing to overwrite it`);
        }
      }
    }
    for (const prev of seen) {
      const same =
        prev.path === out.path ||
        (id !== undefined && prev.id !== undefined && prev.id.dev === id.dev && prev.id.ino === id.ino);
      if (same) throw new UsageError(`${out.flag} ${out.path} is also given to ${prev.flag}`);
    }
    seen.push({ flag: out.flag, id, path: out.path });
  }
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

  constructor(
    private readonly tool: string,
    private readonly io: Io,
  ) {}

  /** Prints one diagnostic line to stderr, bypassing the report stream. */
  message(text: string): void {
    this.io.stderr.write(`${this.tool}: ${text}\n`);
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

  file(flag: string, path: string): Output {
    try {
      return this.track(FileOutput.open(path, this.onOutputError));
    } catch (err) {
      throw new UsageError(`${flag}: cannot open ${path}: ${describeSystemError(err)}`);
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

