/**
 * csm-validate: args -> options -> config -> run(config, io) -> exit status.
 */
import { Command, Option } from 'commander';
import type { ChalkInstance } from 'chalk';
import { ExitCode, type LineReport } from '../core/diagnostic.js';
import type { Line } from '../core/lines.js';
import { locateIssues, parseLine } from '../core/parse-line.js';
import { countErrors, countKind, newStats, type RunStats } from '../core/stats.js';
import { type Validator, createValidator, loadSchemaFile } from '../core/validate.js';
import { type InputSpec, inputSpecs } from '../io/input.js';
import type { Output } from '../io/output.js';
import { pumpLines } from '../io/pump.js';
import { colorEnabled, makeChalk } from '../print/color.js';
import { ERROR_FORMATS, type ErrorFormat, formatReport } from '../print/report.js';
import { formatSummary } from '../print/summary.js';
import {
  type Io,
  RunState,
  checkOutputPaths,
  colorMode,
  colorOption,
  integerArg,
  maxLineBytesOption,
  parseCommand,
  runTool,
} from './common.js';
import { VERSION } from './version.js';

const TOOL = 'csm-validate';
const NEWLINE = Buffer.from('\n');

/** What was typed (lowargs). */
export interface ValidateOptions {
  files: string[];
  quiet: boolean;
  schema?: string;
  errorFormat: ErrorFormat;
  errors?: string;
  invalidOut?: string;
  summary: boolean;
  failFast: boolean;
  maxInvalid?: number;
  maxLineBytes: number;
  color: 'auto' | 'always' | 'never';
}

/** What runs (hiargs): the compiled schema and the resolved inputs. */
export interface ValidateConfig {
  options: ValidateOptions;
  inputs: InputSpec[];
  validator: Validator;
  /** Stop after this many invalid lines (1 with --fail-fast). */
  stopAfterInvalid: number;
}

export function validateCommand(): Command {
  return new Command(TOOL)
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
    .option('--summary', 'print a summary on stderr after the run')
    .option('--fail-fast', 'stop at the first invalid line')
    .option('--max-invalid <N>', 'stop after N invalid lines', integerArg(1))
    .addOption(maxLineBytesOption())
    .addOption(colorOption())
    .version(VERSION, '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Exit status: 0 all lines valid (or no input), 1 some line invalid, 2 usage error,
unreadable input, unwritable output or bad schema, 130 SIGINT, 143 SIGTERM.

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
    summary: o.summary === true,
    failFast: o.failFast === true,
    maxInvalid: o.maxInvalid as number | undefined,
    maxLineBytes: o.maxLineBytes as number,
    color: colorMode(o.color),
  };
}

export function buildValidateConfig(options: ValidateOptions): ValidateConfig {
  const schema = options.schema !== undefined ? loadSchemaFile(options.schema) : undefined;
  const validator = createValidator(schema, options.schema !== undefined ? `schema ${options.schema}` : 'schema');
  const inputs = inputSpecs(options.files);
  const outputs: { flag: string; path: string }[] = [];
  if (options.invalidOut !== undefined) outputs.push({ flag: '--invalid-out', path: options.invalidOut });
  if (options.errors !== undefined) outputs.push({ flag: '--errors', path: options.errors });
  checkOutputPaths(inputs, outputs);
  const stopAfterInvalid = options.failFast ? 1 : (options.maxInvalid ?? Infinity);
  return { options, inputs, validator, stopAfterInvalid };
}

/** Validates every line of the inputs; returns the exit status. */
export async function runValidate(config: ValidateConfig, io: Io): Promise<ExitCode> {
  const { options, validator } = config;
  const started = process.hrtime.bigint();
  const state = new RunState(TOOL, io);
  const c: ChalkInstance = makeChalk(
    colorEnabled(options.color, io.env, options.errors === undefined && io.stderr.isTTY === true),
  );
  const stdout = state.stdout();
  const reports: Output = options.errors !== undefined ? state.file('--errors', options.errors) : state.stderr();
  const invalidOut = options.invalidOut !== undefined ? state.file('--invalid-out', options.invalidOut) : undefined;
  const stats: RunStats = newStats();
  const untrap = state.trapSignals();

  const onLine = (file: string, line: Line): void => {
    stats.read += 1;
    stats.bytes += (line.tooLong === true ? (line.length ?? 0) : line.bytes.length) + 1;
    const parsed = parseLine(line, options.maxLineBytes);
    if (parsed.kind === 'blank') {
      stats.blank += 1;
      return;
    }
    let report: LineReport | undefined;
    if (parsed.kind === 'invalid') {
      report = { file, line: line.line, column: parsed.issue.column, errors: [parsed.issue] };
    } else {
      countKind(stats, parsed.value);
      const issues = validator.validate(parsed.value);
      if (issues.length > 0) {
        locateIssues(parsed.text, issues);
        report = { file, line: line.line, column: issues[0]!.column, errors: issues };
      }
    }
    if (report === undefined) {
      stats.valid += 1;
      if (!options.quiet) {
        stdout.write(line.bytes);
        stdout.write(NEWLINE);
      }
      return;
    }
    stats.invalid += 1;
    countErrors(stats, report.errors);
    reports.write(formatReport(report, options.errorFormat, c));
    if (invalidOut !== undefined && line.tooLong !== true) {
      invalidOut.write(line.bytes);
      invalidOut.write(NEWLINE);
    }
  };

  try {
    await pumpLines(
      config.inputs,
      { stdin: io.stdin, maxLineBytes: options.maxLineBytes, signal: state.abort.signal },
      {
        onLine,
        shouldStop: () => state.shouldStop() || stats.invalid >= config.stopAfterInvalid,
        afterChunk: () => state.afterChunk(),
        onInputError: (err) => {
          state.failed = true;
          state.message(`cannot read ${err.message}`);
        },
      },
    );
  } finally {
    untrap();
    await state.closeAll();
  }
  if (options.summary) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    io.stderr.write(formatSummary(TOOL, stats, seconds, makeChalk(colorEnabled(options.color, io.env, io.stderr.isTTY === true))));
  }
  return state.exitCode(stats.invalid > 0 ? ExitCode.invalid : ExitCode.ok);
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const options = parseValidateArgs(io);
    if ('exit' in options) return options.exit;
    const config = buildValidateConfig(options);
    return runValidate(config, io);
  });
}
