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
 * `QueryError` and a rendered message underlining the query) or a `UsageError`
 * (a schema file that cannot be read or compiled). Problems of the input are not
 * thrown: a line that is not JSON (or, with `validate`, not valid) is skipped
 * and handed to `onInvalid`, as csm-filter reports it and goes on. An input that
 * cannot be read throws an `InputError` naming it from the iteration.
 */
import type { Readable } from 'node:stream';
import { type Issue, type LineReport, UsageError } from './core/diagnostic.js';
import type { Line } from './core/lines.js';
import { needsLossless, parseLossless } from './core/json/parse.js';
import { type JsonValue, isJsonObject } from './core/json/value.js';
import { validateParsed } from './core/check-line.js';
import { parseLine } from './core/parse-line.js';
import type { Path } from './core/path.js';
import { ProjectionError, type Projector, compileProjection } from './core/project.js';
import { type SchemaIndex, buildSchemaIndex } from './core/schema-index/graph.js';
import { resolvePath } from './core/schema-index/resolve.js';
import { type JsonSchema, type Validator, bundledEventSchema, createValidator, loadSchemaFile } from './core/validate.js';
import { type Matcher, type QueryError, compileQuery, renderQueryError } from './query/index.js';
import { type SourceLine, type ValidatedLine, readLines, validateLines } from './api.js';
import type { CsmEvent } from './types/event.js';

/** A file path (`-`: stdin), a byte stream, or several of them read in order. Gzip is detected. */
export type StreamSource = string | Readable | ReadonlyArray<string | Readable>;

/** A schema object, or the path of a JSON Schema file (as `--schema FILE`). */
export type SchemaOption = JsonSchema | string;

export interface ReadOptions {
  /** The name reports give a stream source (default `<stdin>`); a path names itself. */
  name?: string;
  /** A longer line is invalid (keyword `size`) and skipped without being held (default 64 MiB). */
  maxLineBytes?: number;
}

/**
 * A query, field or option that cannot be used. `errors` holds every problem
 * found (spans into `source`); `message` renders them the way csm-filter does,
 * with the text and a caret under each problem.
 */
export class FilterError extends UsageError {
  /** Which option was wrong: `where`, `fields`, or `options` for a combination. */
  readonly option: 'where' | 'fields' | 'options';
  /** The query or field text the errors point into (empty for `options`). */
  readonly source: string;
  readonly errors: readonly QueryError[];
  constructor(option: 'where' | 'fields' | 'options', source: string, errors: QueryError[], message: string) {
    super(message);
    this.name = 'FilterError';
    this.option = option;
    this.source = source;
    this.errors = errors;
  }
}

const asList = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

function loadSchema(schema: SchemaOption | undefined): JsonSchema | undefined {
  return typeof schema === 'string' ? loadSchemaFile(schema) : schema;
}

let bundledIndex: SchemaIndex | undefined;

function schemaIndex(schema: JsonSchema | undefined, schemaCheck: boolean | undefined): SchemaIndex | null {
  if (schemaCheck === false) return null;
  if (schema !== undefined) return buildSchemaIndex(schema);
  bundledIndex ??= buildSchemaIndex(bundledEventSchema());
  return bundledIndex;
}

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
  const schema = loadSchema(options.schema);
  const label = typeof options.schema === 'string' ? `schema ${options.schema}` : 'schema';
  const validator = createValidator(schema, label);
  return validateLines(readAll(sourcesOf(source), options), validator) as AsyncGenerator<ValidatedLine<E>>;
}

// ---------------------------------------------------------------------------
// filterStream

