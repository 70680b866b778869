/**
 * The library's stream API: `validateStream`, `filterStream` and `project`,
 * thin wrappers over the core csm-validate and csm-filter are built on
 * (`readLines`, `parseLine`, `createValidator`, `compileQuery`, `resolvePath`,
 * `compileProjection`, `needsLossless`/`parseLossless`).
 *
 *     for await (const r of validateStream('events.ndjson.gz')) if (r.status === 'invalid') console.log(r.errors);
 *     for await (const e of filterStream('events.ndjson', { kinds: 'exec', where: 'process.credentials.uid == 0' })) ...
 *
 * Errors in what the caller wrote (a bad query, an unknown field, a schema that
 * does not compile) are thrown by the call itself, synchronously, before any
 * input is opened: a `FilterError` (query and field problems, with every
 * `QueryError` and a rendered message underlining the query; also a bad
 * `limit` or `invert` without kinds or where) or a `UsageError` (a schema file
 * that cannot be read or compiled). Problems of the input are not
 * thrown: a line that is not JSON (or, with `validate`, not valid) is skipped
 * and handed to `onInvalid`, as csm-filter reports it and goes on. An input that
 * cannot be read throws an `InputError` naming it from the iteration.
 */
import type { Readable } from 'node:stream';
import type { LineReport } from './core/diagnostic.js';
import { type Group, GroupCounts, compileCountBy, rankGroups } from './core/count-by.js';
import { type CompiledFilter, FilterError, type SelectedEvent, filterLine } from './core/filter-line.js';
import { compileFilter } from './core/filter-compile.js';
import { type TimeWindowSpec, timeWindowSpec } from './core/time-window.js';
import type { JsonValue } from './core/json/value.js';
import type { Projector } from './core/project.js';
import type { JsonSchema } from './core/validate.js';
import { type SchemaOption, loadSchema, schemaIndexOf, validatorFor } from './io/schemas.js';
import { type SourceLine, type ValidatedLine, readLines, validateLines } from './api.js';
import type { InputShape } from './core/shapes/detect.js';
import type { CsmEvent } from './types/event.js';

export { FilterError };
export type { SchemaOption };

/** A file path (`-`: stdin), a byte stream, or several of them read in order. Gzip is detected. */
export type StreamSource = string | Readable | ReadonlyArray<string | Readable>;

export interface ReadOptions {
  /** The name reports give a stream source (default `<stdin>`); a path names itself. */
  name?: string;
  /** A longer line is invalid (keyword `size`) and skipped without being held (default 64 MiB). */
  maxLineBytes?: number;
  /** The input shape (`ndjson`, `archive`, `api`, `json`), or `auto` (default): detected per source, as the CLIs do. */
  input?: InputShape | 'auto';
}

const asList = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

function sourcesOf(source: StreamSource): (string | Readable)[] {
  return typeof source === 'string' || !Array.isArray(source) ? [source as string | Readable] : [...source];
}

async function* readAll(sources: (string | Readable)[], options: ReadOptions): AsyncGenerator<SourceLine> {
  for (const s of sources) yield* readLines(s, options);
}

// ---------------------------------------------------------------------------
// validateStream

export interface ValidateStreamOptions extends ReadOptions {
  /** Validate against this schema (object or file path) instead of the bundled one. */
  schema?: SchemaOption;
}

/**
 * Every line of the input with its verdict: `blank`, `valid` (with the parsed
 * `event`) or `invalid` (with every error, each with its column), exactly as
 * csm-validate judges it. The schema is compiled by this call (a bad schema
 * throws a UsageError here, before reading).
 */
export function validateStream<E = CsmEvent>(
  source: StreamSource,
  options: ValidateStreamOptions = {},
): AsyncGenerator<ValidatedLine<E>> {
  const validator = validatorFor(loadSchema(options.schema));
  return validateLines(readAll(sourcesOf(source), options), validator) as AsyncGenerator<ValidatedLine<E>>;
}

// ---------------------------------------------------------------------------
// filterStream

