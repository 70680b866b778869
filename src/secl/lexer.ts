/**
 * SECL lexer: the agent's EBNF lexical grammar (`pkg/security/secl/compiler/ast/secl.go`,
 * `NewParsingContext`) run the way participle v0.7.1's `lexer/ebnf` runs it:
 *
 * - the exported productions are tried in the order they are written, from the same
 *   position, and the FIRST one that matches wins (not the longest):
 *   Comment, CIDR, IP, Variable, Duration, Regexp, Ident, String, Pattern, Int, Punct, Whitespace;
 * - inside a production nothing is given back: an alternative that fails half-way keeps
 *   what it read, and the next alternative goes on from there (this is how `2001:db8::1`
 *   still lexes as one IP after `ipv4` has read `2001`);
 * - characters are code points in `"\u0000"…"\uffff"`: a character beyond U+FFFF (an emoji)
 *   cannot appear in a string, a pattern or a comment.
 *
 * Consequences kept on purpose, because the agent has them:
 * - `x =~"a"` is `=` then the pattern `~"a"` (a syntax error), while `x =~ "a"` works;
 * - `x-1` is `x` then the integer `-1` (a syntax error), while `x - 1` works;
 * - `in[1]` is one identifier (identifiers may contain `.`, `[` and `]`);
 * - `5min` is the duration `5m` then the identifier `in`;
 * - strings, patterns and regexps are NOT unescaped: `"a\"b"` holds `a\"b`;
 * - only space, tab and newline are whitespace (a carriage return is an error).
 *
 * Operators are single-character `Punct` tokens; the parser pairs them (`>` `=`), so
 * `a > = 1` is `a >= 1`, as in the agent.
 */
import type { Span } from './ast.js';
import { seclError, type SeclError } from './errors.js';

export type TokenType =
  | 'CIDR'
  | 'IP'
  | 'Variable'
  | 'Duration'
  | 'Regexp'
  | 'Ident'
  | 'String'
  | 'Pattern'
  | 'Int'
  | 'Punct'
  | 'EOF';

export interface Token {
  type: TokenType;
  /** The source text of the token. */
  text: string;
  /**
   * The value the parser sees (participle's `Map`s): a string, pattern or regexp
   * without its quotes (and `~`/`r`), a duration in nanoseconds as decimal text;
   * otherwise the text.
   */
  value: string;
  span: Span;
}

/** A cursor over code points; matchers advance it and never rewind it. */
interface Cursor {
  src: string;
  pos: number;
}

type M = (c: Cursor) => boolean;

const EOF = -1;

function peek(c: Cursor): number {
  if (c.pos >= c.src.length) return EOF;
  return c.src.codePointAt(c.pos) ?? EOF;
}

function advance(c: Cursor, cp: number): void {
  c.pos += cp > 0xffff ? 2 : 1;
}

/** One code point in [lo, hi], not one of `excluded`. */
function range(lo: number, hi: number, excluded: readonly number[] = []): M {
  return (c) => {
    const cp = peek(c);
    if (cp < lo || cp > hi || excluded.includes(cp)) return false;
    advance(c, cp);
    return true;
  };
}

/** One code point of `chars`. */
function set(chars: string): M {
  const cps = [...chars].map((ch) => ch.codePointAt(0) ?? 0);
  return (c) => {
    const cp = peek(c);
    if (!cps.includes(cp)) return false;
    advance(c, cp);
    return true;
  };
}

/** A literal of several code points: no match if the first differs; reads as far as it matches. */
function lit(s: string): M {
  const cps = [...s].map((ch) => ch.codePointAt(0) ?? 0);
  return (c) => {
    if (peek(c) !== cps[0]) return false;
    for (const want of cps) {
      const cp = peek(c);
      if (cp !== want) return false;
      advance(c, cp);
    }
    return true;
  };
}

function seq(...ms: M[]): M {
  return (c) => {
    for (const m of ms) if (!m(c)) return false;
    return true;
  };
}

function alt(...ms: M[]): M {
  return (c) => {
    for (const m of ms) if (m(c)) return true;
    return false;
  };
}

function opt(m: M): M {
  return (c) => {
    m(c);
    return true;
  };
}

