/**
 * A `FieldSource` over a backend event (the JSON the agent's serializers write, as parsed:
 * plain objects, arrays, strings, booleans, numbers, and exact numbers as the lossless
 * parser's `JsonNumber`), read through the Linux field table (`generated/fields-linux.ts`).
 *
 * - `direct` fields read the JSON path; an array at the end gives one value per element,
 *   a `[]` segment (iterators: `process.ancestors`) one value per element too, an element
 *   without the key (the serializers' `omitempty`) giving the type's zero value;
 * - `derived` fields compute the agent's value (see `Derivation` in `fields.ts`): flag
 *   names back into a bitmask with the agent's constants, RFC 3339 times into ns...;
 * - `unavailable` fields, and absent values, read as no value: the evaluator then uses
 *   the type's zero value (`""`, `0`, `false`), as the agent does for an unset field.
 *
 * `now()` is the event's `date` in ns since the epoch (the agent compares durations with
 * the event's own time).
 */
import { JsonNumber } from '../core/json/value.js';
import { LINUX_CONSTANT_TABLES } from './constants.js';
import type { FieldSource, SeclScalar } from './eval.js';
import { utf8Length } from './eval.js';
import { SECL_FIELDS_LINUX, type Derivation, type FieldMapping, type JsonPath, type SeclFieldSpec } from './fields.js';

/** A value of the parsed event. */
type Json = unknown;

export interface BackendSourceOptions {
  /** The field table; defaults to the Linux one. */
  fields?: Readonly<Record<string, SeclFieldSpec>>;
  /** Constants tables by Go name (`openFlagsConstants`); defaults to the agent's Linux ones. */
  tables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * An exact number (a JsonNumber of the lossless parser): its text. Only that
 * class: an object of the event that merely has a `raw` key is data, not a number.
 */
function exactText(v: Json): string | undefined {
  return v instanceof JsonNumber ? v.raw : undefined;
}

/**
 * How many numbers `scalar` met that a double may not hold as the JSON text wrote them: an
 * integer past 2^53 or an infinity (anything else reads the same from JSON.parse as from the
 * lossless parser). A reader of a plain JSON.parse value re-reads a field from the exact
 * parse when this moved while reading it (`rules/event-source.ts`).
 */
export const inexactNumbers = { seen: 0 };

/** A JSON value as a SECL scalar: exact integers as bigint; objects and null as nothing. */
function scalar(v: Json): SeclScalar | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
    case 'number':
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) inexactNumbers.seen++;
      return Number.isFinite(v) ? v : undefined;
    default: {
      const raw = exactText(v);
      if (raw === undefined) return undefined;
      return /^-?[0-9]+$/.test(raw) ? BigInt(raw) : Number(raw);
    }
  }
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && exactText(v) === undefined;
}

/**
 * The values at `path`, one per element where a segment is `[]`. A key missing from an
 * object that is there (or null) gives `undefined`, so that each element of an iterator
 * keeps a value (the serializers omit zero values); nothing is given below a missing array.
 */
export function readPath(event: Json, path: JsonPath): Json[] {
  if (!path.includes('[]')) {
    // No iterator: one value at most, read without the lists (most fields).
    let v = event;
    for (let i = 0; i < path.length; i++) {
      if (v === undefined) continue;
      if (!isObject(v)) return [];
      const seg = path[i]!;
      v = Object.prototype.hasOwnProperty.call(v, seg) ? v[seg] ?? undefined : undefined;
    }
    return [v];
  }
  let cur: Json[] = [event];
  for (const seg of path) {
    const next: Json[] = [];
    for (const v of cur) {
      if (seg === '[]') {
        if (Array.isArray(v)) next.push(...(v as Json[]).map((x) => x ?? undefined));
      } else if (v === undefined) {
        next.push(undefined);
      } else if (isObject(v)) {
        next.push(Object.prototype.hasOwnProperty.call(v, seg) ? v[seg] ?? undefined : undefined);
      }
    }
    cur = next;
  }
  return cur;
}

