/**
 * `csm-filter --count-by PATH[,PATH...]`: the group keys of an event, their
 * counts, and the ranking of the groups. Pure: the run hands each selected
 * event's keys (computed here, in the main thread or a `--jobs` worker, as a
 * string that crosses threads like a `--field` rendering) to a GroupCounts in
 * input order, so any number of threads gives exactly the result of one.
 *
 * - A group is one value of each path (a tuple for several paths). A path that
 *   reaches a list (`file.flags`, or `[*]`) fans out: each element is a value
 *   (an empty list is the value `[]`). Several such paths give every
 *   combination (the cartesian product). Each distinct tuple of an event counts
 *   once for that event: a count is a number of events.
 * - A path that reaches nothing is the value "missing", a group of its own.
 * - Keys are exact: a string and a number are different (`"1"` is not `1`);
 *   numbers group by exact value (`1.0` = `1`, uint64 digit for digit, never a
 *   double). Objects and nested lists are keyed by their compact JSON text.
 * - Bounds, whatever the data: a value longer than KEY_MAX_CHARS (UTF-16 code
 *   units, of the string or of the JSON text) is cut there (and marked cut); an
 *   event gives at most MAX_TUPLES_PER_EVENT tuples; at most `maxGroups` groups
 *   are kept; what does not fit is counted as left out, and the result is
 *   incomplete.
 */
import { FilterError, type SelectedEvent } from './filter-line.js';
import { type JsonValue, JsonNumber, parseLossless, stringifyJson } from './json.js';
import { canonicalNumberText, compareJsonNumbers } from './json/decimal.js';
import { type Path, formatPath, getPathValues } from './path.js';
import { type SchemaIndex, resolvePath } from './schema-index.js';
import { renderQueryError } from '../query/errors.js';
import { DEFAULT_MAX_GROUPS } from './count-by-limits.js';

/** Default `--max-groups` (defined beside the option's other limits). */
export { DEFAULT_MAX_GROUPS };

/** A longer value (string, or JSON text of another value) is cut to this many UTF-16 code units. */
export const KEY_MAX_CHARS = 512;
/** An event gives at most this many tuples (fan-out of lists, their product). */
export const MAX_TUPLES_PER_EVENT = 10_000;

// The encoding of an event's keys, one string (plain data for the workers):
// tuples joined by TUPLE_SEP, a tuple's values by VALUE_SEP; a value is its
// JSON text (numbers canonical), MISSING, or CUT + the JSON string of the cut
// text. JSON text never holds a raw control character nor starts with `!`/`~`.
const VALUE_SEP = '\u0000';
const TUPLE_SEP = '\u0001';
/** A tuple of its own that says the event had more tuples than MAX_TUPLES_PER_EVENT. */
const TOO_MANY = '\u0002';
const MISSING = '!';
const CUT = '~';

/** Every path's values in an event, as one encoded string (see above). */
export type GroupKeyer = (event: SelectedEvent) => string;

export interface CompiledCountBy {
  /** The paths' canonical texts, for headers and ndjson keys. */
  readonly names: readonly string[];
  /** The paths, resolved (what the keyer reads of an event). */
  readonly paths: readonly Path[];
  readonly keys: GroupKeyer;
}

/** Resolves `--count-by` paths (against the schema when there is one); a bad path throws a FilterError with its span. */
export function compileCountBy(fields: readonly string[], index: SchemaIndex | null): CompiledCountBy {
  if (fields.length === 0) throw new FilterError('count-by', '', [], 'count-by needs at least one path', 'needs at least one path');
  const paths: Path[] = [];
  const names: string[] = [];
  for (const field of fields) {
    const r = resolvePath(index, field);
    if (!r.ok) throw new FilterError('count-by', field, [r.error], renderQueryError(field, r.error, 'count-by'));
    const name = formatPath(r.path);
    if (names.includes(name)) {
      const reason = `'${name}' is given twice`;
      throw new FilterError('count-by', field, [], `count-by ${field}: ${reason}`, reason);
    }
    paths.push(r.path);
    names.push(name);
  }
  return { names, paths, keys: groupKeyer(paths) };
}

/** A string cut to `max` code units, never between the halves of a surrogate pair. */
function cutText(text: string, max: number): string {
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}

/** The encoded key of one value. */
function encodeValue(v: JsonValue): string {
  if (typeof v === 'string') {
    return v.length > KEY_MAX_CHARS ? CUT + JSON.stringify(cutText(v, KEY_MAX_CHARS)) : JSON.stringify(v);
  }
  if (typeof v === 'number' || v instanceof JsonNumber) return canonicalNumberText(v);
  if (v === null || typeof v === 'boolean') return String(v);
  const text = stringifyJson(v);
  return text.length > KEY_MAX_CHARS ? CUT + JSON.stringify(cutText(text, KEY_MAX_CHARS)) : text;
}

/** The distinct encoded values of what a path reached (lists fanned out one level), at most MAX_TUPLES_PER_EVENT + 1. */
function distinctValues(reached: readonly JsonValue[]): string[] {
  if (reached.length === 0) return [MISSING];
  const seen = new Set<string>();
  const add = (v: JsonValue): boolean => {
    seen.add(encodeValue(v));
    return seen.size <= MAX_TUPLES_PER_EVENT;
  };
  for (const v of reached) {
    if (!Array.isArray(v)) {
      if (!add(v)) break;
      continue;
    }
    if (v.length === 0 && !add(v)) break;
    let more = true;
    for (const e of v) if (!(more = add(e))) break;
    if (!more) break;
  }
  return [...seen];
}

