/**
 * csm-filter: args -> options -> config (compiled query, projection) -> run -> exit status.
 */
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { type ExitCode, UsageError } from '../core/diagnostic.js';
import type { Line } from '../core/lines.js';
import { countKindName } from '../core/stats.js';
import { FilterError } from '../filter-api.js';
import { ParallelLines } from '../io/parallel.js';
import { type FilterSettings, type FilterVerdict, type PreparedFilter, filterVerdict, prepareFilter } from './filter-verdict.js';
import { type InputSpec, inputSpecs } from '../io/input.js';
import { FIELD_FORMATS, type FieldFormat } from '../print/fields.js';
import { ERROR_FORMATS, type ErrorFormat } from '../print/report.js';
import { renderQueryError } from '../query/index.js';
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

const TOOL = 'csm-filter';
/** Input filtered in the main thread before worker threads pay off. */
const INLINE_BYTES = 8 * 1024 * 1024;
const NEWLINE = Buffer.from('\n');

export interface FilterOptions {
  files: string[];
  kinds: string[];
  where: string[];
  invert: boolean;
  limit?: number;
  count: boolean;
  fields: string[];
  format: FieldFormat;
  flat: boolean;
  header: boolean;
  validate: boolean;
  schema?: string;
  schemaCheck: boolean;
  errorFormat: ErrorFormat;
  errors?: string;
  report: ReportSettings;
  maxLineBytes: number;
  jobs?: number;
}

export interface FilterConfig {
  options: FilterOptions;
  inputs: InputSpec[];
  /** Plain data that compiles the same filter in every thread. */
  settings: FilterSettings;
  prepared: PreparedFilter;
  /** Worker threads (1: filter in the main thread). */
  jobs: number;
  /** Bytes filtered in the main thread before the workers start (small inputs need none). */
  inlineBytes: number;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function filterCommand(): Command {
  const command = new Command(TOOL)
    .description(
      'Select Datadog CSM Threats events from NDJSON streams by kind and by a query, and project fields.\n' +
        'Selected lines go to stdout byte for byte (or the --field projection); problems go to stderr.',
    )
    .argument('[FILE...]', 'NDJSON files, plain or gzip (- or none: stdin)')
    .option('-k, --kind <NAME[,NAME...]>', 'evt.name is one of these (repeatable)', collect, [])
    .option('-w, --where <EXPR>', 'query the event must match (repeatable: all must hold)', collect, [])
    .option('-v, --invert', 'select the events that do NOT match')
    .option('-n, --limit <N>', 'stop after N selected events', integerArg(0))
    .option('-c, --count', 'print only the number of selected events')
    .option('-f, --field <PATH[,PATH...]>', 'print these fields instead of the line (repeatable)', collect, [])
    .addOption(new Option('--format <FORMAT>', 'output format with --field').choices(FIELD_FORMATS).default('ndjson'))
    .option('--flat', 'with --format ndjson: {"process.args": [...]} instead of nested objects')
    .option('--no-header', 'with --format tsv|csv: no header line')
    .option('--validate', 'also validate each event against the schema and drop invalid ones')
    .option('--schema <FILE>', 'JSON Schema for --validate and for checking field paths')
    .option('--no-schema-check', 'do not check --field/--where paths against the schema')
    .addOption(new Option('--error-format <FORMAT>', 'report format for bad lines').choices(ERROR_FORMATS).default('text'))
    .option('--errors <FILE>', 'write reports of bad lines to FILE instead of stderr')
    .option(
      '-j, --jobs <N>',
      'filter in N worker threads, output in input order (default: one per core once the input passes 8 MiB; 1: no threads)',
      integerArg(1),
    );
  return withRunOptions(command).addHelpText(
      'after',
      `
Query language (--where): paths like process.args[0], process.ancestors[*].file.path,
mount["mountpoint.path"]; == != < <= > >=; =~ !~ with a glob "/etc/**" or a regex
r"^/tmp/.*\\.sh$"; in [...], not in [...]; exists(path); and/&&, or/||, not/!, ( ).

Exit status: 0 done (selecting nothing included), 1 some line was not JSON (or
invalid, with --validate), 2 usage error, bad query or field, unreadable input
or unwritable output, 130 SIGINT, 143 SIGTERM.

Shell completion: csm-filter completion bash|zsh|fish (e.g. source <(csm-filter completion bash)).
Manual: man csm-filter. The schema's fields and kinds: csm-schema fields, csm-schema kinds.

Examples:
  csm-filter --kind exec --field process.args events.ndjson
  csm-filter -k open,unlink -w 'file.path =~ "/etc/**" and process.credentials.uid == 0' a.ndjson.gz
  csm-filter -w 'exists(dns.question.name)' -f dns.question.name -f process.executable.path --format tsv
  csm-filter -c -k exec -w 'process.ancestors[*].executable.name == "nginx"' events.ndjson
  csm-filter --kind mount -f 'mount["mountpoint.path"]' --format raw events.ndjson`,
    );
}

/** Splits `a,b` on commas outside brackets and quotes (`mount["a,b"]` stays whole). */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((s) => s !== '');
}

