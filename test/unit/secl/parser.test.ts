import { describe, expect, it } from 'vitest';
import type { MacroNode } from '../../../src/secl/ast.js';
import { parseMacro, parseRule } from '../../../src/secl/parser.js';

/** A compact, fully parenthesized rendering of the tree, to read precedence. */
function shape(n: MacroNode): string {
  switch (n.kind) {
    case 'bool':
      return `(${shape(n.left)} ${n.op} ${shape(n.right)})`;
    case 'compare':
      return `(${shape(n.left)} ${n.op} ${shape(n.right)})`;
    case 'in':
      return `(${shape(n.left)} ${n.op} ${shape(n.right)})`;
    case 'arith':
      return n.rest.reduce((acc, r) => `(${acc} ${r.op} ${shape(r.operand)})`, shape(n.first));
    case 'bitop':
      return `(${shape(n.left)} ${n.op} ${shape(n.right)})`;
    case 'unary':
      return `(${n.op} ${shape(n.operand)})`;
    case 'paren':
      return `[${shape(n.expr)}]`;
    case 'ident':
      return n.name;
    case 'int':
      return n.value.toString();
    case 'duration':
      return `${n.value}ns`;
    case 'string':
      return `"${n.value}"`;
    case 'pattern':
      return `~"${n.value}"`;
    case 'regexp':
      return `r"${n.value}"`;
    case 'ip':
    case 'cidr':
      return n.value;
    case 'variable':
      return `\${${n.name}}`;
    case 'list':
      return `{${n.items.map((i) => shape(i)).join(',')}}`;
  }
}

function tree(src: string): string {
  const r = parseRule(src);
  if (!r.ok) throw new Error(`${src}: ${r.errors[0].message}`);
  return shape(r.value);
}

