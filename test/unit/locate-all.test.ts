import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locatePointers, locateSteps } from '../../src/core/locate.js';
import { locateIssues } from '../../src/core/parse-line.js';
import type { Issue } from '../../src/core/diagnostic.js';

/** Every JSON Pointer of a value, with the value it designates. */
function pointersOf(value: unknown, at = ''): [string, unknown][] {
  const out: [string, unknown][] = [[at, value]];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pointersOf(v, `${at}/${i}`)));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...pointersOf(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  return out;
}

describe('locatePointers finds every wanted pointer in one pass', () => {
  it('each pointer of a random value points at the text of that value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const all = pointersOf(JSON.parse(text));
        const offsets = locatePointers(text, all.map(([pointer]) => ({ pointer })));
        all.forEach(([, v], n) => {
          const json = JSON.stringify(v);
          expect(text.slice(offsets[n]!, offsets[n]! + json.length)).toBe(json);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('a duplicate key: the last one counts, and nothing found under an earlier one is kept', () => {
    const text = '{"a":{"x":1,"y":2},"a":{"x":3}}';
    expect(locatePointers(text, [{ pointer: '/a/x' }, { pointer: '/a/y' }, { pointer: '/a', key: true }])).toEqual([
      text.indexOf('3'),
      -1,
      text.lastIndexOf('"a"'),
    ]);
  });

  it('does work linear in the text: 10 times the errors on a 10 times longer array, 10 times the steps', () => {
    const steps = (n: number): number => {
      const text = JSON.stringify({ args: Array.from({ length: n }, (_, i) => i), rest: { k: 1 } });
      locatePointers(text, Array.from({ length: n }, (_, i) => ({ pointer: `/args/${i}` })));
      return locateSteps;
    };
    const small = steps(2000);
    const big = steps(20_000);
    // One step per element entered, plus the containers and the skipped members: about n.
    expect(small).toBeLessThan(2000 + 10);
    expect(big).toBeLessThan(10 * small + 10);
  });

  it('locateIssues sets each issue its column, in code points, in any order of issues', () => {
    const text = '{"é":[1,"😀",3],"b":true}';
    const issue = (instancePath: string): Issue => ({ code: 'type', instancePath, schemaPath: '', params: {}, message: '' });
    const issues = locateIssues(text, [issue('/b'), issue('/é/2'), issue('/é/1'), issue('/nope')]);
    expect(issues.map((i) => i.column)).toEqual([20, 13, 9, undefined]);
  });
});
