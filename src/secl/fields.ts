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
 * - `join-args`: the args array joined by spaces; `argc`: the args count plus argv0;
 * - `args-flags`, `args-options`: the agent's parsing of `-x`/`--opt=v` in the args;
 * - `env-names`: `KEY=VALUE` -> `KEY`; `rights`: `mode & 07777`;
 * - `length`: the UTF-8 length of the string (of the derived value when `of` is set);
 * - `count`: the number of elements of the array at `path`.
 */
export type Derivation =
  | 'time'
  | 'flags'
  | 'enum'
  | 'bool-string'
  | 'join-args'
  | 'argc'
  | 'args-flags'
  | 'args-options'
  | 'env-names'
  | 'rights'
  | 'length'
  | 'count';

/**
 * `path`: the JSON keys from the event's root (a key may contain a dot: `mount` /
 * `mountpoint.path`); a `[]` segment stands for each element of an array.
 */
export type JsonPath = readonly string[];

export type FieldMapping =
  | { kind: 'direct'; path: JsonPath }
  | { kind: 'derived'; derivation: Derivation; path: JsonPath; table?: string; of?: Derivation }
  | { kind: 'unavailable'; reason: string };

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
