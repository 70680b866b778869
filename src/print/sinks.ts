/**
 * Sinks, in the manner of ripgrep's `Sink` and its printers: the run hands
 * every judged line to each sink in input order (after counting it once), and
 * each sink writes only its own output. `--format`, `--count`, `--quiet`,
 * `--invalid-out` and `--error-format` each just pick sinks.
 */
import type { ChalkInstance } from 'chalk';
import type { Line } from '../core/lines.js';
import type { RunStats } from '../core/stats.js';
import type { Verdict } from '../core/verdict.js';
import type { FieldPrinter } from './fields.js';
import { type ErrorFormat, formatReport } from './report.js';

/** Where a sink writes (an io Output: batched, with backpressure handled by the run). */
export interface Writer {
  write(data: Buffer | string): void;
}

export interface Sink {
  /** One judged line of `file`, in input order. */
  take(file: string, line: Line, verdict: Verdict): void;
  /** After the last line (also after an interruption), with the run's counts. */
  finish?(stats: RunStats): void;
}

const NEWLINE = Buffer.from('\n');

/**
 * The lines of one status, byte for byte (valid/selected lines to stdout, invalid ones to `--invalid-out`);
 * with `keepEnvelope`, the whole record an event was cut from (`--keep-envelope`).
 */
export function linesSink(out: Writer, status: 'selected' | 'invalid', keepEnvelope = false): Sink {
  return {
    take(_file, line, verdict) {
      // An over-long line was never held: there are no bytes to copy.
      if (verdict.status !== status || line.tooLong === true) return;
      out.write(keepEnvelope ? (line.record ?? line.bytes) : line.bytes);
      out.write(NEWLINE);
    },
  };
}

/** The `--field` projection of each selected event, after the header (written even when nothing is selected). */
export function fieldsSink(out: Writer, printer: FieldPrinter): Sink {
  let headerDone = false;
  const header = (): void => {
    if (headerDone) return;
    headerDone = true;
    out.write(printer.header());
  };
  return {
    take(_file, _line, verdict) {
      if (verdict.status !== 'selected') return;
      header();
      if (verdict.output !== undefined && verdict.output !== '') out.write(verdict.output);
    },
    finish: header,
  };
}

/** `--count`: only the number of selected lines, at the end. */
export function countSink(out: Writer): Sink {
  return {
    take() {},
    finish(stats) {
      out.write(`${stats.selected}\n`);
    },
  };
}

/** Every error of every invalid line, and the warnings of any line, in the `--error-format`. */
export function reportSink(out: Writer, format: ErrorFormat, chalk: ChalkInstance): Sink {
  return {
    take(file, line, verdict) {
      if (verdict.status === 'blank') return;
      if (verdict.status !== 'invalid' && verdict.warnings === undefined) return;
      const errors = verdict.status === 'invalid' ? verdict.errors : [];
      const column = verdict.status === 'invalid' ? verdict.column : verdict.warnings?.[0]?.column;
      const at = line.column !== undefined ? { column: line.column, event: line.item !== undefined ? { item: line.item } : {} } : { column };
      out.write(
        formatReport(
          {
            file,
            line: line.line,
            ...at,
            errors,
            ...(verdict.status === 'invalid' && verdict.omitted !== undefined ? { omitted: verdict.omitted } : {}),
            ...(verdict.schema !== undefined ? { schema: verdict.schema } : {}),
            ...(verdict.warnings !== undefined ? { warnings: verdict.warnings } : {}),
          },
          format,
          chalk,
        ),
      );
    },
  };
}
