/**
 * Property tests:
 * - random ASTs (shaped by the grammar's levels) print to text that parses back to the
 *   same tree, and every node's span covers its own text;
 * - on random expressions over random events, the evaluator agrees with a tiny reference
 *   evaluator written from the agent's rules (any element on arrays, none for `!=`,
 *   one right-nested level for `&&`/`||`).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ListNode, Node, Span } from '../../../src/secl/ast.js';
import { parseRule } from '../../../src/secl/parser.js';
import { print } from '../../../src/secl/print.js';
import { compileRule, fieldsFrom, type FieldSource } from '../../../src/secl/eval.js';

const Z: Span = { start: 0, end: 0 };

// ---------------------------------------------------------------------------------------
// Random ASTs, level by level

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'allin']);
const identName = fc
  .tuple(fc.constantFrom('a', 'b', 'x', 'process', 'O', '_'), fc.array(fc.constantFrom('a', 'z', '0', '9', '_', '.', 'Q'), { maxLength: 6 }))
  .map(([h, t]) => h + t.join(''))
  .filter((n) => !KEYWORDS.has(n));
const textValue = fc.array(fc.constantFrom('a', 'B', ' ', '*', '/', '.', '-', '\\"', 'é', '$', '{', '}', '~'), { maxLength: 8 }).map((p) => p.join(''));

const ident = identName.map((name): Node => ({ kind: 'ident', name, span: Z }));
const int = fc.oneof(
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map((v): Node => ({ kind: 'int', value: v, raw: v.toString(), span: Z })),
  fc.integer({ min: 1, max: 0o7777 }).map((v): Node => ({ kind: 'int', value: BigInt(v), raw: '0' + v.toString(8), span: Z })),
);
const duration = fc.tuple(fc.integer({ min: 0, max: 100000 }), fc.constantFrom(['s', 1_000_000_000n], ['m', 60_000_000_000n], ['h', 3_600_000_000_000n], ['ms', 1_000_000n])).map(
  ([n, [u, f]]): Node => ({ kind: 'duration', value: BigInt(n) * (f as bigint), raw: `${n}${u as string}`, span: Z }),
);
const str = textValue.map((value): Node => ({ kind: 'string', value, span: Z }));
const pattern = textValue.map((value): Node => ({ kind: 'pattern', value, span: Z }));
const regexp = textValue.map((value): Node => ({ kind: 'regexp', value, span: Z }));
const ip = fc.constantFrom('10.0.0.1', '::1', '2001:db8::7', 'fe80::1:2', '::ffff:1.2.3.4').map((value): Node => ({ kind: 'ip', value, span: Z }));
const cidr = fc.constantFrom('10.0.0.0/8', '::/0', 'fe80::/10', '192.168.1.0/24').map((value): Node => ({ kind: 'cidr', value, span: Z }));
const variable = identName.map((name): Node => ({ kind: 'variable', name, span: Z }));

const list: fc.Arbitrary<ListNode> = fc.oneof(
  fc.array(fc.oneof(str, pattern, regexp), { minLength: 1, maxLength: 4 }).map((items): ListNode => ({ kind: 'list', family: 'string', items: items as ListNode['items'], span: Z })),
  fc.array(fc.oneof(ip, cidr), { minLength: 1, maxLength: 3 }).map((items): ListNode => ({ kind: 'list', family: 'cidr', items: items as ListNode['items'], span: Z })),
  fc.array(int, { minLength: 1, maxLength: 3 }).map((items): ListNode => ({ kind: 'list', family: 'int', items: items as ListNode['items'], span: Z })),
  fc.array(ident, { minLength: 1, maxLength: 3 }).map((items): ListNode => ({ kind: 'list', family: 'ident', items: items as ListNode['items'], span: Z })),
);

const { expr } = fc.letrec<{ expr: Node; comparison: Node; arith: Node; bitop: Node; unary: Node; primary: Node }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('comparison'),
    fc.tuple(tie('comparison'), fc.constantFrom('&&', '||', 'and', 'or'), tie('expr')).map(([left, text, right]): Node => ({
      kind: 'bool', op: text === '&&' || text === 'and' ? '&&' : '||', text: text as '&&', left, right, opSpan: Z, span: Z,
    })),
  ),
  comparison: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('arith'),
    fc.tuple(tie('arith'), fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '=~', '!~'), tie('comparison')).map(([left, op, right]): Node => ({
      kind: 'compare', op: op as '==', left, right, opSpan: Z, span: Z,
    })),
    fc.tuple(tie('arith'), fc.constantFrom('in', 'not in', 'allin'), fc.oneof(list, cidr, variable, ident)).map(([left, op, right]): Node => ({
      kind: 'in', op: op as 'in', left, right: right as ListNode, opSpan: Z, span: Z,
    })),
  ),
  arith: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('bitop'),
    fc.tuple(tie('bitop'), fc.array(fc.tuple(fc.constantFrom('+', '-'), tie('bitop')), { minLength: 1, maxLength: 3 })).map(([first, rest]): Node => ({
      kind: 'arith', first, rest: rest.map(([op, operand]) => ({ op: op as '+', operand, opSpan: Z })), span: Z,
    })),
  ),
  bitop: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('unary'),
    fc.tuple(tie('unary'), fc.constantFrom('&', '|', '^'), tie('bitop')).map(([left, op, right]): Node => ({
      kind: 'bitop', op: op as '&', left, right, opSpan: Z, span: Z,
    })),
  ),
  unary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('primary'),
    fc.tuple(fc.constantFrom('!', 'not', '-', '^'), tie('unary')).map(([op, operand]): Node => ({ kind: 'unary', op: op as '!', operand, opSpan: Z, span: Z })),
  ),
  primary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ident, int, duration, str, pattern, regexp, ip, cidr, variable,
    tie('expr').map((e): Node => ({ kind: 'paren', expr: e, span: Z })),
  ),
}));

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'span' && k !== 'opSpan') out[k] = strip(x);
    return out;
  }
  return v;
}

/** Every node's span lies within its parent's, and a leaf's span holds its printed text. */
function checkSpans(src: string, n: Node | ListNode, outer: Span): void {
  expect(n.span.start).toBeGreaterThanOrEqual(outer.start);
  expect(n.span.end).toBeLessThanOrEqual(outer.end);
  const children: (Node | ListNode)[] = [];
  switch (n.kind) {
    case 'bool':
    case 'compare':
    case 'bitop':
      children.push(n.left, n.right);
      break;
    case 'in':
      children.push(n.left, n.right);
      break;
    case 'arith':
      children.push(n.first, ...n.rest.map((r) => r.operand));
      break;
    case 'unary':
      children.push(n.operand);
      break;
    case 'paren':
      children.push(n.expr);
      break;
    case 'list':
      children.push(...(n.items as Node[]));
      break;
    default:
      expect(src.slice(n.span.start, n.span.end)).toBe(print(n));
  }
  for (const c of children) checkSpans(src, c, n.span);
}

