/**
 * The query language's random generators and its reference evaluator, written
 * from the README's specification. Shared by the property tests
 * (test/unit/query/properties.test.ts, on src/) and the fuzzer (fuzz/run.mjs, on
 * dist/): the caller passes the JsonNumber class, formatRawPath and KEYWORDS of
 * the build it tests, so `instanceof JsonNumber` means the same on both sides.
 */
import fc from 'fast-check';

const NO_SPAN = { start: 0, end: 0 };

/** @param {{ JsonNumber: any, formatRawPath: (segments: any[]) => string, KEYWORDS: ReadonlySet<string> }} deps */
export function queryModel({ JsonNumber, formatRawPath, KEYWORDS }) {
  // -------------------------------------------------------------------------
  // Random ASTs

  const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
  const firstKey = identifier.filter((k) => !KEYWORDS.has(k));

  const segment = fc.oneof(
    identifier.map((key) => ({ kind: 'key', key, span: NO_SPAN })),
    fc.string({ maxLength: 6 }).map((key) => ({ kind: 'key', key, span: NO_SPAN, quoted: true })),
    fc.integer({ min: -3, max: 20 }).map((index) => ({ kind: 'index', index, span: NO_SPAN })),
    fc.constant({ kind: 'wildcard', span: NO_SPAN }),
  );

  const path = fc.tuple(firstKey, fc.array(segment, { maxLength: 4 })).map(([first, rest]) => {
    const segments = [{ kind: 'key', key: first, span: NO_SPAN }, ...rest];
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

  const scalar = fc.oneof(
    fc.string({ maxLength: 6 }).map((value) => ({ type: 'string', value, span: NO_SPAN })),
    numberText.map((raw) => ({ type: 'number', raw, span: NO_SPAN })),
    fc.boolean().map((value) => ({ type: 'boolean', value, span: NO_SPAN })),
    fc.constant({ type: 'null', span: NO_SPAN }),
    regexSource.map((source) => ({ type: 'regex', source, span: NO_SPAN })),
  );

  const literal = fc.letrec((tie) => ({
    lit: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('lit'), { maxLength: 3 }).map((items) => ({ type: 'list', items, span: NO_SPAN })),
    ),
  })).lit;

  /** The `& mask` of a comparison (decimal text, as the parser keeps it). */
  const maskOf = (raw) => ({ raw, span: NO_SPAN, amp: NO_SPAN });

  const op = fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'in', 'not in');

  /** Any AST the grammar allows (not necessarily one the checker accepts). */
  const expr = fc.letrec((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(op, path, literal).map(([o, p, value]) => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
      fc
        .tuple(op, path, fc.bigInt({ min: 0n, max: 2n ** 70n }), literal)
        .map(([o, p, m, value]) => ({ type: 'compare', op: o, path: p, mask: maskOf(String(m)), value, span: NO_SPAN })),
      path.map((p) => ({ type: 'exists', path: p, span: NO_SPAN })),
      tie('expr').map((operand) => ({ type: 'not', operand, span: NO_SPAN })),
      fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((operands) => ({ type: 'and', operands, span: NO_SPAN })),
      fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((operands) => ({ type: 'or', operands, span: NO_SPAN })),
    ),
  })).expr;

  // -------------------------------------------------------------------------
  // A reference evaluator, written from the specification

  function decimal(text) {
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!match) throw new Error(`bad number ${text}`);
    const [, sign, int, frac = '', exp = '0'] = match;
    const m = BigInt(int + frac) * (sign === '-' ? -1n : 1n);
    return { m, e: Number(exp) - frac.length };
  }

  function compareDecimals(a, b) {
    const e = Math.min(a.e, b.e);
    const x = a.m * 10n ** BigInt(a.e - e);
    const y = b.m * 10n ** BigInt(b.e - e);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function numberOf(v) {
    if (typeof v === 'number') return decimal(String(v));
    if (v instanceof JsonNumber) return decimal(v.raw);
    return null;
  }

  function codePointCompare(a, b) {
    const x = Array.from(a, (c) => c.codePointAt(0));
    const y = Array.from(b, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return x.length - y.length;
  }

  /** Glob by brute force over code points: `*`, `**`, `?`, `[..]`, `[!..]`, `\x`. */
  function referenceGlob(glob, s) {
    const g = Array.from(glob);
    const toks = [];
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
        const members = [];
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
        const inSet = (c) => members.some(([lo, hi]) => c.codePointAt(0) >= lo.codePointAt(0) && c.codePointAt(0) <= hi.codePointAt(0));
        toks.push({ k: 'cls', neg, test: neg ? (c) => c !== '/' && !inSet(c) : inSet });
      } else toks.push({ k: 'lit', c: g[i] });
    }
    const cs = Array.from(s);
    const go = (t, p) => {
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

  function reach(v, segs) {
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

  function referenceEquals(v, lit) {
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

  function referenceTest(op, v, lit) {
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
        let c;
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

  /** `v & mask` as an integer: only a non-negative integer value has bits (4, 4.0, 1e3, a uint64); null otherwise. */
  function referenceAnd(v, mask) {
    const n = numberOf(v);
    if (n === null || n.m < 0n) return null;
    let int;
    if (n.e >= 0) int = n.m * 10n ** BigInt(n.e);
    else {
      const div = 10n ** BigInt(-n.e);
      if (n.m % div !== 0n) return null;
      int = n.m / div;
    }
    return int & mask;
  }

  /** `path & mask op lit`: the and-ed integer compared with numbers only. */
  function referenceMaskTest(op, v, mask, lit) {
    const r = referenceAnd(v, mask);
    if (r === null) return false;
    const rd = { m: r, e: 0 };
    if (op === 'in' || op === 'not in') {
      return lit.type === 'list' && lit.items.some((item) => item.type === 'number' && compareDecimals(rd, decimal(item.raw)) === 0);
    }
    if (lit.type !== 'number' || op === '=~' || op === '!~') return false;
    const c = compareDecimals(rd, decimal(lit.raw));
    return op === '==' || op === '!=' ? c === 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }

  /** What the README says `ast` gives on `event`. */
  function reference(e, event) {
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
        const test = e.mask === undefined ? referenceTest : (o, v, lit) => referenceMaskTest(o, v, BigInt(e.mask.raw), lit);
        const any = values.some((v) => test(e.op, v, e.value));
        return e.op === '!=' || e.op === '!~' || e.op === 'not in' ? !any : any;
      }
    }
  }

  // -------------------------------------------------------------------------
  // Small vocabularies, so that random queries often hit random events.

  const KEYS = ['a', 'b', 'c'];
  const STRINGS = ['', 'x', 'y', 'xy', '/x', 'x/y', '/x/y', 'é', '😀', '\uffff', 'X'];
  const NUMBERS = ['0', '1', '-1', '1.5', '1.50', '2', '9007199254740993', '18446744073709551615', '18446744073709551614', '1e2', '100'];

  const eventValue = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(null, true, false),
      fc.constantFrom(...STRINGS),
      fc.constantFrom(...NUMBERS).map((raw) => {
        const n = Number(raw);
        return String(n) === raw ? n : new JsonNumber(raw);
      }),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 3 }),
    ),
  })).v;

  /** Events whose top-level keys are mostly there, so that paths usually reach something. */
  const topEvent = fc.oneof(
    { weight: 4, arbitrary: fc.record({ a: eventValue, b: eventValue, c: eventValue }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: eventValue },
  );

  const smallPath = fc
    .tuple(
      fc.constantFrom(...KEYS),
      fc.array(
        fc.oneof(
          fc.constantFrom(...KEYS).map((key) => ({ kind: 'key', key, span: NO_SPAN })),
          fc.integer({ min: -2, max: 2 }).map((index) => ({ kind: 'index', index, span: NO_SPAN })),
          fc.constant({ kind: 'wildcard', span: NO_SPAN }),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([k, rest]) => {
      const segments = [{ kind: 'key', key: k, span: NO_SPAN }, ...rest];
      return { segments, text: formatRawPath(segments), span: NO_SPAN };
    });

  const smallScalar = fc.oneof(
    fc.constantFrom(...STRINGS).map((value) => ({ type: 'string', value, span: NO_SPAN })),
    fc.constantFrom(...NUMBERS, '1.0', '0.5', '-0', '2e0').map((raw) => ({ type: 'number', raw, span: NO_SPAN })),
    fc.boolean().map((value) => ({ type: 'boolean', value, span: NO_SPAN })),
    fc.constant({ type: 'null', span: NO_SPAN }),
  );

  /** Masks (decimal, as parsed from 0x/0o/0b too) and what and-ed values are compared with. */
  const MASKS = ['0', '1', '2', '3', '64', '2048', '9007199254740993', '18446744073709551615', '18446744073709551616'];
  const MASK_RESULTS = ['0', '1', '2', '1.0', '-1', '0.5', '64', '9007199254740993', '18446744073709551614', '18446744073709551615'];

  const GLOBS = ['*', '**', 'x*', '/x/*', '/**', '?', '??', '*y', 'x/?', '[xy]*', '[!x]*', '**y', '/*/*', 'x\\*', '[a-z]?'];
  const REGEXES = ['^x', 'y$', 'x|y', '^$', '.', '^/', '[é😀]', 'x+y?'];

  const validComparison = fc.oneof(
    fc
      .tuple(fc.constantFrom('==', '!='), smallPath, smallScalar)
      .map(([o, p, value]) => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
    fc
      .tuple(
        fc.constantFrom('<', '<=', '>', '>='),
        smallPath,
        smallScalar.filter((l) => l.type === 'string' || l.type === 'number'),
      )
      .map(([o, p, value]) => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
    fc
      .tuple(fc.constantFrom('in', 'not in'), smallPath, fc.array(smallScalar, { maxLength: 3 }))
      .map(([o, p, items]) => ({ type: 'compare', op: o, path: p, value: { type: 'list', items, span: NO_SPAN }, span: NO_SPAN })),
    fc
      .tuple(
        fc.constantFrom('=~', '!~'),
        smallPath,
        fc.oneof(
          fc.constantFrom(...GLOBS).map((value) => ({ type: 'string', value, span: NO_SPAN })),
          fc.constantFrom(...REGEXES).map((source) => ({ type: 'regex', source, span: NO_SPAN })),
        ),
      )
      .map(([o, p, value]) => ({ type: 'compare', op: o, path: p, value, span: NO_SPAN })),
    smallPath.map((p) => ({ type: 'exists', path: p, span: NO_SPAN })),
    fc
      .tuple(fc.constantFrom('==', '!=', '<', '<=', '>', '>='), smallPath, fc.constantFrom(...MASKS), fc.constantFrom(...MASK_RESULTS))
      .map(([o, p, m, raw]) => ({ type: 'compare', op: o, path: p, mask: maskOf(m), value: { type: 'number', raw, span: NO_SPAN }, span: NO_SPAN })),
    fc
      .tuple(fc.constantFrom('in', 'not in'), smallPath, fc.constantFrom(...MASKS), fc.array(fc.constantFrom(...MASK_RESULTS), { maxLength: 3 }))
      .map(([o, p, m, raws]) => ({
        type: 'compare',
        op: o,
        path: p,
        mask: maskOf(m),
        value: { type: 'list', items: raws.map((raw) => ({ type: 'number', raw, span: NO_SPAN })), span: NO_SPAN },
        span: NO_SPAN,
      })),
  );

  /** ASTs the checker accepts (without a schema), over the small vocabularies. */
  const validExpr = fc.letrec((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      validComparison,
      tie('e').map((operand) => ({ type: 'not', operand, span: NO_SPAN })),
      fc.array(tie('e'), { minLength: 2, maxLength: 3 }).map((operands) => ({ type: 'and', operands, span: NO_SPAN })),
      fc.array(tie('e'), { minLength: 2, maxLength: 3 }).map((operands) => ({ type: 'or', operands, span: NO_SPAN })),
    ),
  })).e;

  // -------------------------------------------------------------------------
  // Fuzzing vocabulary

  const FRAGMENTS = [
    'a', 'b.c', 'x[0]', 'y[*]', 'm["k"]', '==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'in', 'not', 'and', 'or',
    '&&', '||', '!', '(', ')', '[', ']', ',', '"s"', 'r"(a+)+$"', 'r"(?=x)"', '1', '-2.5', '18446744073709551615',
    'true', 'false', 'null', 'exists', '"[a"', '"**"', '.', '"', '\\', 'r"', '01', '=', '&', '|', "'", '#',
  ];

  const fuzzEvents = [null, {}, { a: 1, b: { c: 'x' }, x: [1, 2], y: ['s'], m: { k: null } }, [1]];

  return {
    expr,
    validExpr,
    topEvent,
    eventValue,
    numberText,
    reference,
    referenceGlob,
    decimal,
    compareDecimals,
    KEYS,
    STRINGS,
    NUMBERS,
    FRAGMENTS,
    fuzzEvents,
  };
}
