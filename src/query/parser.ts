/**
 * Query parser: tokens -> AST (see `ast.ts`). Recursive descent; precedence from
 * loosest to tightest: `or`/`||`, `and`/`&&`, `not`/`!`, comparison, `&`. So
 * `not a == 1` is `not (a == 1)`, `a or b and c` is `a or (b and c)`, and
 * `a & 4 == 4` is `(a & 4) == 4` (as in SECL and Python, unlike C).
 *
 *     query      := or EOF
 *     or         := and (("or" | "||") and)*
 *     and        := unary (("and" | "&&") unary)*
 *     unary      := ("not" | "!") unary | primary
 *     primary    := "(" or ")" | "exists" "(" path ")" | path ("&" number)? op value
 *     op         := "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~" | "in" | "not" "in"
 *     value      := string | number | "true" | "false" | "null" | regex | list
 *     list       := "[" (value ("," value)*)? "]"
 *
 * The left side of a comparison must be a field path (a literal there is an
 * error). Which values an operator accepts is checked later (`check.ts`), so the
 * parser reads `a in "x"` and `a == [1]`. Nesting of `(`, `not`/`!` and `[` is
 * capped at `maxDepth` (default 256): deeper queries get a `depth` error, never
 * a stack overflow. The parser stops at the first syntax error.
 */
import { queryError, type QueryError } from './errors.js';
import type { CompareOp, Expr, Literal, Mask } from './ast.js';
import { describeToken, lex, type Token, type TokenKind } from './lexer.js';
import type { Span } from '../core/path.js';

export const DEFAULT_MAX_DEPTH = 256;

export interface ParseOptions {
  maxDepth?: number;
}

export type ParseResult = { ok: true; ast: Expr } | { ok: false; errors: QueryError[] };

class Stop {
  constructor(readonly error: QueryError) {}
}

const COMPARE_OPS: ReadonlySet<TokenKind> = new Set(['==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'in']);
const OPS_LIST = "==, !=, <, <=, >, >=, =~, !~, in, not in";

function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end };
}

/** Lexes and parses a query. Lexical errors are all reported; then the first syntax error. */
export function parseQuery(source: string, options: ParseOptions = {}): ParseResult {
  const { tokens, errors } = lex(source);
  if (errors.length > 0) return { ok: false, errors };
  return parseTokens(tokens, options);
}

export function parseTokens(tokens: Token[], options: ParseOptions = {}): ParseResult {
  const parser = new Parser(tokens, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  try {
    return { ok: true, ast: parser.query() };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, errors: [e.error] };
    throw e;
  }
}

interface FailExtra {
  expected?: string;
  opener?: Span;
  /** The message already names the token (`unexpected ')': ...`): no `, found ...` after it. */
  foundInMessage?: boolean;
}

