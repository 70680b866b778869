/**
 * Reading paths: `scanPath` for a path inside a query, `parsePath` for a whole
 * `--field` value, and `scanJsonString` for quoted keys and query strings.
 */
import { StringFailure, type StringRules, readJsonString } from '../json/string.js';
import { describeChar } from '../text.js';
import type { Path, PathError, PathResult, Segment, Span } from '../path.js';
import type { Diagnostic } from '../diagnostic.js';

/** Longest path accepted, in steps; keeps every later walk over a path shallow. */
export const MAX_PATH_STEPS = 256;

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

// ---------------------------------------------------------------------------
// JSON string literals (shared with the query lexer)

export type ScanStringResult =
  | { ok: true; value: string; end: number }
  | { ok: false; error: Diagnostic & { span: Span } };

/** Quoted keys and query strings: decoded, raw control characters accepted. */
const QUERY_STRINGS: StringRules = { build: true, refuseControls: false };

/**
 * Reads a JSON string literal starting at `text[start] === '"'`. Escapes are
 * JSON's (`\" \\ \/ \b \f \n \r \t \uHHHH`); unlike JSON, raw control characters
 * are accepted (a query typed in a shell may contain a tab).
 */
export function scanJsonString(text: string, start: number): ScanStringResult {
  const cursor = { pos: start };
  try {
    const value = readJsonString(text, cursor, QUERY_STRINGS);
    return { ok: true, value, end: cursor.pos };
  } catch (thrown) {
    if (!(thrown instanceof StringFailure)) throw thrown;
    return stringError(text, start, thrown);
  }
}

/** A string decoder's failure in the words of paths and queries. */
function stringError(text: string, start: number, f: StringFailure): ScanStringResult & { ok: false } {
  return { ok: false, error: { code: 'syntax', ...stringProblem(text, start, f) } };
}

function stringProblem(text: string, start: number, f: StringFailure): Omit<Diagnostic, 'code'> & { span: Span } {
  if (f.kind === 'hex') {
    return {
      message: 'invalid \\u escape: expected 4 hex digits',
      span: { start: f.escape, end: f.at },
      expected: '4 hex digits',
    };
  }
  if (f.kind === 'escape') {
    const i = f.escape;
    // A surrogate pair after the backslash is one character; a lone surrogate is one code unit.
    const width = text.codePointAt(i + 1)! > 0xffff ? 3 : 2;
    // A control character after the backslash is named, not printed (it may be a newline).
    const shown = /[\u0000-\u001f\u007f]/.test(text[i + 1])
      ? `'\\' followed by ${describeChar(text, i + 1)}`
      : `'\\${text.slice(i + 1, i + width)}'`;
    return {
      message: `invalid escape ${shown} in string`,
      span: { start: i, end: i + width },
      expected: 'one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uHHHH',
      found: shown,
    };
  }
  // 'unterminated' ('control' cannot happen: raw control characters are accepted)
  return {
    message: 'unterminated string: expected a closing \'"\'',
    span: { start, end: start + 1 },
    expected: '\'"\'',
    found: 'end of text',
  };
}

// ---------------------------------------------------------------------------
// Parsing

export type ScanPathResult = { ok: true; path: Path; end: number } | { ok: false; error: PathError };

/** A failed step or path. */
type Failed = { ok: false; error: PathError };

function pathError(message: string, span: Span, expected?: string, found?: string): Failed {
  const error: PathError = { code: 'path', message, span };
  if (expected !== undefined) error.expected = expected;
  if (found !== undefined) error.found = found;
  return { ok: false, error };
}

/** The span of what was found at `i`, or of `anchor` when the text ended there. */
function foundSpan(text: string, i: number, anchor: number): Span {
  return i >= text.length ? { start: anchor, end: anchor + 1 } : { start: i, end: i + 1 };
}

