/**
 * What every tool's CLI shares: the process boundary (`Io`), flag parsing
 * helpers on top of commander, output opening with the "output is an input"
 * check, signal handling and the final exit status.
 */
import { statSync, writeFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, UsageError, describeSystemError } from '../core/diagnostic.js';
import { VERSION } from './version.js';
import { DEFAULT_MAX_LINE_BYTES } from '../core/lines.js';
import { type InputSpec } from '../io/input.js';
import { FileOutput, type Output, StreamOutput } from '../io/output.js';
import type { RunStats } from '../core/stats.js';
import { ProgressLine, plainInputBytes } from '../io/progress.js';
import { type ColorMode, colorEnabled, makeChalk } from '../print/color.js';
import { type SummaryData, formatSummary, formatSummaryJson } from '../print/summary.js';

/** The process as the tools see it; tests can pass their own. */
export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Registers SIGINT/SIGTERM handlers; returns a function that removes them. */
  onSignal?: (handler: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void;
}

export function processIo(): Io {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal(handler) {
      const onInt = (): void => handler('SIGINT');
      const onTerm = (): void => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
  };
}

export function integerArg(min: number): (value: string) => number {
  return (value: string) => {
    if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
    return n;
  };
}

/** `64M`, `1G`, `4096`, `2KiB`: a byte count. */
export function byteSizeArg(value: string): number {
  const m = /^([0-9]+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim());
  if (m === null) throw new InvalidArgumentError('expected a byte count such as 4096, 64M or 1G');
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const n = Number(m[1]) * mult;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a byte count >= 1');
  return n;
}

export function maxLineBytesOption(): Option {
  return new Option(
    '--max-line-bytes <SIZE>',
    'a longer line is invalid (keyword size) and skipped without being kept in memory',
  )
    .argParser(byteSizeArg)
    .default(DEFAULT_MAX_LINE_BYTES, '64M');
}

/** The flags every line tool ends with: line limit, reports, progress, colour, version, help. */
export function withRunOptions(command: Command): Command {
  command.addOption(maxLineBytesOption());
  for (const option of reportOptions()) command.addOption(option);
  return command.addOption(colorOption()).version(VERSION, '-V, --version').helpOption('-h, --help', 'show this help');
}

/** The run-report flags both tools share. */
export function reportOptions(): Option[] {
  return [
    new Option('--summary', 'print a summary report on stderr after the run'),
    new Option('--summary-json <FILE>', 'write the summary as one JSON object to FILE'),
    new Option('--no-progress', 'no progress line (it is shown only on a TTY stderr, after a second)'),
  ];
}

export interface ReportSettings {
  summary: boolean;
  summaryJson?: string;
  progress: boolean;
  color: ColorMode;
}

export function reportSettings(o: Record<string, unknown>): ReportSettings {
  return {
    summary: o.summary === true,
    summaryJson: o.summaryJson as string | undefined,
    progress: o.progress !== false,
    color: colorMode(o.color),
  };
}

/** Prints `--summary` and writes `--summary-json`; a write error is reported and fails the run. */
export function finishReports(
  settings: ReportSettings,
  data: SummaryData,
  io: Io,
  state: RunState,
): void {
  if (settings.summary) {
    io.stderr.write(formatSummary(data, makeChalk(colorEnabled(settings.color, io.env, io.stderr.isTTY === true))));
  }
  if (settings.summaryJson !== undefined) {
    try {
      writeFileSync(settings.summaryJson, formatSummaryJson(data));
    } catch (err) {
      state.failed = true;
      state.message(`cannot write ${settings.summaryJson}: ${describeSystemError(err)}`);
    }
  }
}

/** A progress line on a TTY stderr, unless turned off. */
export function startProgress(
  tool: string,
  settings: ReportSettings,
  io: Io,
  inputs: InputSpec[],
  stats: RunStats,
): ProgressLine | undefined {
  if (!settings.progress || io.stderr.isTTY !== true) return undefined;
  const total = plainInputBytes(inputs);
  const progress = new ProgressLine(io.stderr, () => ({
    tool,
    bytes: stats.bytes,
    total,
    lines: stats.read,
    invalid: stats.invalid,
  }));
  progress.start();
  return progress;
}

export function colorOption(): Option {
  return new Option('--color <when>', 'colour diagnostics: auto, always or never (NO_COLOR, FORCE_COLOR respected)')
    .choices(['auto', 'always', 'never'])
    .default('auto');
}

/**
 * Parses argv with commander, turning its errors into UsageError (one line,
 * exit 2) and --help/--version into a normal exit 0 with text on stdout.
 */
export function parseCommand(
  program: Command,
  io: Io,
): { kind: 'run' } | { kind: 'exit'; code: ExitCode } {
  let errText = '';
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => {
        errText += s;
      },
      outputError: (s) => {
        errText += s;
      },
    });
  try {
    program.parse(io.argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
        return { kind: 'exit', code: ExitCode.ok };
      }
      const message = (errText || err.message).trim().replace(/^error: /, '');
      throw new UsageError(`${message.split('\n')[0]} (see --help)`);
    }
    throw err;
  }
  return { kind: 'run' };
}

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
  /** stdout was closed by the reader (`| head`): stop quietly. */
  brokenPipe = false;
  /** A fatal problem (unwritable output, unreadable input): exit 2 at the end. */
  failed = false;
  /** Set by SIGINT/SIGTERM. */
  signal: 'SIGINT' | 'SIGTERM' | undefined;
  /** Set when an output failed: no point reading further. */
  outputFailed = false;
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
      this.brokenPipe = true;
      return;
    }
    if (err.code === 'EPIPE' && output.name === '<stderr>') {
      // Nobody is reading our diagnostics: nothing to say, but the run still failed.
      this.failed = true;
      this.outputFailed = true;
      return;
    }
    this.failed = true;
    this.outputFailed = true;
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
    return this.brokenPipe || this.outputFailed || this.signal !== undefined;
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
      if (this.signal !== undefined) return;
      this.signal = signal;
      this.abort.abort();
    });
  }

  /** The exit status: signal, then fatal error, then the tool's own verdict. */
  exitCode(verdict: ExitCode): ExitCode {
    if (this.signal === 'SIGINT') return ExitCode.sigint;
    if (this.signal === 'SIGTERM') return ExitCode.sigterm;
    if (this.failed) return ExitCode.usage;
    if (this.brokenPipe) return ExitCode.ok;
    return verdict;
  }
}

export function colorMode(value: unknown): ColorMode {
  return value === 'always' || value === 'never' ? value : 'auto';
}

/** Runs a tool's main, turning UsageError into one line + exit 2; never a stack trace. */
export async function runTool(
  tool: string,
  io: Io,
  main: (io: Io) => Promise<ExitCode>,
): Promise<ExitCode> {
  try {
    return await main(io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${tool}: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`${tool}: internal error: ${message} (please report this)\n`);
    if (io.env.CSM_DEBUG !== undefined && err instanceof Error && err.stack !== undefined) {
      io.stderr.write(`${err.stack}\n`);
    }
    return ExitCode.usage;
  }
}
