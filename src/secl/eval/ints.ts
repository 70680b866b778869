/**
 * Integer operators: comparisons (64-bit, wrapping), `in`, unary `-`/`^`, bit operations
 * (`&`, `|`, `^` refuse two non-constant operands: "full dynamic bitmask operation") and
 * `+`/`-` (`eval.go`, `operators.go`).
 */
import type { Span } from '../ast.js';
import { compareIntDuration, compareIntsDuration, intCmp } from './durations.js';
import {
  MASK64,
  bothStatic,
  fail,
  mkBool,
  negateIf,
  opError,
  typeError,
  type BoolOp,
  type Ctx,
  type IntOp,
  type IntsOp,
  type Op,
} from './types.js';

/** `int OP x`. */
export function compareInt(op: string, l: IntOp, r: Op, span: Span, opSpan: Span): BoolOp {
  const lf = l.fn;
  if (r.t === 'int') {
    const rf = r.fn;
    if (r.duration === true) return compareIntDuration(op, l, r, span, opSpan);
    if (op === '!=') return negateIf(true, mkBool((c) => lf(c) === rf(c), bothStatic(l, r), span), span);
    const cmp = intCmp(op);
    if (cmp === undefined) return opError(op, l, opSpan);
    return mkBool((c) => cmp(lf(c), rf(c)), bothStatic(l, r), span);
  }
  if (r.t === 'ints') {
    const rf = r.fn;
    if (op === '!=') return negateIf(true, mkBool((c) => { const x = lf(c); return rf(c).some((v) => v === x); }, false, span), span);
    const cmp = intCmp(op);
    if (cmp === undefined) return opError(op, l, opSpan);
    return mkBool((c) => { const x = lf(c); return rf(c).some((v) => cmp(x, v)); }, false, span);
  }
  return typeError(r, 'an integer', r.span);
}

/** `ints OP x`: some element compares. */
export function compareInts(op: string, l: IntsOp, r: Op, span: Span, opSpan: Span): BoolOp {
  if (r.t !== 'int') return typeError(r, 'an integer', r.span);
  if (r.duration === true) return compareIntsDuration(op, l, r, span, opSpan);
  const lf = l.fn;
  const rf = r.fn;
  if (op === '!=') return negateIf(true, mkBool((c) => { const x = rf(c); return lf(c).some((v) => v === x); }, false, span), span);
  const cmp = intCmp(op);
  if (cmp === undefined) return opError(op, l, opSpan);
  return mkBool((c) => { const x = rf(c); return lf(c).some((v) => cmp(v, x)); }, false, span);
}

/** `int in ints`, `ints in ints`; undefined if `l` is not an integer operand. */
export function inInts(negate: boolean, l: Op, r: Op, span: Span): BoolOp | undefined {
  if (l.t !== 'int' && l.t !== 'ints') return undefined;
  if (r.t !== 'ints') return typeError(r, 'a list of integers', r.span);
  const rf = r.fn;
  if (l.t === 'int') {
    const lf = l.fn;
    return negateIf(negate, mkBool((c) => { const x = lf(c); return rf(c).some((v) => v === x); }, bothStatic(l, r), span), span);
  }
  const lf = l.fn;
  return negateIf(negate, mkBool((c) => { const ys = rf(c); return lf(c).some((x) => ys.includes(x)); }, bothStatic(l, r), span), span);
}

/** Unary `-` and `^` (bitwise not). */
export function unaryInt(op: '-' | '^', i: IntOp, span: Span): IntOp {
  const f = i.fn;
  if (op === '-') return { t: 'int', fn: (c) => MASK64(-f(c)), isStatic: i.isStatic, span };
  return { t: 'int', fn: (c) => MASK64(~f(c)), isStatic: i.isStatic, span };
}

/** `&`, `|`, `^`: one side must be constant. */
export function bitOp(op: '&' | '|' | '^', l: IntOp, r: IntOp, span: Span): IntOp {
  if (!l.isStatic && !r.isStatic) fail('operand', 'full dynamic bitmask operation not supported', span);
  const lf = l.fn;
  const rf = r.fn;
  const fn = op === '&' ? (c: Ctx) => lf(c) & rf(c) : op === '|' ? (c: Ctx) => lf(c) | rf(c) : (c: Ctx) => MASK64(lf(c) ^ rf(c));
  return { t: 'int', fn, isStatic: bothStatic(l, r), span, field: l.field ?? r.field };
}

/** `a + b - c`, left to right; the result is marked `arith` (durations compare plainly). */
export function arithOp(first: IntOp, rest: { op: '+' | '-'; operand: IntOp }[], span: Span): IntOp {
  let acc = first;
  for (const r of rest) {
    const o = r.operand;
    const af = acc.fn;
    const of = o.fn;
    acc = {
      t: 'int',
      fn: r.op === '+' ? (c) => MASK64(af(c) + of(c)) : (c) => MASK64(af(c) - of(c)),
      isStatic: bothStatic(acc, o),
      span,
    };
  }
  return { ...acc, arith: true };
}
