/**
 * IP and CIDR operators (`cidr.go`, Go's `net`): `ip == CIDR` and `in` are `IPNetsMatch`
 * (either contains the other's address); `ipArray == CIDR` checks that an element CONTAINS
 * the literal; `allin` on IP arrays requires EVERY field IP to match EVERY listed network.
 */
import type { Span } from '../ast.js';
import { contains, ipNetsMatch, parseCIDR, type IPNet } from '../ip.js';
import {
  bothStatic,
  fail,
  mkBool,
  negateIf,
  opError,
  typeError,
  type BoolOp,
  type CIDRValuesOp,
  type Ctx,
  type IPOp,
  type IPsOp,
  type Op,
} from './types.js';

export function ipLiteral(text: string, what: 'IP' | 'CIDR', span: Span): IPNet {
  const n = parseCIDR(text);
  if (n === undefined) fail('operand', `invalid ${what} '${text}'`, span);
  return n;
}

/** `ip ==`/`!=` and `ips ==`/`!=` an IP or CIDR. */
export function compareIPs(op: string, l: IPOp | IPsOp, r: Op, span: Span, opSpan: Span): BoolOp {
  if (r.t !== 'ip') return typeError(r, 'an IP or CIDR', r.span);
  if (op !== '==' && op !== '!=') return opError(op, l, opSpan);
  const negate = op === '!=';
  const rf = r.fn;
  if (l.t === 'ip') {
    const lf = l.fn;
    return negateIf(negate, mkBool((c) => { const x = lf(c); const y = rf(c); return x !== undefined && y !== undefined && ipNetsMatch(x, y); }, bothStatic(l, r), span), span);
  }
  const lf = l.fn;
  // CIDRArrayMatchesCIDREvaluator: an element contains the literal's address.
  return negateIf(negate, mkBool((c) => { const y = rf(c); return y !== undefined && lf(c).some((x) => contains(x, y.ip)); }, bothStatic(l, r), span), span);
}

/** Some (or, for `allin`, every) listed network against some (every) field IP. */
function netsMatch(op: 'in' | 'not in' | 'allin', nets: IPNet[], xs: (c: Ctx) => IPNet[], span: Span): BoolOp {
  // CIDRValues.MatchAll: every listed network against every field IP.
  if (op === 'allin') return mkBool((c) => { const v = xs(c); return nets.every((n) => v.every((x) => ipNetsMatch(n, x))); }, false, span);
  return negateIf(op === 'not in', mkBool((c) => { const v = xs(c); return nets.some((n) => v.some((x) => ipNetsMatch(n, x))); }, false, span), span);
}

function inIP(negate: boolean, l: IPOp, r: Op, span: Span): BoolOp {
  const lf = l.fn;
  if (r.t === 'ip') {
    const rf = r.fn;
    return negateIf(negate, mkBool((c) => { const x = lf(c); const y = rf(c); return x !== undefined && y !== undefined && ipNetsMatch(x, y); }, bothStatic(l, r), span), span);
  }
  if (r.t === 'cidrvalues') {
    const nets = r.nets;
    return negateIf(negate, mkBool((c) => { const x = lf(c); return x !== undefined && nets.some((n) => ipNetsMatch(n, x)); }, bothStatic(l, r), span), span);
  }
  if (r.t === 'ips') {
    const rf = r.fn;
    return negateIf(negate, mkBool((c) => { const x = lf(c); return x !== undefined && rf(c).some((n) => ipNetsMatch(x, n)); }, false, span), span);
  }
  return typeError(r, 'a list of IPs/CIDRs', r.span);
}

function inCIDRValues(op: 'in' | 'not in' | 'allin', l: CIDRValuesOp, r: Op, span: Span): BoolOp {
  const nets = l.nets;
  if (r.t === 'ip') {
    const rf = r.fn;
    return negateIf(op === 'not in', mkBool((c) => { const x = rf(c); return x !== undefined && nets.some((n) => ipNetsMatch(n, x)); }, bothStatic(l, r), span), span);
  }
  if (r.t === 'ips') return netsMatch(op, nets, r.fn, span);
  return typeError(r, 'an IP', r.span);
}

/** `in`, `not in`, `allin` with IPs on either side; undefined if neither is an IP operand. */
export function inIPs(op: 'in' | 'not in' | 'allin', l: Op, r: Op, span: Span): BoolOp | undefined {
  switch (l.t) {
    case 'ip':
      return inIP(op === 'not in', l, r, span);
    case 'ips':
      if (r.t !== 'cidrvalues') return typeError(r, 'a list of IPs/CIDRs', r.span);
      return netsMatch(op, r.nets, l.fn, span);
    case 'cidrvalues':
      return inCIDRValues(op, l, r, span);
    default:
      return undefined;
  }
}
