/**
 * Field paths, as typed after `--field` and inside queries.
 *
 *     process.args               key steps, separated by dots
 *     process.args[0]            an array element (0-based)
 *     process.args[-1]           counted from the end (-1 is the last element)
 *     process.ancestors[*].file  every element of an array
 *     mount["mountpoint.path"]   a quoted key (JSON string escapes), for keys that
 *                                contain dots or characters other than [A-Za-z0-9_]
 *
 * A plain key is `[A-Za-z_][A-Za-z0-9_]*`. A path has at most {@link MAX_PATH_STEPS}
 * steps. Errors are values ({@link PathError}), never exceptions; spans are 0-based
 * UTF-16 offsets into the text that was parsed (for a path inside a query: into
 * the query).
 *
 * Without a schema, a dotted path is split on every dot. With one,
 * `resolvePath` in `schema-index.ts` re-joins dotted keys the schema declares
 * (`mount.mountpoint.path` is key `mountpoint.path` of `mount`): that is why
 * key segments remember whether they were quoted.
 */
import type { Diagnostic, Span } from './diagnostic.js';
import { type JsonValue, isJsonObject } from './json/value.js';

export { MAX_PATH_STEPS, parsePath, scanJsonString, scanPath, type ScanPathResult, type ScanStringResult } from './path/parse.js';

/** A range of UTF-16 offsets, `start` inclusive, `end` exclusive (the one Span of every diagnostic). */
export type { Span };

export type Segment =
  /**
   * `quoted` is true for `["..."]` keys: they are taken as written. Plain keys
   * (`quoted` false or absent) may be re-joined with their dotted neighbours when
   * a schema declares a key that contains dots.
   */
  | { kind: 'key'; key: string; span: Span; quoted?: boolean }
  | { kind: 'index'; index: number; span: Span }
  | { kind: 'wildcard'; span: Span };

export interface Path {
  segments: Segment[];
  /** The path as written (for a path inside a query: the slice of the query). */
  text: string;
  span: Span;
  /** `$host`: a field of the record the event was cut from (its envelope), not of the event. */
  envelope?: true;
}

/**
 * A path that cannot be used: a Diagnostic with its span in the path text.
 * `path`: malformed path; `unknown-field`: well-formed, but the schema has no
 * such field (`suggestion`: the closest existing path, when one is close enough).
 */
export interface PathError extends Diagnostic {
  code: 'path' | 'unknown-field';
  span: Span;
}

export type PathResult = { ok: true; path: Path } | { ok: false; error: PathError };


const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True if `key` can be written without quotes (`a.key`). */
export function isIdentifier(key: string): boolean {
  return IDENT.test(key);
}

// ---------------------------------------------------------------------------
// Printing

/** A key as a bracket step: `["mountpoint.path"]`. */
function bracketKey(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

/** Writes steps as text; `plainKey` decides which keys go unquoted after a dot. */
function writePath(path: Path | readonly Segment[], plainKey: (seg: Segment & { kind: 'key' }) => boolean): string {
  const segments = Array.isArray(path) ? (path as readonly Segment[]) : (path as Path).segments;
  const envelope = !Array.isArray(path) && (path as Path).envelope === true;
  let out = '';
  for (const seg of segments) {
    if (seg.kind === 'key') {
      if (plainKey(seg) || (envelope && out === '')) out += out === '' ? `${envelope ? '$' : ''}${seg.key}` : `.${seg.key}`;
      else out += bracketKey(seg.key);
    } else if (seg.kind === 'index') {
      out += `[${seg.index}]`;
    } else {
      out += '[*]';
    }
  }
  return out;
}

/**
 * The canonical text of a path: plain keys joined by dots, other keys quoted
 * (`mount["mountpoint.path"]`), `[n]`, `[*]`. `parsePath` reads it back to the
 * same steps (a plain key written here is never re-joined by the schema, because
 * keys that contain dots are always quoted).
 */
export function formatPath(path: Path | readonly Segment[]): string {
  return writePath(path, (seg) => isIdentifier(seg.key));
}

/**
 * The text of a path as a query would write it, keeping the quoted/plain
 * distinction of each key (plain keys are written with dots even when they
 * contain dots, as `resolvePath` produced them). Used by the query printer.
 */
export function formatRawPath(path: Path | readonly Segment[]): string {
  return writePath(path, (seg) => !seg.quoted && seg.key.split('.').every(isIdentifier));
}

// ---------------------------------------------------------------------------
// Evaluation

/**
 * Every value `path` reaches in `event`, in document order. `[*]` fans out over
 * the elements of an array; a key step on a non-object, an index step on a
 * non-array, a missing key or an index out of range yields nothing. A final
 * value that is an array is returned as one value (comparisons fan it out, not
 * this function). Only own properties are read: `__proto__` or `constructor`
 * in a path finds a key of that name in the event or nothing.
 */
export function getPathValues(event: JsonValue, path: Path | readonly Segment[]): JsonValue[] {
  const segments = Array.isArray(path) ? (path as readonly Segment[]) : (path as Path).segments;
  let current: JsonValue[] = [event];
  for (const seg of segments) {
    const next: JsonValue[] = [];
    for (const v of current) {
      if (seg.kind === 'key') {
        if (isJsonObject(v) && Object.hasOwn(v, seg.key)) next.push(v[seg.key]);
      } else if (seg.kind === 'index') {
        if (Array.isArray(v)) {
          const i = seg.index < 0 ? v.length + seg.index : seg.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (Array.isArray(v)) {
        for (const e of v) next.push(e);
      }
    }
    if (next.length === 0) return next;
    current = next;
  }
  return current;
}
