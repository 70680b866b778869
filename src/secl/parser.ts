/**
 * SECL parser: tokens -> AST, for the agent's participle grammar
 * (`pkg/security/secl/compiler/ast/secl.go`), see `ast.ts` for the levels.
 *
 * What the grammar implies, and this parser keeps:
 * - `&&`/`and` and `||`/`or` are ONE precedence level and nest to the right:
 *   `a && b || c` is `a && (b || c)`, `a || b && c` is `a || (b && c)`
 *   (`Expression = Comparison [ op BooleanExpression ]`);
 * - a comparison's right side is a comparison: `a == b == c` is `a == (b == c)`;
 * - `&`, `|`, `^` are one level, tighter than `+`/`-`, and nest to the right:
 *   `a | b & c` is `a | (b & c)`, `a + b & c` is `a + (b & c)`;
 * - `+`/`-` chain left to right; unary `!`, `not`, `-`, `^` bind tightest;
 * - two-character operators are two tokens (`>` `=`), so whitespace may separate them;
 * - `a & & b` is `a && b`: a `&` followed by something that cannot start an operand is
 *   not a bit operation (participle backtracks one token there);
 * - lists are homogeneous: strings/patterns/regexps, IPs/CIDRs, integers, or identifiers;
 *   `[]`, a trailing comma and mixed lists are syntax errors;
 * - integers are read with Go's `strconv.ParseInt(s, 0, 64)` (participle's conversion):
 *   a leading `0` means octal (`0755` is 493); `08` is an error; no `0x` (it lexes as `0` `x`).
 *
 * Known difference: participle matches a keyword or operator literal against the VALUE of
 * any token, so in the agent the string `"and"` can stand for the keyword `and`
 * (`a "and" b` parses). Here keywords are identifiers and operators are punctuation.
 */
import type { CompareOp, MacroNode, Node, Span } from './ast.js';
import { seclError, type Result } from './errors.js';
import { lex, type Token } from './lexer.js';
import { ParseFailure, join } from './parser/cursor.js';
import { OperandParser } from './parser/operands.js';

export { MAX_DEPTH, parseIntText } from './parser/cursor.js';

/** The expression levels: boolean, comparison, arithmetic, bit operation, unary. */
class Parser extends OperandParser {
  private boolOpAt(): { width: number; text: '&&' | '||' | 'and' | 'or' } | undefined {
    const t = this.peek();
    if (this.isWord(t, 'and')) return { width: 1, text: 'and' };
    if (this.isWord(t, 'or')) return { width: 1, text: 'or' };
    const u = this.peek(1);
    if (this.isPunct(t, '&') && this.isPunct(u, '&')) return { width: 2, text: '&&' };
    if (this.isPunct(t, '|') && this.isPunct(u, '|')) return { width: 2, text: '||' };
    return undefined;
  }

  parseExpression(): Node {
    // Comparison [ op BooleanExpression ]: right-nested, built without recursion.
    const operands: Node[] = [this.parseComparison()];
    const ops: { text: '&&' | '||' | 'and' | 'or'; span: Span }[] = [];
    for (;;) {
      const op = this.boolOpAt();
      if (op === undefined) break;
      const first = this.next();
      let last = first;
      if (op.width === 2) last = this.next();
      ops.push({ text: op.text, span: join(first.span, last.span) });
      operands.push(this.parseComparison());
    }
    let node = operands[operands.length - 1];
    for (let k = ops.length - 1; k >= 0; k--) {
      const left = operands[k];
      const { text, span } = ops[k];
      node = {
        kind: 'bool',
        op: text === '&&' || text === 'and' ? '&&' : '||',
        text,
        left,
        right: node,
        opSpan: span,
        span: join(left.span, node.span),
      };
    }
    return node;
  }

  /** `>=` `>` `<=` `<` `!=` `==` `=~` `!~`, as two tokens where the grammar has two. */
  private compareOpAt(): { width: number; op: CompareOp } | undefined {
    const t = this.peek();
    if (t.type !== 'Punct') return undefined;
    const u = this.peek(1);
    const second = u.type === 'Punct' ? u.text : '';
    switch (t.text) {
      case '>':
        return second === '=' ? { width: 2, op: '>=' } : { width: 1, op: '>' };
      case '<':
        return second === '=' ? { width: 2, op: '<=' } : { width: 1, op: '<' };
      case '!':
        if (second === '=') return { width: 2, op: '!=' };
        if (second === '~') return { width: 2, op: '!~' };
        return undefined;
      case '=':
        if (second === '=') return { width: 2, op: '==' };
        if (second === '~') return { width: 2, op: '=~' };
        return undefined;
      default:
        return undefined;
    }
  }

