import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { JsonNumber, type JsonValue } from '../../../src/core/json/value.js';
import { formatRawPath } from '../../../src/core/path.js';
import type { CompareOp } from '../../../src/query/ast.js';
import { compileGlob, compileQuery, parseQuery, printQuery, stripSpans } from '../../../src/query/index.js';
import { KEYWORDS } from '../../../src/query/lexer.js';
// The generators and the reference evaluator are shared with the fuzzer (npm run fuzz).
import { queryModel } from '../../../fuzz/query-model.mjs';

const { expr, validExpr, topEvent, reference, referenceGlob, STRINGS, NUMBERS, FRAGMENTS, fuzzEvents } = queryModel({
  JsonNumber,
  formatRawPath,
  KEYWORDS,
});

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
        if (!compiledGlob.ok) throw new Error(compiledGlob.error.message);
        expect(compiledGlob.test(str), `${glob} on ${str}`).toBe(referenceGlob(glob, str));
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------
// Fuzzing

function survives(text: string): void {
  const q = compileQuery(text);
  if (q.ok) for (const e of fuzzEvents) q.match(e);
  else for (const e of q.errors) {
    expect(e.span.start).toBeGreaterThanOrEqual(0);
    expect(e.span.end).toBeLessThanOrEqual(Math.max(text.length, 1));
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('fuzzing compileQuery', () => {
  test('random text never throws and its errors point inside the text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), survives), { numRuns: 2000 });
  });

  test('random token soup never throws and its errors point inside the text', () => {
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