/** One method per grammar rule (see the grammar above); a syntax error throws `Stop`. */
class Parser {
  private pos = 0;
  /** Open `(`, `not`/`!` and `[` around the current token, capped at `maxDepth`. */
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly maxDepth: number,
  ) {}

  /** query := or EOF */
  query(): Expr {
    const ast = this.or();
    const t = this.peek();
    if (t.kind === ')') {
      this.fail(t, "unexpected ')': there is no '(' to close", {
        expected: "'and', 'or' or end of query",
        foundInMessage: true,
      });
    }
    if (t.kind !== 'eof') {
      this.fail(t, "expected 'and', 'or' or end of query", { expected: "'and', 'or' or end of query" });
    }
    return ast;
  }

  /** or := and (("or" | "||") and)*, as one n-ary node (a loop, so a long chain costs no stack) */
  private or(): Expr {
    return this.chain('or', () => this.and());
  }

  /** and := unary (("and" | "&&") unary)*, as one n-ary node */
  private and(): Expr {
    return this.chain('and', () => this.unary());
  }

  /** `operand (op operand)*` as one n-ary `op` node, or the operand alone. */
  private chain(op: 'and' | 'or', operand: () => Expr): Expr {
    const first = operand();
    if (this.peek().kind !== op) return first;
    const operands = [first];
    while (this.peek().kind === op) {
      this.next();
      operands.push(operand());
    }
    return { type: op, operands, span: join(first.span, operands[operands.length - 1].span) };
  }

  /** unary := ("not" | "!") unary | primary */
  private unary(): Expr {
    // `!!!!...`: iterate over the operators, recurse only to build the nodes
    const nots: Token[] = [];
    while (this.peek().kind === 'not') {
      const n = this.next();
      this.enter(n);
      nots.push(n);
    }
    let e = this.primary();
    for (let i = nots.length - 1; i >= 0; i--) e = { type: 'not', operand: e, span: join(nots[i].span, e.span) };
    this.depth -= nots.length;
    return e;
  }

  /**
   * primary := "(" or ")" | "exists" "(" path ")" | path op value
   *
   * A group is read here, not in a method of its own: each level of `(` costs
   * stack frames (or, and, unary, primary), and fewer frames per level keep a
   * large `maxDepth` clear of a stack overflow.
   */
  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case '(': {
        this.next();
        this.enter(t);
        const inner = this.or();
        const close = this.peek();
        if (close.kind !== ')') this.fail(close, "expected ')' to close '('", { expected: "')'", opener: t.span });
        this.next();
        this.depth--;
        return inner;
      }
      case 'exists':
        return this.exists();
      case 'path':
        return this.comparison();
      case 'string':
      case 'number':
      case 'regex':
      case 'true':
      case 'false':
      case 'null':
      case '[':
        return this.fail(t, 'expected a field path on the left of a comparison (a literal cannot come first)', {
          expected: 'a field path',
        });
      case 'eof':
        if (this.pos === 0) return this.fail(t, 'empty query: expected a condition', { expected: 'a condition' });
        return this.fail(t, `expected a condition${this.after()}`, { expected: 'a condition' });
      default:
        return this.fail(t, `expected a condition${this.after()}`, { expected: 'a condition' });
    }
  }

  /** "exists" "(" path ")" */
  private exists(): Expr {
    const keyword = this.next();
    const open = this.peek();
    if (open.kind !== '(') this.fail(open, "expected '(' after 'exists'", { expected: "'('" });
    this.next();
    const p = this.peek();
    if (p.kind !== 'path') this.fail(p, "expected a field path in 'exists(...)'", { expected: 'a field path' });
    this.next();
    const close = this.peek();
    if (close.kind !== ')') {
      this.fail(close, "expected ')' after the field path", { expected: "')'", opener: open.span });
    }
    this.next();
    return { type: 'exists', path: p.path!, span: join(keyword.span, close.span) };
  }

  /** path ("&" number)? op value */
  private comparison(): Expr {
    const p = this.next();
    const mask = this.mask();
    const op = this.operator(p);
    const value = this.value(op);
    return { type: 'compare', op, path: p.path!, ...(mask ? { mask } : {}), value, span: join(p.span, value.span) };
  }

  /** ("&" number)?: a bitwise and before the operator; whether the number is a usable mask is checked later. */
  private mask(): Mask | undefined {
    if (this.peek().kind !== '&') return undefined;
    const amp = this.next();
    const t = this.peek();
    if (t.kind !== 'number') {
      const hint = t.kind === 'path' || t.kind === '(' || t.kind === 'not' || t.kind === 'exists' ? " ('&&' is 'and')" : '';
      return this.fail(t, `expected an integer after '&' (bitwise and)${hint}`, { expected: 'an integer' });
    }
    this.next();
    return { raw: t.value!, span: t.span, amp: amp.span };
  }

  /** op := "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~" | "in" | "not" "in" (after field `p`) */
  private operator(p: Token): CompareOp {
    const o = this.peek();
    if (COMPARE_OPS.has(o.kind)) {
      this.next();
      return o.kind as CompareOp;
    }
    if (o.kind === 'not' && o.text === 'not' && this.peek(1).kind === 'in') {
      this.next();
      this.next();
      return 'not in';
    }
    if (o.kind === 'eof' || o.kind === 'and' || o.kind === 'or' || o.kind === ')') {
      return this.fail(
        o,
        `expected an operator (${OPS_LIST}) after field '${p.text}': a field alone is not a condition; compare it or test exists(${p.text})`,
        { expected: 'an operator' },
      );
    }
    return this.fail(o, `expected an operator (${OPS_LIST}) after field '${p.text}'`, { expected: 'an operator' });
  }

  /** value := string | number | "true" | "false" | "null" | regex | list (after `op`, for the message) */
  private value(op: string): Literal {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { type: 'string', value: t.value!, span: t.span };
      case 'number':
        this.next();
        return { type: 'number', raw: t.value!, span: t.span };
      case 'regex':
        this.next();
        return { type: 'regex', source: t.value!, span: t.span };
      case 'true':
      case 'false':
        this.next();
        return { type: 'boolean', value: t.kind === 'true', span: t.span };
      case 'null':
        this.next();
        return { type: 'null', span: t.span };
      case '[':
        return this.list();
      default:
        return this.fail(t, `expected a value after '${op}'`, { expected: 'a value' });
    }
  }

  /** list := "[" (value ("," value)*)? "]" */
  private list(): Literal {
    const open = this.next();
    this.enter(open);
    const items: Literal[] = [];
    let close = this.peek();
    while (close.kind !== ']') {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === ',' || t.kind === ']' || t.kind === ')') {
        const message = items.length === 0 ? "expected a value or ']' in the list" : "expected a value after ',' in the list";
        this.fail(t, message, {
          expected: 'a value',
          ...(t.kind === 'eof' ? { opener: open.span } : {}),
        });
      }
      // a nested list directly, not through `value`: one stack frame per level of `[`
      items.push(t.kind === '[' ? this.list() : this.value(','));
      close = this.peek();
      if (close.kind === ',') {
        this.next();
      } else if (close.kind !== ']') {
        this.fail(close, "expected ',' or ']' in the list", { expected: "',' or ']'", opener: open.span });
      }
    }
    this.next();
    this.depth--;
    return { type: 'list', items, span: join(open.span, close.span) };
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }

  /** The current token, moving past it (but never past EOF). */
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  /** ` after <previous token>` for a message, or nothing at the start. */
  private after(): string {
    const prev = this.pos > 0 ? this.tokens[this.pos - 1] : undefined;
    return prev ? ` after ${describeToken(prev)}` : '';
  }

  /** Stops at a syntax error on `t`: the message names what was found, unless `t` is the end. */
  private fail(t: Token, message: string, extra: FailExtra = {}): never {
    const found = describeToken(t);
    const { foundInMessage, ...rest } = extra;
    const text = t.kind === 'eof' || foundInMessage ? message : `${message}, found ${found}`;
    throw new Stop(queryError('syntax', text, t.span, { ...rest, found }));
  }

  /** One more level of nesting, opened by `t`: past `maxDepth` a `depth` error, never a stack overflow. */
  private enter(t: Token): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw new Stop(
        queryError('depth', `query nested too deeply (more than ${this.maxDepth} levels of '(', 'not' or '[')`, t.span),
      );
    }
  }
}
