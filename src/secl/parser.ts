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
import type {
  ArrayNode,
  CompareOp,
  IdentNode,
  IntNode,
  ListNode,
  MacroNode,
  Node,
  Span,
  StringMemberNode,
  CIDRMemberNode,
} from './ast.js';
import { seclError, type Result, type SeclError } from './errors.js';
import { lex, type Token } from './lexer.js';

/** Nesting (parentheses, unary operators) deeper than this is refused. */
export const MAX_DEPTH = 256;

class ParseFailure {
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

function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end };
}

const UNARY_START_PUNCT = new Set(['!', '-', '^', '(']);

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(n = 0): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isPunct(t: Token, ch: string): boolean {
    return t.type === 'Punct' && t.text === ch;
  }

  private isWord(t: Token, w: string): boolean {
    return t.type === 'Ident' && t.text === w;
  }

  private fail(expected: string, t: Token = this.peek(), opener?: Span): never {
    throw new ParseFailure(
      seclError('syntax', `expected ${expected}, found ${describe(t)}`, t.span, {
        expected,
        found: describe(t),
        ...(opener === undefined ? {} : { opener }),
      }),
    );
  }

  /** Whether `t` can start a Unary (an operand). */
  private startsOperand(t: Token): boolean {
    switch (t.type) {
      case 'Punct':
        return UNARY_START_PUNCT.has(t.text);
      case 'EOF':
        return false;
      default:
        return true;
    }
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) {
      throw new ParseFailure(seclError('syntax', `expression nested deeper than ${MAX_DEPTH} levels`, t.span));
    }
  }

  /** `&&`/`and`/`||`/`or` at the cursor: its width in tokens, and its text. */
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

  private parseInt(t: Token): IntNode {
    const value = parseIntText(t.text);
    if (value === undefined) {
      throw new ParseFailure(
        seclError('syntax', `invalid integer ${t.text} (out of range, or not octal after a leading 0)`, t.span, {
          found: t.text,
        }),
      );
    }
    return { kind: 'int', value, raw: t.text, span: t.span };
  }

  parsePrimary(): Node {
    const t = this.peek();
    switch (t.type) {
      case 'Ident':
        this.next();
        return { kind: 'ident', name: t.text, span: t.span };
      case 'CIDR':
        this.next();
        return { kind: 'cidr', value: t.text, span: t.span };
      case 'IP':
        this.next();
        return { kind: 'ip', value: t.text, span: t.span };
      case 'Int':
        this.next();
        return this.parseInt(t);
      case 'Variable':
        this.next();
        return { kind: 'variable', name: t.text.slice(2, -1), span: t.span };
      case 'String':
        this.next();
        return { kind: 'string', value: t.value, span: t.span };
      case 'Pattern':
        this.next();
        return { kind: 'pattern', value: t.value, span: t.span };
      case 'Regexp':
        this.next();
        return { kind: 'regexp', value: t.value, span: t.span };
      case 'Duration':
        this.next();
        return { kind: 'duration', value: BigInt(t.value), raw: t.text, span: t.span };
      case 'Punct':
        if (t.text === '(') {
          this.next();
          this.enter(t);
          const expr = this.parseExpression();
          this.depth--;
          const close = this.peek();
          if (!this.isPunct(close, ')')) this.fail(`')' to close the '('`, close, t.span);
          this.next();
          return { kind: 'paren', expr, span: join(t.span, close.span) };
        }
        break;
      default:
        break;
    }
    return this.fail('a value (field, constant, string, number, pattern, regexp, IP, duration or "(")');
  }

  /** Array = CIDR | Variable | Ident | "[" members "]". */
  parseArray(): ArrayNode {
    const t = this.peek();
    switch (t.type) {
      case 'CIDR':
        this.next();
        return { kind: 'cidr', value: t.text, span: t.span };
      case 'Variable':
        this.next();
        return { kind: 'variable', name: t.text.slice(2, -1), span: t.span };
      case 'Ident':
        this.next();
        return { kind: 'ident', name: t.text, span: t.span };
      default:
        if (this.isPunct(t, '[')) return this.parseList();
        return this.fail('a list "[...]", a macro, a CIDR or a ${variable}');
    }
  }

  parseList(): ListNode {
    const open = this.next();
    const first = this.peek();
    let family: ListNode['family'];
    switch (first.type) {
      case 'String':
      case 'Pattern':
      case 'Regexp':
        family = 'string';
        break;
      case 'IP':
      case 'CIDR':
        family = 'cidr';
        break;
      case 'Int':
        family = 'int';
        break;
      case 'Ident':
        family = 'ident';
        break;
      default:
        return this.fail('a list member (string, pattern, regexp, IP, CIDR, integer or constant)', first);
    }
    const items: ListNode['items'] = [];
    for (;;) {
      items.push(this.parseMember(family));
      const t = this.peek();
      if (this.isPunct(t, ',')) {
        this.next();
        continue;
      }
      if (this.isPunct(t, ']')) {
        this.next();
        return { kind: 'list', family, items, span: join(open.span, t.span) };
      }
      return this.fail(`',' or ']' to close the '['`, t, open.span);
    }
  }

  private parseMember(family: ListNode['family']): StringMemberNode | CIDRMemberNode | IntNode | IdentNode {
    const t = this.peek();
    switch (family) {
      case 'string':
        if (t.type === 'String') {
          this.next();
          return { kind: 'string', value: t.value, span: t.span };
        }
        if (t.type === 'Pattern') {
          this.next();
          return { kind: 'pattern', value: t.value, span: t.span };
        }
        if (t.type === 'Regexp') {
          this.next();
          return { kind: 'regexp', value: t.value, span: t.span };
        }
        return this.fail('a string, a pattern or a regexp (lists are not mixed)', t);
      case 'cidr':
        if (t.type === 'IP') {
          this.next();
          return { kind: 'ip', value: t.text, span: t.span };
        }
        if (t.type === 'CIDR') {
          this.next();
          return { kind: 'cidr', value: t.text, span: t.span };
        }
        return this.fail('an IP or a CIDR (lists are not mixed)', t);
      case 'int':
        if (t.type === 'Int') {
          this.next();
          return this.parseInt(t);
        }
        return this.fail('an integer (lists are not mixed)', t);
      case 'ident':
        if (t.type === 'Ident') {
          this.next();
          return { kind: 'ident', name: t.text, span: t.span };
        }
        return this.fail('a constant (lists are not mixed)', t);
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