/** What each path reaches; read from the exact parse when a value is not a string (a number JSON.parse may have rounded). */
function reachedValues(selected: SelectedEvent, paths: readonly Path[]): JsonValue[][] {
  const fast = paths.map((path) => getPathValues(selected.value as JsonValue, path));
  const onlyStrings = fast.every((values) =>
    values.every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((e) => typeof e === 'string'))),
  );
  if (onlyStrings) return fast;
  const exact = selected.exact();
  return exact === selected.value ? fast : paths.map((path) => getPathValues(exact, path));
}

function groupKeyer(paths: readonly Path[]): GroupKeyer {
  return (selected) => {
    const reached = reachedValues(selected, paths);
    if (paths.length === 1) {
      const values = distinctValues(reached[0]!);
      if (values.length > MAX_TUPLES_PER_EVENT) return values.slice(0, MAX_TUPLES_PER_EVENT).join(TUPLE_SEP) + TUPLE_SEP + TOO_MANY;
      return values.length === 1 ? values[0]! : values.join(TUPLE_SEP);
    }
    let tuples = [''];
    let tooMany = false;
    reached.forEach((r, i) => {
      const next: string[] = [];
      const values = distinctValues(r);
      outer: for (const t of tuples) {
        for (const v of values) {
          if (next.length === MAX_TUPLES_PER_EVENT) {
            tooMany = true;
            break outer;
          }
          next.push(i === 0 ? v : t + VALUE_SEP + v);
        }
      }
      tuples = next;
    });
    return tuples.join(TUPLE_SEP) + (tooMany ? TUPLE_SEP + TOO_MANY : '');
  };
}

/**
 * The counts of a run's groups. `add` takes the encoded keys of one selected
 * event; at most `maxGroups` groups are kept, and a tuple of a further group
 * is counted in `leftOut` instead (the groups kept go on counting exactly).
 */
export class GroupCounts {
  readonly groups = new Map<string, number>();
  /** Tuples of events that fell in no kept group (beyond `maxGroups`). */
  leftOut = 0;
  /** Events that had more than MAX_TUPLES_PER_EVENT tuples (the first ones were counted). */
  tooManyTuples = 0;
  /** Events counted (each selected event, once). */
  events = 0;

  constructor(readonly maxGroups: number = DEFAULT_MAX_GROUPS) {}

  add(encoded: string): void {
    this.events++;
    let start = 0;
    for (;;) {
      const end = encoded.indexOf(TUPLE_SEP, start);
      const key = end === -1 ? (start === 0 ? encoded : encoded.slice(start)) : encoded.slice(start, end);
      if (key === TOO_MANY) this.tooManyTuples++;
      else this.bump(key);
      if (end === -1) return;
      start = end + 1;
    }
  }

  private bump(key: string): void {
    const n = this.groups.get(key);
    if (n !== undefined) this.groups.set(key, n + 1);
    else if (this.groups.size < this.maxGroups) this.groups.set(key, 1);
    else this.leftOut++;
  }

  /** True when some value of some event is not in the counts. */
  get incomplete(): boolean {
    return this.leftOut > 0 || this.tooManyTuples > 0;
  }
}

/** One value of a group: missing, or a JSON value (a cut one is the string of its first KEY_MAX_CHARS units). */
export type GroupValue = { missing: true } | { missing: false; value: JsonValue; cut: boolean };

export interface Group {
  values: GroupValue[];
  count: number;
}

function decodeValue(text: string): GroupValue {
  if (text === MISSING) return { missing: true };
  if (text.startsWith(CUT)) return { missing: false, value: JSON.parse(text.slice(1)) as string, cut: true };
  return { missing: false, value: parseLossless(text), cut: false };
}

/** jq's order of types, missing first: missing, null, false, true, numbers, strings, lists, objects. */
function rank(g: GroupValue): number {
  if (g.missing) return 0;
  const v = g.value;
  if (v === null) return 1;
  if (v === false) return 2;
  if (v === true) return 3;
  if (typeof v === 'number' || v instanceof JsonNumber) return 4;
  if (typeof v === 'string') return 5;
  return Array.isArray(v) ? 6 : 7;
}

function compareValues(a: GroupValue, b: GroupValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || a.missing || b.missing) return ra - rb;
  if (ra === 4) return compareJsonNumbers(a.value as number | JsonNumber, b.value as number | JsonNumber);
  const ta = typeof a.value === 'string' ? a.value : stringifyJson(a.value);
  const tb = typeof b.value === 'string' ? b.value : stringifyJson(b.value);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return Number(a.cut) - Number(b.cut);
}

/** Orders groups by value, path by path (the tie-break of equal counts). */
export function compareGroupValues(a: readonly GroupValue[], b: readonly GroupValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

export interface RankOptions {
  /** Least frequent first (`--rare`); default: most frequent first. */
  rare?: boolean;
  /** Only the first `top` groups of that order (`--top`). */
  top?: number;
}

/**
 * The groups in print order: by count (descending, or ascending with `rare`),
 * equal counts by their values in jq's order (missing first; numbers by value,
 * strings by UTF-16 code units), then the first `top`.
 */
export function rankGroups(counts: GroupCounts, options: RankOptions = {}): Group[] {
  const groups: Group[] = [];
  for (const [key, count] of counts.groups) groups.push({ values: key.split(VALUE_SEP).map(decodeValue), count });
  const sign = options.rare === true ? 1 : -1;
  groups.sort((a, b) => sign * (a.count - b.count) || compareGroupValues(a.values, b.values));
  return options.top !== undefined ? groups.slice(0, options.top) : groups;
}
