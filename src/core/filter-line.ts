/**
 * csm-filter's per-line step, beside csm-validate's (validate-line.ts): the
 * selection is compiled once (`compileFilter`), then each line's bytes become a
 * verdict (`filterLine`). The main thread, the `--jobs` workers and the
 * library's `filterStream` call only these two.
 *
 * The query and SECL compilers are engines the caller loads only when the spec
 * uses them (core/filter-engines.ts): csm-filter's start-up does not pay for them.
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
import { judgeOf, judgedBy } from './validate-line.js';
import { type EventJudge, type Judgement, customEventId } from './judge.js';
import { type EventKind, type Verdict, eventKind, invalid, parseEvent } from './verdict.js';
import { type TimeWindowSpec, type WindowVerdict, compileTimeWindow } from './time-window.js';
import { type Expr, usesEnvelope } from '../query/ast.js';
import type { Matcher } from '../query/compile.js';
import { type QueryError, renderQueryError } from '../query/errors.js';
import type { SeclProgramError } from '../secl/program.js';
import { lintQuery } from '../query/lint.js';
import type { FilterEngines } from './filter-engines.js';
import { envelopeOf, resolveEnvelopePath } from './shapes/envelope.js';
import { type KeyPath, filterReads } from './bytes/reads.js';

/** What to select and project: plain data, so every thread compiles the same filter. */
export interface FilterSpec {
  /** `evt.name` is one of these (none: any). */
  kinds: readonly string[];
  /** Queries the event must match, all of them. */
  where: readonly string[];
  /** SECL expressions the event must match, all of them (csm-filter `--secl`). */
  secl?: readonly string[];
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
    readonly option: 'where' | 'secl' | 'fields' | 'options' | 'time' | 'count-by',
    readonly source: string,
    readonly errors: readonly (QueryError | SeclProgramError)[],
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
  /** Validates each selected event, when given (a validator, or a judge: core/judge.ts). */
  readonly validator: Validator | EventJudge | undefined;
  /** The time window's verdict on an event (undefined: no window); tested before `select`. */
  readonly window: ((value: unknown) => WindowVerdict) | undefined;
  /** What the run should say once about the selection (SECL: assumed fields, variables). */
  readonly notes: readonly string[];
  /** Warnings about the queries (a glob that looks like a regex, `*` on a path): they still run as written. */
  readonly warnings: readonly QueryWarning[];
  /**
   * The key paths the selection, window and projection read of an event
   * (core/bytes/reads.ts); undefined when they need the whole event or its
   * text (a validator, the envelope): then no selection on the bytes.
   */
  readonly reads: readonly KeyPath[] | undefined;
  /** The kinds selected (none: any), and whether the selection is inverted: a line of another kind is skipped, whatever else it holds. */
  readonly kinds: ReadonlySet<string> | undefined;
  readonly invert: boolean;
}

export interface FilterContext {
  /** Paths are resolved and checked against this index; null: only parsed. */
  index: SchemaIndex | null;
  /** Validate every selected event (csm-filter --validate): a validator, or a judge (schema per event, warnings). */
  validator?: Validator | EventJudge;
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

function compileWhere(where: readonly string[], index: SchemaIndex | null, warnings: QueryWarning[], envelope: { used: boolean }, asts: Expr[], engines: FilterEngines): Matcher[] {
  return where.map((text) => {
    const q = needEngine(engines.query, 'query').compileQuery(text, { schema: index });
    if (!q.ok) {
      const message = q.errors.map((e) => renderQueryError(text, e, 'where')).join('\n');
      throw new FilterError('where', text, q.errors, message);
    }
    for (const warning of lintQuery(q.ast)) warnings.push({ source: text, warning });
    if (usesEnvelope(q.ast)) envelope.used = true;
    asts.push(q.ast);
    return q.match;
  });
}

/** A query that is valid but probably a mistake (query/lint.ts): the query's text and the warning, with its span. */
export interface QueryWarning {
  source: string;
  warning: QueryError;
}

/** The time window's test; its field must be a date-time of the schema (when there is one). */
function compileWindow(spec: TimeWindowSpec | undefined, index: SchemaIndex | null, reads: Path[]): ((value: unknown) => WindowVerdict) | undefined {
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
    reads.push(r.path);
    return (value) => test(value as JsonValue);
  } catch (err) {
    if (err instanceof RangeError) throw new FilterError('time', spec.field, [], err.message, err.message);
    throw err;
  }
}

/** An engine the spec needs but the caller did not load (core/filter-engines.ts): a bug, not a usage error. */
function needEngine<E>(engine: E | undefined, name: string): E {
  if (engine === undefined) throw new Error(`compileFilterWith: the ${name} engine is needed but was not loaded (loadFilterEngines)`);
  return engine;
}

/**
 * Compiles the selection once with the engines given (core/filter-engines.ts: the
 * query and SECL compilers, loaded only when the spec uses them); throws a
 * FilterError for a bad query, field or combination. `compileFilter`
 * (core/filter-compile.ts) is the same with every engine.
 */
