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
import { FilterError, compileFilter, filterLine } from './core/filter-line.js';
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
  const limit = options.limit ?? Infinity;
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
    throw new FilterError('options', '', [], `limit must be a non-negative integer, not ${String(options.limit)}`);
  }
  const loaded = loadSchema(options.schema);
  const filter = compileFilter(
    { kinds: asList(options.kinds), where: asList(options.where), invert: options.invert === true, fields: asList(options.fields) },
    {
      index: options.schemaCheck === false ? null : schemaIndexOf(loaded.schema),
      ...(options.validate === true ? { validator: validatorFor(loaded) } : {}),
    },
  );
  const { projector } = filter;
  const onInvalid = options.onInvalid ?? (() => {});
  const lines = readAll(sourcesOf(source), options);
  return (async function* run(): AsyncGenerator<FilteredEvent<E>> {
    if (limit <= 0) return;
    let selected = 0;
    for await (const line of lines) {
      const verdict = filterLine(line, filter, options.maxLineBytes, (e): Pick<FilteredEvent<E>, 'event' | 'projected'> =>
        projector === undefined ? { event: e.value as E } : { event: e.value as E, projected: projector.nested(e.exact(), e.envelope) },
      );
      if (verdict.status === 'invalid') {
        onInvalid({ file: line.file, line: line.line, column: verdict.column, errors: verdict.errors });
        continue;
      }
      if (verdict.status !== 'selected') continue;
      yield { ...line, ...verdict.output! };
      if (++selected >= limit) return;
    }
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
