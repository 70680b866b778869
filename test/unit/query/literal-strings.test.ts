import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { JsonNumber, type JsonValue } from '../../../src/core/json/value.js';
import { compileQuery, parseQuery, queryLiteralStrings } from '../../../src/query/index.js';

function literals(source: string): string[][] | null {
  const r = parseQuery(source);
  if (!r.ok) throw new Error(r.errors[0].message);
  return queryLiteralStrings(r.ast);
}

describe('queryLiteralStrings', () => {
  test.each<[string, string[][] | null]>([
    ['process.comm == "bash"', [['bash']]],
    ['process.comm == "bash" and evt.name == "exec"', [['bash'], ['exec']]],
    ['process.comm in ["bash", "sh"]', [['bash', 'sh']]],
    ['process.comm in ["bash", "sh"] and process.uid == 0', [['bash', 'sh']]],
    ['(a == "x" and b == "y") and c == "z"', [['x'], ['y'], ['z']]],
    ['file.path == "/etc/shadow"', [['etc'], ['shadow']]],
    ['a in ["/usr/bin/curl", "/bin/wget"]', [['curl', 'wget']]],
    ['a == "x" and a == "x"', [['x']]],
    ['a == "say \\"hi\\""', [['say '], ['hi']]],
    ['a == "café"', [['caf']]],
    ['a == "<>&"', null],
    ['a in ["x", "/"]', null],
    ['a in ["x", 1]', null],
    ['a in []', null],
    ['a == ""', null],
    ['a == "x" or b == "y"', null],
    ['not a == "x"', null],
    ['a != "x"', null],
    ['a =~ "x*"', null],
    ['a == 1', null],
    ['exists(a)', null],
    ['a == "x" and (b == "y" or c == "z")', [['x']]],
    ['a == "x" and not b == "y"', [['x']]],
  ])('%s requires %j', (source, expected) => {
    expect(literals(source)).toEqual(expected);
  });
});

/** An encoder that escapes everything a JSON encoder may escape: `/`, `<>&'` and all non-ASCII. */
function paranoidStringify(v: JsonValue): string {
  return JSON.stringify(v).replace(/[^\x20-\x7e]|[/<>&']/g, (c) =>
    c === '/' ? '\\/' : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

describe('queryLiteralStrings is never wrong', () => {
  const words = ['bash', 'sh', '/bin/sh', 'a/b', 'é', 'x<y', "it's", '', 'say "hi"', 'exec'];
  const value = fc.oneof(fc.constantFrom(...words), fc.integer(), fc.constant(null));
  const event = fc.record({
    a: fc.oneof(value, fc.array(value, { maxLength: 3 })),
    b: fc.oneof(value, fc.record({ c: value })),
  });
  const conjunct = fc.oneof(
    fc.tuple(fc.constantFrom('a', 'b.c'), fc.constantFrom(...words)).map(([p, w]) => `${p} == ${JSON.stringify(w)}`),
    fc
      .tuple(fc.constantFrom('a', 'b'), fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }))
      .map(([p, ws]) => `${p} in [${ws.map((w) => JSON.stringify(w)).join(', ')}]`),
    fc.constantFrom('a != "bash"', 'exists(b)', 'a > 1', 'not a == "sh"'),
  );

  test('whenever a line matches, it contains a string of every group, however it was encoded', () => {
    fc.assert(
      fc.property(fc.array(conjunct, { minLength: 1, maxLength: 4 }), fc.array(event, { maxLength: 8 }), (cs, events) => {
        const source = cs.join(' and ');
        const q = compileQuery(source);
        const r = parseQuery(source);
        if (!q.ok || !r.ok) throw new Error(source);
        const groups = queryLiteralStrings(r.ast);
        if (groups === null) return;
        for (const e of events) {
          if (!q.match(e as JsonValue)) continue;
          for (const line of [JSON.stringify(e), paranoidStringify(e as JsonValue)]) {
            for (const g of groups) expect(g.some((s) => line.includes(s)), `${source} on ${line}`).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('JsonNumber values do not confuse it', () => {
    const q = compileQuery('a == "18446744073709551615"');
    expect(q.ok && q.match({ a: new JsonNumber('18446744073709551615') })).toBe(false);
  });
});
