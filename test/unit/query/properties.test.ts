import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { JsonNumber, type JsonValue } from '../../../src/core/json.js';
import type { Path, Segment } from '../../../src/core/path.js';
import { formatRawPath } from '../../../src/core/path.js';
import type { CompareOp, Expr, Literal } from '../../../src/query/ast.js';
import { compileGlob, compileQuery, parseQuery, printQuery, stripSpans } from '../../../src/query/index.js';
import { KEYWORDS } from '../../../src/query/lexer.js';

const NO_SPAN = { start: 0, end: 0 };

// ---------------------------------------------------------------------------
// Random ASTs

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const firstKey = identifier.filter((k) => !KEYWORDS.has(k));

const segment: fc.Arbitrary<Segment> = fc.oneof(
  identifier.map((key): Segment => ({ kind: 'key', key, span: NO_SPAN })),
  fc.string({ maxLength: 6 }).map((key): Segment => ({ kind: 'key', key, span: NO_SPAN, quoted: true })),
  fc.integer({ min: -3, max: 20 }).map((index): Segment => ({ kind: 'index', index, span: NO_SPAN })),
  fc.constant<Segment>({ kind: 'wildcard', span: NO_SPAN }),
);

const path: fc.Arbitrary<Path> = fc
  .tuple(firstKey, fc.array(segment, { maxLength: 4 }))
  .map(([first, rest]) => {
    const segments: Segment[] = [{ kind: 'key', key: first, span: NO_SPAN }, ...rest];
    return { segments, text: formatRawPath(segments), span: NO_SPAN };
  });

const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.bigInt({ min: 1n, max: 10n ** 25n }).map(String)),
    fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 30 })), {
      nil: undefined,
    }),
  )
  .map(
    ([neg, int, frac, exp]) =>
      `${neg ? '-' : ''}${int}${frac !== undefined ? '.' + frac : ''}${exp ? exp[0] + exp[1] + exp[2] : ''}`,
  );

/** Regex sources the lexer can produce: backslashes come in pairs with the next character. */
const regexSource = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 3 }).map((s) => s.replace(/\\/g, '')),
      fc.constant('"'),
      fc.constantFrom('\\d', '\\\\', '\\.', '\\w'),
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join(''));

const scalar: fc.Arbitrary<Literal> = fc.oneof(
  fc.string({ maxLength: 6 }).map((value): Literal => ({ type: 'string', value, span: NO_SPAN })),
  numberText.map((raw): Literal => ({ type: 'number', raw, span: NO_SPAN })),
  fc.boolean().map((value): Literal => ({ type: 'boolean', value, span: NO_SPAN })),
  fc.constant<Literal>({ type: 'null', span: NO_SPAN }),
  regexSource.map((source): Literal => ({ type: 'regex', source, span: NO_SPAN })),
);

const literal: fc.Arbitrary<Literal> = fc.letrec<{ lit: Literal }>((tie) => ({
  lit: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('lit'), { maxLength: 3 }).map((items): Literal => ({ type: 'list', items, span: NO_SPAN })),
  ),
})).lit;

const op = fc.constantFrom<CompareOp>('==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'in', 'not in');

const expr: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(op, path, literal).map(([o, p, value]): Expr => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
    path.map((p): Expr => ({ type: 'exists', path: p, span: NO_SPAN })),
    tie('expr').map((operand): Expr => ({ type: 'not', operand, span: NO_SPAN })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((operands): Expr => ({ type: 'and', operands, span: NO_SPAN })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((operands): Expr => ({ type: 'or', operands, span: NO_SPAN })),
  ),
})).expr;