  parseComparison(): Node {
    // ArithmeticOperation [ ScalarComparison | ArrayComparison ]; a scalar comparison's
    // right side is a Comparison: right-nested, built without recursion.
    const lefts: { node: Node; op: CompareOp; opSpan: Span }[] = [];
    let node: Node;
    for (;;) {
      const left = this.parseArithmetic();
      const cmp = this.compareOpAt();
      if (cmp !== undefined) {
        const first = this.next();
        const last = cmp.width === 2 ? this.next() : first;
        lefts.push({ node: left, op: cmp.op, opSpan: join(first.span, last.span) });
        continue;
      }
      node = this.parseArrayComparison(left);
      break;
    }
    for (let k = lefts.length - 1; k >= 0; k--) {
      const { node: left, op, opSpan } = lefts[k];
      node = { kind: 'compare', op, left, right: node, opSpan, span: join(left.span, node.span) };
    }
    return node;
  }

  private parseArrayComparison(left: Node): Node {
    const t = this.peek();
    let op: 'in' | 'not in' | 'allin' | undefined;
    let opSpan = t.span;
    if (this.isWord(t, 'in')) {
      this.next();
      op = 'in';
    } else if (this.isWord(t, 'allin')) {
      this.next();
      op = 'allin';
    } else if (this.isWord(t, 'not') && this.isWord(this.peek(1), 'in')) {
      this.next();
      opSpan = join(t.span, this.next().span);
      op = 'not in';
    }
    if (op === undefined) return left;
    const right = this.parseArray();
    return { kind: 'in', op, left, right, opSpan, span: join(left.span, right.span) };
  }

  parseArithmetic(): Node {
    const first = this.parseBitOperation();
    const rest: { op: '+' | '-'; operand: Node; opSpan: Span }[] = [];
    for (;;) {
      const t = this.peek();
      if (!(this.isPunct(t, '+') || this.isPunct(t, '-'))) break;
      this.next();
      rest.push({ op: t.text as '+' | '-', operand: this.parseBitOperation(), opSpan: t.span });
    }
    if (rest.length === 0) return first;
    return { kind: 'arith', first, rest, span: join(first.span, rest[rest.length - 1].operand.span) };
  }

  parseBitOperation(): Node {
    // Unary [ ("&" | "|" | "^") BitOperation ]: right-nested, built without recursion.
    const operands: Node[] = [this.parseUnary()];
    const ops: Token[] = [];
    for (;;) {
      const t = this.peek();
      if (!(this.isPunct(t, '&') || this.isPunct(t, '|') || this.isPunct(t, '^'))) break;
      // participle gives back one token: `a & & b` is `a && b`, `a | | b` is `a || b`.
      if (!this.startsOperand(this.peek(1))) break;
      ops.push(this.next());
      operands.push(this.parseUnary());
    }
    let node = operands[operands.length - 1];
    for (let k = ops.length - 1; k >= 0; k--) {
      const left = operands[k];
      node = {
        kind: 'bitop',
        op: ops[k].text as '&' | '|' | '^',
        left,
        right: node,
        opSpan: ops[k].span,
        span: join(left.span, node.span),
      };
    }
    return node;
  }

  parseUnary(): Node {
    const t = this.peek();
    const isOp =
      this.isPunct(t, '!') || this.isPunct(t, '-') || this.isPunct(t, '^') || this.isWord(t, 'not');
    // `not` followed by what cannot be an operand is an identifier (participle backtracks).
    if (isOp && this.startsOperand(this.peek(1))) {
      this.next();
      this.enter(t);
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'unary', op: t.text as '!' | '-' | '^' | 'not', operand, opSpan: t.span, span: join(t.span, operand.span) };
    }
    return this.parsePrimary();
  }
}

function run<T>(src: string, body: (p: Parser) => T): Result<T> {
  const lexed = lex(src);
  if (lexed.errors.length > 0) return { ok: false, errors: lexed.errors };
  const p = new Parser(lexed.tokens);
  try {
    const value = body(p);
    p.expectEnd();
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, errors: [e.error] };
    if (e instanceof RangeError) {
      // Call stack exhausted despite the depth limit: report, never throw.
      return { ok: false, errors: [seclError('syntax', 'expression too deeply nested', { start: 0, end: src.length })] };
    }
    throw e;
  }
}

/** Parses a rule expression (the agent's `ParseRule`). */
export function parseRule(src: string): Result<Node> {
  return run(src, (p) => p.parseExpression());
}

/** Parses a macro expression (the agent's `ParseMacro`): an expression, or a list. */
export function parseMacro(src: string): Result<MacroNode> {
  return run(src, (p) => (p.atListStart() ? p.parseList() : p.parseExpression()));
}
