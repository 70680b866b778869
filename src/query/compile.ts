/**
 * Query compiler: a checked AST -> one closure `(event) => boolean`, built once.
 * Evaluation walks the event with prebuilt accessors; it never re-reads the
 * query, never builds code from text, and never throws for any JSON value.
 *
 * Semantics:
 * - A comparison holds if ANY value the path reaches satisfies it. `[*]` fans out
 *   over array elements, and a reached value that is itself an array is fanned
 *   out once more (`process.args == "-c"` tests every argument).
 * - A missing field, or a value of another type, makes `== < <= > >= =~ in`
 *   false. `!=`, `!~` and `not in` are exactly `not ==`, `not =~`, `not in`: true
 *   then. No conversions: `"1"` is not `1`.
 * - Numbers compare exactly, whatever their size or precision (`JsonNumber`
 *   values and number literals of any length): `1 == 1.0`,
 *   `18446744073709551615 != 18446744073709551614`.
 * - Strings order by code point. Ordering a number against a string is false.
 * - `path & mask op n` ands the value with the mask first, exactly (BigInt, any
 *   size): only a value that is a non-negative integer (`4`, `4.0`, a uint64) has
 *   bits; for any other value (negative, fractional, not a number) the comparison
 *   is false (and `!=` true, as for any mismatch).
 * - Instants (a comparison the checker marked `instant`: a `date-time` field of
 *   the schema against an RFC 3339 string): both sides are read as instants and
 *   compared exactly (`"2024-08-01T08:00:00+02:00" == "2024-08-01T06:00:00Z"`,
 *   fractions of any length, no rounding). A value that is not a valid RFC 3339
 *   date-time (or not a string) is a mismatch: false (and `!=` true).
 * - `== null` holds for a present null. `exists(p)` holds if the path reaches at
 *   least one value, null and empty arrays included.
 * - `=~ "glob"` matches the whole string (see `glob.ts`); `=~ r"regex"` is RE2
 *   and searches (anchor with `^...$` to match the whole string).
 */
import { RE2JS } from 're2js';
import { bitwiseAnd, compareJsonNumbers, exactInteger } from '../core/json/decimal.js';
import { type Instant, compareInstants, parseRfc3339Instant } from '../core/formats.js';
import { JsonNumber, type JsonValue, isJsonObject } from '../core/json/value.js';
import type { Segment } from '../core/path.js';
import type { CompareOp, Expr, Literal, Mask } from './ast.js';
import { compileGlob } from './glob.js';

/** A compiled query: the event, and the envelope of the record it came from (for `$host` paths; undefined: none). */
export type Matcher = (event: JsonValue, envelope?: JsonValue) => boolean;
type Test = (v: JsonValue) => boolean;

/** Compares strings by code point (JS `<` compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // surrogates (U+D800-DFFF) encode code points above U+FFFF: move them above U+E000-FFFF
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function safeCompare(a: number | JsonNumber, raw: string): -1 | 0 | 1 | null {
  try {
    return compareJsonNumbers(a, raw);
  } catch {
    return null;
  }
}

/** A test on numbers: `accept` gets the comparison of the value with the literal. */
function numberTest(raw: string, accept: (c: number) => boolean): Test {
  const x = Number(raw);
  // A plain number stands for String(n), and doubles order like their shortest
  // texts: when the literal is exactly such a double, compare doubles directly.
  const fast = Number.isFinite(x) && safeCompare(x, raw) === 0;
  return (v) => {
    if (typeof v === 'number') {
      if (fast) return accept(v < x ? -1 : v > x ? 1 : 0);
      const c = safeCompare(v, raw);
      return c !== null && accept(c);
    }
    if (v instanceof JsonNumber) {
      const c = safeCompare(v, raw);
      return c !== null && accept(c);
    }
    return false;
  };
}

function equalsTest(lit: Literal): Test {
  switch (lit.type) {
    case 'string': {
      const s = lit.value;
      return (v) => v === s;
    }
    case 'number': {
      const x = Number(lit.raw);
      const fast = Number.isFinite(x) && safeCompare(x, lit.raw) === 0;
      if (fast) {
        return (v) => (typeof v === 'number' ? v === x : v instanceof JsonNumber && safeCompare(v, lit.raw) === 0);
      }
      return numberTest(lit.raw, (c) => c === 0);
    }
    case 'boolean': {
      const b = lit.value;
      return (v) => v === b;
    }
    case 'null':
      return (v) => v === null;
    default:
      // excluded by the checker
      return () => false;
  }
}

const ORDER: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

function orderTest(op: string, lit: Literal): Test {
  const accept = ORDER[op];
  if (lit.type === 'number') return numberTest(lit.raw, accept);
  if (lit.type === 'string') {
    const s = lit.value;
    return (v) => typeof v === 'string' && accept(compareCodePoints(v, s));
  }
  return () => false;
}

function inTest(lit: Literal): Test {
  if (lit.type !== 'list') return () => false;
  const strings = new Set<string>();
  const others: Test[] = [];
  for (const item of lit.items) {
    if (item.type === 'string') strings.add(item.value);
    else others.push(equalsTest(item));
  }
  if (others.length === 0) return (v) => typeof v === 'string' && strings.has(v);
  return (v) => {
    if (typeof v === 'string') return strings.has(v);
    for (const t of others) if (t(v)) return true;
    return false;
  };
}

