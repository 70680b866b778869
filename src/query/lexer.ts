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
 * - numbers in JSON syntax (`-12`, `1.5`, `2e3`, any number of digits), kept as text,
 *   and integers in base 16, 8 or 2 (`0x1F`, `0o4000`, `0b101`, any size), whose
 *   token value is their decimal text (so `0o4000` is the number `2048`);
 * - `== != < <= > >= =~ !~ & ( ) [ ] ,` (`&` is bitwise and; `&&` is `and`).
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
  | '&'
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

const NUMBER = /-?(?:0[xX][0-9A-Fa-f]+|0[oO][0-7]+|0[bB][01]+|(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/y;
const BASED = /^(-?)(0[xXoObB].*)$/;

/** A number's value as the AST keeps it: JSON text; a `0x`/`0o`/`0b` integer becomes its decimal text. */
function numberValue(text: string): string {
  const m = BASED.exec(text);
  if (m === null) return text;
  return m[1] + BigInt(m[2].slice(0, 2).toLowerCase() + m[2].slice(2)).toString();
}
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

/**
 * What the lexer has read so far. Each scanner reads one token (or one error)
 * at `pos` and moves `pos` past it, so the loop in `lex` only dispatches.
 */
interface Lexer {
  readonly source: string;
  pos: number;
  readonly tokens: Token[];
  readonly errors: QueryError[];
  /** Start of a run of characters that start no token, reported as one error; -1 when none. */
  junkStart: number;
}

type Scanner = (lx: Lexer) => void;

export function lex(source: string): LexResult {
  const lx: Lexer = { source, pos: 0, tokens: [], errors: [], junkStart: -1 };
  while (lx.pos < source.length) {
    const scan = scannerAt(source, lx.pos);
    if (scan === null) {
      skipJunk(lx);
    } else {
      flushJunk(lx, lx.pos);
      scan(lx);
    }
  }
  flushJunk(lx, source.length);
  lx.tokens.push({ kind: 'eof', span: endSpan(source), text: '' });
  return { tokens: lx.tokens, errors: lx.errors };
}

/** The scanner for the token starting at `i`; the order matters (`r"` before a word, `==` before `=`). */
function scannerAt(source: string, i: number): Scanner | null {
  const ch = source[i];
  if (isSpace(ch)) return skipSpace;
  if (ch === 'r' && source[i + 1] === '"') return scanRegex;
  if (/[A-Za-z_$]/.test(ch)) return scanWord;
  if (ch === '"') return scanString;
  if (ch === '-' || (ch >= '0' && ch <= '9')) return scanNumber;
  if (operatorAt(source, i) !== undefined) return scanOperator;
  if (ch === "'") return scanSingleQuoted;
  if (ch === '=' || ch === '|') return scanHalfOperator;
  return null;
}

/** Adds a token from `lx.pos` to `end` and moves past it. */
function token(lx: Lexer, kind: TokenKind, end: number, extra: Partial<Token> = {}): void {
  const start = lx.pos;
  lx.tokens.push({ kind, span: { start, end }, text: lx.source.slice(start, end), ...extra });
  lx.pos = end;
}

/** Characters that start no token are gathered, so that `@#$` is one error, not three. */
function skipJunk(lx: Lexer): void {
  if (lx.junkStart < 0) lx.junkStart = lx.pos;
  const cp = lx.source.codePointAt(lx.pos)!;
  lx.pos += cp > 0xffff ? 2 : 1;
}

/** Reports the pending run of junk (if any), which ends at `end`. */
function flushJunk(lx: Lexer, end: number): void {
  const start = lx.junkStart;
  if (start < 0) return;
  const text = lx.source.slice(start, end);
  const shown = Array.from(text).length === 1 ? describeChar(lx.source, start) : `'${text}'`;
  lx.errors.push(queryError('syntax', `unexpected ${shown}`, { start, end }, { found: shown }));
  lx.junkStart = -1;
}

function skipSpace(lx: Lexer): void {
  lx.pos++;
}

/** `r"..."`: `\"` stands for `"`; every other character is kept, so RE2 sees `\d` as written. */
function scanRegex(lx: Lexer): void {
  const { source } = lx;
  const start = lx.pos;
  let value = '';
  for (let j = start + 2; j < source.length; ) {
    const c = source[j];
    if (c === '"') return token(lx, 'regex', j + 1, { value });
    if (c === '\\' && j + 1 < source.length) {
      value += source[j + 1] === '"' ? '"' : c + source[j + 1];
      j += 2;
    } else {
      value += c;
      j++;
    }
  }
  lx.errors.push(
    queryError('syntax', 'unterminated regex literal: expected a closing \'"\'', endSpan(source), {
      expected: '\'"\'',
      found: 'end of query',
      opener: { start, end: start + 2 },
    }),
  );
  lx.pos = source.length;
}

/** A keyword, or else a field path (so a path cannot start with a keyword). */
function scanWord(lx: Lexer): void {
  const { source } = lx;
  const start = lx.pos;
  let j = start + 1;
  while (j < source.length && /[A-Za-z0-9_]/.test(source[j])) j++;
  const word = source.slice(start, j);
  if (KEYWORDS.has(word)) return token(lx, word as TokenKind, j);
  const r = scanPath(source, start);
  if (r.ok) return token(lx, 'path', r.end, { path: r.path });
  const e = r.error;
  lx.errors.push(
    queryError('path', e.message, e.span, {
      ...(e.expected !== undefined ? { expected: e.expected } : {}),
      ...(e.found !== undefined ? { found: e.found === 'end of path' ? 'end of query' : e.found } : {}),
    }),
  );
  // skip the rest of the path-like text, so that its pieces are not reported again
  let k = Math.max(e.span.end, j);
  while (k < source.length && !isSpace(source[k]) && !'()=!<>,&|'.includes(source[k])) k++;
  lx.pos = k;
}

/** `"..."` with JSON escapes. */
function scanString(lx: Lexer): void {
  const { source } = lx;
  const r = scanJsonString(source, lx.pos);
  if (r.ok) return token(lx, 'string', r.end, { value: r.value });
  const e = r.error;
  if (e.found === 'end of text') {
    lx.errors.push(
      queryError('syntax', e.message, endSpan(source), { expected: '\'"\'', found: 'end of query', opener: e.span }),
    );
    lx.pos = source.length;
    return;
  }
  lx.errors.push(queryError('syntax', e.message, e.span, { expected: e.expected, found: e.found }));
  // resynchronise after the string
  let k = e.span.end;
  while (k < source.length && source[k] !== '"') k += source[k] === '\\' ? 2 : 1;
  lx.pos = Math.min(k + 1, source.length);
}

/** A JSON number, kept as text; a number glued to word characters (`1x`, `01`, `1.`) is one error. */
function scanNumber(lx: Lexer): void {
  const { source } = lx;
  const start = lx.pos;
  NUMBER.lastIndex = start;
  const m = NUMBER.exec(source);
  if (m !== null) {
    const end = start + m[0].length;
    if (!(end < source.length && WORD_CHAR.test(source[end]))) return token(lx, 'number', end, { value: numberValue(m[0]) });
  }
  let bad = start + 1;
  while (bad < source.length && WORD_CHAR.test(source[bad])) bad++;
  const text = source.slice(start, bad);
  lx.errors.push(
    queryError('syntax', invalidNumberMessage(text), { start, end: bad }, { expected: 'a number', found: `'${text}'` }),
  );
  lx.pos = bad;
}

function invalidNumberMessage(text: string): string {
  if (text === '-') return "unexpected '-': expected a number after it";
  const based = /^-?0([xXoObB])/.exec(text);
  if (based !== null) {
    const digits = { x: '0-9 and a-f', o: '0-7', b: '0 and 1' }[based[1].toLowerCase() as 'x' | 'o' | 'b'];
    return `invalid number '${text}' (after '0${based[1]}' the digits are ${digits}, and there must be at least one)`;
  }
  if (/^-?0[0-9]/.test(text)) return `invalid number '${text}' (leading zeros are not allowed)`;
  if (/\.$|\.[^0-9]/.test(text)) return `invalid number '${text}' (a decimal point needs digits on both sides)`;
  return `invalid number '${text}'`;
}

/** Operators and punctuation, by their text; `&&` `||` `!` are the same tokens as `and` `or` `not`. */
const OPERATORS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ...(['==', '!=', '<=', '>=', '=~', '!~', '<', '>', '&', '(', ')', '[', ']', ','] as const).map((op) => [op, op] as const),
  ['&&', 'and'],
  ['||', 'or'],
  ['!', 'not'],
]);

