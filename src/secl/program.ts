/**
 * One SECL expression over backend events (csm-filter `--secl`, the library's
 * `filterStream({ secl })`): text -> a program whose `match(event)` takes a parsed
 * backend event, or errors with spans into the text.
 *
 * What it adds to the evaluator (`eval.ts`) and the field source (`backend.ts`):
 * - the event type: a rule runs only on events of its fields' type (`ruleEventTypes`),
 *   as in the agent; fields of no event type (`process.*`) leave it open to all; fields of
 *   different event types (`open.file.path && exec.file.path`) are an error;
 * - unavailable fields (`packet.filter`): an error naming the field and why, since the
 *   rule could not be evaluated as the agent does; except `event.origin` and `event.os`,
 *   which the event's agent context carries (`agent-context.ts`);
 * - `${variables}`: read from the event's own `variables` objects (`program-variables.ts`);
 * - messages: "did you mean" appended to an unknown field's.
 */
import type { Node, Span } from './ast.js';
import { AGENT_CONTEXT_FIELDS, agentContextValue } from './agent-context.js';
import { backendEventType, backendFieldSource } from './backend.js';
import { compile } from './eval.js';
import type { FieldSource } from './eval.js';
import type { SeclError, SeclErrorCode } from './errors.js';
import { SECL_FIELDS_LINUX, linuxFieldInfo, ruleEventTypes } from './fields.js';
import { parseRule } from './parser.js';
import { identField, identNodes } from './walk.js';
import { type ProgramVariable, inferVariableTypes, variableSource } from './program-variables.js';

/** A problem of the expression: a `SeclError`, or a field the backend event does not carry. */
export interface SeclProgramError extends Omit<SeclError, 'code'> {
  code: SeclErrorCode | 'unavailable-field' | 'event-types';
}

/** Fields the serializers do not write but the agent context does (`event.origin`, `event.os`). */
export const ASSUMED_FIELDS = AGENT_CONTEXT_FIELDS;

export interface SeclProgram {
  /** The expression holds on this parsed backend event (exact numbers as `JsonNumber` are read exactly). */
  match(event: unknown): boolean;
  /**
   * The same, on an event parsed twice at most: `value` as JSON.parse gives it, `exact()`
   * with exact numbers, called only when the event is of the rule's type and the rule
   * reads integers as the JSON writes them (so that uint64 values compare exactly).
   */
  select(value: unknown, exact: () => unknown): boolean;
  /** The event types it applies to (`evt.name`); undefined: every event. */
  readonly eventTypes: readonly string[] | undefined;
  /** The SECL fields it reads. */
  readonly fields: readonly string[];
  /** The `${variables}` it reads, and where in the event. */
  readonly variables: readonly ProgramVariable[];
  /** What the run should say once (assumed fields, variables read from the event). */
  readonly notes: readonly string[];
}

export type SeclProgramResult = { ok: true; value: SeclProgram } | { ok: false; errors: SeclProgramError[] };

const FIELD_NAMES = Object.keys(SECL_FIELDS_LINUX);

function withSuggestion(e: SeclError): SeclProgramError {
  if (e.code !== 'unknown-field' || e.suggestion === undefined) return e;
  return { ...e, message: `${e.message} — did you mean '${e.suggestion}'?` };
}

/** Fields read from the event, each with the first span that names it (a field may be `.length` of a string). */
function fieldSpans(node: Node, fields: readonly string[]): Map<string, Span> {
  const spans = new Map<string, Span>();
  const wanted = new Set(fields);
  for (const id of identNodes(node)) {
    let f = identField(id.name);
    if (!wanted.has(f) && f.endsWith('.length')) f = f.slice(0, -'.length'.length);
    if (wanted.has(f) && !spans.has(f)) spans.set(f, id.span);
  }
  return spans;
}

function unavailable(node: Node, fields: readonly string[]): SeclProgramError[] {
  const spans = fieldSpans(node, fields);
  const errors: SeclProgramError[] = [];
  for (const f of fields) {
    const map = SECL_FIELDS_LINUX[f]?.map;
    if (map?.kind !== 'unavailable' || Object.prototype.hasOwnProperty.call(ASSUMED_FIELDS, f)) continue;
    const span = spans.get(f) ?? node.span;
    errors.push({ code: 'unavailable-field', message: `'${f}' cannot be evaluated on backend events: ${map.reason}`, span });
  }
  return errors.sort((a, b) => a.span.start - b.span.start);
}

