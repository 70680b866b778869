/**
 * The run every line tool shares: outputs (stdout, reports), counters, signals,
 * the progress line, the read loop and the final reports and exit status. A
 * tool supplies only what it does with each line.
 */
import type { ChalkInstance } from 'chalk';
import { ExitCode, type LineReport } from '../core/diagnostic.js';
import type { Line } from '../core/lines.js';
import { type RunStats, countErrors, newStats } from '../core/stats.js';
import type { InputSpec } from '../io/input.js';
import type { Output } from '../io/output.js';
import { pumpLines } from '../io/pump.js';
import { colorEnabled, makeChalk } from '../print/color.js';
import { type ErrorFormat, formatReport } from '../print/report.js';
import { summaryData } from '../print/summary.js';
import { type Io, type ReportSettings, RunState, finishReports, startProgress } from './common.js';

export interface LineRunSettings {
  inputs: InputSpec[];
  maxLineBytes: number;
  report: ReportSettings;
  errorFormat: ErrorFormat;
  /** `--errors FILE`, else reports go to stderr. */
  errors?: string;
}

export class LineRun {
  readonly state: RunState;
  readonly stats: RunStats = newStats();
  readonly stdout: Output;
  private readonly reports: Output;
  private readonly chalk: ChalkInstance;
  private readonly started = process.hrtime.bigint();

  constructor(
    private readonly tool: string,
    private readonly io: Io,
    private readonly settings: LineRunSettings,
  ) {
    this.state = new RunState(tool, io);
    this.chalk = makeChalk(colorEnabled(settings.report.color, io.env, settings.errors === undefined && io.stderr.isTTY === true));
    this.stdout = this.state.stdout();
    this.reports = settings.errors !== undefined ? this.state.file('--errors', settings.errors) : this.state.stderr();
  }

  /** Counts a line's bytes as read (the terminator included). */
  countRead(line: Line): void {
    this.stats.read += 1;
    this.stats.bytes += (line.tooLong === true ? (line.length ?? 0) : line.bytes.length) + 1;
  }

  /** Reports an invalid line and counts it. */
  report(report: LineReport): void {
    this.stats.invalid += 1;
    countErrors(this.stats, report.errors);
    this.reports.write(formatReport(report, this.settings.errorFormat, this.chalk));
  }

  /**
   * Reads every input through `onLine` until done or `stop()`; `beforeFlush`
   * runs after each chunk, before outputs are flushed (e.g. to collect worker
   * results); `beforeClose` after the last line. Returns the exit status.
   */
  async run(hooks: {
    onLine: (file: string, line: Line) => void;
    stop?: () => boolean;
    beforeFlush?: () => Promise<void>;
    beforeClose?: () => Promise<void> | void;
    cleanup?: () => Promise<void>;
    selected?: () => number;
  }): Promise<ExitCode> {
    const { state, stats } = this;
    const untrap = state.trapSignals();
    const progress = startProgress(this.tool, this.settings.report, this.io, this.settings.inputs, stats);
    let invalidShown = 0;
    try {
      await pumpLines(
        this.settings.inputs,
        { stdin: this.io.stdin, maxLineBytes: this.settings.maxLineBytes, signal: state.abort.signal },
        {
          onLine: hooks.onLine,
          shouldStop: () => state.shouldStop() || (hooks.stop?.() ?? false),
          afterChunk: async () => {
            await hooks.beforeFlush?.();
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
      await hooks.beforeClose?.();
      await state.afterChunk();
    } finally {
      progress?.stop();
      untrap();
      await hooks.cleanup?.();
      await state.closeAll();
    }
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    finishReports(this.settings.report, summaryData(this.tool, stats, seconds, hooks.selected?.()), this.io, state);
    return state.exitCode(stats.invalid > 0 ? ExitCode.invalid : ExitCode.ok);
  }
}
