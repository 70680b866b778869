/**
 * csm-validate: args -> options -> config -> run(config, io) -> exit status.
 */
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { type LineVerdict, checkLine } from '../core/check-line.js';
import type { ExitCode } from '../core/diagnostic.js';
import type { Line } from '../core/lines.js';
import { countKindName } from '../core/stats.js';
import { type Validator, createValidator, loadSchemaFile } from '../core/validate.js';
import { type InputSpec, inputSpecs } from '../io/input.js';
import { ParallelLines } from '../io/parallel.js';
import type { ValidateWorkerSettings } from '../io/validate-worker.js';
import { ERROR_FORMATS, type ErrorFormat } from '../print/report.js';
import {
  type Io,
  type ReportSettings,
  checkOutputPaths,
  integerArg,
  parseCommand,
  withRunOptions,
  reportSettings,
  runTool,
} from './common.js';
import { LineRun } from './line-run.js';

const TOOL = 'csm-validate';
/** Input validated in the main thread before worker threads pay off. */
const INLINE_BYTES = 8 * 1024 * 1024;
const NEWLINE = Buffer.from('\n');

/** What was typed (lowargs). */
export interface ValidateOptions {
  files: string[];
  quiet: boolean;
  schema?: string;
  errorFormat: ErrorFormat;
  errors?: string;
  invalidOut?: string;
  report: ReportSettings;
  failFast: boolean;
  maxInvalid?: number;
  maxLineBytes: number;
  jobs?: number;
}

/** What runs (hiargs): the compiled schema and the resolved inputs. */
export interface ValidateConfig {
  options: ValidateOptions;
  inputs: InputSpec[];
  validator: Validator;
  /** Stop after this many invalid lines (1 with --fail-fast). */
  stopAfterInvalid: number;
  /** Worker threads (1: validate in the main thread). */
  jobs: number;
  /** Bytes validated in the main thread before the workers start (small inputs need none). */
  inlineBytes: number;
}

export function validateCommand(): Command {
  const command = new Command(TOOL)
    .description(
      'Validate newline-delimited JSON Datadog CSM Threats events against the event schema.\n' +
        'Valid lines go to stdout byte for byte; every error of every invalid line goes to stderr.',
    )
    .argument('[FILE...]', 'NDJSON files, plain or gzip (- or none: stdin)')
    .option('-q, --quiet', 'do not print valid lines')
    .option('--schema <FILE>', 'validate against this JSON Schema instead of the bundled one')
    .addOption(
      new Option('--error-format <FORMAT>', 'error report format').choices(ERROR_FORMATS).default('text'),
    )
    .option('--errors <FILE>', 'write error reports to FILE instead of stderr')
    .option('--invalid-out <FILE>', 'write invalid lines, byte for byte, to FILE')
    .option('--fail-fast', 'stop at the first invalid line')
    .option('--max-invalid <N>', 'stop after N invalid lines', integerArg(1))
    .option(
      '-j, --jobs <N>',
      'validate in N worker threads, output in input order (default: one per core once the input passes 8 MiB; 1: no threads)',
      integerArg(1),
    );
  return withRunOptions(command).addHelpText(
      'after',
      `
Exit status: 0 all lines valid (or no input), 1 some line invalid, 2 usage error,
unreadable input, unwritable output or bad schema, 130 SIGINT, 143 SIGTERM.

Shell completion: csm-validate completion bash|zsh|fish (e.g. source <(csm-validate completion bash)).
Manual: man csm-validate. The schema's fields and kinds: csm-schema fields, csm-schema kinds.

Examples:
  cat events.ndjson | csm-validate
  csm-validate -q --summary events.ndjson.gz
  csm-validate --invalid-out bad.ndjson events.ndjson > good.ndjson
  csm-validate --error-format json --errors report.ndjson events.ndjson
  csm-validate --schema newer.schema.json --fail-fast events.ndjson`,
    );
}

