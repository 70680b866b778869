/**
 * The SECL parser's token cursor: look-ahead, errors (`SeclError`s thrown as
 * `ParseFailure`, caught by `run` in `../parser.ts`), the nesting limit, integer literals.
 */
import type { Span } from '../ast.js';
import { seclError, type SeclError } from '../errors.js';
import type { Token } from '../lexer.js';

/** Nesting (parentheses, unary operators) deeper than this is refused. */
export const MAX_DEPTH = 256;

export class ParseFailure {
  constructor(readonly error: SeclError) {}
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Go's `strconv.ParseInt(text, 0, 64)` for what the Int production reads (`[+-]digits`). */
export function parseIntText(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let v: bigint;
  if (s.length > 1 && s[0] === '0') {
    if (!/^[0-7]+$/.test(s)) return undefined;
    v = BigInt('0o' + s);
  } else {
    v = BigInt(s);
  }
  if (neg) v = -v;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function describe(t: Token): string {
  switch (t.type) {
    case 'EOF':
      return 'end of expression';
    case 'Punct':
      return `'${t.text}'`;
    case 'Ident':
      return `identifier '${t.text}'`;
    case 'String':
      return `string ${t.text}`;
    case 'Pattern':
      return `pattern ${t.text}`;
    case 'Regexp':
      return `regexp ${t.text}`;
    case 'Int':
      return `integer ${t.text}`;
    case 'Duration':
      return `duration ${t.text}`;
    case 'IP':
      return `IP ${t.text}`;
    case 'CIDR':
      return `CIDR ${t.text}`;
    case 'Variable':
      return `variable ${t.text}`;
  }
}

export function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end };
}

const UNARY_START_PUNCT = new Set(['!', '-', '^', '(']);

/** Token access shared by the grammar levels. */
export class Cursor {
  private i = 0;
  protected depth = 0;

  constructor(private readonly tokens: Token[]) {}

  protected peek(n = 0): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }

  protected next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  protected isPunct(t: Token, ch: string): boolean {
    return t.type === 'Punct' && t.text === ch;
  }

  protected isWord(t: Token, w: string): boolean {
    return t.type === 'Ident' && t.text === w;
  }

  protected fail(expected: string, t: Token = this.peek(), opener?: Span): never {
    throw new ParseFailure(
      seclError('syntax', `expected ${expected}, found ${describe(t)}`, t.span, {
        expected,
        found: describe(t),
        ...(opener === undefined ? {} : { opener }),
      }),
    );
  }

  /** Whether `t` can start a Unary (an operand). */
  protected startsOperand(t: Token): boolean {
    switch (t.type) {
      case 'Punct':
        return UNARY_START_PUNCT.has(t.text);
      case 'EOF':
        return false;
      default:
        return true;
    }
  }

  protected enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) {
      throw new ParseFailure(seclError('syntax', `expression nested deeper than ${MAX_DEPTH} levels`, t.span));
    }
  }


  expectEnd(): void {
    const t = this.peek();
    if (t.type !== 'EOF') this.fail('an operator or the end of the expression', t);
  }

  atListStart(): boolean {
    return this.isPunct(this.peek(), '[');
  }
}