export function compileFilterWith(spec: FilterSpec, context: FilterContext, engines: FilterEngines): CompiledFilter {
  if (spec.invert && spec.kinds.length === 0 && spec.where.length === 0 && (spec.secl ?? []).length === 0) {
    throw new FilterError('options', '', [], 'invert needs kinds or where (or secl) to invert');
  }
  const warnings: QueryWarning[] = [];
  const envelope = { used: false };
  const asts: Expr[] = [];
  const matchers = compileWhere(spec.where, context.index, warnings, envelope, asts, engines);
  const seclEngine = (spec.secl ?? []).length > 0 ? needEngine(engines.secl, 'SECL') : undefined;
  const secl = seclEngine?.compileSeclPrograms(spec.secl ?? [], (text, errors) => {
    throw new FilterError('secl', text, errors, errors.map((e) => renderQueryError(text, e, 'secl')).join('\n'));
  }) ?? { programs: [], notes: [] };
  const seclReads = seclEngine === undefined ? [] : secl.programs.map((p) => seclEngine.seclReads(p));
  const projector = compileFields(spec.fields, context.index);
  const windowPaths: Path[] = [];
  const window = compileWindow(spec.time, context.index, windowPaths);
  const kinds = spec.kinds.length > 0 ? new Set(spec.kinds) : undefined;
  const invert = spec.invert;
  return {
    kinds,
    invert,
    projector,
    validator: context.validator,
    window,
    notes: secl.notes,
    warnings,
    usesEnvelope: envelope.used || projector?.usesEnvelope === true,
    reads:
      context.validator !== undefined || envelope.used || projector?.usesEnvelope === true
        ? undefined
        : filterReads({ queries: asts, secl: seclReads, paths: [...windowPaths, ...(projector?.paths ?? [])] }),
    select(value, exact, env) {
      let match = true;
      if (kinds !== undefined) {
        const kind = eventKind(value);
        // An agent custom event has no evt.name: its kind is its rule id (-k ruleset_loaded).
        const custom = kind === null ? customEventId(value) : undefined;
        match = typeof kind === 'string' ? kinds.has(kind) : custom !== undefined && kinds.has(custom);
      }
      for (let i = 0; match && i < matchers.length; i++) match = matchers[i]!(exact(), env);
      for (let i = 0; match && i < secl.programs.length; i++) match = secl.programs[i]!.select(value, exact);
      return match !== invert;
    },
  };
}

/** A line csm-filter does not validate: only whether it is an agent custom event. */
function unjudged(value: unknown): Judgement {
  const custom = customEventId(value);
  return custom !== undefined ? { custom, errors: [], warnings: [], omitted: 0 } : { errors: [], warnings: [], omitted: 0 };
}

/** The problem of a line that is JSON but not an object (`[1]`, `"x"`, `null`). */
export function notAnEvent(value: unknown): Issue {
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
  notJson = false,
): Verdict<O> {
  const parsed = parseEvent(line, maxLineBytes, notJson);
  if ('verdict' in parsed) return parsed.verdict;
  const { value, text, kind } = parsed;
  // Exact numbers (uint64, 1.50, -0) only where the text may hold them.
  let exactValue: JsonValue | undefined;
  const exact = (): JsonValue => (exactValue ??= needsLossless(text) ? parseLossless(text) : (value as JsonValue));
  return filterEvent(line, filter, { value, kind, exact, text: () => text }, render);
}

/** A line's event as filterEvent takes it: parsed from its text, or (core/bytes) only what the filter reads of it. */
export interface LineEvent {
  value: unknown;
  kind: EventKind;
  /** The event with exact numbers. */
  exact(): JsonValue;
  /** The line's text (for a validator). */
  text(): string;
}

/** The rest of filterLine, once the line is an event (or JSON that is not one). */
export function filterEvent<O = string>(line: Line, filter: CompiledFilter, event: LineEvent, render?: (event: SelectedEvent) => O): Verdict<O> {
  const { value, kind, exact } = event;
  // JSON that is not an object is no event: reported, never counted as one, never selected (not even by --invert).
  if (kind === undefined) return invalid(undefined, [notAnEvent(value)]);
  if (filter.window !== undefined) {
    const w = filter.window(value);
    if (w !== 'in') {
      const by = judgedBy(unjudged(value), value, kind);
      return w === 'untimed' ? { status: 'skipped', kind, untimed: true, ...by } : { status: 'skipped', kind, ...by };
    }
  }
  const envelope = filter.usesEnvelope ? envelopeOf(line) : undefined;
  if (!filter.select(value, exact, envelope)) return { status: 'skipped', kind, ...judgedBy(unjudged(value), value, kind) };
  const judgement = filter.validator !== undefined ? judgeOf(filter.validator)(value, event.text()) : unjudged(value);
  const by = judgedBy(judgement, value, kind);
  if (judgement.errors.length > 0) return invalid(kind, judgement.errors, by, judgement.omitted);
  return render === undefined ? { status: 'selected', kind, ...by } : { status: 'selected', kind, ...by, output: render({ value, exact, envelope }) };
}
