/**
 * Durations (`eval.go`, `DurationCompare`): `field < 5s` compares `now - field` with the
 * duration, `now` being the event's own time (`FieldSource.now`); without a `now` it is
 * false. After `+`/`-` (`a - b < 5s`) it is a plain comparison.
 */
import type { Span } from '../ast.js';
import { readNow } from './values.js';
import { MASK64, bothStatic, fail, mkBool, opError, type BoolOp, type Ctx, type IntOp, type IntsOp } from './types.js';

export function intCmp(op: string): ((x: bigint, y: bigint) => boolean) | undefined {
  switch (op) {
    case '<':
      return (x, y) => x < y;
    case '<=':
      return (x, y) => x <= y;
    case '>':
      return (x, y) => x > y;
    case '>=':
      return (x, y) => x >= y;
    case '==':
      return (x, y) => x === y;
    default:
      return undefined;
  }
}

/** `now - v OP d`; false without a `now`. */
function durationTest(op: string, d: (c: Ctx) => bigint, v: (c: Ctx) => bigint): ((c: Ctx) => boolean) | undefined {
  const cmp = intCmp(op);
  if (cmp === undefined) return undefined;
  return (c) => {
    const now = readNow(c);
    return now !== undefined && cmp(MASK64(now - v(c)), d(c));
  };
}

/** `int OP duration`. */
export function compareIntDuration(op: string, l: IntOp, r: IntOp, span: Span, opSpan: Span): BoolOp {
  const lf = l.fn;
  const rf = r.fn;
  if (l.arith === true) {
    const cmp = intCmp(op);
    if (cmp === undefined) return opError(op, r, opSpan);
    return mkBool((c) => cmp(lf(c), rf(c)), bothStatic(l, r), span);
  }
  const t = durationTest(op, rf, lf);
  if (t === undefined) return fail('type', `'${op}' cannot compare with a duration`, opSpan);
  return mkBool(t, false, span);
}

/** `ints OP duration`: some element is that old. */
export function compareIntsDuration(op: string, l: IntsOp, r: IntOp, span: Span, opSpan: Span): BoolOp {
  if (op === '==' || op === '!=') return fail('type', `'${op}' cannot compare a list of integers with a duration`, opSpan);
  const cmp = intCmp(op);
  if (cmp === undefined) return opError(op, l, opSpan);
  const lf = l.fn;
  const rf = r.fn;
  return mkBool((c) => {
    const now = readNow(c);
    if (now === undefined) return false;
    const d = rf(c);
    return lf(c).some((v) => cmp(MASK64(now - v), d));
  }, false, span);
}
