/**
 * csm-filter's per-line step, beside csm-validate's (validate-line.ts): the
 * selection is compiled once (`compileFilter`), then each line's bytes become a
 * verdict (`filterLine`). The main thread, the `--jobs` workers and the
 * library's `filterStream` call only these two.
 *
 * Order on a line: parse (not JSON: invalid), then the time window (if any;
 * no valid date-time: skipped and marked `untimed`), then select (kinds, queries,
 * invert), then validate what was selected (with a validator: an invalid event
 * is reported, never selected; one the selection did not take is not judged),
 * then render what the caller prints of a selected event.
 */
import { type Issue, UsageError } from './diagnostic.js';
import { type JsonValue, needsLossless, parseLossless } from './json.js';
import type { Line } from './lines.js';
import { type Path, parsePath } from './path.js';
import { ProjectionError, type Projector, compileProjection } from './project.js';
import { type SchemaIndex, resolvePath } from './schema-index.js';
import type { Validator } from './validate.js';
import { validateParsed } from './validate-line.js';
import { type Verdict, eventKind, invalid, parseEvent } from './verdict.js';
import { type TimeWindowSpec, type WindowVerdict, compileTimeWindow } from './time-window.js';
import { type Matcher, type QueryError, compileQuery, renderQueryError, usesEnvelope } from '../query/index.js';
import { envelopeOf, resolveEnvelopePath } from './shapes/envelope.js';

/** What to select and project: plain data, so every thread compiles the same filter. */
export interface FilterSpec {
  /** `evt.name` is one of these (none: any). */
  kinds: readonly string[];
  /** Queries the event must match, all of them. */
  where: readonly string[];
  /** Select what does NOT match the kinds and queries taken together. */
  invert: boolean;
  /** Paths to project a selected event on (none: the line itself). */
  fields: readonly string[];
  /**
   * Only events whose date-time field is in [since, until) (csm-filter
   * `--since`/`--until`/`--time-field`). Not inverted by `invert`: the window
   * always applies. An event without a valid date-time there is never selected.
   */
  time?: TimeWindowSpec;
}

/**
 * A query or field that cannot be used, or a combination of options that makes
 * no sense. `option` says which input was wrong and `source` is its text;
 * `errors` holds every problem found, with spans into `source` (none for
 * `options` and for fields that cannot be projected together, whose `reason`
 * says why). The message is the library's wording; a CLI words it with its
 * own flag names from the same data.
 */