describe('the SECL parser (ast/secl.go grammar)', () => {
  describe('precedence', () => {
    it('puts && and || on ONE level, nested to the right: `a && b || c` is `a && (b || c)` (secl.go: Expression = Comparison [op BooleanExpression])', () => {
      expect(tree('a && b || c')).toBe('(a && (b || c))');
      expect(tree('a || b && c')).toBe('(a || (b && c))');
      expect(tree('a and b or c and d')).toBe('(a && (b || (c && d)))');
    });

    it('binds a comparison tighter than && and ||', () => {
      expect(tree('a == 1 && b != 2')).toBe('((a == 1) && (b != 2))');
    });

    it('nests comparisons to the right: `a == b == c` is `a == (b == c)`', () => {
      expect(tree('a == b == c')).toBe('(a == (b == c))');
    });

    it('puts & | ^ on one level, right-nested, tighter than + and -', () => {
      expect(tree('a | b & c')).toBe('(a | (b & c))');
      expect(tree('a & b | c')).toBe('(a & (b | c))');
      expect(tree('a + b & c')).toBe('(a + (b & c))');
      expect(tree('a & S_IFMT == S_IFREG')).toBe('((a & S_IFMT) == S_IFREG)');
    });

    it('chains + and - left to right', () => {
      expect(tree('a - b + c')).toBe('((a - b) + c)');
    });

    it('binds unary operators tightest', () => {
      expect(tree('!a && b')).toBe('((! a) && b)');
      expect(tree('not a == b')).toBe('((not a) == b)');
      expect(tree('^a & b')).toBe('((^ a) & b)');
      expect(tree('- a + b')).toBe('((- a) + b)');
    });

    it('keeps parentheses', () => {
      expect(tree('(a || b) && c')).toBe('([(a || b)] && c)');
    });
  });

  describe('operators', () => {
    it.each([
      ['a > = 1', '(a >= 1)'],
      ['a = = 1', '(a == 1)'],
      ['a ! = 1', '(a != 1)'],
      ['a & & b', '(a && b)'],
      ['a | | b', '(a || b)'],
      ['a =~ "x*"', '(a =~ "x*")'],
      ['a !~ ~"x*"', '(a !~ ~"x*")'],
      ['a not in [1, 2]', '(a not in {1,2})'],
      ['a allin [10.0.0.0/8, 1.2.3.4]', '(a allin {10.0.0.0/8,1.2.3.4})'],
      ['a in 10.0.0.0/8', '(a in 10.0.0.0/8)'],
      ['a in ${var}', '(a in ${var})'],
      ['a in MACRO', '(a in MACRO)'],
      ['a in [O_CREAT, O_RDWR ]', '(a in {O_CREAT,O_RDWR})'],
      ['a in ["x", ~"y*", r"z"]', '(a in {"x",~"y*",r"z"})'],
      ['a < 5s', '(a < 5000000000ns)'],
      ['a == 0755', '(a == 493)'],
      ['a == -1', '(a == -1)'],
      ['a == - 1', '(a == (- 1))'],
      ['"${a}:${b}" == c', '("${a}:${b}" == c)'],
    ])('reads %j as %s (two-character operators are two tokens)', (src, want) => {
      expect(tree(src)).toBe(want);
    });

    it('reads `O_RDWR]` as one identifier, so a list of constants needs a space before `]` (Ident may hold `]`)', () => {
      expect(parseRule('a in [O_CREAT, O_RDWR]').ok).toBe(false);
      expect(tree('a in [O_CREAT, O_RDWR ]')).toBe('(a in {O_CREAT,O_RDWR})');
    });

    it('reads `not` before something that cannot be an operand as an identifier', () => {
      expect(tree('not == 1')).toBe('(not == 1)');
    });
  });

  describe('errors', () => {
    it.each([
      ['', 'expected a value', { start: 0, end: 0 }],
      ['a ==', 'expected a value', { start: 4, end: 4 }],
      ['a && (b', "expected ')'", { start: 7, end: 7 }],
      ['a in []', 'expected a list member', { start: 6, end: 7 }],
      ['a in ["x", 1]', 'expected a string, a pattern or a regexp', { start: 11, end: 12 }],
      ['a in ["x",]', 'expected a string, a pattern or a regexp', { start: 10, end: 11 }],
      ['a == 08', 'invalid integer 08', { start: 5, end: 7 }],
      ['a == 9223372036854775808', 'invalid integer', { start: 5, end: 24 }],
      ['a b', 'expected an operator or the end', { start: 2, end: 3 }],
      ['x =~"a"', 'expected an operator or the end', { start: 2, end: 3 }],
      ['a in [O_CREAT, O_RDWR]', "expected ',' or ']'", { start: 22, end: 22 }],
      ['x-1', 'expected an operator or the end', { start: 1, end: 3 }],
      ['a in', 'expected a list', { start: 4, end: 4 }],
      ['a in 10.0.0.1', 'expected a list', { start: 5, end: 13 }],
      ['a = 1', 'expected an operator or the end', { start: 2, end: 3 }],
    ])('refuses %j: %s', (src, message, span) => {
      const r = parseRule(src);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors[0].code).toBe('syntax');
      expect(r.errors[0].message).toContain(message);
      expect(r.errors[0].span).toEqual(span);
    });

    it('marks where an unclosed ( or [ was opened, without putting the position in the message', () => {
      const r = parseRule('a && (b || c');
      expect(!r.ok && r.errors[0]).toMatchObject({ message: "expected ')' to close the '(', found end of expression", opener: { start: 5, end: 6 }, span: { start: 12, end: 12 } });
      const l = parseRule('a in ["x" "y"]');
      expect(!l.ok && l.errors[0]).toMatchObject({ opener: { start: 5, end: 6 }, span: { start: 10, end: 13 } });
    });

    it('gives expected and found', () => {
      const r = parseRule('a == )');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors[0].found).toBe("')'");
        expect(r.errors[0].expected).toMatch(/^a value/);
      }
    });

    it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
      const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
      const r = parseRule(deep);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0].message).toContain('nested deeper');
      // Long flat chains are not nesting: they are built without recursion.
      expect(parseRule(Array.from({ length: 5000 }, (_, i) => `a${i} == 1`).join(' || ')).ok).toBe(true);
    });
  });

  describe('spans', () => {
    it('gives every node its UTF-16 span', () => {
      const r = parseRule('x == "é" && y in [1, 2]');
      expect(r.ok).toBe(true);
      if (!r.ok || r.value.kind !== 'bool') return;
      expect(r.value.span).toEqual({ start: 0, end: 23 });
      expect(r.value.opSpan).toEqual({ start: 9, end: 11 });
      expect(r.value.left.span).toEqual({ start: 0, end: 8 });
      const right = r.value.right;
      expect(right.kind).toBe('in');
      if (right.kind !== 'in') return;
      expect(right.opSpan).toEqual({ start: 14, end: 16 });
      expect(right.right.span).toEqual({ start: 17, end: 23 });
    });
  });

  describe('macros (ParseMacro: Expression | Array | Primary)', () => {
    it('reads a list', () => {
      const r = parseMacro('["a", ~"b*"]');
      expect(r.ok && shape(r.value)).toBe('{"a",~"b*"}');
    });

    it('reads an expression', () => {
      const r = parseMacro('S_IXUSR|S_IXGRP|S_IXOTH');
      expect(r.ok && shape(r.value)).toBe('(S_IXUSR | (S_IXGRP | S_IXOTH))');
    });
  });
});