/** The event type(s) of each event-specific field, for the error of a rule that mixes them. */
function mixedTypes(node: Node, fields: readonly string[]): SeclProgramError {
  const spans = fieldSpans(node, fields);
  const typed = fields
    .filter((f) => SECL_FIELDS_LINUX[f]?.event !== undefined)
    .map((f) => ({ f, span: spans.get(f) ?? node.span, event: [SECL_FIELDS_LINUX[f]!.event!].flat().join('/') }))
    .sort((a, b) => a.span.start - b.span.start);
  const first = typed[0]!;
  const other = typed.find((t) => t.event !== first.event) ?? typed[typed.length - 1]!;
  return {
    code: 'event-types',
    message: `'${other.f}' (${other.event} events) and '${first.f}' (${first.event} events) belong to different event types; a rule applies to one event type (as in the agent)`,
    span: other.span,
  };
}

/** A field source that reads the agent-context fields from the event's `agent` (or their default). */
function withAssumed(src: FieldSource, assumed: readonly string[], event: unknown): FieldSource {
  if (assumed.length === 0) return src;
  return {
    ...src,
    get: (name) => (assumed.includes(name) ? [agentContextValue(ASSUMED_FIELDS[name]!, event)] : src.get(name)),
  };
}

/** Compiles one SECL expression for backend events (Linux fields, the agent's constants). */
export function compileSeclProgram(text: string): SeclProgramResult {
  const parsed = parseRule(text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const node = parsed.value;
  const types = inferVariableTypes(node);
  const compiled = compile(node, { fields: linuxFieldInfo, fieldNames: FIELD_NAMES, variables: (name) => types.get(name) });
  if (!compiled.ok) return { ok: false, errors: compiled.errors.map(withSuggestion) };
  const { fields } = compiled.value;
  const missing = unavailable(node, fields);
  if (missing.length > 0) return { ok: false, errors: missing };
  const eventTypes = ruleEventTypes(fields);
  if (eventTypes !== undefined && eventTypes.length === 0) return { ok: false, errors: [mixedTypes(node, fields)] };

  const assumed = fields.filter((f) => Object.prototype.hasOwnProperty.call(ASSUMED_FIELDS, f));
  const variables = [...types.keys()].map((name) => variableSource(name));
  const notes = [
    ...assumed.map((f) => {
      const a = ASSUMED_FIELDS[f]!;
      return `${f} is read from ${a.path.join('.')}; where an event has none, taken as "${a.value}": ${a.why}`;
    }),
    ...variables.map((v) => v.note),
  ];
  const typeSet = eventTypes === undefined ? undefined : new Set(eventTypes);
  const test = compiled.value.match;
  const ofType = (event: unknown): boolean => {
    if (typeSet === undefined) return true;
    const t = backendEventType(event);
    return t !== undefined && typeSet.has(t);
  };
  const run = (event: unknown): boolean => test({ ...withAssumed(backendFieldSource(event), assumed, event), variable: (name) => readVariable(variables, event, name) });
  const needsExact = variables.length > 0 || fields.some((f) => SECL_FIELDS_LINUX[f]?.type === 'int' && SECL_FIELDS_LINUX[f]?.map.kind === 'direct');
  return {
    ok: true,
    value: {
      eventTypes,
      fields,
      variables,
      notes,
      match: (event) => ofType(event) && run(event),
      select: (value, exact) => ofType(value) && run(needsExact ? exact() : value),
    },
  };
}

function readVariable(variables: readonly ProgramVariable[], event: unknown, name: string) {
  const v = variables.find((x) => x.name === name);
  return v === undefined ? undefined : v.read(event);
}

/**
 * Several expressions, all to hold (csm-filter's repeatable `--secl`): each compiled, the
 * first that fails handed to `fail` with its errors; the notes of all, each once.
 */
export function compileSeclPrograms(
  texts: readonly string[],
  fail: (text: string, errors: SeclProgramError[]) => never,
): { programs: SeclProgram[]; notes: string[] } {
  const programs = texts.map((text) => {
    const r = compileSeclProgram(text);
    return r.ok ? r.value : fail(text, r.errors);
  });
  return { programs, notes: [...new Set(programs.flatMap((p) => p.notes))] };
}
