/**
 * The run both line tools share: outputs (stdout, reports), signals, the
 * progress line, the read loop, `--jobs`, the final summary and exit status.
 *
 *     bytes -> lines (io/pump) -> verdict (tool.judge, here or in a worker)
 *           -> counted once (RunStats) -> sinks (print/sinks) -> outputs
 *
 * A tool supplies its per-line step, its worker and its sinks; nothing else.
 */
import { availableParallelism } from 'node:os';
import { ExitCode, UsageError } from '../core/diagnostic.js';
import { type Tolerance, parseIgnoreRule } from '../core/judge.js';
import { emptyRunHint } from '../core/hints.js';
import type { Line } from '../core/lines.js';
import { RunStats } from '../core/stats.js';
import type { Verdict } from '../core/verdict.js';
import type { InputSpec } from '../io/input.js';
import type { Output } from '../io/output.js';
import { ParallelLines, type WorkerSettings } from '../io/parallel.js';
import { keepHeapLimits } from '../io/memory-limits.js';
import { ProgressLine, plainInputBytes } from '../io/progress.js';
import { pumpLines } from '../io/pump.js';
import { type InputShape, describeShape } from '../core/shapes/detect.js';
import { type ColorMode, colorEnabled, makeChalk } from '../print/color.js';
import { type ErrorFormat } from '../print/report.js';
import { type Sink, reportSink } from '../print/sinks.js';
import { formatSummary, formatSummaryJson, summaryData } from '../print/summary.js';
import type { Tool } from './commands.js';
import type { Io } from './io.js';
import { colorMode } from './args.js';
import { RunState } from './run-state.js';

/** Input judged in the main thread before worker threads pay off. */
export const INLINE_BYTES = 8 * 1024 * 1024;

/**
 * The most threads `--jobs` takes (the main thread and MAX_JOBS - 1 workers):
 * each worker is a V8 isolate with its own heap (48 of them took 634 MB on a
 * 10 MB input), and past a dozen the one reading thread is the bottleneck anyway.
 */
export const MAX_JOBS = 16;

/** `--jobs` as given, checked against MAX_JOBS; by default one per core, at most MAX_JOBS. */
export function resolveJobs(jobs: number | undefined): number {
  if (jobs === undefined) return Math.min(availableParallelism(), MAX_JOBS);
  if (jobs > MAX_JOBS) {
    throw new UsageError(`--jobs ${jobs}: at most ${MAX_JOBS} threads (each worker has a heap of its own; this machine has ${availableParallelism()} cores)`);
  }
  return jobs;
}

/**
 * Worker threads: `--jobs N` is N threads that judge, the main thread among
 * them (it judges a share, io/parallel.ts), so N - 1 workers (1: none); the
 * default, one per core but one, whether they pay then measured.
 */
export function workerCount(settings: { jobs: number; inlineBytes: number }, cores = availableParallelism()): number {
  if (settings.inlineBytes > 0) return Math.min(Math.max(cores - 1, 0), MAX_JOBS - 1);
  return settings.jobs > 1 ? settings.jobs - 1 : 0;
}

/** `--summary`, `--summary-json`, `--no-progress`, `--color`: what the run reports besides lines. */
export interface ReportSettings {
  summary: boolean;
  summaryJson?: string;
  progress: boolean;
  color: ColorMode;
}

/** `--allow-unknown-keys` and `--ignore KEYWORD[:POINTER-GLOB]` as typed (a bad --ignore is a usage error). */
export function toleranceOf(o: Record<string, unknown>): Tolerance {
  const ignore = ((o.ignore as string[] | undefined) ?? []).map((text) => {
    try {
      return parseIgnoreRule(text);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`--ignore ${text}: ${err.message}`);
      throw err;
    }
  });
  return { allowUnknownKeys: o.allowUnknownKeys === true, ignore };
}

export function reportSettings(o: Record<string, unknown>): ReportSettings {
  return {
    summary: o.summary === true,
    summaryJson: o.summaryJson as string | undefined,
    progress: o.progress !== false,
    color: colorMode(o.color),
  };
}

/** `--input`, `--keep-envelope`: how each input's events are cut out of it (core/shapes). */
export interface InputSettings {
  shape: InputShape | 'auto';
  keepEnvelope: boolean;
  /**
   * What of the options reads the envelope (`--where $host...`), if anything:
   * an input without one (bare events) is then refused, with this in the message.
   */
  envelopeUser?: string;
}

