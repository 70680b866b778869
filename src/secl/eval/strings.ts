/**
 * String operators: `==`/`!=` with patterns, regexps, globs (path fields) and
 * case-insensitive fields, `=~`/`!~`, `in` on strings and string arrays
 * (`strings.go`, `pattern.go`, `glob.go`, `oo_glob_cmp.go`, `oo_case_insensitive.go`).
 */
import type { Span } from '../ast.js';
import { equalFold, newMatcher, type Matcher } from '../match.js';
import {
  bothStatic,
  fail,
  mkBool,
  negateIf,
  opError,
  typeError,
  type BoolOp,
  type Ctx,
  type Guard,
  type Op,
  type StrOp,
  type StrsOp,
  type StrValuesOp,
  type VT,
} from './types.js';


/** Compiles a matcher or fails with the right code. */
function matcher(vt: VT, value: string, ci: boolean, span: Span): Matcher {
  const r = newMatcher(vt === 'variable' ? 'scalar' : vt, value, ci);
  if (!r.ok) fail(r.code, r.message, span);
  return r.matcher;
}

/** `ToStringMatcher`: a matcher when the operand is static, else none. */
function toMatcher(s: StrOp, ci: boolean): Matcher | undefined {
  if (!s.isStatic || s.value === undefined) return undefined;
  return matcher(s.vt, s.value, ci, s.span);
}

/** The field-side overrides of a scalar/array pair: glob (path fields), case-insensitive. */
function overrides(a: StrOp | StrsOp, b: StrOp | StrsOp): { glob: boolean; ci: boolean; from: 'a' | 'b' | undefined } {
  if (a.glob || a.ci) return { glob: a.glob === true, ci: a.ci === true, from: 'a' };
  if (b.glob || b.ci) return { glob: b.glob === true, ci: b.ci === true, from: 'b' };
  return { glob: false, ci: false, from: undefined };
}

/** Which side compares case-insensitively: the field's, `a` first (as both wrappers decide it). */
function caseInsensitiveSides(ci: boolean, a: StrOp | StrsOp, b: StrOp | StrsOp): [boolean, boolean] {
  if (!ci) return [false, false];
  return a.field !== undefined ? [true, false] : [false, b.field !== undefined];
}

/**
 * The guard of a comparison of a field with plain strings (no pattern, regexp or variable;
 * not case-insensitive): it holds only if the field's value (one of them) is one of them.
 */
function fieldGuard(f: StrOp | StrsOp, values: ReadonlySet<string> | undefined, ci: boolean): Guard | undefined {
  if (ci || f.field === undefined || f.isStatic === true || values === undefined) return undefined;
  return { field: f.field, array: f.t === 'strings', values, read: f.fn };
}

/** The plain string of a static operand (undefined for a pattern, regexp, variable or non-static one). */
function plainValue(s: StrOp): ReadonlySet<string> | undefined {
  return s.isStatic === true && s.vt === 'scalar' && s.value !== undefined ? new Set([s.value]) : undefined;
}

/** `StringEqualsWrapper` + `StringEquals`. */
function stringEquals(a0: StrOp, b0: StrOp, span: Span): BoolOp {
  let a = a0;
  let b = b0;
  const o = overrides(a, b);
  if (o.glob) {
    if (a.vt === 'pattern') a = { ...a, vt: 'glob' };
    else if (b.vt === 'pattern') b = { ...b, vt: 'glob' };
  }
  const [aCi, bCi] = caseInsensitiveSides(o.ci, a, b);
  const af = a.fn;
  const bf = b.fn;
  let fn: (c: Ctx) => boolean = (c) => af(c) === bf(c);
  if (a.field !== undefined && b.field !== undefined) {
    if (aCi || bCi) fn = (c) => equalFold(af(c), bf(c));
  } else if (a.field !== undefined) {
    const m = toMatcher(b, aCi);
    if (m !== undefined) return withGuard(mkBool((c) => m(af(c)), bothStatic(a, b), span), fieldGuard(a, plainValue(b), aCi));
  } else if (b.field !== undefined) {
    const m = toMatcher(a, bCi);
    if (m !== undefined) return withGuard(mkBool((c) => m(bf(c)), bothStatic(a, b), span), fieldGuard(b, plainValue(a), bCi));
  }
  return mkBool(fn, bothStatic(a, b), span);
}

function withGuard(op: BoolOp, guard: Guard | undefined): BoolOp {
  return guard === undefined ? op : { ...op, guard };
}