export function parseValidateArgs(io: Io): ValidateOptions | { exit: ExitCode } {
  const program = validateCommand();
  const parsed = parseCommand(program, io);
  if (parsed.kind === 'exit') return { exit: parsed.code };
  const o = program.opts();
  return {
    files: program.args,
    quiet: o.quiet === true,
    schema: o.schema as string | undefined,
    errorFormat: o.errorFormat as ErrorFormat,
    errors: o.errors as string | undefined,
    invalidOut: o.invalidOut as string | undefined,
    report: reportSettings(o),
    failFast: o.failFast === true,
    maxInvalid: o.maxInvalid as number | undefined,
    maxLineBytes: o.maxLineBytes as number,
    jobs: o.jobs as number | undefined,
  };
}

export function buildValidateConfig(options: ValidateOptions): ValidateConfig {
  const schema = options.schema !== undefined ? loadSchemaFile(options.schema) : undefined;
  const validator = createValidator(schema, options.schema !== undefined ? `schema ${options.schema}` : 'schema');
  const inputs = inputSpecs(options.files);
  const outputs: { flag: string; path: string }[] = [];
  if (options.invalidOut !== undefined) outputs.push({ flag: '--invalid-out', path: options.invalidOut });
  if (options.errors !== undefined) outputs.push({ flag: '--errors', path: options.errors });
  if (options.report.summaryJson !== undefined) outputs.push({ flag: '--summary-json', path: options.report.summaryJson });
  checkOutputPaths(inputs, outputs);
  const stopAfterInvalid = options.failFast ? 1 : (options.maxInvalid ?? Infinity);
  // Default: one worker per core, once the input has proved larger than INLINE_BYTES.
  const jobs = options.jobs ?? availableParallelism();
  const inlineBytes = options.jobs === undefined ? INLINE_BYTES : 0;
  return { options, inputs, validator, stopAfterInvalid, jobs, inlineBytes };
}

/** Validates every line of the inputs; returns the exit status. */
export async function runValidate(config: ValidateConfig, io: Io): Promise<ExitCode> {
  const { options, validator } = config;
  const run = new LineRun(TOOL, io, { ...options, inputs: config.inputs });
  const { stats, stdout } = run;
  const invalidOut = options.invalidOut !== undefined ? run.state.file('--invalid-out', options.invalidOut) : undefined;

  let stopped = false;
  /** Takes one line's verdict: counts it, writes it where it goes, in input order. */
  const take = (file: string, line: Line, verdict: LineVerdict): void => {
    if (stopped) return;
    run.countRead(line);
    if (verdict.status === 'blank') {
      stats.blank += 1;
      return;
    }
    countKindName(stats, verdict.kind);
    if (verdict.status === 'valid') {
      stats.valid += 1;
      if (!options.quiet) {
        stdout.write(line.bytes);
        stdout.write(NEWLINE);
      }
      return;
    }
    run.report({ file, line: line.line, column: verdict.column, errors: verdict.errors });
    if (invalidOut !== undefined && line.tooLong !== true) {
      invalidOut.write(line.bytes);
      invalidOut.write(NEWLINE);
    }
    if (stats.invalid >= config.stopAfterInvalid) stopped = true;
  };

  // --jobs: past the first `inlineBytes`, lines go to worker threads in batches.
  const workerSettings: ValidateWorkerSettings = { schemaPath: options.schema, maxLineBytes: options.maxLineBytes };
  const parallel = new ParallelLines<LineVerdict>(
    config.jobs,
    config.inlineBytes,
    new URL('../io/validate-worker.js', import.meta.url),
    workerSettings,
    (line) => checkLine(line, validator, options.maxLineBytes),
    take,
  );

  return run.run({
    onLine: (file, line) => parallel.add(file, line),
    stop: () => stopped,
    beforeFlush: () => parallel.settle(),
    // What is still in the workers is part of the run, unless it was cut short.
    beforeClose: async () => {
      if (!run.state.shouldStop() && !stopped) await parallel.finish();
    },
    cleanup: () => parallel.close(),
  });
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const options = parseValidateArgs(io);
    if ('exit' in options) return options.exit;
    const config = buildValidateConfig(options);
    return runValidate(config, io);
  });
}