export function inputSettings(o: Record<string, unknown>): InputSettings {
  return { shape: (o.input as InputShape | 'auto' | undefined) ?? 'auto', keepEnvelope: o.keepEnvelope === true };
}

/**
 * The options read the envelope (`user` says which): a forced shape without one
 * is a usage error now; a detected one is refused per input (shapeNotice).
 */
export function requireEnvelope(input: InputSettings, user: string): InputSettings {
  if (input.shape === 'ndjson' || input.shape === 'json') {
    throw new UsageError(`${user} reads the envelope of archive or API records, but --input ${input.shape} has bare events only`);
  }
  return { ...input, envelopeUser: user };
}

/** An input's shape, said once on stderr when it was detected (plain NDJSON goes unsaid); refused when the options need an envelope it lacks. */
function shapeNotice(input: InputSettings | undefined, say: (text: string) => void) {
  return (file: string, shape: InputShape, detected: boolean, array: boolean): string | undefined => {
    if (input?.envelopeUser !== undefined && (shape === 'ndjson' || shape === 'json')) {
      return `${input.envelopeUser} reads the envelope of archive or API records, but this input holds bare events (${describeShape(shape, array)}); force a shape with --input archive|api if it is one`;
    }
    if (detected && shape !== 'ndjson') say(`${file}: ${describeShape(shape, array)}`);
    return undefined;
  };
}

export interface LineRunSettings {
  inputs: InputSpec[];
  maxLineBytes: number;
  report: ReportSettings;
  errorFormat: ErrorFormat;
  /** `--errors FILE`, else reports go to stderr. */
  errors?: string;
  /** `--jobs` as given (undefined: one per core, once the input has passed INLINE_BYTES). */
  jobs: number;
  /** 0 with `--jobs` given; else INLINE_BYTES, and whether the workers pay is measured (io/thread-choice.ts). */
  inlineBytes: number;
  /** csm-filter has a time window: its summary says how many events it left out for want of a date-time. */
  timeWindow?: boolean;
  /** csm-filter selects by --kind: an empty answer from lines without evt.name gets a hint. */
  byKind?: boolean;
  /** `--input`, `--keep-envelope` (default: detected, the event only). */
  input?: InputSettings;
}

/** What a line tool brings to the run. */
export interface LineTool {
  /** The per-line step (core), in this thread. */
  judge(line: Line): Verdict;
  /** The same step in `--jobs` workers: the script and the plain data it compiles from. */
  worker: { script: URL; settings: WorkerSettings };
  /** The tool's sinks on the run's outputs (reports are the run's own). */
  sinks(run: { stdout: Output; file(flag: string, path: string): Output }): Sink[];
  /** True once the run has what it needs (`--limit`, `--max-invalid`): stop reading. */
  done(stats: RunStats): boolean;
  /**
   * What the run counts by kind, and so how its summary reads: `all` lines
   * (csm-validate: valid/invalid), or the `selected` ones (csm-filter: parsed,
   * selected, the kinds of what it selected).
   */
  kindsOf: 'all' | 'selected';
}