export class FilterError extends UsageError {
  constructor(
    readonly option: 'where' | 'fields' | 'options' | 'time',
    readonly source: string,
    readonly errors: readonly QueryError[],
    message: string,
    /** Why, for a problem that points at no part of `source` (fields that cannot be projected together). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

/** A line's parse, as `render` sees a selected event. */
export interface SelectedEvent {
  /** The event as JSON.parse gives it. */
  value: unknown;
  /** The event with exact numbers (JsonNumber where JSON.parse would round), parsed on first use. */
  exact(): JsonValue;
  /** The envelope of its record (`$host` fields), when the filter reads it. */
  envelope?: JsonValue;
}

export interface CompiledFilter {
  /** True when the event is selected (`exact` gives the lossless event where a query needs it; `envelope`, its record's). */
  select(value: unknown, exact: () => JsonValue, envelope?: JsonValue): boolean;
  /** Some query or field reads the envelope (`$host`): filterLine passes it. */
  readonly usesEnvelope: boolean;
  /** The projection of `fields`, if any. */
  readonly projector: Projector | undefined;
  /** Validates each event before selection, when given. */
  readonly validator: Validator | undefined;
  /** The time window's verdict on an event (undefined: no window); tested before `select`. */
  readonly window: ((value: unknown) => WindowVerdict) | undefined;
}

export interface FilterContext {
  /** Paths are resolved and checked against this index; null: only parsed. */
  index: SchemaIndex | null;
  /** Validate every event first (csm-filter --validate). */
  validator?: Validator;
}

function compileFields(fields: readonly string[], index: SchemaIndex | null): Projector | undefined {
  if (fields.length === 0) return undefined;
  const paths: Path[] = [];
  for (const field of fields) {
    const parsed = parsePath(field);
    const r = parsed.ok && parsed.path.envelope === true ? resolveEnvelopePath(parsed.path) : resolvePath(index, field);
    if (!r.ok) {
      const { error } = r;
      throw new FilterError('fields', field, [error], renderQueryError(field, error, 'field'));
    }
    paths.push(r.path);
  }
  try {
    return compileProjection(paths);
  } catch (err) {
    if (err instanceof ProjectionError) throw new FilterError('fields', err.field, [], err.message, err.reason);
    throw err;
  }
}

function compileWhere(where: readonly string[], index: SchemaIndex | null, envelope: { used: boolean }): Matcher[] {
  return where.map((text) => {
    const q = compileQuery(text, { schema: index });
    if (!q.ok) {
      const message = q.errors.map((e) => renderQueryError(text, e, 'where')).join('\n');
      throw new FilterError('where', text, q.errors, message);
    }
    if (usesEnvelope(q.ast)) envelope.used = true;
    return q.match;
  });
}

/** The time window's test; its field must be a date-time of the schema (when there is one). */
function compileWindow(spec: TimeWindowSpec | undefined, index: SchemaIndex | null): ((value: unknown) => WindowVerdict) | undefined {
  if (spec === undefined) return undefined;
  const r = resolvePath(index, spec.field);
  if (!r.ok) {
    const { error } = r;
    throw new FilterError('time', spec.field, [error], renderQueryError(spec.field, error, 'time field'));
  }
  const node = r.node;
  if (index !== null) {
    const format = node?.format ?? node?.items?.format;
    if (format !== 'date-time') {
      const reason = `'${r.path.text}' is not a date-time field of the schema (its format is ${format === undefined ? 'not set' : `'${format}'`}); the time field must be one, like 'date'`;
      throw new FilterError('time', spec.field, [], `time field ${spec.field}: ${reason}`, reason);
    }
  }
  try {
    const test = compileTimeWindow(spec, r.path.segments);
    return (value) => test(value as JsonValue);
  } catch (err) {
    if (err instanceof RangeError) throw new FilterError('time', spec.field, [], err.message, err.message);
    throw err;
  }
}

/** Compiles the selection once; throws a FilterError for a bad query, field or combination. */
export function compileFilter(spec: FilterSpec, context: FilterContext): CompiledFilter {
  if (spec.invert && spec.kinds.length === 0 && spec.where.length === 0) {
    throw new FilterError('options', '', [], 'invert needs kinds or where to invert');
  }
  const envelope = { used: false };
  const matchers = compileWhere(spec.where, context.index, envelope);
  const projector = compileFields(spec.fields, context.index);
  const window = compileWindow(spec.time, context.index);
  const kinds = spec.kinds.length > 0 ? new Set(spec.kinds) : undefined;
  const invert = spec.invert;
  return {
    projector,
    validator: context.validator,
    window,
    usesEnvelope: envelope.used || projector?.usesEnvelope === true,
    select(value, exact, env) {
      let match = true;
      if (kinds !== undefined) {
        const kind = eventKind(value);
        match = typeof kind === 'string' && kinds.has(kind);
      }
      for (let i = 0; match && i < matchers.length; i++) match = matchers[i]!(exact(), env);
      return match !== invert;
    },
  };
}

/** The problem of a line that is JSON but not an object (`[1]`, `"x"`, `null`). */
function notAnEvent(value: unknown): Issue {
  const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return { code: 'type', message: `expected an object (an event), found ${found}`, instancePath: '', schemaPath: '', params: { type: 'object' }, column: 1 };
}

/**
 * One line through a compiled filter. `render` makes the `output` of a
 * selected event (a rendered projection for the CLI, the event itself for the
 * library); without it a selected verdict carries no output (the line is it).
 */
export function filterLine<O = string>(
  line: Line,
  filter: CompiledFilter,
  maxLineBytes?: number,
  render?: (event: SelectedEvent) => O,
): Verdict<O> {
  const parsed = parseEvent(line, maxLineBytes);
  if ('verdict' in parsed) return parsed.verdict;
  const { value, text, kind } = parsed;
  // JSON that is not an object is no event: reported, never counted as one, never selected (not even by --invert).
  if (kind === undefined) return invalid(undefined, [notAnEvent(value)]);
  // Exact numbers (uint64, 1.50, -0) only where the text may hold them.
  let exactValue: JsonValue | undefined;
  const exact = (): JsonValue => (exactValue ??= needsLossless(text) ? parseLossless(text) : (value as JsonValue));
  if (filter.window !== undefined) {
    const w = filter.window(value);
    if (w !== 'in') return w === 'untimed' ? { status: 'skipped', kind, untimed: true } : { status: 'skipped', kind };
  }
  const envelope = filter.usesEnvelope ? envelopeOf(line) : undefined;
  if (!filter.select(value, exact, envelope)) return { status: 'skipped', kind };
  if (filter.validator !== undefined) {
    const errors: Issue[] = validateParsed(filter.validator, value, text);
    if (errors.length > 0) return invalid(kind, errors);
  }
  return render === undefined ? { status: 'selected', kind } : { status: 'selected', kind, output: render({ value, exact, envelope }) };
}