export interface FilterStreamOptions extends ReadOptions {
  /** `evt.name` is one of these (csm-filter `--kind`). */
  kinds?: string | readonly string[];
  /** Queries the event must match, all of them (csm-filter `--where`, repeatable). */
  where?: string | readonly string[];
  /** Select the events that do NOT match the kinds and queries taken together (`--invert`). */
  invert?: boolean;
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

/** The compiled selection of csm-filter: kinds, queries, invert, projection. */
export interface CompiledFilter {
  /** True when the event (lossless where it matters: `exact`) is selected. */
  select(value: unknown, exact: () => JsonValue): boolean;
  readonly projector: Projector | undefined;
  readonly validator: Validator | undefined;
}

function kindOf(value: unknown): string | undefined {
  if (!isJsonObject(value) || !Object.hasOwn(value, 'evt')) return undefined;
  const evt = value.evt;
  if (!isJsonObject(evt) || !Object.hasOwn(evt, 'name')) return undefined;
  return typeof evt.name === 'string' ? evt.name : undefined;
}

function compileFields(fields: string[], index: SchemaIndex | null): Projector | undefined {
  if (fields.length === 0) return undefined;
  const paths: Path[] = [];
  for (const field of fields) {
    const r = resolvePath(index, field);
    if (!r.ok) {
      const e = r.error as QueryError;
      throw new FilterError('fields', field, [e], renderQueryError(field, e, 'field', { program: '' }));
    }
    paths.push(r.path);
  }
  try {
    return compileProjection(paths);
  } catch (err) {
    if (err instanceof ProjectionError) throw new FilterError('fields', fields.join(','), [], err.message.replace(/^--field /, 'field '));
    throw err;
  }
}

/**
 * Compiles the options once (the same checks as csm-filter's flags); throws a
 * FilterError for a bad query, field or combination, a UsageError for a schema.
 */
export function compileFilter(options: FilterStreamOptions = {}): CompiledFilter {
  const kindList = asList(options.kinds);
  const whereList = asList(options.where);
  if (options.invert === true && kindList.length === 0 && whereList.length === 0) {
    throw new FilterError('options', '', [], 'invert needs kinds or where to invert');
  }
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
    throw new FilterError('options', '', [], `limit must be a non-negative integer, not ${String(options.limit)}`);
  }
  const schema = loadSchema(options.schema);
  const index = schemaIndex(schema, options.schemaCheck);
  const matchers: Matcher[] = [];
  for (const text of whereList) {
    const q = compileQuery(text, { schema: index });
    if (!q.ok) {
      const message = q.errors.map((e) => renderQueryError(text, e, 'where', { program: '' })).join('\n');
      throw new FilterError('where', text, q.errors, message);
    }
    matchers.push(q.match);
  }
  const projector = compileFields(asList(options.fields), index);
  const validator =
    options.validate === true
      ? createValidator(schema, typeof options.schema === 'string' ? `schema ${options.schema}` : 'schema')
      : undefined;
  const kinds = kindList.length > 0 ? new Set(kindList) : undefined;
  const invert = options.invert === true;
  return {
    projector,
    validator,
    select(value, exact) {
      let match = kinds === undefined || kinds.has(kindOf(value) ?? '');
      for (let i = 0; match && i < matchers.length; i++) match = matchers[i]!(exact());
      return match !== invert;
    },
  };
}

/** One line through a compiled filter (the step csm-filter and filterStream share). */
export type FilterOutcome =
  | { status: 'blank' }
  /** Not JSON, or (with `validate`) invalid: `value` is the parsed event when there is one. */
  | { status: 'invalid'; column: number | undefined; errors: Issue[]; value?: unknown }
  | { status: 'skipped'; value: unknown }
  /** `exact()`: the event with exact numbers (JsonNumber where JSON.parse would round). */
  | { status: 'selected'; value: unknown; exact: () => JsonValue };

export function filterOne(line: Line, filter: CompiledFilter, maxLineBytes?: number): FilterOutcome {
  const parsed = parseLine(line, maxLineBytes);
  if (parsed.kind === 'blank') return { status: 'blank' };
  if (parsed.kind === 'invalid') return { status: 'invalid', column: parsed.issue.column, errors: [parsed.issue] };
  if (filter.validator !== undefined) {
    const errors = validateParsed(filter.validator, parsed.value, parsed.text);
    if (errors.length > 0) return { status: 'invalid', column: errors[0]!.column, errors, value: parsed.value };
  }
  // Exact numbers (uint64, 1.50, -0) only where the text may hold them.
  let exactValue: JsonValue | undefined;
  const exact = (): JsonValue =>
    (exactValue ??= needsLossless(parsed.text) ? parseLossless(parsed.text) : (parsed.value as JsonValue));
  return filter.select(parsed.value, exact)
    ? { status: 'selected', value: parsed.value, exact }
    : { status: 'skipped', value: parsed.value };
}

async function* runFilter<E>(
  lines: AsyncIterable<SourceLine>,
  filter: CompiledFilter,
  options: FilterStreamOptions,
): AsyncGenerator<FilteredEvent<E>> {
  const limit = options.limit ?? Infinity;
  if (limit <= 0) return;
  const onInvalid = options.onInvalid ?? (() => {});
  let selected = 0;
  for await (const line of lines) {
    const outcome = filterOne(line, filter, options.maxLineBytes);
    if (outcome.status === 'invalid') {
      onInvalid({ file: line.file, line: line.line, column: outcome.column, errors: outcome.errors });
      continue;
    }
    if (outcome.status !== 'selected') continue;
    const out: FilteredEvent<E> = { ...line, event: outcome.value as E };
    if (filter.projector !== undefined) out.projected = filter.projector.nested(outcome.exact());
    yield out;
    if (++selected >= limit) return;
  }
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
  const filter = compileFilter(options);
  return runFilter<E>(readAll(sourcesOf(source), options), filter, options);
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
    projector = compileFields(list, schemaIndex(loadSchema(options.schema), options.schemaCheck));
    if (cacheable) {
      if (projectors.size >= PROJECTOR_CACHE) projectors.delete(projectors.keys().next().value!);
      projectors.set(key, projector);
    }
  }
  return projector === undefined ? {} : projector.nested(event as JsonValue);
}
