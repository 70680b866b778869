/**
 * Globs for `=~ "..."`: the pattern must match the whole string.
 *
 * - `*`   any run of characters without `/` (within one path segment)
 * - `**`  any run of characters, `/` included (three or more `*` act as `**`)
 * - `?`   one character that is not `/`
 * - `[abc]`, `[a-z]` one character of the class; `[!abc]` or `[^abc]` one character
 *   not in the class and not `/`. A `]` right after `[` (or `[!`) is a member. A
 *   positive class matches `/` only if it lists it.
 * - `\x`  the character x itself (`\*`, `\[`); in a query string that is `"\\*"`.
 * - everything else matches itself. Characters are code points.
 *
 * Matching is linear in the length of the string: common shapes (`/usr/bin/*`,
 * `**.sh`, `/etc/**`, no wildcard) use string methods, the rest compiles to an
 * RE2 program (`re2js`), which never backtracks.
 */
import { RE2JS } from 're2js';
import type { Diagnostic, Span } from '../core/diagnostic.js';

export type GlobResult =
  | { ok: true; test: (s: string) => boolean; regex: string }
  /** `error.span`: where in the pattern (UTF-16 offsets). */
  | { ok: false; error: Diagnostic & { code: 'glob'; span: Span } };

type Part =
  | { kind: 'lit'; text: string }
  | { kind: 'star' }
  | { kind: 'globstar' }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; re: string };

function quoteChar(c: string): string {
  return /[\\.+*?()|[\]{}^$-]/.test(c) ? '\\' + c : c;
}

type GlobError = Diagnostic & { code: 'glob'; span: Span };

/** The code point at `at` and the offset after it. */
function readChar(pattern: string, at: number): [string, number] {
  const c = String.fromCodePoint(pattern.codePointAt(at)!);
  return [c, at + c.length];
}

/** The glob's parts; consecutive literal characters make one `lit` part. */
function parseGlob(pattern: string): Part[] | GlobError {
  const parts: Part[] = [];
  let lit = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c !== '*' && c !== '?' && c !== '[') {
      let x: string;
      [x, i] = c === '\\' ? readEscape(pattern, i) : readChar(pattern, i);
      lit += x;
      continue;
    }
    if (lit !== '') parts.push({ kind: 'lit', text: lit });
    lit = '';
    if (c === '*') {
      i = addStars(parts, pattern, i);
    } else if (c === '?') {
      parts.push({ kind: 'any' });
      i++;
    } else {
      const r = readClass(pattern, i);
      if ('message' in r) return r;
      parts.push(r.part);
      i = r.end;
    }
  }
  if (lit !== '') parts.push({ kind: 'lit', text: lit });
  return parts;
}

/** `\x` is `x`; a `\` at the very end is itself. */
function readEscape(pattern: string, at: number): [string, number] {
  return at + 1 < pattern.length ? readChar(pattern, at + 1) : ['\\', at + 1];
}

/** The run of `*` at `at`, added to `parts`; returns the offset after it. */
function addStars(parts: Part[], pattern: string, at: number): number {
  let j = at;
  while (pattern[j] === '*') j++;
  const kind = j - at >= 2 ? 'globstar' : 'star';
  const prev = parts[parts.length - 1];
  // `*` next to `**` adds nothing; keep one globstar
  if (prev && (prev.kind === 'globstar' || prev.kind === 'star') && (kind === 'globstar' || prev.kind === 'globstar')) {
    parts[parts.length - 1] = { kind: 'globstar' };
  } else if (!(prev && prev.kind === 'star' && kind === 'star')) {
    parts.push({ kind });
  }
  return j;
}

/** A member of a class: a character, or `\x` for `x`. */
function readClassChar(pattern: string, at: number): [string, number] {
  return pattern[at] === '\\' && at + 1 < pattern.length ? readChar(pattern, at + 1) : readChar(pattern, at);
}

/** The class `[...]` opened at `open`, as a part and the offset after its `]`. */
function readClass(pattern: string, open: number): { part: Part; end: number } | GlobError {
  let j = open + 1;
  const negated = pattern[j] === '!' || pattern[j] === '^';
  if (negated) j++;
  let re = '';
  for (let first = true; j < pattern.length; first = false) {
    // a `]` first in the class is a member
    if (pattern[j] === ']' && !first) return { part: { kind: 'class', negated, re }, end: j + 1 };
    let lo: string;
    [lo, j] = readClassChar(pattern, j);
    if (pattern[j] === '-' && j + 1 < pattern.length && pattern[j + 1] !== ']') {
      const rangeStart = j;
      let hi: string;
      [hi, j] = readClassChar(pattern, j + 1);
      if (hi.codePointAt(0)! < lo.codePointAt(0)!) {
        return {
          code: 'glob',
          message: `invalid range '${lo}-${hi}' in glob class: the end comes before the start`,
          span: { start: rangeStart - lo.length, end: j },
        };
      }
      re += `${quoteChar(lo)}-${quoteChar(hi)}`;
    } else {
      re += quoteChar(lo);
    }
  }
  return {
    code: 'glob',
    message: "unclosed '[' in glob (write '\\\\[' in the query string for a literal '[')",
    span: { start: open, end: open + 1 },
  };
}

function toRegex(parts: Part[]): string {
  let re = '';
  for (const p of parts) {
    switch (p.kind) {
      case 'lit':
        for (const c of p.text) re += quoteChar(c);
        break;
      case 'star':
        re += '[^/]*';
        break;
      case 'globstar':
        re += '(?s:.*)';
        break;
      case 'any':
        re += '[^/]';
        break;
      case 'class':
        re += p.negated ? `[^/${p.re}]` : `[${p.re}]`;
        break;
    }
  }
  return re;
}

/** Matchers for common shapes (by the kinds of their parts), given the texts of their `lit` parts: no regex needed. */
const SHAPES: ReadonlyMap<string, (lits: string[]) => (s: string) => boolean> = new Map<
  string,
  (lits: string[]) => (s: string) => boolean
>([
  ['', () => (s) => s === ''],
  ['lit', ([a]) => (s) => s === a],
  ['globstar', () => () => true],
  ['star', () => (s) => !s.includes('/')],
  ['lit globstar', ([a]) => (s) => s.startsWith(a)],
  ['globstar lit', ([a]) => (s) => s.endsWith(a)],
  ['lit star', ([a]) => (s) => s.startsWith(a) && s.indexOf('/', a.length) === -1],
  [
    'star lit',
    ([a]) =>
      (s) => {
        const end = s.length - a.length;
        return s.endsWith(a) && (end === 0 || s.lastIndexOf('/', end - 1) === -1);
      },
  ],
  ['lit globstar lit', ([a, b]) => (s) => s.length >= a.length + b.length && s.startsWith(a) && s.endsWith(b)],
]);

/** Compiles a glob; an error's span is where in the pattern. */
export function compileGlob(pattern: string): GlobResult {
  const parts = parseGlob(pattern);
  if (!Array.isArray(parts)) return { ok: false, error: parts };
  const regex = toRegex(parts);
  const shape = SHAPES.get(parts.map((p) => p.kind).join(' '));
  if (shape) {
    const lits = parts.flatMap((p) => (p.kind === 'lit' ? [p.text] : []));
    return { ok: true, test: shape(lits), regex };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^(?:${regex})$`);
  } catch (e) {
    const error: GlobError = { code: 'glob', message: `glob cannot be compiled: ${(e as Error).message}`, span: { start: 0, end: pattern.length } };
    return { ok: false, error };
  }
  return { ok: true, test: (s) => re.test(s), regex };
}