export interface FilterStreamOptions extends ReadOptions {
  /** `evt.name` is one of these (csm-filter `--kind`). */
  kinds?: string | readonly string[];
  /** Queries the event must match, all of them (csm-filter `--where`, repeatable). */
  where?: string | readonly string[];
  /** SECL expressions the event must match, all of them (csm-filter `--secl`, repeatable). */
  secl?: string | readonly string[];
  /**
   * Called once per note about `secl`, before reading (what csm-filter prints on stderr: a
   * `${variable}` read from the events, `event.origin` taken from the agent context).
   */
  onNote?: (note: string) => void;
  /** Select the events that do NOT match the kinds and queries taken together (`--invert`). */
  invert?: boolean;
  /**
   * Only events at or after this time (`--since`): a Date, an RFC 3339
   * date-time, a date (`2024-08-01`: its UTC midnight) or a time ago (`15m`,
   * `2h`, `7d`: from the call). Instants compare exactly, any offset.
   */
  since?: string | Date;
  /** Only events before this time (`--until`; same forms): the window is since <= t < until. */
  until?: string | Date;
  /** The date-time field `since`/`until` test (`--time-field`, default `date`). */
  timeField?: string;
  /** Stop after this many selected events, and stop reading (`--limit`). */
  limit?: number;
  /** Project each selected event onto these paths into `projected` (`--field`). */
  fields?: string | readonly string[];
  /** Schema (object or file path) for checking paths and for `validate` (default: the bundled one). */
  schema?: SchemaOption;
  /** Check `where`/`fields` paths and operand types against the schema (default true; `--no-schema-check`). */
  schemaCheck?: boolean;
  /** Also validate each event and skip invalid ones, handing them to `onInvalid` (`--validate`). */
  validate?: boolean;
  /** Called for each line skipped because it is not JSON (or, with `validate`, invalid). */
  onInvalid?: (report: LineReport) => void;
}

/** A selected event: its line (the exact `bytes`), the parsed event and the projection. */
export interface FilteredEvent<E = CsmEvent> extends SourceLine {
  /** The event as JSON.parse gives it (integers beyond 2^53 rounded: use `bytes` or `projected` for exact ones). */
  event: E;
  /** With `fields`: the nested projection, numbers exact (`JsonNumber` where needed; print with `stringifyJson`). */
  projected?: JsonValue;
}

/**
 * The events csm-filter would select, as `{file, line, offset, bytes, event,
 * projected?}`. Everything is compiled by this call: a bad query, field or
 * option combination throws a FilterError here, before the input is opened.
 * Lines that are not JSON (or invalid, with `validate`) are skipped and given
 * to `onInvalid`. Breaking out of the loop, or `limit`, stops the reading.
 */
export function filterStream<E = CsmEvent>(
  source: StreamSource,
  options: FilterStreamOptions = {},
): AsyncGenerator<FilteredEvent<E>> {
  const { filter } = compileStreamFilter(options, options.fields);
  const { projector } = filter;
  return selectLines(source, options, filter, (e): Pick<FilteredEvent<E>, 'event' | 'projected'> =>
    projector === undefined ? { event: e.value as E } : { event: e.value as E, projected: projector.nested(e.exact(), e.envelope) },
  ) as AsyncGenerator<FilteredEvent<E>>;
}

/** `since`/`until`/`timeField` as csm-filter's window; a bad time or an empty window is a FilterError. */
function timeWindowOf(options: FilterStreamOptions, nowMs: number): TimeWindowSpec | undefined {
  const text = (t: string | Date | undefined): string | undefined =>
    t instanceof Date ? (Number.isNaN(t.getTime()) ? 'Invalid Date' : t.toISOString()) : t;
  const r = timeWindowSpec({ since: text(options.since), until: text(options.until), field: options.timeField }, nowMs);
  if (r.ok) return r.spec;
  const p = r.problem;
  if (p.kind === 'field-alone') throw new FilterError('options', '', [], 'timeField goes with since or until');
  if (p.kind === 'empty') throw new FilterError('options', '', [], `since ${p.since} is not before until ${p.until}: the window is empty`);
  const message = `${p.which} ${JSON.stringify(p.text)}: not a time (an RFC 3339 date-time, a date, or a time ago such as 15m, 2h, 7d)`;
  throw new FilterError('time', p.text, [], message);
}

/** The filter of the stream calls, compiled before any input is opened. */
function compileStreamFilter(options: FilterStreamOptions, fields: string | readonly string[] | undefined): { filter: CompiledFilter; index: ReturnType<typeof schemaIndexOf> | null } {
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
    throw new FilterError('options', '', [], `limit must be a non-negative integer, not ${String(options.limit)}`);
  }
  const loaded = loadSchema(options.schema);
  const index = options.schemaCheck === false ? null : schemaIndexOf(loaded.schema);
  const time = timeWindowOf(options, Date.now());
  const filter = compileFilter(
    {
      kinds: asList(options.kinds),
      where: asList(options.where),
      secl: asList(options.secl),
      invert: options.invert === true,
      fields: asList(fields),
      ...(time !== undefined ? { time } : {}),
    },
    { index, ...(options.validate === true ? { validator: validatorFor(loaded) } : {}) },
  );
  for (const note of filter.notes) options.onNote?.(note);
  return { filter, index };
}

