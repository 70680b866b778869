/**
 * csm-filter: args -> options -> config (compiled query, projection) -> run -> exit status.
 */
import { type ExitCode, UsageError } from '../core/diagnostic.js';
import { escapeText } from '../core/escape.js';
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
import { type CountFormat, countBySink } from '../print/count-by.js';
import { checkCountBy, countByPrint } from './count-by.js';
import type { ChalkInstance } from 'chalk';
import { colorEnabled, makeChalk } from '../print/color.js';
import { renderQueryError } from '../query/errors.js';
import { filterCommand } from './commands.js';
import { type TimeWindowSpec, timeWindowSpec } from '../core/time-window.js';
import type { Io } from './io.js';
import { INLINE_BYTES, type InputSettings, type ReportSettings, inputSettings, reportSettings, requireEnvelope, resolveJobs, runLines, toleranceOf } from './line-run.js';
import type { Tolerance } from '../core/judge.js';
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
  /** `--secl` expressions. */
  secl: string[];
  invert: boolean;
  /** `--since`/`--until` as given (resolved by buildFilterConfig, against one reading of the clock). */
  since?: string;
  until?: string;
  timeField?: string;
  limit?: number;
  /** `--max-invalid`: stop after this many invalid lines. */
  maxInvalid?: number;
  count: boolean;
  /** `--count-by` paths (none: not counting by values), with `--top`, `--rare`, `--max-groups`. */
  countBy: string[];
  top?: number;
  rare: boolean;
  maxGroups?: number;
  fields: string[];
  /** `--format`: a field format, or with `--count-by` a count format (default text). */
  format: FieldFormat | CountFormat;
  flat: boolean;
  header: boolean;
  validate: boolean;
  schema?: string;
  /** `--ref [URI=]FILE`, in order. */
  refs: string[];
  schemaCheck: boolean;
  /** `--allow-unknown-keys`, `--ignore` (with --validate). */
  tolerance: Tolerance;
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
  const countBy = ((o.countBy as string[] | undefined) ?? []).flatMap(splitList);
  if (o.countBy !== undefined && countBy.length === 0) throw new UsageError('--count-by: at least one path is needed (--count-by evt.name)');
  return {
    files: parsed.args,
    kinds: ((o.kind as string[] | undefined) ?? []).flatMap(splitList),
    rawKinds: (o.kind as string[] | undefined) ?? [],
    where: (o.where as string[] | undefined) ?? [],
    secl: (o.secl as string[] | undefined) ?? [],
    invert: o.invert === true,
    since: o.since as string | undefined,
    until: o.until as string | undefined,
    timeField: o.timeField as string | undefined,
    limit: o.limit as number | undefined,
    maxInvalid: o.maxInvalid as number | undefined,
    count: o.count === true,
    countBy,
    top: o.top as number | undefined,
    rare: o.rare === true,
    maxGroups: o.maxGroups as number | undefined,
    fields: ((o.field as string[] | undefined) ?? []).flatMap(splitList),
    format: (o.format as FieldFormat | CountFormat | undefined) ?? (o.countBy !== undefined ? 'text' : 'ndjson'),
    flat: o.flat === true,
    header: o.header !== false,
    validate: o.validate === true,
    schema: o.schema as string | undefined,
    refs: (o.ref as string[] | undefined) ?? [],
    schemaCheck: o.schemaCheck !== false,
    tolerance: toleranceOf(o),
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
  if (err.option === 'where' || err.option === 'secl') {
    // Every error of the query, each with its caret; runTool adds the tool's name to the first.
    const caretLine = /^ *\^[ ^]*( opened here)?$/;
    return err.errors
      .map((e) => renderQueryError(err.source, e, `--${err.option}`).split('\n').map((l) => (caretLine.test(l) ? chalk.red.bold(l) : l)).join('\n'))
      .join(`\n${TOOL}: `);
  }
  // Rendered here, escaped here (renderQueryError escapes its own): the UsageError is marked rendered.
  const reason = escapeText(err.errors[0]?.message ?? err.reason ?? err.message);
  if (err.option === 'count-by') {
    const e = err.errors[0];
    return e !== undefined ? renderQueryError(err.source, e, '--count-by') : `--count-by ${escapeText(err.source)}: ${reason}`;
  }
  if (err.option === 'time') {
    const e = err.errors[0];
    return e !== undefined ? renderQueryError(err.source, e, '--time-field') : `--time-field ${escapeText(err.source)}: ${reason}`;
  }
  return `--field ${escapeText(err.source)}: ${reason}`;
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
  if (options.kinds.length === 0 && options.where.length === 0 && options.secl.length === 0 && options.invert) {
    throw new UsageError('--invert needs a --kind or --where (or --secl) to invert');
  }
  if (!options.validate && (options.tolerance.allowUnknownKeys || options.tolerance.ignore.length > 0)) {
    throw new UsageError(`${options.tolerance.allowUnknownKeys ? '--allow-unknown-keys' : '--ignore'} goes with --validate (csm-filter judges events only then)`);
  }
  if (checkCountBy(options)) return;
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
  const given = { since: options.since, until: options.until, field: options.timeField };
  const r = timeWindowSpec(given, nowMs);
  if (r.ok) return r.spec;
  const p = r.problem;
  if (p.kind === 'field-alone') throw new UsageError('--time-field goes with --since or --until');
  if (p.kind === 'empty') throw new UsageError(`--since ${p.since} is not before --until ${p.until}: the window (since <= t < until) is empty`);
  throw new UsageError(
    `--${p.which} ${JSON.stringify(p.text)}: not a time; expected an RFC 3339 date-time (2024-08-01T06:00:00Z, 2024-08-01T08:00:00.5+02:00), a date (2024-08-01, its UTC midnight) or a time ago (90s, 15m, 2h, 7d, 2w)`,
  );
}