/** The operator at `i`, the longest first (`<=` before `<`). */
function operatorAt(source: string, i: number): string | undefined {
  const two = source.slice(i, i + 2);
  if (two.length === 2 && OPERATORS.has(two)) return two;
  return OPERATORS.has(source[i]) ? source[i] : undefined;
}

function scanOperator(lx: Lexer): void {
  const op = operatorAt(lx.source, lx.pos)!;
  token(lx, OPERATORS.get(op)!, lx.pos + op.length);
}

/** `'...'`: a common slip, reported as one error up to the closing quote. */
function scanSingleQuoted(lx: Lexer): void {
  const { source } = lx;
  const start = lx.pos;
  let k = start + 1;
  while (k < source.length && source[k] !== "'") k++;
  const end = Math.min(k + 1, source.length);
  lx.errors.push(
    queryError('syntax', 'strings are written in double quotes ("..."), not single quotes', { start, end }, {
      expected: 'a double-quoted string',
      found: "'",
    }),
  );
  lx.pos = end;
}

/** A lone `=` or `|`: half of `==` or `||` (a lone `&` is bitwise and). */
function scanHalfOperator(lx: Lexer): void {
  const start = lx.pos;
  const ch = lx.source[start];
  const want = ch === '=' ? '==' : ch + ch;
  lx.errors.push(
    queryError('syntax', `unexpected '${ch}': did you mean '${want}'?`, { start, end: start + 1 }, {
      expected: `'${want}'`,
      found: `'${ch}'`,
    }),
  );
  lx.pos = start + 1;
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