/** The selected lines of the sources, each with `render` of its event; invalid lines to `onInvalid`; `limit` stops the reading. */
async function* selectLines<O extends object>(
  source: StreamSource,
  options: FilterStreamOptions,
  filter: CompiledFilter,
  render: (e: SelectedEvent) => O,
): AsyncGenerator<SourceLine & O> {
  const limit = options.limit ?? Infinity;
  const onInvalid = options.onInvalid ?? (() => {});
  if (limit <= 0) return;
  let selected = 0;
  for await (const line of readAll(sourcesOf(source), options)) {
    const verdict = filterLine(line, filter, options.maxLineBytes, render);
    if (verdict.status === 'invalid') {
      const report = { file: line.file, line: line.line, column: verdict.column, errors: verdict.errors };
      onInvalid(verdict.omitted !== undefined ? { ...report, omitted: verdict.omitted } : report);
      continue;
    }
    if (verdict.status !== 'selected') continue;
    yield { ...line, ...verdict.output! };
    if (++selected >= limit) return;
  }
}

// ---------------------------------------------------------------------------
// countBy

export interface CountByOptions extends Omit<FilterStreamOptions, 'fields'> {
  /** Keep at most this many groups (`--max-groups`, default 100,000); beyond it the result is `incomplete`. */
  maxGroups?: number;
  /** Least frequent first (`--rare`). */
  rare?: boolean;
  /** Only the first `top` groups (`--top`). */
  top?: number;
}

export interface CountByResult {
  /** The paths, as canonical texts (in the order given). */
  names: string[];
  /**
   * The groups in csm-filter's order: `values[i]` is the value of `names[i]`
   * (`undefined`: the field was missing; numbers exact, `JsonNumber` where a
   * double would round), `cut[i]` true when that value was cut to its first 512
   * UTF-16 code units.
   */
  groups: { values: (JsonValue | undefined)[]; cut: boolean[]; count: number }[];
  /** Selected events counted. */
  events: number;
  /** Some values were not counted (more groups than `maxGroups`, or an event with more than 10,000 combinations). */
  incomplete: boolean;
}

/**
 * `csm-filter --count-by`: the selected events of `source` (same options as
 * filterStream) counted by the values of `paths` (lists fan out, each distinct
 * value or tuple once per event; a missing field is a group of its own). A bad
 * path or option throws a FilterError here, before the input is opened.
 */
export function countBy(source: StreamSource, paths: string | readonly string[], options: CountByOptions = {}): Promise<CountByResult> {
  const { filter, index } = compileStreamFilter(options, undefined);
  const compiled = compileCountBy(asList(paths), index);
  for (const [name, v] of [['maxGroups', options.maxGroups], ['top', options.top]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new FilterError('options', '', [], `${name} must be an integer >= 1, not ${String(v)}`);
  }
  const counts = new GroupCounts(options.maxGroups);
  return (async () => {
    for await (const line of selectLines(source, options, filter, (e) => ({ keys: compiled.keys(e) }))) counts.add(line.keys);
    const ranked: Group[] = rankGroups(counts, { rare: options.rare === true, ...(options.top !== undefined ? { top: options.top } : {}) });
    return {
      names: [...compiled.names],
      groups: ranked.map((g) => ({
        values: g.values.map((v) => (v.missing ? undefined : v.value)),
        cut: g.values.map((v) => !v.missing && v.cut),
        count: g.count,
      })),
      events: counts.events,
      incomplete: counts.incomplete,
    };
  })();
}

// ---------------------------------------------------------------------------
// project

export interface ProjectOptions {
  /** Resolve paths against this schema (object or file path) instead of the bundled one. */
  schema?: SchemaOption;
  /** Resolve paths against the schema (default true): dotted keys, unknown fields are errors. */
  schemaCheck?: boolean;
}

const projectors = new Map<string, Projector | undefined>();
const PROJECTOR_CACHE = 64;

function compileFields(list: string[], schema: JsonSchema | undefined): Projector | undefined {
  const filter = compileFilter(
    { kinds: [], where: [], invert: false, fields: list },
    { index: schema === undefined ? null : schemaIndexOf(schema) },
  );
  return filter.projector;
}

/**
 * The nested projection of `event` on `paths`, as `csm-filter --field` prints it:
 * `project(e, ['process.args', 'evt.name'])` -> `{"process":{"args":[...]},"evt":{"name":"exec"}}`.
 * A missing field is left out (`{}` when none exists). Paths are resolved against
 * the bundled schema unless told otherwise; a bad path throws a FilterError.
 * Compiled paths are cached for the bundled schema; for a hot loop with another
 * schema, use `compileProjection` with `resolvePath` once.
 */
export function project(event: unknown, paths: string | readonly string[], options: ProjectOptions = {}): JsonValue {
  const list = asList(paths);
  const cacheable = options.schema === undefined;
  const key = `${options.schemaCheck === false ? 0 : 1}\u0000${list.join('\u0000')}`;
  let projector = cacheable ? projectors.get(key) : undefined;
  if (projector === undefined) {
    projector = compileFields(list, options.schemaCheck === false ? undefined : loadSchema(options.schema).schema);
    if (cacheable) {
      if (projectors.size >= PROJECTOR_CACHE) projectors.delete(projectors.keys().next().value!);
      projectors.set(key, projector);
    }
  }
  return projector === undefined ? {} : projector.nested(event as JsonValue);
}