/** `StringArrayContainsWrapper` + `StringArrayContains`: does array `b` hold `a`? */
function stringArrayContains(a0: StrOp, b: StrsOp, span: Span): BoolOp {
  let a = a0;
  const o = overrides(a, b);
  if (o.glob && a.vt === 'pattern') a = { ...a, vt: 'glob' };
  const [aCi, bCi] = caseInsensitiveSides(o.ci, a, b);
  const af = a.fn;
  const bf = b.fn;
  let cmp: (x: string, y: string) => boolean = (x, y) => x === y;
  let guard: Guard | undefined;
  if (a.field !== undefined && b.field !== undefined) {
    if (aCi || bCi) cmp = equalFold;
  } else if (a.field !== undefined && aCi) {
    cmp = equalFold;
  } else if (b.field !== undefined) {
    const m = toMatcher(a, bCi);
    if (m !== undefined) {
      cmp = (_x, y) => m(y);
      guard = fieldGuard(b, plainValue(a), bCi);
    }
  }
  return withGuard(mkBool((c) => { const x = af(c); return bf(c).some((y) => cmp(x, y)); }, bothStatic(a, b), span), guard);
}

/**
 * `StringValues.Compile` + `Matches`: exact strings when the options are the default, matchers
 * otherwise; `plain`: the strings, when they are all it matches.
 */
function compileValues(members: { vt: VT; value: string; span: Span }[], glob: boolean, ci: boolean): { test: (s: string) => boolean; plain?: ReadonlySet<string> } {
  const scalars = new Set<string>();
  const matchers: Matcher[] = [];
  for (const m of members) {
    const vt = glob && m.vt === 'pattern' ? 'glob' : m.vt;
    if (!ci && (vt === 'scalar' || vt === 'variable')) scalars.add(m.value);
    else matchers.push(matcher(vt, m.value, ci, m.span));
  }
  const test = (s: string): boolean => {
    if (scalars.has(s)) return true;
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(s)) return true;
    return false;
  };
  return matchers.length === 0 ? { test, plain: scalars } : { test };
}

/** `stringValuesContainsWrapper` + `StringValuesContains`: `a in [...]`. */
function stringValuesContains(a: StrOp, b: StrValuesOp, span: Span): BoolOp {
  const glob = a.glob === true && a.vt !== 'pattern';
  const ci = a.ci === true && a.field !== undefined;
  const { test, plain } = compileValues(b.members, glob, ci);
  const af = a.fn;
  return withGuard(mkBool((c) => test(af(c)), bothStatic(a, b), span), fieldGuard(a, plain, ci));
}

/** `stringArrayMatchesWrapper` + `StringArrayMatches`: some element of `a` in `[...]`. */
function stringArrayMatches(a: StrsOp, b: StrValuesOp, span: Span): BoolOp {
  const ci = a.ci === true && a.field !== undefined;
  const { test, plain } = compileValues(b.members, a.glob === true, ci);
  const af = a.fn;
  return withGuard(mkBool((c) => af(c).some(test), bothStatic(a, b), span), fieldGuard(a, plain, ci));
}

/** `=~`/`!~` read a plain string on the right as a pattern; the right side must be static. */
function patternSide(op: string, l: Op, r: StrOp, opSpan: Span): StrOp {
  if (op === '=~' || op === '!~') {
    if (!r.isStatic) fail('operand', `the right side of '${op}' must be a static pattern, not a field or variable`, r.span);
    return r.vt === 'scalar' ? { ...r, vt: 'pattern' } : r;
  }
  if (op !== '==' && op !== '!=') return opError(op, l, opSpan);
  return r;
}

/** `string OP x`, `strings OP x` for `==`, `!=`, `=~`, `!~`. */
export function compareStrings(op: string, l: StrOp | StrsOp, r: Op, span: Span, opSpan: Span): BoolOp {
  if (r.t !== 'string') return typeError(r, 'a string', r.span);
  const rr = patternSide(op, l, r, opSpan);
  const negate = op === '!=' || op === '!~';
  if (l.t === 'string') return negateIf(negate, stringEquals(l, rr, span), span);
  return negateIf(negate, stringArrayContains(rr, l, span), span);
}

/** `string in x`, `strings in [...]`, `[...] in strings`; undefined if `l` is not a string operand. */
export function inStrings(negate: boolean, l: Op, r: Op, span: Span): BoolOp | undefined {
  switch (l.t) {
    case 'string':
      if (r.t === 'strings') return negateIf(negate, stringArrayContains(l, r, span), span);
      if (r.t === 'strvalues') return negateIf(negate, stringValuesContains(l, r, span), span);
      return typeError(r, 'a list of strings', r.span);
    case 'strvalues':
      if (r.t === 'strings') return negateIf(negate, stringArrayMatches(r, l, span), span);
      return typeError(r, 'a list of strings', r.span);
    case 'strings':
      if (r.t === 'strvalues') return negateIf(negate, stringArrayMatches(l, r, span), span);
      return typeError(r, 'a list of strings', r.span);
    default:
      return undefined;
  }
}
