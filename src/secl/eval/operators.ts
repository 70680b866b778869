/**
 * The operator table (`eval.go`): a comparison or `in` dispatched on the left operand's
 * type to the modules by type (strings, integers and durations, IPs); booleans here.
 * On an array or iterator operand, `==`, `=~`, `in`, `<`... hold if ANY element matches,
 * and `!=`, `!~`, `not in` are their negation: NO element matches.
 */
import type { Span } from '../ast.js';
import { compareInt, compareInts, inInts } from './ints.js';
import { compareIPs, inIPs } from './ips.js';
import { compareStrings, inStrings } from './strings.js';
import { bothStatic, mkBool, negateIf, opError, typeError, type BoolOp, type BoolsOp, type Op } from './types.js';

/** `bool ==`/`!=` a boolean, `bools ==`/`!=` a boolean (some element). */
function compareBools(op: string, l: BoolOp | BoolsOp, r: Op, span: Span, opSpan: Span): BoolOp {
  if (r.t !== 'bool') return typeError(r, 'a boolean', r.span);
  if (op !== '==' && op !== '!=') return opError(op, l, opSpan);
  const negate = op === '!=';
  const rf = r.fn;
  if (l.t === 'bool') {
    const lf = l.fn;
    return negateIf(negate, mkBool((c) => lf(c) === rf(c), bothStatic(l, r), span), span);
  }
  const lf = l.fn;
  return negateIf(negate, mkBool((c) => { const x = rf(c); return lf(c).some((v) => v === x); }, bothStatic(l, r), span), span);
}

/** `l OP r` for `==`, `!=`, `<`, `<=`, `>`, `>=`, `=~`, `!~`. */
export function compareOp(op: string, l: Op, r: Op, span: Span, opSpan: Span): BoolOp {
  switch (l.t) {
    case 'bool':
    case 'bools':
      return compareBools(op, l, r, span, opSpan);
    case 'string':
    case 'strings':
      return compareStrings(op, l, r, span, opSpan);
    case 'ip':
    case 'ips':
      return compareIPs(op, l, r, span, opSpan);
    case 'int':
      return compareInt(op, l, r, span, opSpan);
    case 'ints':
      return compareInts(op, l, r, span, opSpan);
    default:
      return typeError(l, 'a field or value that can be compared', l.span);
  }
}

/** `l in r`, `l not in r`, `l allin r`. */
export function inOp(op: 'in' | 'not in' | 'allin', l: Op, r: Op, span: Span): BoolOp {
  const negate = op === 'not in';
  if (l.t === 'bool') {
    if (r.t !== 'bools') return typeError(r, 'a list of booleans', r.span);
    const lf = l.fn;
    const rf = r.fn;
    return negateIf(negate, mkBool((c) => { const x = lf(c); return rf(c).some((v) => v === x); }, bothStatic(l, r), span), span);
  }
  const b = inStrings(negate, l, r, span) ?? inInts(negate, l, r, span) ?? inIPs(op, l, r, span);
  return b ?? typeError(l, 'a value that can be looked up in a list', l.span);
}