const RFC3339 = /^(-?\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?(Z|z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time (Go's `time.Time` JSON) in ns since the epoch. */
export function parseTimeNs(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  const ms = d.getTime();
  if (Number.isNaN(ms)) return undefined;
  const frac = BigInt((m[7] ?? '').padEnd(9, '0'));
  let offsetMin = 0n;
  if (m[8] !== 'Z' && m[8] !== 'z') {
    const sign = m[8][0] === '-' ? -1n : 1n;
    offsetMin = sign * (BigInt(m[8].slice(1, 3)) * 60n + BigInt(m[8].slice(4, 6)));
  }
  return (BigInt(ms) - offsetMin * 60_000n) * 1_000_000n + frac;
}

const isAlphaNumeric = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

/** The agent's `args_flags`: `-sV` gives `s`, `V` and `sV`; `--verbose` gives `verbose`. */
export function argsFlags(args: readonly string[]): string[] {
  const flags: string[] = [];
  for (const arg of args) {
    if (arg.length < 2 || arg[0] !== '-') continue;
    let name = arg.slice(1);
    let isFlag = true;
    if (name[0] === '-') {
      name = name.slice(1);
      isFlag = false;
    }
    if (name === '') continue;
    const chars = [...name];
    if (isFlag && chars.every(isAlphaNumeric)) flags.push(...chars);
    if (!name.includes('=') && chars.length > 1) flags.push(name);
  }
  return flags;
}

/** The agent's `args_options`: `-p 0-1024` and `--p=0-1024` both give `p=0-1024`. */
export function argsOptions(args: readonly string[]): string[] {
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.length < 2 || arg[0] !== '-') continue;
    let name = arg.slice(1);
    if (name.length > 1 && name[0] === '-') name = name.slice(1);
    if (name === '' || !isAlphaNumeric(name[0])) continue;
    if (name.includes('=')) {
      options.push(name);
    } else if (i + 1 < args.length && (args[i + 1] === '' || args[i + 1][0] !== '-')) {
      options.push(`${name}=${args[i + 1]}`);
      i++;
    }
  }
  return options;
}

function strings(v: Json): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

type Table = Readonly<Record<string, string>> | undefined;

/** A name (or `A | B` names) -> its value in the table; undefined if any is unknown. */
function nameValue(table: Table, text: string): bigint | undefined {
  if (table === undefined) return undefined;
  let v = 0n;
  for (const part of text.split('|')) {
    const name = part.trim();
    if (!Object.prototype.hasOwnProperty.call(table, name)) return undefined;
    v |= BigInt(table[name]);
  }
  return v;
}

/** Names -> the OR of their values (unknown names are skipped). */
function flagsValue(table: Table, names: readonly string[]): bigint | undefined {
  if (table === undefined) return undefined;
  return names.reduce((acc, n) => acc | (nameValue(table, n) ?? 0n), 0n);
}

/** One leaf value of a derived field -> its SECL values. */
function derive(d: Derivation, v: Json, table: Table): SeclScalar[] {
  const one = (x: SeclScalar | undefined): SeclScalar[] => (x === undefined ? [] : [x]);
  switch (d) {
    case 'time':
      return typeof v === 'string' ? one(parseTimeNs(v)) : [];
    case 'flags':
      return Array.isArray(v) ? one(flagsValue(table, strings(v))) : [];
    case 'enum':
      if (Array.isArray(v)) return strings(v).flatMap((s) => one(nameValue(table, s)));
      return typeof v === 'string' ? one(nameValue(table, v)) : one(scalar(v));
    case 'bool-string':
      return typeof v === 'string' ? [v === 'true'] : one(scalar(v));
    case 'join-args':
      return Array.isArray(v) ? [strings(v).join(' ')] : [];
    case 'args-flags':
      return argsFlags(strings(v));
    case 'args-options':
      return argsOptions(strings(v));
    case 'not':
      return [v !== true];
    case 'rights': {
      const m = scalar(v);
      // A mode that is no integer (1.5: never written by the agent) has no rights, as an absent one.
      return (typeof m === 'number' && Number.isInteger(m)) || typeof m === 'bigint' ? [BigInt(m) & 0o7777n] : [];
    }
    case 'count':
      return Array.isArray(v) ? [BigInt(v.length)] : [];
    case 'length':
      return [];
  }
}

const ZERO: Readonly<Record<SeclFieldSpec['type'], SeclScalar | undefined>> = { string: '', int: 0n, bool: false, ip: undefined };

/** The zero value for an absent leaf: none for arrays, `0`/`""`/`false` for scalars. */
function absent(spec: SeclFieldSpec, d: Derivation | undefined): SeclScalar[] {
  if (d === 'not') return [true];
  if (spec.array === true || d === 'count' || d === 'args-flags' || d === 'args-options') return [];
  const z = ZERO[spec.type];
  return z === undefined ? [] : [z];
}

/** The values of one leaf of a direct field (as `readField` gives them for each leaf). */
function directValues(spec: SeclFieldSpec, v: Json): SeclScalar[] {
  if (v === undefined) return absent(spec, undefined);
  if (!Array.isArray(v)) {
    const x = scalar(v);
    return x === undefined ? [] : [x];
  }
  const out: SeclScalar[] = [];
  for (const e of v as Json[]) {
    const x = scalar(e);
    if (x !== undefined) out.push(x);
  }
  return out;
}

/** The values of a mapped field in an event; undefined if the backend does not have it. */
export function readField(event: Json, spec: SeclFieldSpec, tables: BackendSourceOptions['tables'] = LINUX_CONSTANT_TABLES): SeclScalar[] | undefined {
  const m: FieldMapping = spec.map;
  if (m.kind === 'unavailable') return undefined;
  const leaves = readPath(event, m.path);
  if (m.kind === 'direct') {
    return leaves.length === 1 ? directValues(spec, leaves[0]) : leaves.flatMap((v) => directValues(spec, v));
  }
  if (m.derivation === 'length') {
    const of = m.of;
    return leaves.flatMap((v) => {
      const strs = v === undefined ? [''] : of === undefined ? [v] : derive(of, v, undefined);
      return strs.filter((s): s is string => typeof s === 'string').map((s) => BigInt(utf8Length(s)));
    });
  }
  const table = m.table === undefined ? undefined : tables?.[m.table];
  const one = (v: Json): SeclScalar[] => (v === undefined ? absent(spec, m.derivation) : derive(m.derivation, v, table));
  return leaves.length === 1 ? one(leaves[0]) : leaves.flatMap(one);
}

/** The event's type as the backend writes it (`evt.name`: `open`, `exec`...). */
export function backendEventType(event: Json): string | undefined {
  const evt = isObject(event) ? event.evt : undefined;
  const name = isObject(evt) ? evt.name : undefined;
  return typeof name === 'string' ? name : undefined;
}

function ofEventType(spec: SeclFieldSpec, type: string | undefined): boolean {
  if (spec.event === undefined) return true;
  return typeof spec.event === 'string' ? spec.event === type : type !== undefined && spec.event.includes(type);
}

/**
 * A `FieldSource` over one parsed backend event. A field of another event type than the
 * event's (`unlink.file.path` on an exec event, both written at `file.path`) has no value:
 * rules should only be run on events of their type (`ruleEventTypes` in `fields.ts`).
 */
export function backendFieldSource(event: Json, opts: BackendSourceOptions = {}): FieldSource {
  const fields = opts.fields ?? SECL_FIELDS_LINUX;
  const tables = opts.tables ?? LINUX_CONSTANT_TABLES;
  const type = backendEventType(event);
  return {
    get(name) {
      if (!Object.prototype.hasOwnProperty.call(fields, name)) return undefined;
      const spec = fields[name];
      return ofEventType(spec, type) ? readField(event, spec, tables) : undefined;
    },
    now() {
      const date = isObject(event) ? event.date : undefined;
      return typeof date === 'string' ? parseTimeNs(date) : undefined;
    },
  };
}
