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
 * - `== null` holds for a present null. `exists(p)` holds if the path reaches at
 *   least one value, null and empty arrays included.
 * - `=~ "glob"` matches the whole string (see `glob.ts`); `=~ r"regex"` is RE2
 *   and searches (anchor with `^...$` to match the whole string).
 */
import { RE2JS } from 're2js';
import { compareJsonNumbers } from '../core/json/decimal.js';
import { JsonNumber, type JsonValue, isJsonObject } from '../core/json/value.js';
import type { Segment } from '../core/path.js';
import type { CompareOp, Expr, Literal } from './ast.js';
import { compileGlob } from './glob.js';

export type Matcher = (event: JsonValue) => boolean;
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
        return (e) => a(e) && b(e);
      }
      return (e) => {
        for (let i = 0; i < parts.length; i++) if (!parts[i](e)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = ast.operands.map(compileExpr);
      if (parts.length === 2) {
        const [a, b] = parts;
        return (e) => a(e) || b(e);
      }
      return (e) => {
        for (let i = 0; i < parts.length; i++) if (parts[i](e)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileExpr(ast.operand);
      return (e) => !inner(e);
    }
    case 'exists':
      return anyAlongPath(ast.path.segments, () => true, false);
    case 'compare': {
      const positive = anyAlongPath(ast.path.segments, valueTest(ast.op, ast.value), true);
      return NEGATED.has(ast.op) ? (e) => !positive(e) : positive;
    }
  }
}
