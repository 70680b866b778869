/**
 * csm-validate: args -> options -> config -> run(config, io) -> exit status.
 */
import type { ExitCode } from '../core/diagnostic.js';
import type { EventJudge, Tolerance } from '../core/judge.js';
import { validateLine } from '../core/validate-line.js';
import { judgeFor } from '../io/catalog.js';
import { type InputSpec, inputSpecs } from '../io/input.js';
import { debugLog } from '../io/schemas.js';
import type { ValidateWorkerSettings } from '../io/validate-worker.js';
import type { ErrorFormat } from '../print/report.js';
import { linesSink } from '../print/sinks.js';
import { validateCommand } from './commands.js';
import type { Io } from './io.js';
import { INLINE_BYTES, type InputSettings, type ReportSettings, inputSettings, reportSettings, resolveJobs, runLines, toleranceOf } from './line-run.js';
import { parseCommand } from './args.js';
import { runTool } from './run.js';
import { checkOutputPaths } from './run-state.js';

const TOOL = 'csm-validate';

/** What was typed (lowargs). */
export interface ValidateOptions {
  files: string[];
  quiet: boolean;
  schema?: string;
  /** `--ref [URI=]FILE`, in order. */
  refs: string[];
  /** `--allow-unknown-keys`, `--ignore`: what is a warning, not an error. */
  tolerance: Tolerance;
  errorFormat: ErrorFormat;
  errors?: string;
  invalidOut?: string;
  report: ReportSettings;
  input: InputSettings;
  failFast: boolean;
  maxInvalid?: number;
  maxLineBytes: number;
  jobs?: number;
}

/** What runs (hiargs): the compiled schema and the resolved inputs. */
export interface ValidateConfig {
  options: ValidateOptions;
  inputs: InputSpec[];
  /** The schema per event (core/judge.ts), with what is tolerated. */
  judge: EventJudge;
  /** Stop after this many invalid lines (1 with --fail-fast). */
  stopAfterInvalid: number;
  /** Worker threads (1: validate in the main thread). */
  jobs: number;
  /** Bytes validated in the main thread before the workers start (small inputs need none). */
  inlineBytes: number;
}

export function parseValidateArgs(io: Io): ValidateOptions | { exit: ExitCode } {
  const parsed = parseCommand(validateCommand(), io);
  if (parsed.kind === 'exit') return { exit: parsed.code };
  const o = parsed.opts;
  return {
    files: parsed.args,
    quiet: o.quiet === true,
    schema: o.schema as string | undefined,
    refs: (o.ref as string[] | undefined) ?? [],
    tolerance: toleranceOf(o),
    errorFormat: o.errorFormat as ErrorFormat,
    errors: o.errors as string | undefined,
    invalidOut: o.invalidOut as string | undefined,
    report: reportSettings(o),
    input: inputSettings(o),
    failFast: o.failFast === true,
    maxInvalid: o.maxInvalid as number | undefined,
    maxLineBytes: o.maxLineBytes as number,
    jobs: o.jobs as number | undefined,
  };
}

export function buildValidateConfig(options: ValidateOptions, io?: Io): ValidateConfig {
  const judge = judgeFor(options.schema, options.tolerance, io && debugLog(io.env, (t) => io.stderr.write(t), TOOL), options.refs);
  const inputs = inputSpecs(options.files);
  const outputs: { flag: string; path: string }[] = [];
  if (options.invalidOut !== undefined) outputs.push({ flag: '--invalid-out', path: options.invalidOut });
  if (options.errors !== undefined) outputs.push({ flag: '--errors', path: options.errors });
  if (options.report.summaryJson !== undefined) outputs.push({ flag: '--summary-json', path: options.report.summaryJson });
  checkOutputPaths(inputs, outputs, io);
  const stopAfterInvalid = options.failFast ? 1 : (options.maxInvalid ?? Infinity);
  // Default: one worker per core, once the input has proved larger than INLINE_BYTES.
  const jobs = resolveJobs(options.jobs);
  const inlineBytes = options.jobs === undefined ? INLINE_BYTES : 0;
  return { options, inputs, judge, stopAfterInvalid, jobs, inlineBytes };
}

/** Validates every line of the inputs; returns the exit status. */
export function runValidate(config: ValidateConfig, io: Io): Promise<ExitCode> {
  const { options, judge } = config;
  const workerSettings: ValidateWorkerSettings = { schemaPath: options.schema, refs: options.refs, tolerance: options.tolerance, maxLineBytes: options.maxLineBytes };
  return runLines(TOOL, io, { ...options, inputs: config.inputs, jobs: config.jobs, inlineBytes: config.inlineBytes }, {
    judge: (line) => validateLine(line, judge, options.maxLineBytes),
    worker: { script: new URL('../io/validate-worker.js', import.meta.url), settings: workerSettings },
    sinks: ({ stdout, file }) => [
      ...(options.quiet ? [] : [linesSink(stdout, 'selected', options.input.keepEnvelope)]),
      ...(options.invalidOut !== undefined ? [linesSink(file('--invalid-out', options.invalidOut), 'invalid', options.input.keepEnvelope)] : []),
    ],
    done: (stats) => stats.invalid >= config.stopAfterInvalid,
    kindsOf: 'all',
  });
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const options = parseValidateArgs(io);
    if ('exit' in options) return options.exit;
    return runValidate(buildValidateConfig(options, io), io);
  });
}
