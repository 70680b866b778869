/**
 * Query parser: tokens -> AST (see `ast.ts`). Recursive descent; precedence from
 * loosest to tightest: `or`/`||`, `and`/`&&`, `not`/`!`, comparison. So
 * `not a == 1` is `not (a == 1)` and `a or b and c` is `a or (b and c)`.
 *
 *     query      := or EOF
 *     or         := and (("or" | "||") and)*
 *     and        := unary (("and" | "&&") unary)*
 *     unary      := ("not" | "!") unary | primary
 *     primary    := "(" or ")" | "exists" "(" path ")" | path op value
 *     op         := "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~" | "in" | "not" "in"
 *     value      := string | number | "true" | "false" | "null" | regex | "[" (value ("," value)*)? "]"
 *
 * The left side of a comparison must be a field path (a literal there is an
 * error). Which values an operator accepts is checked later (`check.ts`), so the
 * parser reads `a in "x"` and `a == [1]`. Nesting of `(`, `not`/`!` and `[` is
 * capped at `maxDepth` (default 256): deeper queries get a `depth` error, never
 * a stack overflow. The parser stops at the first syntax error.
 */
import { queryError, type QueryError } from './errors.js';
import type { CompareOp, Expr, Literal } from './ast.js';
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
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  let pos = 0;
  let depth = 0;
  const peek = (k = 0): Token => tokens[Math.min(pos + k, tokens.length - 1)];
  const next = (): Token => {
    const t = peek();
    if (pos < tokens.length - 1) pos++;
    return t;
  };
  const fail = (
    t: Token,
    message: string,
    extra: { expected?: string; opener?: Span; foundInMessage?: boolean } = {},
  ): never => {
    const found = describeToken(t);
    const { foundInMessage, ...rest } = extra;
    const text = t.kind === 'eof' || foundInMessage ? message : `${message}, found ${found}`;
    throw new Stop(queryError('syntax', text, t.span, { ...rest, found }));
  };
  const enter = (t: Token) => {
    depth++;
    if (depth > maxDepth) {
      throw new Stop(
        queryError('depth', `query nested too deeply (more than ${maxDepth} levels of '(', 'not' or '[')`, t.span),
      );
    }
  };

  const parseOr = (): Expr => {
    const first = parseAnd();
    if (peek().kind !== 'or') return first;
    const operands = [first];
    while (peek().kind === 'or') {
      next();
      operands.push(parseAnd());
    }
    return { type: 'or', operands, span: join(first.span, operands[operands.length - 1].span) };
  };

  const parseAnd = (): Expr => {
    const first = parseUnary();
    if (peek().kind !== 'and') return first;
    const operands = [first];
    while (peek().kind === 'and') {
      next();
      operands.push(parseUnary());
    }
    return { type: 'and', operands, span: join(first.span, operands[operands.length - 1].span) };
  };

  const parseUnary = (): Expr => {
    const t = peek();
    if (t.kind !== 'not') return parsePrimary();
    // `!!!!...`: iterate over the operators, recurse only to build the nodes
    const nots: Token[] = [];
    while (peek().kind === 'not') {
      const n = next();
      enter(n);
      nots.push(n);
    }
    let e = parsePrimary();
    for (let i = nots.length - 1; i >= 0; i--) e = { type: 'not', operand: e, span: join(nots[i].span, e.span) };
    depth -= nots.length;
    return e;
  };

  const before = (): string => {
    const prev = pos > 0 ? tokens[pos - 1] : undefined;
    return prev ? ` after ${describeToken(prev)}` : '';
  };

  const parsePrimary = (): Expr => {
    const t = peek();
    switch (t.kind) {
      case '(': {
        next();
        enter(t);
        const inner = parseOr();
        const close = peek();
        if (close.kind !== ')') {
          fail(close, "expected ')' to close '('", {
            expected: "')'",
            opener: t.span,
          });
        }
        next();
        depth--;
        return inner;
      }
      case 'exists': {
        next();
        const open = peek();
        if (open.kind !== '(') fail(open, "expected '(' after 'exists'", { expected: "'('" });
        next();
        const p = peek();
        if (p.kind !== 'path') fail(p, "expected a field path in 'exists(...)'", { expected: 'a field path' });
        next();
        const close = peek();
        if (close.kind !== ')') fail(close, "expected ')' after the field path", { expected: "')'", opener: open.span });
        next();
        return { type: 'exists', path: p.path!, span: join(t.span, close.span) };
      }
      case 'path':
        return parseComparison();
      case 'string':
      case 'number':
      case 'regex':
      case 'true':
      case 'false':
      case 'null':
      case '[':
        return fail(t, 'expected a field path on the left of a comparison (a literal cannot come first)', {
          expected: 'a field path',
        });
      case 'eof':
        return fail(t, pos === 0 ? 'empty query: expected a condition' : `expected a condition${before()}`, {
          expected: 'a condition',
        });
      default:
        return fail(t, `expected a condition${before()}`, { expected: 'a condition' });
    }
  };

  const parseComparison = (): Expr => {
    const p = next();
    const path = p.path!;
    const o = peek();
    let op: CompareOp;
    if (COMPARE_OPS.has(o.kind)) {
      next();
      op = o.kind as CompareOp;
    } else if (o.kind === 'not' && o.text === 'not' && peek(1).kind === 'in') {
      next();
      next();
      op = 'not in';
    } else if (o.kind === 'eof' || o.kind === 'and' || o.kind === 'or' || o.kind === ')') {
      return fail(
        o,
        `expected an operator (${OPS_LIST}) after field '${p.text}': a field alone is not a condition; compare it or test exists(${p.text})`,
        { expected: 'an operator' },
      );
    } else {
      return fail(o, `expected an operator (${OPS_LIST}) after field '${p.text}'`, { expected: 'an operator' });
    }
    const value = parseValue(op);
    return { type: 'compare', op, path, value, span: join(p.span, value.span) };
  };

  const parseValue = (op: string): Literal => {
    const t = peek();
    switch (t.kind) {
      case 'string':
        next();
        return { type: 'string', value: t.value!, span: t.span };
      case 'number':
        next();
        return { type: 'number', raw: t.value!, span: t.span };
      case 'regex':
        next();
        return { type: 'regex', source: t.value!, span: t.span };
      case 'true':
      case 'false':
        next();
        return { type: 'boolean', value: t.kind === 'true', span: t.span };
      case 'null':
        next();
        return { type: 'null', span: t.span };
      case '[':
        return parseList();
      default:
        return fail(t, `expected a value after '${op}'`, { expected: 'a value' });
    }
  };

  const parseList = (): Literal => {
    const open = next();
    enter(open);
    const items: Literal[] = [];
    if (peek().kind === ']') {
      const close = next();
      depth--;
      return { type: 'list', items, span: join(open.span, close.span) };
    }
    for (;;) {
      const t = peek();
      if (t.kind === 'eof' || t.kind === ',' || t.kind === ']' || t.kind === ')') {
        fail(t, items.length === 0 ? "expected a value or ']' in the list" : "expected a value after ',' in the list", {
          expected: 'a value',
          ...(t.kind === 'eof' ? { opener: open.span } : {}),
        });
      }
      items.push(parseValue(','));
      const sep = peek();
      if (sep.kind === ',') {
        next();
        continue;
      }
      if (sep.kind === ']') {
        next();
        depth--;
        return { type: 'list', items, span: join(open.span, sep.span) };
      }
      fail(sep, "expected ',' or ']' in the list", { expected: "',' or ']'", opener: open.span });
    }
  };

  try {
    const ast = parseOr();
    const t = peek();
    if (t.kind !== 'eof') {
      if (t.kind === ')') {
        fail(t, "unexpected ')': there is no '(' to close", {
          expected: "'and', 'or' or end of query",
          foundInMessage: true,
        });
      }
      fail(t, "expected 'and', 'or' or end of query", { expected: "'and', 'or' or end of query" });
    }
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, errors: [e.error] };
    throw e;
  }
}