describe('printQuery', () => {
  test('parse(print(ast)) gives the same AST, ignoring spans', () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const text = printQuery(ast);
        const r = parseQuery(text);
        if (!r.ok) throw new Error(`${text}: ${r.errors[0].message}`);
        expect(stripSpans(r.ast)).toEqual(stripSpans(ast));
      }),
      { numRuns: 500 },
    );
  });

  test('printing is stable: print(parse(print(ast))) is print(ast)', () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const text = printQuery(ast);
        const r = parseQuery(text);
        expect(r.ok && printQuery(r.ast)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  test.each([
    ['a == 1 and (b == 2 or c == 3)', 'a == 1 and (b == 2 or c == 3)'],
    ['not (a == 1 and b == 2)', 'not (a == 1 and b == 2)'],
    ['!a == 1 || b in [1,2]', 'not a == 1 or b in [1, 2]'],
    ['m["x.y"].z =~ r"a\\"b"', 'm["x.y"].z =~ r"a\\"b"'],
    ['a.b[*][-1] == "\\u00e9"', 'a.b[*][-1] == "é"'],
  ])('%s prints as %s', (source, expected) => {
    const r = parseQuery(source);
    expect(r.ok && printQuery(r.ast)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------
// A reference evaluator, written from the specification

interface Decimal {
  m: bigint;
  e: number;
}

function decimal(text: string): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(`bad number ${text}`);
  const [, sign, int, frac = '', exp = '0'] = match;
  const m = BigInt(int + frac) * (sign === '-' ? -1n : 1n);
  return { m, e: Number(exp) - frac.length };
}

function compareDecimals(a: Decimal, b: Decimal): number {
  const e = Math.min(a.e, b.e);
  const x = a.m * 10n ** BigInt(a.e - e);
  const y = b.m * 10n ** BigInt(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

function numberOf(v: JsonValue): Decimal | null {
  if (typeof v === 'number') return decimal(String(v));
  if (v instanceof JsonNumber) return decimal(v.raw);
  return null;
}

function codePointCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/** Glob by brute force over code points: `*`, `**`, `?`, `[..]`, `[!..]`, `\x`. */
function referenceGlob(glob: string, s: string): boolean {
  type Tok = { k: 'lit'; c: string } | { k: 'star' } | { k: 'gstar' } | { k: 'any' } | { k: 'cls'; neg: boolean; test: (c: string) => boolean };
  const g = Array.from(glob);
  const toks: Tok[] = [];
  for (let i = 0; i < g.length; i++) {
    if (g[i] === '\\' && i + 1 < g.length) toks.push({ k: 'lit', c: g[++i] });
    else if (g[i] === '*') {
      let j = i;
      while (g[j + 1] === '*') j++;
      toks.push(j > i ? { k: 'gstar' } : { k: 'star' });
      i = j;
    } else if (g[i] === '?') toks.push({ k: 'any' });
    else if (g[i] === '[') {
      let j = i + 1;
      const neg = g[j] === '!' || g[j] === '^';
      if (neg) j++;
      const members: [string, string][] = [];
      let first = true;
      while (j < g.length && (g[j] !== ']' || first)) {
        first = false;
        let lo = g[j];
        if (lo === '\\' && j + 1 < g.length) lo = g[++j];
        j++;
        if (g[j] === '-' && j + 1 < g.length && g[j + 1] !== ']') {
          let hi = g[j + 1];
          j += 2;
          if (hi === '\\' && j < g.length) hi = g[j++];
          members.push([lo, hi]);
        } else members.push([lo, lo]);
      }
      i = j;
      const inSet = (c: string) => members.some(([lo, hi]) => c.codePointAt(0)! >= lo.codePointAt(0)! && c.codePointAt(0)! <= hi.codePointAt(0)!);
      toks.push({ k: 'cls', neg, test: neg ? (c) => c !== '/' && !inSet(c) : inSet });
    } else toks.push({ k: 'lit', c: g[i] });
  }
  const cs = Array.from(s);
  const go = (t: number, p: number): boolean => {
    if (t === toks.length) return p === cs.length;
    const tok = toks[t];
    switch (tok.k) {
      case 'lit':
        return cs[p] === tok.c && go(t + 1, p + 1);
      case 'any':
        return p < cs.length && cs[p] !== '/' && go(t + 1, p + 1);
      case 'cls':
        return p < cs.length && tok.test(cs[p]) && go(t + 1, p + 1);
      case 'star':
        for (let q = p; q <= cs.length; q++) {
          if (go(t + 1, q)) return true;
          if (cs[q] === '/') return false;
        }
        return false;
      case 'gstar':
        for (let q = p; q <= cs.length; q++) if (go(t + 1, q)) return true;
        return false;
    }
  };
  return go(0, 0);
}

function reach(v: JsonValue, segs: readonly Segment[]): JsonValue[] {
  if (segs.length === 0) return [v];
  const [s, ...rest] = segs;
  if (s.kind === 'key') {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) return [];
    return Object.prototype.hasOwnProperty.call(v, s.key) ? reach(v[s.key], rest) : [];
  }
  if (!Array.isArray(v)) return [];
  if (s.kind === 'wildcard') return v.flatMap((x) => reach(x, rest));
  const i = s.index < 0 ? v.length + s.index : s.index;
  return i >= 0 && i < v.length ? reach(v[i], rest) : [];
}

function referenceEquals(v: JsonValue, lit: Literal): boolean {
  switch (lit.type) {
    case 'string':
      return v === lit.value;
    case 'boolean':
      return v === lit.value;
    case 'null':
      return v === null;
    case 'number': {
      const n = numberOf(v);
      return n !== null && compareDecimals(n, decimal(lit.raw)) === 0;
    }
    default:
      return false;
  }
}

function referenceTest(op: CompareOp, v: JsonValue, lit: Literal): boolean {
  switch (op) {
    case '==':
    case '!=':
      return referenceEquals(v, lit);
    case 'in':
    case 'not in':
      return lit.type === 'list' && lit.items.some((item) => referenceEquals(v, item));
    case '=~':
    case '!~':
      if (typeof v !== 'string') return false;
      if (lit.type === 'regex') return new RegExp(lit.source, 'u').test(v);
      return lit.type === 'string' && referenceGlob(lit.value, v);
    default: {
      let c: number;
      if (lit.type === 'number') {
        const n = numberOf(v);
        if (n === null) return false;
        c = compareDecimals(n, decimal(lit.raw));
      } else if (lit.type === 'string') {
        if (typeof v !== 'string') return false;
        c = codePointCompare(v, lit.value);
      } else return false;
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
  }
}

function reference(e: Expr, event: JsonValue): boolean {
  switch (e.type) {
    case 'and':
      return e.operands.every((o) => reference(o, event));
    case 'or':
      return e.operands.some((o) => reference(o, event));
    case 'not':
      return !reference(e.operand, event);
    case 'exists':
      return reach(event, e.path.segments).length > 0;
    case 'compare': {
      const values = reach(event, e.path.segments).flatMap((v) => (Array.isArray(v) ? v : [v]));
      const any = values.some((v) => referenceTest(e.op, v, e.value));
      return e.op === '!=' || e.op === '!~' || e.op === 'not in' ? !any : any;
    }
  }
}

// Small vocabularies, so that random queries often hit random events.
const KEYS = ['a', 'b', 'c'];
const STRINGS = ['', 'x', 'y', 'xy', '/x', 'x/y', '/x/y', 'é', '😀', '\uffff', 'X'];
const NUMBERS = ['0', '1', '-1', '1.5', '1.50', '2', '9007199254740993', '18446744073709551615', '18446744073709551614', '1e2', '100'];

const eventValue: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<JsonValue>(null, true, false),
    fc.constantFrom(...STRINGS),
    fc.constantFrom(...NUMBERS).map((raw): JsonValue => {
      const n = Number(raw);
      return String(n) === raw ? n : new JsonNumber(raw);
    }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** Events whose top-level keys are mostly there, so that paths usually reach something. */
const topEvent: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ a: eventValue, b: eventValue, c: eventValue }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: eventValue },
);

const smallPath: fc.Arbitrary<Path> = fc
  .tuple(
    fc.constantFrom(...KEYS),
    fc.array(
      fc.oneof(
        fc.constantFrom(...KEYS).map((key): Segment => ({ kind: 'key', key, span: NO_SPAN })),
        fc.integer({ min: -2, max: 2 }).map((index): Segment => ({ kind: 'index', index, span: NO_SPAN })),
        fc.constant<Segment>({ kind: 'wildcard', span: NO_SPAN }),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([k, rest]) => {
    const segments: Segment[] = [{ kind: 'key', key: k, span: NO_SPAN }, ...rest];
    return { segments, text: formatRawPath(segments), span: NO_SPAN };
  });

const smallScalar: fc.Arbitrary<Literal> = fc.oneof(
  fc.constantFrom(...STRINGS).map((value): Literal => ({ type: 'string', value, span: NO_SPAN })),
  fc.constantFrom(...NUMBERS, '1.0', '0.5', '-0', '2e0').map((raw): Literal => ({ type: 'number', raw, span: NO_SPAN })),
  fc.boolean().map((value): Literal => ({ type: 'boolean', value, span: NO_SPAN })),
  fc.constant<Literal>({ type: 'null', span: NO_SPAN }),
);

const GLOBS = ['*', '**', 'x*', '/x/*', '/**', '?', '??', '*y', 'x/?', '[xy]*', '[!x]*', '**y', '/*/*', 'x\\*', '[a-z]?'];
const REGEXES = ['^x', 'y$', 'x|y', '^$', '.', '^/', '[é😀]', 'x+y?'];

const validComparison: fc.Arbitrary<Expr> = fc.oneof(
  fc
    .tuple(fc.constantFrom<CompareOp>('==', '!='), smallPath, smallScalar)
    .map(([o, p, value]): Expr => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
  fc
    .tuple(
      fc.constantFrom<CompareOp>('<', '<=', '>', '>='),
      smallPath,
      smallScalar.filter((l) => l.type === 'string' || l.type === 'number'),
    )
    .map(([o, p, value]): Expr => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
  fc
    .tuple(fc.constantFrom<CompareOp>('in', 'not in'), smallPath, fc.array(smallScalar, { maxLength: 3 }))
    .map(([o, p, items]): Expr => ({ type: 'compare', op: o, path: p, value: { type: 'list', items, span: NO_SPAN }, span: NO_SPAN })),
  fc
    .tuple(
      fc.constantFrom<CompareOp>('=~', '!~'),
      smallPath,
      fc.oneof(
        fc.constantFrom(...GLOBS).map((value): Literal => ({ type: 'string', value, span: NO_SPAN })),
        fc.constantFrom(...REGEXES).map((source): Literal => ({ type: 'regex', source, span: NO_SPAN })),
      ),
    )
    .map(([o, p, value]): Expr => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
  smallPath.map((p): Expr => ({ type: 'exists', path: p, span: NO_SPAN })),
);

const validExpr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    validComparison,
    tie('e').map((operand): Expr => ({ type: 'not', operand, span: NO_SPAN })),
    fc.array(tie('e'), { minLength: 2, maxLength: 3 }).map((operands): Expr => ({ type: 'and', operands, span: NO_SPAN })),
    fc.array(tie('e'), { minLength: 2, maxLength: 3 }).map((operands): Expr => ({ type: 'or', operands, span: NO_SPAN })),
  ),
})).e;

describe('evaluation', () => {
  test('agrees with a straightforward reference evaluator on random events and queries', () => {
    fc.assert(
      fc.property(validExpr, fc.array(topEvent, { minLength: 1, maxLength: 5 }), (ast, events) => {
        const text = printQuery(ast);
        const q = compileQuery(text);
        if (!q.ok) throw new Error(`${text}: ${q.errors[0].message}`);
        for (const event of events) {
          expect(q.match(event), `${text} on ${JSON.stringify(event)}`).toBe(reference(ast, event));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('agrees with the reference on every pair of scalar value and literal, for every operator', () => {
    const values: JsonValue[] = [
      null,
      true,
      false,
      ...STRINGS,
      ...NUMBERS.map((raw): JsonValue => (String(Number(raw)) === raw ? Number(raw) : new JsonNumber(raw))),
      ...NUMBERS.map((raw) => new JsonNumber(raw)),
    ];
    const literals: string[] = [
      'null',
      'true',
      'false',
      ...STRINGS.map((s) => JSON.stringify(s)),
      ...NUMBERS,
      '1.0',
      '0.5',
      '-0',
      '2e0',
      '-1.5e-1',
    ];
    const ops: CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];
    let checked = 0;
    for (const o of ops) {
      for (const lit of literals) {
        const q = compileQuery(`v ${o} ${lit}`);
        if (!q.ok) {
          // ordering against true/false/null is rejected by the checker
          expect(['<', '<=', '>', '>=']).toContain(o);
          continue;
        }
        const ast = parseQuery(`v ${o} ${lit}`);
        if (!ast.ok) throw new Error('parse');
        for (const v of values) {
          expect(q.match({ v }), `${JSON.stringify(v)} ${o} ${lit}`).toBe(reference(ast.ast, { v }));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  test('globs agree with a brute-force matcher', () => {
    const globChar = fc.constantFrom('a', 'b', '/', '*', '?', '[ab]', '[!a]', '[a-b]', '\\*', 'é');
    const strChar = fc.constantFrom('a', 'b', '/', '*', 'é', '😀');
    fc.assert(
      fc.property(fc.array(globChar, { maxLength: 6 }), fc.array(strChar, { maxLength: 8 }), (g, s) => {
        const glob = g.join('');
        const str = s.join('');
        const compiledGlob = compileGlob(glob);
        if (!compiledGlob.ok) throw new Error(compiledGlob.message);
        expect(compiledGlob.test(str), `${glob} on ${str}`).toBe(referenceGlob(glob, str));
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------
// Fuzzing

const FRAGMENTS = [
  'a', 'b.c', 'x[0]', 'y[*]', 'm["k"]', '==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'in', 'not', 'and', 'or',
  '&&', '||', '!', '(', ')', '[', ']', ',', '"s"', 'r"(a+)+$"', 'r"(?=x)"', '1', '-2.5', '18446744073709551615',
  'true', 'false', 'null', 'exists', '"[a"', '"**"', '.', '"', '\\', 'r"', '01', '=', '&', '|', "'", '#',
];

const fuzzEvents: JsonValue[] = [null, {}, { a: 1, b: { c: 'x' }, x: [1, 2], y: ['s'], m: { k: null } }, [1]];

function survives(text: string): void {
  const start = performance.now();
  const q = compileQuery(text);
  if (q.ok) for (const e of fuzzEvents) q.match(e);
  else for (const e of q.errors) {
    expect(e.span.start).toBeGreaterThanOrEqual(0);
    expect(e.span.end).toBeLessThanOrEqual(Math.max(text.length, 1));
    expect(e.message.length).toBeGreaterThan(0);
  }
  expect(performance.now() - start).toBeLessThan(500);
}

describe('fuzzing compileQuery', () => {
  test('random text never throws and returns quickly', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), survives), { numRuns: 2000 });
  });

  test('random token soup never throws and returns quickly', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 25 }), fc.boolean(), (parts, spaced) => {
        survives(parts.join(spaced ? ' ' : ''));
      }),
      { numRuns: 3000 },
    );
  });

  test('random printed ASTs compile or give errors, never throw', () => {
    fc.assert(fc.property(expr, (ast) => survives(printQuery(ast))), { numRuns: 500 });
  });
});