function matchTest(lit: Literal): Test {
  if (lit.type === 'regex') {
    let re: RE2JS;
    try {
      re = RE2JS.compile(lit.source);
    } catch {
      return () => false; // excluded by the checker
    }
    return (v) => typeof v === 'string' && re.test(v);
  }
  if (lit.type === 'string') {
    const g = compileGlob(lit.value);
    if (!g.ok) return () => false; // excluded by the checker
    const t = g.test;
    return (v) => typeof v === 'string' && t(v);
  }
  return () => false;
}

/** A test on one value for a positive operator (`!=` and the like are negated later). */
function valueTest(op: CompareOp, lit: Literal): Test {
  switch (op) {
    case '==':
    case '!=':
      return equalsTest(lit);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return orderTest(op, lit);
    case '=~':
    case '!~':
      return matchTest(lit);
    case 'in':
    case 'not in':
      return inTest(lit);
  }
}

/** A test on the value and-ed with the mask (see the semantics above); `test` gets the result. */
function maskedTest(mask: Mask, test: Test): Test {
  const m = exactInteger(mask.raw);
  if (m === null || m < 0n) return () => false; // excluded by the checker
  return (v) => {
    if (typeof v !== 'number' && !(v instanceof JsonNumber)) return false;
    let r: bigint | null;
    try {
      r = bitwiseAnd(v, m);
    } catch {
      return false;
    }
    if (r === null) return false;
    return test(r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : new JsonNumber(r.toString()));
  };
}

function instantOf(lit: Literal): Instant | null {
  return lit.type === 'string' ? parseRfc3339Instant(lit.value) : null;
}

/** A test on instants: the value, a string, read as an RFC 3339 date-time; anything else fails. */
function instantTest(op: CompareOp, lit: Literal): Test {
  const accept: (c: number) => boolean = op === '==' || op === '!=' || op === 'in' || op === 'not in' ? (c) => c === 0 : ORDER[op]!;
  const literals = (lit.type === 'list' ? lit.items : [lit]).map(instantOf).filter((x): x is Instant => x !== null);
  // a list may mix in other literals (null, numbers): they keep their own tests
  const others = lit.type === 'list' ? lit.items.filter((x) => x.type !== 'string').map(equalsTest) : [];
  return (v) => {
    if (typeof v === 'string') {
      const t = parseRfc3339Instant(v);
      if (t === null) return false;
      for (const x of literals) if (accept(compareInstants(t, x))) return true;
      return false;
    }
    for (const o of others) if (o(v)) return true;
    return false;
  };
}

/**
 * `(root) => boolean`: true if `test` holds for some value `segments` reach.
 * With `fanOut`, a reached array is tested element by element.
 */
export function anyAlongPath(segments: readonly Segment[], test: Test, fanOut: boolean): Test {
  let step: Test = fanOut
    ? (v) => {
        if (!Array.isArray(v)) return test(v);
        for (let i = 0; i < v.length; i++) if (test(v[i])) return true;
        return false;
      }
    : test;
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i];
    const next = step;
    if (seg.kind === 'key') {
      const key = seg.key;
      step = (v) => isJsonObject(v) && Object.hasOwn(v, key) && next(v[key]);
    } else if (seg.kind === 'index') {
      const index = seg.index;
      step =
        index >= 0
          ? (v) => Array.isArray(v) && index < v.length && next(v[index])
          : (v) => Array.isArray(v) && v.length + index >= 0 && next(v[v.length + index]);
    } else {
      step = (v) => {
        if (!Array.isArray(v)) return false;
        for (let k = 0; k < v.length; k++) if (next(v[k])) return true;
        return false;
      };
    }
  }
  return step;
}

const NEGATED: ReadonlySet<CompareOp> = new Set(['!=', '!~', 'not in']);

/** Compiles a checked AST (see `check.ts`) into a predicate. */
export function compileExpr(ast: Expr): Matcher {
  switch (ast.type) {
    case 'and': {
      const parts = ast.operands.map(compileExpr);
      if (parts.length === 2) {
        const [a, b] = parts;
        return (e, env) => a(e, env) && b(e, env);
      }
      return (e, env) => {
        for (let i = 0; i < parts.length; i++) if (!parts[i](e, env)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = ast.operands.map(compileExpr);
      if (parts.length === 2) {
        const [a, b] = parts;
        return (e, env) => a(e, env) || b(e, env);
      }
      return (e, env) => {
        for (let i = 0; i < parts.length; i++) if (parts[i](e, env)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileExpr(ast.operand);
      return (e, env) => !inner(e, env);
    }
    case 'exists':
      return onRoot(ast.path.envelope === true, anyAlongPath(ast.path.segments, () => true, false));
    case 'compare': {
      let test = ast.instant === true ? instantTest(ast.op, ast.value) : valueTest(ast.op, ast.value);
      if (ast.mask !== undefined) test = maskedTest(ast.mask, test);
      const positive = onRoot(ast.path.envelope === true, anyAlongPath(ast.path.segments, test, true));
      return NEGATED.has(ast.op) ? (e, env) => !positive(e, env) : positive;
    }
  }
}

/** A test on the event, or on the envelope for a `$` path (no envelope: nothing is reached). */
function onRoot(envelope: boolean, test: Test): Matcher {
  return envelope ? (_e, env) => env !== undefined && test(env) : (e) => test(e);
}
