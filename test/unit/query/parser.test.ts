import { describe, expect, test } from 'vitest';
import { parseQuery } from '../../../src/query/parser.js';
import { printLiteral, printQuery, stripSpans, type Expr } from '../../../src/query/ast.js';
import { formatRawPath } from '../../../src/core/path.js';

/** The AST as an s-expression: `(and (== a 1) (not (exists b)))`. */
function sexpr(e: Expr): string {
  switch (e.type) {
    case 'and':
    case 'or':
      return `(${e.type} ${e.operands.map(sexpr).join(' ')})`;
    case 'not':
      return `(not ${sexpr(e.operand)})`;
    case 'exists':
      return `(exists ${formatRawPath(e.path)})`;
    case 'compare':
      return e.mask
        ? `(${e.op} (& ${formatRawPath(e.path)} ${e.mask.raw}) ${printLiteral(e.value)})`
        : `(${e.op} ${formatRawPath(e.path)} ${printLiteral(e.value)})`;
  }
}

function parsed(source: string): Expr {
  const r = parseQuery(source);
  if (!r.ok) throw new Error(`${source}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.ast;
}

describe('structure and precedence', () => {
  test.each([
    ['a == 1', '(== a 1)'],
    ['a != "x"', '(!= a "x")'],
    ['a < 1 and b <= 2 and c > 3 and d >= 4', '(and (< a 1) (<= b 2) (> c 3) (>= d 4))'],
    ['a =~ "/usr/*" or b !~ r"^x$"', '(or (=~ a "/usr/*") (!~ b r"^x$"))'],
    ['a in ["x", 1, true, null]', '(in a ["x", 1, true, null])'],
    ['a not in []', '(not in a [])'],
    ['exists(a.b[0])', '(exists a.b[0])'],
    ['not a == 1', '(not (== a 1))'],
    ['! a == 1', '(not (== a 1))'],
    ['not not a == 1', '(not (not (== a 1)))'],
    ['a == 1 or b == 2 and c == 3', '(or (== a 1) (and (== b 2) (== c 3)))'],
    ['a == 1 and b == 2 or c == 3', '(or (and (== a 1) (== b 2)) (== c 3))'],
    ['(a == 1 or b == 2) and c == 3', '(and (or (== a 1) (== b 2)) (== c 3))'],
    ['not (a == 1 or b == 2)', '(not (or (== a 1) (== b 2)))'],
    ['not a == 1 and b == 2', '(and (not (== a 1)) (== b 2))'],
    ['a == 1 && b == 2 || !exists(c)', '(or (and (== a 1) (== b 2)) (not (exists c)))'],
    ['(a == 1 and b == 2) and c == 3', '(and (and (== a 1) (== b 2)) (== c 3))'],
    ['((((a == 1))))', '(== a 1)'],
    ['m["x.y"] == "v"', '(== m["x.y"] "v")'],
    ['n == 18446744073709551615', '(== n 18446744073709551615)'],
    ['n == 1.50', '(== n 1.50)'],
    ['a == [1, [2, "x"]]', '(== a [1, [2, "x"]])'],
  ])('%s parses as %s', (source, expected) => {
    expect(sexpr(parsed(source))).toBe(expected);
  });

  test('a chain of and/or is one node, so a long chain stays shallow', () => {
    const source = Array.from({ length: 10_000 }, (_, i) => `a == ${i}`).join(' or ');
    const ast = parsed(source);
    expect(ast.type).toBe('or');
    if (ast.type === 'or') expect(ast.operands).toHaveLength(10_000);
  });

  test('number literals keep their text', () => {
    const ast = parsed('a == -0.10e5');
    expect(ast.type === 'compare' && ast.value).toEqual({ type: 'number', raw: '-0.10e5', span: { start: 5, end: 12 } });
  });

  test('nodes carry spans of the query text', () => {
    const ast = parsed('not a == 1 and exists(b)');
    expect(ast.span).toEqual({ start: 0, end: 24 });
    if (ast.type !== 'and') throw new Error('expected and');
    expect(ast.operands.map((o) => o.span)).toEqual([
      { start: 0, end: 10 },
      { start: 15, end: 24 },
    ]);
    const not = ast.operands[0];
    if (not.type !== 'not' || not.operand.type !== 'compare') throw new Error('expected not');
    expect(not.operand.path.span).toEqual({ start: 4, end: 5 });
    expect(not.operand.value.span).toEqual({ start: 9, end: 10 });
  });
});

describe('bitwise and', () => {
  test.each([
    // & binds tighter than the comparison (as in SECL and Python, unlike C)
    ['a & 4 == 4', '(== (& a 4) 4)'],
    ['a&4==4', '(== (& a 4) 4)'],
    ['file.destination.mode & 0o4000 != 0', '(!= (& file.destination.mode 2048) 0)'],
    ['a & 0xFF in [1, 0b10]', '(in (& a 255) [1, 2])'],
    ['not a & 1 == 1 and b & 2 > 0', '(and (not (== (& a 1) 1)) (> (& b 2) 0))'],
    ['a & 4 == 4 && b == 1', '(and (== (& a 4) 4) (== b 1))'],
  ])('%s', (source, expected) => {
    expect(sexpr(parsed(source))).toBe(expected);
  });

  test('printQuery writes the mask in decimal, and reads back the same AST', () => {
    const ast = parsed('not a & 0o4000 != 0 and b & 0xFFFFFFFFFFFFFFFF in [0b1]');
    expect(printQuery(ast)).toBe('not a & 2048 != 0 and b & 18446744073709551615 in [1]');
    expect(stripSpans(parsed(printQuery(ast)))).toEqual(stripSpans(ast));
  });

  test('the mask keeps its spans: the & and the number', () => {
    const e = parsed('mode & 0o4000 != 0');
    if (e.type !== 'compare' || !e.mask) throw new Error('not a masked comparison');
    expect(e.mask.amp).toEqual({ start: 5, end: 6 });
    expect(e.mask.span).toEqual({ start: 7, end: 13 });
  });

  test.each<[string, string, number]>([
    ['a & b == 1', "expected an integer after '&' (bitwise and) ('&&' is 'and'), found field 'b'", 4],
    ['a & "x" == 1', "expected an integer after '&' (bitwise and), found string", 4],
    ['a & == 1', "expected an integer after '&'", 4],
    ['a & 4', 'expected an operator', 4],
    ['4 & a == 1', 'expected a field path on the left', 0],
  ])('%s: %s', (source, message, start) => {
    const r = parseQuery(source);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].message).toContain(message);
    expect(r.errors[0].span.start).toBe(start);
  });
});

describe('syntax errors', () => {
  // source, message, span, expected, found
  test.each<[string, string, [number, number], string, string]>([
    ['process.uid ==', "expected a value after '=='", [13, 14], 'a value', 'end of query'],
    ['a == )', "expected a value after '==', found ')'", [5, 6], 'a value', "')'"],
    ['a == b', "expected a value after '==', found field 'b'", [5, 6], 'a value', "field 'b'"],
    ['', 'empty query: expected a condition', [0, 0], 'a condition', 'end of query'],
    ['a == 1 and', "expected a condition after 'and'", [9, 10], 'a condition', 'end of query'],
    ['a == 1 or )', "expected a condition after 'or', found ')'", [10, 11], 'a condition', "')'"],
    ['a', "expected an operator (==, !=, <, <=, >, >=, =~, !~, in, not in) after field 'a': a field alone is not a condition; compare it or test exists(a)", [0, 1], 'an operator', 'end of query'],
    ['a 1', "expected an operator (==, !=, <, <=, >, >=, =~, !~, in, not in) after field 'a', found number 1", [2, 3], 'an operator', 'number 1'],
    ['"x" == a', 'expected a field path on the left of a comparison (a literal cannot come first), found string "x"', [0, 3], 'a field path', 'string "x"'],
    ['1 < a', 'expected a field path on the left of a comparison (a literal cannot come first), found number 1', [0, 1], 'a field path', 'number 1'],
    ['a == 1 b == 2', "expected 'and', 'or' or end of query, found field 'b'", [7, 8], "'and', 'or' or end of query", "field 'b'"],
    ['a == 1)', "unexpected ')': there is no '(' to close", [6, 7], "'and', 'or' or end of query", "')'"],
    ['exists a', "expected '(' after 'exists', found field 'a'", [7, 8], "'('", "field 'a'"],
    ['exists(1)', "expected a field path in 'exists(...)', found number 1", [7, 8], 'a field path', 'number 1'],
    ['exists(a', "expected ')' after the field path", [7, 8], "')'", 'end of query'],
    ['a in [1 2]', "expected ',' or ']' in the list, found number 2", [8, 9], "',' or ']'", 'number 2'],
    ['a in [1,]', "expected a value after ',' in the list, found ']'", [8, 9], 'a value', "']'"],
    ['a in [', "expected a value or ']' in the list", [5, 6], 'a value', 'end of query'],
    ['a not 1', "expected an operator (==, !=, <, <=, >, >=, =~, !~, in, not in) after field 'a', found 'not'", [2, 5], 'an operator', "'not'"],
  ])('%j: %s', (source, message, [start, end], expected, found) => {
    const r = parseQuery(source);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    const [e] = r.errors;
    expect(e.code).toBe('syntax');
    expect(e.message).toBe(message);
    expect(e.span).toEqual({ start, end });
    expect(e.expected).toBe(expected);
    expect(e.found).toBe(found);
  });

  test("an unclosed '(' marks the opener as well as the end", () => {
    const r = parseQuery('(a == 1 and (b == 2');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].message).toBe("expected ')' to close '('");
    expect(r.errors[0].opener).toEqual({ start: 12, end: 13 });
    expect(r.errors[0].span).toEqual({ start: 18, end: 19 });
  });

  test("an unclosed '[' marks the opener", () => {
    const r = parseQuery('a in ["x", "y"');
    if (r.ok) throw new Error('should fail');
    expect(r.errors[0].opener).toEqual({ start: 5, end: 6 });
  });

  test('lexical errors come first, all of them', () => {
    const r = parseQuery('a = 1 and b = 2');
    if (r.ok) throw new Error('should fail');
    expect(r.errors.map((e) => e.span.start)).toEqual([2, 12]);
  });
});

describe('nesting depth', () => {
  test.each([
    ['parentheses', (n: number) => '('.repeat(n) + 'a == 1' + ')'.repeat(n)],
    ['not', (n: number) => 'not '.repeat(n) + 'a == 1'],
    ['!', (n: number) => '!'.repeat(n) + 'a == 1'],
    ['lists', (n: number) => 'a in ' + '['.repeat(n) + '1' + ']'.repeat(n)],
    ['mixed', (n: number) => '(not '.repeat(n) + 'a == 1' + ')'.repeat(n)],
  ])('10,000 levels of %s give a depth error, not a stack overflow', (_, make) => {
    const r = parseQuery(make(10_000));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].code).toBe('depth');
    expect(r.errors[0].message).toBe("query nested too deeply (more than 256 levels of '(', 'not' or '[')");
  });

  test('256 levels are fine, 257 are not', () => {
    expect(parseQuery('('.repeat(256) + 'a == 1' + ')'.repeat(256)).ok).toBe(true);
    expect(parseQuery('('.repeat(257) + 'a == 1' + ')'.repeat(257)).ok).toBe(false);
  });

  test('the limit can be changed', () => {
    expect(parseQuery('((a == 1))', { maxDepth: 1 }).ok).toBe(false);
    expect(parseQuery('(a == 1)', { maxDepth: 1 }).ok).toBe(true);
  });

  test('a raised limit is usable: 1,000 levels of parentheses or lists parse without a stack overflow', () => {
    // each level costs stack frames in the parser; this keeps their number per level from growing
    const options = { maxDepth: 1000 };
    expect(parseQuery('('.repeat(1000) + 'a == 1' + ')'.repeat(1000), options).ok).toBe(true);
    expect(parseQuery('a in ' + '['.repeat(1000) + '1' + ']'.repeat(1000), options).ok).toBe(true);
  });

  test('sequential parentheses do not add up', () => {
    const source = Array.from({ length: 1000 }, () => '(a == 1)').join(' and ');
    expect(parseQuery(source).ok).toBe(true);
  });
});
