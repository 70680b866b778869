/**
 * Query lexer: text -> tokens with spans. Every lexical error is collected (the
 * lexer skips what it cannot read and goes on); the parser only runs on a query
 * without lexical errors.
 *
 * Tokens:
 * - a field path starting with a letter or `_` (`process.args[0]`, `mount["a.b"]`),
 *   read by `scanPath` in `core/path.ts`; a path cannot start with a keyword;
 * - keywords `and or not in exists true false null`, and `&&` `||` `!`;
 * - strings `"..."` with JSON escapes; regex literals `r"..."`, where `\"` stands
 *   for `"` and every other character (backslashes included) is kept verbatim;
 * - numbers in JSON syntax (`-12`, `1.5`, `2e3`, any number of digits), kept as text;
 * - `== != < <= > >= =~ !~ ( ) [ ] ,`.
 */
import { scanJsonString, scanPath, type Path, type Span } from '../core/path.js';
import { describeChar } from '../core/text.js';
import { queryError, type QueryError } from './errors.js';

export type TokenKind =
  | 'path'
  | 'string'
  | 'regex'
  | 'number'
  | 'true'
  | 'false'
  | 'null'
  | 'and'
  | 'or'
  | 'not'
  | 'in'
  | 'exists'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | '!~'
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | 'eof';

export interface Token {
  kind: TokenKind;
  span: Span;
  /** The source slice (`&&` for an `and` token written that way). */
  text: string;
  /** Decoded string, regex source, or number text. */
  value?: string;
  /** For `path` tokens. */
  path?: Path;
}

export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'exists', 'true', 'false', 'null']);

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD_CHAR = /[A-Za-z0-9_.+-]/;

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** The span of the end of the query: its last non-blank character. */
export function endSpan(source: string): Span {
  let end = source.length;
  while (end > 0 && isSpace(source[end - 1])) end--;
  if (end === 0) return { start: 0, end: 0 };
  const last = source.codePointAt(end - 2);
  const width = last !== undefined && last > 0xffff ? 2 : 1;
  return { start: end - width, end };
}

export interface LexResult {
  tokens: Token[];
  errors: QueryError[];
}

