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
import { JsonNumber, type JsonValue } from './json.js';

/** A range of UTF-16 offsets, `start` inclusive, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

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
}

export interface PathError {
  /** `path`: malformed path; `unknown-field`: well-formed, but the schema has no such field. */
  code: 'path' | 'unknown-field';
  message: string;
  span: Span;
  expected?: string;
  found?: string;
  /** For `unknown-field`: the closest existing path, when one is close enough. */
  suggestion?: string;
}

export type PathResult = { ok: true; path: Path } | { ok: false; error: PathError };

/** Longest path accepted, in steps; keeps every later walk over a path shallow. */
export const MAX_PATH_STEPS = 256;

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True if `key` can be written without quotes (`a.key`). */
export function isIdentifier(key: string): boolean {
  return IDENT.test(key);
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** How a character (or the end) is named in messages: `'x'`, `end of path`. */
export function describeChar(text: string, at: number, end = 'end of path'): string {
  if (at >= text.length) return end;
  const cp = text.codePointAt(at)!;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029) {
    return `character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}

// ---------------------------------------------------------------------------
// JSON string literals (shared with the query lexer)

export type ScanStringResult =
  | { ok: true; value: string; end: number }
  | { ok: false; message: string; span: Span; expected?: string; found?: string };

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Reads a JSON string literal starting at `text[start] === '"'`. Escapes are
 * JSON's (`\" \\ \/ \b \f \n \r \t \uHHHH`); unlike JSON, raw control characters
 * are accepted (a query typed in a shell may contain a tab).
 */
export function scanJsonString(text: string, start: number): ScanStringResult {
  let i = start + 1;
  let out = '';
  let chunk = i;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      out += text.slice(chunk, i);
      return { ok: true, value: out, end: i + 1 };
    }
    if (ch === '\\') {
      out += text.slice(chunk, i);
      const esc = text[i + 1];
      if (esc === undefined) break;
      const simple = Object.hasOwn(SIMPLE_ESCAPES, esc) ? SIMPLE_ESCAPES[esc] : undefined;
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (esc === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
          let end = i + 2;
          while (end < i + 6 && end < text.length && /[0-9A-Fa-f]/.test(text[end])) end++;
          return {
            ok: false,
            message: 'invalid \\u escape: expected 4 hex digits',
            span: { start: i, end: Math.max(end, i + 2) },
            expected: '4 hex digits',
          };
        }
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        // A surrogate pair after the backslash is one character; a lone surrogate is one code unit.
        const width = text.codePointAt(i + 1)! > 0xffff ? 3 : 2;
        // A control character after the backslash is named, not printed (it may be a newline).
        const shown = /[\u0000-\u001f\u007f]/.test(esc)
          ? `'\\' followed by ${describeChar(text, i + 1)}`
          : `'\\${text.slice(i + 1, i + width)}'`;
        return {
          ok: false,
          message: `invalid escape ${shown} in string`,
          span: { start: i, end: i + width },
          expected: 'one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uHHHH',
          found: shown,
        };
      }
      chunk = i;
      continue;
    }
    i++;
  }
  return {
    ok: false,
    message: 'unterminated string: expected a closing \'"\'',
    span: { start, end: start + 1 },
    expected: '\'"\'',
    found: 'end of text',
  };
}

// ---------------------------------------------------------------------------
// Parsing

export type ScanPathResult = { ok: true; path: Path; end: number } | { ok: false; error: PathError };

function pathError(message: string, span: Span, expected?: string, found?: string): {
  ok: false;
  error: PathError;
} {
  const error: PathError = { code: 'path', message, span };
  if (expected !== undefined) error.expected = expected;
  if (found !== undefined) error.found = found;
  return { ok: false, error };
}

/**
 * Reads one path starting at `text[start]` and stops at the first character that
 * cannot continue it (the query lexer goes on from `end`). The path must start
 * with a plain key, or with a bracket when `allowLeadingBracket` is set.
 * Whitespace is allowed inside brackets only.
 */