function rep(m: M): M {
  return (c) => {
    for (;;) {
      const before = c.pos;
      if (!m(c) || c.pos === before) return true;
    }
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const digit = range(0x30, 0x39);
const alpha = alt(range(0x61, 0x7a), range(0x41, 0x5a));
const hex = alt(range(0x61, 0x66), range(0x41, 0x46), range(0x30, 0x39));
const any = range(0, 0xffff);
const hexes = opt(seq(hex, rep(hex)));
const sep = opt(set(':.'));
const ipv4 = seq(digit, rep(digit), lit('.'), digit, rep(digit), lit('.'), digit, rep(digit), lit('.'), digit, rep(digit));
const ipv6 = seq(
  hexes, lit(':'), hexes, lit(':'), hexes,
  sep, hexes, sep, hexes, sep, hexes, sep, hexes, sep, hexes,
);
const ip = alt(ipv4, ipv6);
/** `{ "\u0000"…"\uffff"-"\""-"\\" | "\\" any }` then `"`. */
const quotedBody = seq(rep(alt(range(0, 0xffff, [QUOTE, BACKSLASH]), seq(lit('\\'), any))), lit('"'));

const productions: readonly [TokenType | 'Comment' | 'Whitespace', M][] = [
  ['Comment', seq(alt(lit('#'), lit('//')), rep(range(0, 0xffff, [0x0a])))],
  ['CIDR', seq(ip, lit('/'), digit, rep(digit))],
  ['IP', ip],
  ['Variable', seq(lit('${'), alt(alpha, lit('_')), rep(alt(lit('_'), alpha, digit, lit('.'))), lit('}'))],
  ['Duration', seq(digit, rep(digit), set('msh'), rep(lit('s')))],
  ['Regexp', seq(lit('r"'), quotedBody)],
  ['Ident', seq(alt(alpha, lit('_')), rep(alt(lit('_'), alpha, digit, set('.[]'))))],
  ['String', seq(lit('"'), quotedBody)],
  ['Pattern', seq(lit('~"'), quotedBody)],
  ['Int', seq(opt(set('-+')), digit, rep(digit))],
  ['Punct', set('!=<>+-[](),&|~^')],
  ['Whitespace', seq(set(' \t\n'), rep(set(' \t\n')))],
];

const MAX_NS = (1n << 63n) - 1n;
const UNIT_NS: Record<string, bigint> = {
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's `time.ParseDuration` on what the Duration production can read (`digits [msh] s*`), in ns. */
export function parseDurationText(text: string): bigint | undefined {
  const m = /^([0-9]+)([a-z]+)$/.exec(text);
  if (m === null) return undefined;
  const unit = UNIT_NS[m[2]];
  if (unit === undefined) return undefined;
  const ns = BigInt(m[1]) * unit;
  return ns > MAX_NS ? undefined : ns;
}

/** Describes a character for a message: `'x'`, or `U+000D` for an invisible one. */
export function describeChar(cp: number): string {
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${String.fromCodePoint(cp)}'`;
}

export interface LexResult {
  tokens: Token[];
  errors: SeclError[];
}

/**
 * Splits an expression into tokens, ending with an `EOF` token. Stops at the first
 * lexical error, as the agent's lexer does.
 */
export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  const c: Cursor = { src, pos: 0 };
  let start = 0;
  while (start < src.length) {
    let matched: TokenType | 'Comment' | 'Whitespace' | undefined;
    let end = start;
    for (const [name, m] of productions) {
      c.pos = start;
      if (m(c) && c.pos > start) {
        matched = name;
        end = c.pos;
        break;
      }
    }
    if (matched === undefined) {
      const cp = src.codePointAt(start) ?? 0;
      const width = cp > 0xffff ? 2 : 1;
      return {
        tokens,
        errors: [
          seclError('syntax', `unexpected character ${describeChar(cp)}`, { start, end: start + width }, {
            found: describeChar(cp),
          }),
        ],
      };
    }
    if (matched !== 'Comment' && matched !== 'Whitespace') {
      const text = src.slice(start, end);
      let value = text;
      if (matched === 'String') value = text.slice(1, -1);
      else if (matched === 'Pattern' || matched === 'Regexp') value = text.slice(2, -1);
      else if (matched === 'Duration') {
        const ns = parseDurationText(text);
        if (ns === undefined) {
          return {
            tokens,
            errors: [seclError('syntax', `invalid duration "${text}"`, { start, end }, { found: text })],
          };
        }
        value = ns.toString();
      }
      tokens.push({ type: matched, text, value, span: { start, end } });
    }
    start = end;
  }
  tokens.push({ type: 'EOF', text: '', value: '', span: { start: src.length, end: src.length } });
  return { tokens, errors: [] };
}
