/**
 * csm-filter: args -> options -> config (compiled query, projection) -> run -> exit status.
 */
import { availableParallelism } from 'node:os';
import { type ExitCode, UsageError } from '../core/diagnostic.js';
import { KNOWN_KINDS, isKnownKind } from '../core/kinds.js';
import { closest } from '../core/schema-index/suggest.js';
import { FilterError } from '../core/filter-line.js';
import { type FilterJob, type FilterJobSettings, prepareFilter } from '../io/filter-job.js';
import { type InputSpec, inputSpecs } from '../io/input.js';
import { debugLog } from '../io/schemas.js';
import type { FieldFormat, FieldPrinter } from '../print/fields.js';
import { fieldPrinter } from '../print/fields.js';
import type { ErrorFormat } from '../print/report.js';
import { type Sink, countSink, fieldsSink, linesSink } from '../print/sinks.js';
import type { ChalkInstance } from 'chalk';
import { colorEnabled, makeChalk } from '../print/color.js';
import { renderQueryError } from '../query/index.js';
import { filterCommand } from './commands.js';
import { compareInstants, parseRfc3339Instant } from '../core/formats.js';
import { type TimeWindowSpec, resolveTimeArgument } from '../core/time-window.js';
import type { Io } from './io.js';
import { INLINE_BYTES, type InputSettings, type ReportSettings, inputSettings, reportSettings, requireEnvelope, runLines } from './line-run.js';
import { parseCommand } from './args.js';
import { runTool } from './run.js';
import { checkOutputPaths } from './run-state.js';

const TOOL = 'csm-filter';

export interface FilterOptions {
  files: string[];
  kinds: string[];
  /** `-k` values as typed (to refuse an empty one: `-k ""`, `-k exec,`). */
  rawKinds: string[];
  where: string[];
  invert: boolean;
  /** `--since`/`--until` as given (resolved by buildFilterConfig, against one reading of the clock). */
  since?: string;
  until?: string;
  timeField?: string;
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
  input: InputSettings;
  maxLineBytes: number;
  jobs?: number;
}

export interface FilterConfig {
  options: FilterOptions;
  inputs: InputSpec[];
  /** Plain data that compiles the same filter in every thread. */
  settings: FilterJobSettings;
  job: FilterJob;
  /** The field printer of the main thread (its header), when fields are printed. */
  printer: FieldPrinter | undefined;
  /** Worker threads (1: filter in the main thread). */
  jobs: number;
  /** Bytes filtered in the main thread before the workers start (small inputs need none). */
  inlineBytes: number;
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
  const parsed = parseCommand(filterCommand(), io);
  if (parsed.kind === 'exit') return { exit: parsed.code };
  const o = parsed.opts;
  return {
    files: parsed.args,
    kinds: ((o.kind as string[] | undefined) ?? []).flatMap(splitList),
    rawKinds: (o.kind as string[] | undefined) ?? [],
    where: (o.where as string[] | undefined) ?? [],
    invert: o.invert === true,
    since: o.since as string | undefined,
    until: o.until as string | undefined,
    timeField: o.timeField as string | undefined,
    limit: o.limit as number | undefined,
    count: o.count === true,
    fields: ((o.field as string[] | undefined) ?? []).flatMap(splitList),
    format: o.format as FieldFormat,
    flat: o.flat === true,
    header: o.header !== false,
    validate: o.validate === true,
    schema: o.schema as string | undefined,
    schemaCheck: o.schemaCheck !== false,
    errorFormat: o.errorFormat as ErrorFormat,
    errors: o.errors as string | undefined,
    report: reportSettings(o),
    input: inputSettings(o),
    maxLineBytes: o.maxLineBytes as number,
    jobs: o.jobs as number | undefined,
  };
}

/** A FilterError worded for the command line, from its data: flag names, carets under the query (red, when stderr is coloured). */
function cliMessage(err: FilterError, chalk: ChalkInstance): string {
  if (err.option === 'where') {
    // Every error of the query, each with its caret; runTool adds the tool's name to the first.
    const caretLine = /^ *\^[ ^]*( opened here)?$/;
    return err.errors
      .map((e) => renderQueryError(err.source, e, '--where').split('\n').map((l) => (caretLine.test(l) ? chalk.red.bold(l) : l)).join('\n'))
      .join(`\n${TOOL}: `);
  }
  const reason = err.errors[0]?.message ?? err.reason ?? err.message;
  if (err.option === 'time') {
    const e = err.errors[0];
    return e !== undefined ? renderQueryError(err.source, e, '--time-field') : `--time-field ${err.source}: ${reason}`;
  }
  return `--field ${err.source}: ${reason}`;
}

/**
 * `-k` names must be kinds the agent writes: a typo (`exce`, `EXEC`) would
 * otherwise select nothing, silently, with exit 0.
 */