export function parseFilterArgs(io: Io): FilterOptions | { exit: ExitCode } {
  const program = filterCommand();
  const parsed = parseCommand(program, io);
  if (parsed.kind === 'exit') return { exit: parsed.code };
  const o = program.opts();
  return {
    files: program.args,
    kinds: (o.kind as string[]).flatMap(splitList),
    where: o.where as string[],
    invert: o.invert === true,
    limit: o.limit as number | undefined,
    count: o.count === true,
    fields: (o.field as string[]).flatMap(splitList),
    format: o.format as FieldFormat,
    flat: o.flat === true,
    header: o.header !== false,
    validate: o.validate === true,
    schema: o.schema as string | undefined,
    schemaCheck: o.schemaCheck !== false,
    errorFormat: o.errorFormat as ErrorFormat,
    errors: o.errors as string | undefined,
    report: reportSettings(o),
    maxLineBytes: o.maxLineBytes as number,
    jobs: o.jobs as number | undefined,
  };
}


/** The library's FilterError, worded for the command line (flag names, carets). */
function cliMessage(err: FilterError): string {
  if (err.option === 'where') {
    // Every error of the query, each rendered with its caret; runTool adds the first prefix.
    return err.errors
      .map((e) => renderQueryError(err.source, e, '--where', { program: TOOL }))
      .join('\n')
      .slice(`${TOOL}: `.length);
  }
  if (err.option === 'fields' && err.errors.length > 0) return `--field ${err.source}: ${err.errors[0]!.message}`;
  return err.message.replace(/^field /, '--field ');
}

export function buildFilterConfig(options: FilterOptions): FilterConfig {
  if (options.kinds.length === 0 && options.where.length === 0 && options.invert) {
    throw new UsageError('--invert needs a --kind or --where to invert');
  }
  if (options.format === 'raw' && options.fields.length !== 1) {
    throw new UsageError('--format raw takes exactly one --field');
  }
  if (options.format !== 'ndjson' && options.fields.length === 0) {
    throw new UsageError(`--format ${options.format} needs at least one --field`);
  }
  if (options.flat && (options.fields.length === 0 || options.format !== 'ndjson')) {
    throw new UsageError('--flat goes with --field and --format ndjson');
  }
  // The same compiled selection as the library's filterStream.
  const settings: FilterSettings = {
    maxLineBytes: options.maxLineBytes,
    filter: {
      kinds: options.kinds,
      where: options.where,
      invert: options.invert,
      fields: options.fields,
      schema: options.schema,
      schemaCheck: options.schemaCheck,
      validate: options.validate,
    },
    format: options.format,
    flat: options.flat,
    header: options.header,
    count: options.count,
  };
  let prepared: PreparedFilter;
  try {
    prepared = prepareFilter(settings);
  } catch (err) {
    if (err instanceof FilterError) throw new UsageError(cliMessage(err));
    throw err;
  }
  const inputs = inputSpecs(options.files);
  const outputs: { flag: string; path: string }[] = [];
  if (options.errors !== undefined) outputs.push({ flag: '--errors', path: options.errors });
  if (options.report.summaryJson !== undefined) outputs.push({ flag: '--summary-json', path: options.report.summaryJson });
  checkOutputPaths(inputs, outputs);
  const jobs = options.jobs ?? availableParallelism();
  return { options, inputs, settings, prepared, jobs, inlineBytes: options.jobs === undefined ? INLINE_BYTES : 0 };
}


export async function runFilter(config: FilterConfig, io: Io): Promise<ExitCode> {
  const { options, settings, prepared } = config;
  const { printer } = prepared;
  const run = new LineRun(TOOL, io, { ...options, inputs: config.inputs });
  const { stats, stdout } = run;
  let selected = 0;
  const limit = options.limit ?? Infinity;
  let headerDone = false;

  /** Takes one line's verdict, in input order: counts it and writes what it selects. */
  const take = (file: string, line: Line, verdict: FilterVerdict): void => {
    if (selected >= limit) return;
    run.countRead(line);
    if (verdict.status === 'blank') {
      stats.blank += 1;
      return;
    }
    countKindName(stats, verdict.kind);
    if (verdict.status === 'invalid') {
      run.report({ file, line: line.line, column: verdict.column, errors: verdict.errors });
      return;
    }
    stats.valid += 1;
    if (verdict.status === 'skipped') return;
    selected += 1;
    if (options.count) return;
    if (printer === undefined) {
      stdout.write(line.bytes);
      stdout.write(NEWLINE);
      return;
    }
    if (!headerDone) {
      headerDone = true;
      stdout.write(printer.header());
    }
    if (verdict.output !== undefined && verdict.output !== '') stdout.write(verdict.output);
  };

  const parallel = new ParallelLines<FilterVerdict>(
    config.jobs,
    config.inlineBytes,
    new URL('../io/filter-worker.js', import.meta.url),
    settings,
    (line) => filterVerdict(line, prepared, settings),
    take,
  );
  return run.run({
    onLine: (file, line) => parallel.add(file, line),
    stop: () => selected >= limit,
    beforeFlush: () => parallel.settle(),
    beforeClose: async () => {
      if (!run.state.shouldStop() && selected < limit) await parallel.finish();
      if (printer !== undefined && !headerDone && !options.count) stdout.write(printer.header());
      if (options.count && !run.state.brokenPipe) stdout.write(`${selected}\n`);
    },
    cleanup: () => parallel.close(),
    selected: () => selected,
  });
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const options = parseFilterArgs(io);
    if ('exit' in options) return options.exit;
    const config = buildFilterConfig(options);
    return runFilter(config, io);
  });
}