export function scanPath(
  text: string,
  start: number,
  options: { allowLeadingBracket?: boolean } = {},
): ScanPathResult {
  const segments: Segment[] = [];
  let i = start;
  const readIdent = (): Segment | null => {
    if (i >= text.length || !IDENT_START.test(text[i])) return null;
    const s = i;
    i++;
    while (i < text.length && IDENT_PART.test(text[i])) i++;
    return { kind: 'key', key: text.slice(s, i), span: { start: s, end: i } };
  };
  const tooLong = (at: number) =>
    pathError(`path too long: more than ${MAX_PATH_STEPS} steps`, { start, end: at });

  if (text[i] === '[' && options.allowLeadingBracket) {
    // handled by the loop below
  } else {
    const first = readIdent();
    if (first === null) {
      return pathError(
        `expected a field name, found ${describeChar(text, i)}`,
        { start: i, end: Math.min(i + 1, text.length) },
        'a field name',
        describeChar(text, i),
      );
    }
    segments.push(first);
  }

  for (;;) {
    const ch = text[i];
    if (ch === '.') {
      const dot = i;
      i++;
      const seg = readIdent();
      if (seg === null) {
        const found = describeChar(text, i);
        if (text[i] === '"' || (i < text.length && IDENT_PART.test(text[i]))) {
          return pathError(
            `expected a field name after '.', found ${found}; write keys that start with a digit or contain other characters as ["key"]`,
            { start: i, end: Math.min(i + 1, text.length) },
            'a field name',
            found,
          );
        }
        return pathError(
          `expected a field name after '.', found ${found}`,
          i >= text.length ? { start: dot, end: dot + 1 } : { start: i, end: i + 1 },
          'a field name',
          found,
        );
      }
      if (segments.length >= MAX_PATH_STEPS) return tooLong(i);
      segments.push(seg);
    } else if (ch === '[') {
      const open = i;
      i++;
      while (isSpace(text[i])) i++;
      let seg: Segment;
      const s = i;
      if (text[i] === '*') {
        i++;
        seg = { kind: 'wildcard', span: { start: open, end: 0 } };
      } else if (text[i] === '"') {
        const str = scanJsonString(text, i);
        if (!str.ok) return pathError(str.message, str.span, str.expected, str.found);
        i = str.end;
        seg = { kind: 'key', key: str.value, span: { start: open, end: 0 }, quoted: true };
      } else if (text[i] === '-' || (text[i] !== undefined && text[i] >= '0' && text[i] <= '9')) {
        if (text[i] === '-') i++;
        const digits = i;
        while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
        if (i === digits) {
          return pathError(
            `expected digits after '-' in an index, found ${describeChar(text, i)}`,
            { start: s, end: Math.min(i + 1, text.length) },
            'digits',
            describeChar(text, i),
          );
        }
        const index = Number(text.slice(s, i));
        if (!Number.isSafeInteger(index)) {
          return pathError(`array index ${text.slice(s, i)} is too large`, { start: s, end: i });
        }
        seg = { kind: 'index', index: index === 0 ? 0 : index, span: { start: open, end: 0 } };
      } else {
        const found = describeChar(text, i);
        return pathError(
          `expected an index, '*' or a quoted key after '[', found ${found}`,
          i >= text.length ? { start: open, end: open + 1 } : { start: i, end: i + 1 },
          "an index, '*' or a quoted key",
          found,
        );
      }
      while (isSpace(text[i])) i++;
      if (text[i] !== ']') {
        const found = describeChar(text, i);
        return pathError(
          `expected ']' to close the '[' at offset ${open}, found ${found}`,
          i >= text.length ? { start: open, end: open + 1 } : { start: i, end: i + 1 },
          "']'",
          found,
        );
      }
      i++;
      seg.span.end = i;
      if (segments.length >= MAX_PATH_STEPS) return tooLong(i);
      segments.push(seg);
    } else {
      break;
    }
  }
  if (segments.length === 0) {
    return pathError('expected a field name', { start, end: start + 1 }, 'a field name');
  }
  const span = { start, end: i };
  return { ok: true, path: { segments, text: text.slice(start, i), span }, end: i };
}

/**
 * Parses a whole path (`--field` values). Surrounding whitespace is ignored;
 * anything else after the path is an error. A leading `["key"]` is accepted.
 */
export function parsePath(text: string): PathResult {
  let start = 0;
  while (isSpace(text[start])) start++;
  if (start >= text.length) {
    return pathError('empty path: expected a field name', { start: 0, end: 0 }, 'a field name', 'end of path');
  }
  const r = scanPath(text, start, { allowLeadingBracket: true });
  if (!r.ok) return r;
  let j = r.end;
  while (isSpace(text[j])) j++;
  if (j < text.length) {
    const found = describeChar(text, j);
    return pathError(
      `unexpected ${found} in path`,
      { start: j, end: j + 1 },
      "'.', '[' or end of path",
      found,
    );
  }
  return { ok: true, path: r.path };
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
  let out = '';
  for (const seg of segments) {
    if (seg.kind === 'key') {
      if (plainKey(seg)) out += out === '' ? seg.key : `.${seg.key}`;
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

/** Builds a `Path` from steps (spans are empty, text is canonical). */
export function pathFromSegments(segments: Segment[]): Path {
  const text = formatPath(segments);
  return { segments, text, span: { start: 0, end: text.length } };
}

// ---------------------------------------------------------------------------
// Evaluation

/** A JSON object (not an array, not null, not a JsonNumber). */
export function isJsonObject(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

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