describe('SECL print/parse', () => {
  it('parses the printed text of a random AST back to the same AST', () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const text = print(ast);
        const r = parseRule(text);
        if (!r.ok) throw new Error(`${text}: ${r.errors[0].message}`);
        expect(strip(r.value)).toEqual(strip(ast));
        checkSpans(text, r.value, { start: 0, end: text.length });
      }),
      { numRuns: 500 },
    );
  });

  it('compiles and evaluates any parsed tree without throwing (errors are values)', () => {
    const types = ['string', 'int', 'bool', 'ip'] as const;
    fc.assert(
      fc.property(expr, fc.integer({ min: 0, max: 7 }), (ast, seed) => {
        const r = compileRule(print(ast), {
          fields: (n) => ({ type: types[(n.length + seed) % 4], array: (n.length + seed) % 3 === 0, glob: seed % 2 === 0 }),
          variables: (n) => ({ type: types[(n.length + seed) % 4], array: seed % 2 === 1 }),
        });
        if (r.ok) {
          r.value.match({ get: () => ['10.0.0.1', 'a', 3, true], now: () => 5n, variable: () => [] });
        } else {
          expect(r.errors[0].code).toMatch(/^[a-z-]+$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const r = parseRule(s);
        if (!r.ok) expect(r.errors[0].span.end).toBeLessThanOrEqual(s.length);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Evaluator against a reference

type Ev = { s: string; arr: string[]; n: number; ns: number[]; b: boolean };

type R =
  | { k: 'and' | 'or'; l: R; r: R }
  | { k: 'not'; e: R }
  | { k: 'b' }
  | { k: 'sEq' | 'sNe' | 'sPre' | 'aEq' | 'aNe' | 'aPre'; v: string }
  | { k: 'sIn' | 'sNotIn' | 'aIn' | 'aNotIn'; vs: string[] }
  | { k: 'nCmp' | 'nsCmp'; op: '<' | '<=' | '>' | '>=' | '==' | '!='; v: number }
  | { k: 'nBit'; v: number };

const WORDS = ['a', 'b', 'ab', 'ba', ''];
const word = fc.constantFrom(...WORDS);
const atom: fc.Arbitrary<R> = fc.oneof(
  fc.constant<R>({ k: 'b' }),
  fc.tuple(fc.constantFrom('sEq', 'sNe', 'sPre', 'aEq', 'aNe', 'aPre'), word).map(([k, v]) => ({ k, v }) as R),
  fc.tuple(fc.constantFrom('sIn', 'sNotIn', 'aIn', 'aNotIn'), fc.array(word, { minLength: 1, maxLength: 3 })).map(([k, vs]) => ({ k, vs }) as R),
  fc.tuple(fc.constantFrom('nCmp', 'nsCmp'), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), fc.integer({ min: 0, max: 4 })).map(([k, op, v]) => ({ k, op, v }) as R),
  fc.integer({ min: 0, max: 7 }).map((v): R => ({ k: 'nBit', v })),
);
const { rexpr } = fc.letrec<{ rexpr: R }>((tie) => ({
  rexpr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(fc.constantFrom('and', 'or'), tie('rexpr'), tie('rexpr')).map(([k, l, r]) => ({ k, l, r }) as R),
    tie('rexpr').map((e): R => ({ k: 'not', e })),
  ),
}));

function q(s: string): string {
  return `"${s}"`;
}

/** SECL text for a reference tree: parentheses only where SECL's own grouping differs. */
function toSecl(e: R, position: 'top' | 'left' | 'operand' = 'top'): string {
  switch (e.k) {
    case 'and':
    case 'or': {
      // `l op r` parses as op(l, r) only when l is not itself a boolean operation.
      const text = `${toSecl(e.l, 'left')} ${e.k === 'and' ? '&&' : '||'} ${toSecl(e.r, 'top')}`;
      return position === 'top' ? text : `(${text})`;
    }
    case 'not':
      // `!` binds tighter than comparisons: `!s == "a"` is `(!s) == "a"`.
      return e.e.k === 'b' || e.e.k === 'not' ? `!${toSecl(e.e, 'operand')}` : `!(${toSecl(e.e, 'top')})`;
    case 'b':
      return 'b';
    case 'sEq':
      return `s == ${q(e.v)}`;
    case 'sNe':
      return `s != ${q(e.v)}`;
    case 'sPre':
      return `s =~ ${q(e.v + '*')}`;
    case 'aEq':
      return `arr == ${q(e.v)}`;
    case 'aNe':
      return `arr != ${q(e.v)}`;
    case 'aPre':
      return `arr =~ ${q(e.v + '*')}`;
    case 'sIn':
      return `s in [${e.vs.map(q).join(', ')}]`;
    case 'sNotIn':
      return `s not in [${e.vs.map(q).join(', ')}]`;
    case 'aIn':
      return `arr in [${e.vs.map(q).join(', ')}]`;
    case 'aNotIn':
      return `arr not in [${e.vs.map(q).join(', ')}]`;
    case 'nCmp':
      return `n ${e.op} ${e.v}`;
    case 'nsCmp':
      return `ns ${e.op} ${e.v}`;
    case 'nBit':
      return `n & ${e.v} > 0`;
  }
}

function cmp(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    default: return a !== b;
  }
}

/** The reference: arrays match if any element does; `!=`/`not in` on arrays: none does. */
function ref(e: R, ev: Ev): boolean {
  switch (e.k) {
    case 'and': return ref(e.l, ev) && ref(e.r, ev);
    case 'or': return ref(e.l, ev) || ref(e.r, ev);
    case 'not': return !ref(e.e, ev);
    case 'b': return ev.b;
    case 'sEq': return ev.s === e.v;
    case 'sNe': return ev.s !== e.v;
    case 'sPre': return ev.s.startsWith(e.v);
    case 'aEq': return ev.arr.includes(e.v);
    case 'aNe': return !ev.arr.includes(e.v);
    case 'aPre': return ev.arr.some((x) => x.startsWith(e.v));
    case 'sIn': return e.vs.includes(ev.s);
    case 'sNotIn': return !e.vs.includes(ev.s);
    case 'aIn': return ev.arr.some((x) => e.vs.includes(x));
    case 'aNotIn': return !ev.arr.some((x) => e.vs.includes(x));
    case 'nCmp': return cmp(e.op, ev.n, e.v);
    case 'nsCmp': return e.op === '!=' ? !ev.ns.includes(e.v) : ev.ns.some((x) => cmp(e.op, x, e.v));
    case 'nBit': return (ev.n & e.v) > 0;
  }
}

const event = fc.record({
  s: word,
  arr: fc.array(word, { maxLength: 3 }),
  n: fc.integer({ min: 0, max: 5 }),
  ns: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
  b: fc.boolean(),
});

const fields = fieldsFrom({
  s: { type: 'string' },
  arr: { type: 'string', array: true },
  n: { type: 'int' },
  ns: { type: 'int', array: true },
  b: { type: 'bool' },
});

function src(ev: Ev): FieldSource {
  return {
    get: (f) => {
      switch (f) {
        case 's': return [ev.s];
        case 'arr': return ev.arr;
        case 'n': return [ev.n];
        case 'ns': return ev.ns;
        case 'b': return [ev.b];
        default: return undefined;
      }
    },
  };
}

describe('SECL evaluator against a reference evaluator', () => {
  it('agrees on random expressions over random events', () => {
    fc.assert(
      fc.property(rexpr, fc.array(event, { minLength: 1, maxLength: 5 }), (e, evs) => {
        const text = toSecl(e);
        const compiled = compileRule(text, { fields, constants: new Map() });
        if (!compiled.ok) throw new Error(`${text}: ${compiled.errors[0].message}`);
        for (const ev of evs) expect([text, compiled.value.match(src(ev))]).toEqual([text, ref(e, ev)]);
      }),
      { numRuns: 500 },
    );
  });
});