function isDigitChar(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Reads the steps of one path; each method reads one step at `pos` and moves past it. */
class PathScanner {
  pos: number;
  constructor(private readonly text: string, start: number) {
    this.pos = start;
  }

  /** A plain key at the cursor, or null (the cursor does not move). */
  ident(): Segment | null {
    const text = this.text;
    const s = this.pos;
    if (s >= text.length || !IDENT_START.test(text[s])) return null;
    let i = s + 1;
    while (i < text.length && IDENT_PART.test(text[i])) i++;
    this.pos = i;
    return { kind: 'key', key: text.slice(s, i), span: { start: s, end: i } };
  }

  /** `.key`, the cursor on the dot. */
  dotStep(): Segment | Failed {
    const text = this.text;
    const dot = this.pos;
    this.pos++;
    const seg = this.ident();
    if (seg !== null) return seg;
    const i = this.pos;
    const found = describeChar(text, i);
    if (text[i] === '"' || (i < text.length && IDENT_PART.test(text[i]))) {
      return pathError(
        `expected a field name after '.', found ${found}; write keys that start with a digit or contain other characters as ["key"]`,
        { start: i, end: Math.min(i + 1, text.length) },
        'a field name',
        found,
      );
    }
    return pathError(`expected a field name after '.', found ${found}`, foundSpan(text, i, dot), 'a field name', found);
  }

  /** `[*]`, `["key"]` or `[n]`, the cursor on the `[`; whitespace is allowed inside. */
  bracketStep(): Segment | Failed {
    const text = this.text;
    const open = this.pos;
    this.pos++;
    this.skipSpaces();
    const seg = this.bracketContent(open);
    if ('ok' in seg) return seg;
    this.skipSpaces();
    const i = this.pos;
    if (text[i] !== ']') {
      const found = describeChar(text, i);
      return pathError(
        `expected ']' to close the '[' at offset ${open}, found ${found}`,
        foundSpan(text, i, open),
        "']'",
        found,
      );
    }
    this.pos = i + 1;
    seg.span.end = this.pos;
    return seg;
  }

  /** What stands between the brackets (its span is completed by bracketStep). */
  private bracketContent(open: number): Segment | Failed {
    const text = this.text;
    const i = this.pos;
    if (text[i] === '*') {
      this.pos++;
      return { kind: 'wildcard', span: { start: open, end: 0 } };
    }
    if (text[i] === '"') {
      const str = scanJsonString(text, i);
      if (!str.ok) return pathError(str.error.message, str.error.span, str.error.expected, str.error.found);
      this.pos = str.end;
      return { kind: 'key', key: str.value, span: { start: open, end: 0 }, quoted: true };
    }
    if (text[i] === '-' || isDigitChar(text[i])) return this.index(open);
    const found = describeChar(text, i);
    return pathError(
      `expected an index, '*' or a quoted key after '[', found ${found}`,
      foundSpan(text, i, open),
      "an index, '*' or a quoted key",
      found,
    );
  }

  /** An index, `-` counting from the end. */
  private index(open: number): Segment | Failed {
    const text = this.text;
    const s = this.pos;
    let i = s;
    if (text[i] === '-') i++;
    const digits = i;
    while (isDigitChar(text[i])) i++;
    this.pos = i;
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
    return { kind: 'index', index: index === 0 ? 0 : index, span: { start: open, end: 0 } };
  }

  private skipSpaces(): void {
    while (isSpace(this.text[this.pos])) this.pos++;
  }
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
  // `$host`: a field of the event's envelope (core/shapes/envelope.ts), not of the event
  const envelope = text[start] === '$';
  const first0 = envelope ? start + 1 : start;
  const scanner = new PathScanner(text, first0);
  const segments: Segment[] = [];
  if (envelope || !(text[start] === '[' && options.allowLeadingBracket)) {
    const first = scanner.ident();
    if (first === null) {
      return pathError(
        `expected a field name${envelope ? " after '$'" : ''}, found ${describeChar(text, first0)}`,
        { start: first0, end: Math.min(first0 + 1, text.length) },
        'a field name',
        describeChar(text, first0),
      );
    }
    segments.push(first);
  }
  for (;;) {
    const ch = text[scanner.pos];
    if (ch !== '.' && ch !== '[') break;
    const seg = ch === '.' ? scanner.dotStep() : scanner.bracketStep();
    if ('ok' in seg) return seg;
    if (segments.length >= MAX_PATH_STEPS) {
      return pathError(`path too long: more than ${MAX_PATH_STEPS} steps`, { start, end: scanner.pos });
    }
    segments.push(seg);
  }
  const end = scanner.pos;
  if (segments.length === 0) {
    return pathError('expected a field name', { start, end: start + 1 }, 'a field name');
  }
  return { ok: true, path: { segments, text: text.slice(start, end), span: { start, end }, ...(envelope ? { envelope: true as const } : {}) }, end };
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