export async function runLines(tool: Tool, io: Io, settings: LineRunSettings, lineTool: LineTool): Promise<ExitCode> {
  const started = process.hrtime.bigint();
  const state = new RunState(tool, io);
  const stats = new RunStats(lineTool.kindsOf);
  stats.timeWindow = settings.timeWindow === true;
  const chalk = makeChalk(colorEnabled(settings.report.color, io.env, settings.errors === undefined && io.stderr.isTTY === true));
  const stdout = state.stdout();
  // Every output file is opened (not truncated) and checked before any is truncated (src/cli/run-state.ts).
  const reports = settings.errors !== undefined ? state.file('--errors', settings.errors) : state.stderr();
  const sinks = [reportSink(reports, settings.errorFormat, chalk), ...lineTool.sinks({ stdout, file: (f, p) => state.file(f, p) })];
  const summaryJson = settings.report.summaryJson !== undefined ? state.openFile('--summary-json', settings.report.summaryJson) : undefined;
  state.commitFiles(settings.inputs);

  /** Takes one line's verdict, in input order: counted once, then every sink. */
  const take = (file: string, line: Line, verdict: Verdict): void => {
    if (lineTool.done(stats)) return;
    stats.count(line, verdict);
    for (const sink of sinks) sink.take(file, line, verdict);
  };
  const segmentBytes = Number(io.env.CSM_SEGMENT_BYTES);
  const parallel = new ParallelLines<Verdict>({
    jobs: workerCount(settings),
    adaptive: settings.inlineBytes > 0,
    inlineBytes: settings.inlineBytes,
    script: lineTool.worker.script,
    settings: lineTool.worker.settings,
    judge: (line) => lineTool.judge(line),
    take,
    onFailure: (message) => state.message(message),
    // A test's knob: tiny segments, so that their boundaries fall everywhere.
    ...(Number.isInteger(segmentBytes) && segmentBytes > 0 ? { segmentBytes } : {}),
  });

  const untrap = state.trapSignals();
  // Typing events at a terminal (or a forgotten `< file`): say so, rather than a progress line at 0 MB.
  const readsTerminal = io.stdin.isTTY === true && settings.inputs.some((i) => i.path === '-');
  if (readsTerminal) state.message('reading events from the terminal (stdin); end with Ctrl-D, or give a FILE');
  const progress = readsTerminal ? undefined : startProgress(tool, settings, io, stats);
  let invalidShown = 0;
  try {
    await pumpLines(
      settings.inputs,
      {
        stdin: io.stdin,
        maxLineBytes: settings.maxLineBytes,
        signal: state.abort.signal,
        shape: settings.input?.shape ?? 'auto',
        onShape: shapeNotice(settings.input, (text) => state.message(text)),
      },
      {
        onLine: (file, line) => parallel.add(file, line),
        takeChunks: (file, at) => parallel.takeChunks(file, at),
        shouldStop: () => state.shouldStop() || lineTool.done(stats),
        afterChunk: async () => {
          keepHeapLimits(); // set V8's heap flags again while a worker starts (io/memory-limits.ts)
          await parallel.settle();
          // Reports are about to reach the terminal: take the progress line away first.
          if (progress !== undefined && stats.invalid !== invalidShown) {
            invalidShown = stats.invalid;
            progress.clear();
          }
          await state.afterChunk();
        },
        onInputError: (err) => {
          state.failed = true;
          state.message(`cannot read ${err.message}`);
        },
      },
    );
    // What is still in the workers is part of the run, unless it was cut short.
    if (!state.shouldStop() && !lineTool.done(stats)) await parallel.finish();
    if (!state.brokenPipe) for (const sink of sinks) sink.finish?.(stats);
    await state.afterChunk();
  } finally {
    progress?.stop();
    untrap();
    if (io.env.CSM_THREADS_DEBUG !== undefined) io.stderr.write(`${tool}: ${parallel.describe()}\n`);
    await parallel.close();
    await state.closeAll();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await finishReports(tool, settings, stats, seconds, io, state, summaryJson);
  return state.exitCode(stats.invalid > 0 ? ExitCode.invalid : ExitCode.ok);
}

/** A progress line on a TTY stderr, unless turned off. */
function startProgress(tool: Tool, settings: LineRunSettings, io: Io, stats: RunStats): ProgressLine | undefined {
  if (!settings.report.progress || io.stderr.isTTY !== true) return undefined;
  const total = plainInputBytes(settings.inputs);
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

/** Prints `--summary` and writes `--summary-json` (opened at the start); a write error is reported and fails the run. */
async function finishReports(
  tool: Tool,
  run: LineRunSettings,
  stats: RunStats,
  seconds: number,
  io: Io,
  state: RunState,
  summaryJson: Output | undefined,
): Promise<void> {
  const settings = run.report;
  const data = summaryData(tool, stats, seconds, state.signal);
  // Nothing went on, and the lines say why: one line naming the likely cause and the flag.
  const hint = stats.selected === 0 && state.signal === undefined ? emptyRunHint(stats.shapes, run.byKind === true) : undefined;
  if (hint !== undefined) io.stderr.write(`${tool}: hint: ${hint}\n`);
  if (settings.summary) {
    io.stderr.write(formatSummary(data, makeChalk(colorEnabled(settings.color, io.env, io.stderr.isTTY === true))));
  }
  if (summaryJson !== undefined) {
    // A write error goes to the run's error handler: reported, and the run fails.
    summaryJson.write(formatSummaryJson(data));
    await summaryJson.close();
  }
}