export function lex(source: string): LexResult {
  const tokens: Token[] = [];
  const errors: QueryError[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}) => {
    tokens.push({ kind, span: { start, end }, text: source.slice(start, end), ...extra });
  };
  let junkStart = -1;
  const flushJunk = (end: number) => {
    if (junkStart < 0) return;
    const text = source.slice(junkStart, end);
    const shown = Array.from(text).length === 1 ? describeChar(source, junkStart) : `'${text}'`;
    errors.push(queryError('syntax', `unexpected ${shown}`, { start: junkStart, end }, { found: shown }));
    junkStart = -1;
  };

  while (i < source.length) {
    const ch = source[i];
    if (isSpace(ch)) {
      flushJunk(i);
      i++;
      continue;
    }
    const start = i;
    const two = source.slice(i, i + 2);
    let handled = true;
    if (ch === 'r' && source[i + 1] === '"') {
      flushJunk(i);
      let j = i + 2;
      let value = '';
      let closed = false;
      while (j < source.length) {
        const c = source[j];
        if (c === '\\' && j + 1 < source.length) {
          value += source[j + 1] === '"' ? '"' : c + source[j + 1];
          j += 2;
        } else if (c === '"') {
          closed = true;
          j++;
          break;
        } else {
          value += c;
          j++;
        }
      }
      if (!closed) {
        errors.push(
          queryError('syntax', 'unterminated regex literal: expected a closing \'"\'', endSpan(source), {
            expected: '\'"\'',
            found: 'end of query',
            opener: { start, end: start + 2 },
          }),
        );
        i = source.length;
        break;
      }
      push('regex', start, j, { value });
      i = j;
    } else if (/[A-Za-z_]/.test(ch)) {
      flushJunk(i);
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j])) j++;
      const word = source.slice(i, j);
      if (KEYWORDS.has(word)) {
        push(word as TokenKind, i, j);
        i = j;
      } else {
        const r = scanPath(source, i);
        if (r.ok) {
          push('path', i, r.end, { path: r.path });
          i = r.end;
        } else {
          const e = r.error;
          errors.push(
            queryError('path', e.message, e.span, {
              ...(e.expected !== undefined ? { expected: e.expected } : {}),
              ...(e.found !== undefined ? { found: e.found === 'end of path' ? 'end of query' : e.found } : {}),
            }),
          );
          // skip the rest of the path-like text
          let k = Math.max(e.span.end, j);
          while (k < source.length && !isSpace(source[k]) && !'()=!<>,&|'.includes(source[k])) k++;
          i = k;
        }
      }
    } else if (ch === '"') {
      flushJunk(i);
      const r = scanJsonString(source, i);
      if (r.ok) {
        push('string', i, r.end, { value: r.value });
        i = r.end;
      } else if (r.found === 'end of text') {
        errors.push(
          queryError('syntax', r.message, endSpan(source), {
            expected: '\'"\'',
            found: 'end of query',
            opener: r.span,
          }),
        );
        i = source.length;
      } else {
        errors.push(queryError('syntax', r.message, r.span, { expected: r.expected, found: r.found }));
        // resynchronise after the string
        let k = r.span.end;
        while (k < source.length && source[k] !== '"') k += source[k] === '\\' ? 2 : 1;
        i = Math.min(k + 1, source.length);
      }
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      flushJunk(i);
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(source);
      let end = m ? i + m[0].length : i;
      const valid = m !== null && !(end < source.length && WORD_CHAR.test(source[end]));
      if (valid) {
        push('number', i, end, { value: m![0] });
      } else {
        end = i + 1;
        while (end < source.length && WORD_CHAR.test(source[end])) end++;
        const text = source.slice(i, end);
        const why = /^-?0[0-9]/.test(text)
          ? ' (leading zeros are not allowed)'
          : text === '-'
            ? ''
            : /\.$|\.[^0-9]/.test(text)
              ? ' (a decimal point needs digits on both sides)'
              : '';
        errors.push(
          queryError('syntax', text === '-' ? "unexpected '-': expected a number after it" : `invalid number '${text}'${why}`, {
            start: i,
            end,
          }, { expected: 'a number', found: `'${text}'` }),
        );
      }
      i = end;
    } else if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '=~' || two === '!~') {
      flushJunk(i);
      push(two as TokenKind, i, i + 2);
      i += 2;
    } else if (two === '&&') {
      flushJunk(i);
      push('and', i, i + 2);
      i += 2;
    } else if (two === '||') {
      flushJunk(i);
      push('or', i, i + 2);
      i += 2;
    } else if (ch === '<' || ch === '>' || ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',') {
      flushJunk(i);
      push(ch as TokenKind, i, i + 1);
      i++;
    } else if (ch === '!') {
      flushJunk(i);
      push('not', i, i + 1);
      i++;
    } else if (ch === '=' || ch === '&' || ch === '|' || ch === "'") {
      flushJunk(i);
      if (ch === "'") {
        let k = i + 1;
        while (k < source.length && source[k] !== "'") k++;
        const end = Math.min(k + 1, source.length);
        errors.push(
          queryError('syntax', 'strings are written in double quotes ("..."), not single quotes', { start: i, end }, {
            expected: 'a double-quoted string',
            found: "'",
          }),
        );
        i = end;
      } else {
        const want = ch === '=' ? '==' : ch + ch;
        errors.push(
          queryError('syntax', `unexpected '${ch}': did you mean '${want}'?`, { start: i, end: i + 1 }, {
            expected: `'${want}'`,
            found: `'${ch}'`,
          }),
        );
        i++;
      }
    } else {
      handled = false;
    }
    if (!handled) {
      if (junkStart < 0) junkStart = start;
      const cp = source.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  flushJunk(source.length);
  const end = endSpan(source);
  tokens.push({ kind: 'eof', span: end, text: '' });
  return { tokens, errors };
}

/** How a token is named in messages: `'=='`, `string "a"`, `end of query`. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of query';
    case 'path':
      return `field '${t.text}'`;
    case 'string':
      return `string ${shorten(t.text)}`;
    case 'regex':
      return `regex ${shorten(t.text)}`;
    case 'number':
      return `number ${shorten(t.text)}`;
    default:
      return `'${t.text}'`;
  }
}

function shorten(s: string): string {
  const chars = Array.from(s);
  return chars.length > 40 ? chars.slice(0, 37).join('') + '...' : s;
}