export async function buildFilterConfig(options: FilterOptions, io?: Io): Promise<FilterConfig> {
  checkCombinations(options);
  const time = timeWindow(options, Date.now());
  const print = { format: options.format as FieldFormat, flat: options.flat, header: options.header };
  const settings: FilterJobSettings = {
    maxLineBytes: options.maxLineBytes,
    spec: {
      kinds: options.kinds,
      where: options.where,
      ...(options.secl.length > 0 ? { secl: options.secl } : {}),
      invert: options.invert,
      fields: options.fields,
      ...(time !== undefined ? { time } : {}),
    },
    schema: options.schema,
    refs: options.refs,
    schemaCheck: options.schemaCheck,
    tolerance: options.tolerance,
    validate: options.validate,
    ...(options.count || options.countBy.length > 0 ? {} : { print }),
    ...(options.countBy.length > 0 ? { countBy: options.countBy } : {}),
  };
  let job: FilterJob;
  try {
    job = await prepareFilter(settings, io && debugLog(io.env, (t) => io.stderr.write(t), TOOL));
  } catch (err) {
    if (err instanceof FilterError) {
      const colored = io !== undefined && colorEnabled(options.report.color, io.env, io.stderr.isTTY === true);
      throw new UsageError(cliMessage(err, makeChalk(colored)), { rendered: true });
    }
    throw err;
  }
  for (const note of job.filter.notes) io?.stderr.write(`${TOOL}: --secl: ${escapeText(note)}\n`);
  if (io !== undefined) {
    // Valid, but probably not what was meant: said once, on stderr; the query runs as written.
    for (const w of job.filter.warnings) io.stderr.write(`${TOOL}: warning: ${renderQueryError(w.source, w.warning, '--where')}\n`);
  }
  if (job.filter.usesEnvelope) options.input = requireEnvelope(options.input, 'a $ field (--where, --field)');
  const projector = job.filter.projector;
  const printer = projector !== undefined && settings.print !== undefined ? fieldPrinter(projector, print) : undefined;
  const inputs = inputSpecs(options.files);
  const outputs: { flag: string; path: string }[] = [];
  if (options.errors !== undefined) outputs.push({ flag: '--errors', path: options.errors });
  if (options.report.summaryJson !== undefined) outputs.push({ flag: '--summary-json', path: options.report.summaryJson });
  checkOutputPaths(inputs, outputs, io);
  const jobs = resolveJobs(options.jobs);
  return { options, inputs, settings, job, printer, jobs, inlineBytes: options.jobs === undefined ? INLINE_BYTES : 0 };
}

export function runFilter(config: FilterConfig, io: Io): Promise<ExitCode> {
  const { options, printer } = config;
  const limit = options.limit ?? Infinity;
  const countBy = config.job.countBy;
  const maxInvalid = options.maxInvalid ?? Infinity;
  const output = (stdout: Parameters<typeof linesSink>[0]): Sink =>
    countBy !== undefined
      ? countBySink(stdout, countByPrint(options, countBy, io.stdout.isTTY === true), (m) => io.stderr.write(`${TOOL}: ${m}\n`))
      : options.count
        ? countSink(stdout)
        : printer !== undefined
          ? fieldsSink(stdout, printer)
          : linesSink(stdout, 'selected', options.input.keepEnvelope);
  const timeWindow = config.settings.spec.time !== undefined;
  const byKind = options.kinds.length > 0;
  return runLines(TOOL, io, { ...options, inputs: config.inputs, jobs: config.jobs, inlineBytes: config.inlineBytes, timeWindow, byKind }, {
    judge: (line) => config.job.judge(line),
    worker: { script: new URL('../io/filter-worker.js', import.meta.url), settings: config.settings },
    sinks: ({ stdout }) => [output(stdout)],
    done: (stats) => stats.selected >= limit || stats.invalid >= maxInvalid,
    kindsOf: 'selected',
  });
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const options = parseFilterArgs(io);
    if ('exit' in options) return options.exit;
    return runFilter(await buildFilterConfig(options, io), io);
  });
}
