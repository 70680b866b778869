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

export type GlobResult =
  | { ok: true; test: (s: string) => boolean; regex: string }
  | { ok: false; message: string; offset: number; length: number };

type Part =
  | { kind: 'lit'; text: string }
  | { kind: 'star' }
  | { kind: 'globstar' }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; re: string };

function quoteChar(c: string): string {
  return /[\\.+*?()|[\]{}^$-]/.test(c) ? '\\' + c : c;
}

function parseGlob(pattern: string): Part[] | { message: string; offset: number; length: number } {
  const parts: Part[] = [];
  const chars = pattern;
  let lit = '';
  const flush = () => {
    if (lit !== '') parts.push({ kind: 'lit', text: lit });
    lit = '';
  };
  let i = 0;
  const readChar = (at: number): [string, number] => {
    const cp = chars.codePointAt(at)!;
    const c = String.fromCodePoint(cp);
    return [c, at + c.length];
  };
  while (i < chars.length) {
    const c = chars[i];
    if (c === '\\') {
      if (i + 1 < chars.length) {
        const [x, j] = readChar(i + 1);
        lit += x;
        i = j;
      } else {
        lit += '\\';
        i++;
      }
    } else if (c === '*') {
      flush();
      let j = i;
      while (chars[j] === '*') j++;
      const kind = j - i >= 2 ? 'globstar' : 'star';
      const prev = parts[parts.length - 1];
      // `*` next to `**` adds nothing; keep one globstar
      if (prev && (prev.kind === 'globstar' || prev.kind === 'star') && (kind === 'globstar' || prev.kind === 'globstar')) {
        parts[parts.length - 1] = { kind: 'globstar' };
      } else if (!(prev && prev.kind === 'star' && kind === 'star')) {
        parts.push({ kind });
      }
      i = j;
    } else if (c === '?') {
      flush();
      parts.push({ kind: 'any' });
      i++;
    } else if (c === '[') {
      flush();
      const open = i;
      let j = i + 1;
      let negated = false;
      if (chars[j] === '!' || chars[j] === '^') {
        negated = true;
        j++;
      }
      let re = '';
      let first = true;
      let closed = false;
      while (j < chars.length) {
        if (chars[j] === ']' && !first) {
          closed = true;
          j++;
          break;
        }
        first = false;
        let lo: string;
        if (chars[j] === '\\' && j + 1 < chars.length) [lo, j] = readChar(j + 1);
        else [lo, j] = readChar(j);
        if (chars[j] === '-' && j + 1 < chars.length && chars[j + 1] !== ']') {
          const rangeStart = j;
          let hi: string;
          if (chars[j + 1] === '\\' && j + 2 < chars.length) [hi, j] = readChar(j + 2);
          else [hi, j] = readChar(j + 1);
          if (hi.codePointAt(0)! < lo.codePointAt(0)!) {
            return {
              message: `invalid range '${lo}-${hi}' in glob class: the end comes before the start`,
              offset: rangeStart - lo.length,
              length: j - rangeStart + lo.length,
            };
          }
          re += `${quoteChar(lo)}-${quoteChar(hi)}`;
        } else {
          re += quoteChar(lo);
        }
      }
      if (!closed) {
        return {
          message: "unclosed '[' in glob (write '\\\\[' in the query string for a literal '[')",
          offset: open,
          length: 1,
        };
      }
      parts.push({ kind: 'class', negated, re });
      i = j;
    } else {
      const [x, j] = readChar(i);
      lit += x;
      i = j;
    }
  }
  flush();
  return parts;
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

/** Compiles a glob; errors give the offset and length in the pattern. */
export function compileGlob(pattern: string): GlobResult {
  const parsed = parseGlob(pattern);
  if (!Array.isArray(parsed)) return { ok: false, ...parsed };
  const parts = parsed;
  const regex = toRegex(parts);
  const shape = parts.map((p) => p.kind).join(' ');
  const lit = (i: number) => (parts[i] as { text: string }).text;
  let test: ((s: string) => boolean) | undefined;
  switch (shape) {
    case '':
      test = (s) => s === '';
      break;
    case 'lit': {
      const a = lit(0);
      test = (s) => s === a;
      break;
    }
    case 'globstar':
      test = () => true;
      break;
    case 'star':
      test = (s) => !s.includes('/');
      break;
    case 'lit globstar': {
      const a = lit(0);
      test = (s) => s.startsWith(a);
      break;
    }
    case 'globstar lit': {
      const a = lit(1);
      test = (s) => s.endsWith(a);
      break;
    }
    case 'lit star': {
      const a = lit(0);
      test = (s) => s.startsWith(a) && s.indexOf('/', a.length) === -1;
      break;
    }
    case 'star lit': {
      const a = lit(1);
      test = (s) => {
        const end = s.length - a.length;
        return s.endsWith(a) && (end === 0 || s.lastIndexOf('/', end - 1) === -1);
      };
      break;
    }
    case 'lit globstar lit': {
      const a = lit(0);
      const b = lit(2);
      test = (s) => s.length >= a.length + b.length && s.startsWith(a) && s.endsWith(b);
      break;
    }
  }
  if (!test) {
    let re: RE2JS;
    try {
      re = RE2JS.compile(`^(?:${regex})$`);
    } catch (e) {
      return { ok: false, message: `glob cannot be compiled: ${(e as Error).message}`, offset: 0, length: pattern.length };
    }
    test = (s) => re.test(s);
  }
  return { ok: true, test, regex };
}
