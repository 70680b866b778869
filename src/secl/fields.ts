/**
 * The Linux field table (`generated/fields-linux.ts`, by `npm run gen:secl-fields`): each
 * SECL field's type, event, array/iterator, and how to read it from the backend JSON.
 */
import type { FieldInfo, FieldType } from './eval.js';
import { SECL_FIELDS_LINUX } from './generated/fields-linux.js';
import { AGENT_CASE_INSENSITIVE_FIELDS, isAgentGlobField } from './model.js';

/**
 * How a value is computed from the JSON at `path`:
 * - `time`: an RFC 3339 date -> ns since the epoch;
 * - `flags`: an array of names -> the bitmask (`table`: the agent's constants table);
 * - `enum`: a name -> its value (`table`; `A | B` joined names are OR-ed; on an array
 *   field, each element); `bool-string`: a string -> boolean;
 * - `join-args`: the args array joined by spaces;
 * - `args-flags`, `args-options`: the agent's parsing of `-x`/`--opt=v` in the args;
 * - `rights`: `mode & 07777`; `not`: the negated
 *   boolean, an absent one (`omitempty`) counting as false (`is_exec` from `is_thread`);
 * - `length`: the UTF-8 length of the string (of the derived value when `of` is set);
 * - `count`: the number of elements of the array at `path`.
 */
export type Derivation =
  | 'time'
  | 'flags'
  | 'enum'
  | 'bool-string'
  | 'join-args'
  | 'args-flags'
  | 'args-options'
  | 'rights'
  | 'not'
  | 'length'
  | 'count';

/**
 * `path`: the JSON keys from the event's root (a key may contain a dot: `mount` /
 * `mountpoint.path`); a `[]` segment stands for each element of an array.
 */
export type JsonPath = readonly string[];

export type FieldMapping =
  | { kind: 'direct'; path: JsonPath }
  | {
      kind: 'derived';
      derivation: Derivation;
      path: JsonPath;
      /** `flags`/`enum`: the Go table in `LINUX_CONSTANT_TABLES`, and the doc's name for it. */
      table?: string;
      docTable?: string;
      /** `length` of a derived string (`exec.args.length`). */
      of?: Derivation;
    }
  | {
      kind: 'unavailable';
      reason: string;
      /** Where the agent's serializers write it, when the backend schema lacks that path. */
      serializerPath?: JsonPath;
    };

export interface SeclFieldSpec {
  type: FieldType;
  /** The event type(s) the field belongs to; absent for common fields (`process.*`, `container.*`...). */
  event?: string | readonly string[];
  /** An iterator field (`process.ancestors.*`): one value per element. */
  iterator?: boolean;
  /** An array field (`process.argv`, `container.tags`). */
  array?: boolean;
  map: FieldMapping;
}

export { SECL_FIELDS_LINUX };

/** The evaluator's view of a Linux field (undefined if there is no such field). */
export function linuxFieldInfo(name: string): FieldInfo | undefined {
  if (!Object.prototype.hasOwnProperty.call(SECL_FIELDS_LINUX, name)) return undefined;
  const f = SECL_FIELDS_LINUX[name];
  const info: FieldInfo = { type: f.type };
  if (f.iterator === true || f.array === true) info.array = true;
  if (f.type === 'string' && isAgentGlobField(name)) info.glob = true;
  if (AGENT_CASE_INSENSITIVE_FIELDS.has(name)) info.caseInsensitive = true;
  return info;
}

/**
 * The event types a rule applies to, from the fields it reads (the agent gives a rule the
 * event type of its fields and evaluates it on events of that type only): the types every
 * event-specific field allows (`network.*` belongs to dns, imds and packet). Undefined when
 * the rule reads only common fields (`process.*`, `container.*`): any event; empty when its
 * fields belong to different events.
 */
export function ruleEventTypes(fields: Iterable<string>, table: Readonly<Record<string, SeclFieldSpec>> = SECL_FIELDS_LINUX): string[] | undefined {
  let types: Set<string> | undefined;
  for (const f of fields) {
    if (!Object.prototype.hasOwnProperty.call(table, f)) continue;
    const e = table[f].event;
    if (e === undefined) continue;
    const these = typeof e === 'string' ? [e] : e;
    types = types === undefined ? new Set(these) : new Set(these.filter((t) => types?.has(t)));
  }
  return types === undefined ? undefined : [...types].sort();
}