function checkKinds(kinds: readonly string[], raw: readonly string[]): void {
  if (raw.some((k) => k.trim() === '' || k.split(',').some((part) => part.trim() === ''))) {
    throw new UsageError('--kind: an empty kind name (csm-schema kinds lists them)');
  }
  for (const kind of kinds) {
    if (isKnownKind(kind)) continue;
    const best = closest(kind.toLowerCase(), KNOWN_KINDS, (k) => k, 2);
    const hint = best === undefined ? '' : best === kind.toLowerCase() ? ` — kinds are lower case: '${best}'` : ` — did you mean '${best}'?`;
    throw new UsageError(`--kind: unknown kind '${kind}'${hint} (see csm-schema kinds)`);
  }
}

/** The usage errors of flag combinations, before anything is compiled. */
function checkCombinations(options: FilterOptions): void {
  checkKinds(options.kinds, options.rawKinds);
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
}

/** `--since`/`--until`/`--time-field` as a window of RFC 3339 texts (plain data for the workers); now is read once. */
export function timeWindow(options: FilterOptions, nowMs: number): TimeWindowSpec | undefined {
  if (options.since === undefined && options.until === undefined) {
    if (options.timeField !== undefined) throw new UsageError('--time-field goes with --since or --until');
    return undefined;
  }
  const resolve = (flag: string, text: string): string => {
    const t = resolveTimeArgument(text, nowMs);
    if (t === null) {
      throw new UsageError(
        `${flag} ${JSON.stringify(text)}: not a time; expected an RFC 3339 date-time (2024-08-01T06:00:00Z, 2024-08-01T08:00:00.5+02:00), a date (2024-08-01, its UTC midnight) or a time ago (90s, 15m, 2h, 7d, 2w)`,
      );
    }
    return t;
  };
  const since = options.since !== undefined ? resolve('--since', options.since) : undefined;
  const until = options.until !== undefined ? resolve('--until', options.until) : undefined;
  if (since !== undefined && until !== undefined && compareInstants(parseRfc3339Instant(since)!, parseRfc3339Instant(until)!) >= 0) {
    throw new UsageError(`--since ${since} is not before --until ${until}: the window (since <= t < until) is empty`);
  }
  return {
    field: options.timeField ?? 'date',
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

export function buildFilterConfig(options: FilterOptions, io?: Io): FilterConfig {
  checkCombinations(options);
  const time = timeWindow(options, Date.now());
  const print = { format: options.format, flat: options.flat, header: options.header };
  const settings: FilterJobSettings = {
    maxLineBytes: options.maxLineBytes,
    spec: {
      kinds: options.kinds,
      where: options.where,
      invert: options.invert,
      fields: options.fields,
      ...(time !== undefined ? { time } : {}),
    },
    schema: options.schema,
    schemaCheck: options.schemaCheck,
    validate: options.validate,
    ...(options.count ? {} : { print }),
  };
  let job: FilterJob;
  try {
    job = prepareFilter(settings, io && debugLog(io.env, (t) => io.stderr.write(t), TOOL));
  } catch (err) {
    if (err instanceof FilterError) {
      const colored = io !== undefined && colorEnabled(options.report.color, io.env, io.stderr.isTTY === true);
      throw new UsageError(cliMessage(err, makeChalk(colored)));
    }
    throw err;
  }
  if (job.filter.usesEnvelope) options.input = requireEnvelope(options.input, 'a $ field (--where, --field)');
  const projector = job.filter.projector;
  const printer = projector !== undefined && !options.count ? fieldPrinter(projector, print) : undefined;
  const inputs = inputSpecs(options.files);
  const outputs: { flag: string; path: string }[] = [];
  if (options.errors !== undefined) outputs.push({ flag: '--errors', path: options.errors });
  if (options.report.summaryJson !== undefined) outputs.push({ flag: '--summary-json', path: options.report.summaryJson });
  checkOutputPaths(inputs, outputs);
  const jobs = options.jobs ?? availableParallelism();
  return { options, inputs, settings, job, printer, jobs, inlineBytes: options.jobs === undefined ? INLINE_BYTES : 0 };
}

export function runFilter(config: FilterConfig, io: Io): Promise<ExitCode> {
  const { options, printer } = config;
  const limit = options.limit ?? Infinity;
  const output = (stdout: Parameters<typeof linesSink>[0]): Sink =>
    options.count ? countSink(stdout) : printer !== undefined ? fieldsSink(stdout, printer) : linesSink(stdout, 'selected', options.input.keepEnvelope);
  const timeWindow = config.settings.spec.time !== undefined;
  return runLines(TOOL, io, { ...options, inputs: config.inputs, jobs: config.jobs, inlineBytes: config.inlineBytes, timeWindow }, {
    judge: (line) => config.job.judge(line),
    worker: { script: new URL('../io/filter-worker.js', import.meta.url), settings: config.settings },
    sinks: ({ stdout }) => [output(stdout)],
    done: (stats) => stats.selected >= limit,
    kindsOf: 'selected',
  });
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const options = parseFilterArgs(io);
    if ('exit' in options) return options.exit;
    return runFilter(buildFilterConfig(options, io), io);
  });
}
