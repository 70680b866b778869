import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shareAlike } from '../../src/io/worker-serve.js';

describe('shareAlike: verdicts that are the same plain data cross threads as one object', () => {
  it('makes equal flat verdicts one object, and keeps differing ones apart', () => {
    const verdicts = [
      { status: 'selected', kind: 'exec', schema: 'linux-2024-08' },
      { status: 'selected', kind: 'exec', schema: 'linux-2024-08' },
      { status: 'selected', kind: 'open', schema: 'linux-2024-08' },
      { status: 'selected', kind: 'exec', schema: 'linux-2025-09' },
      { status: 'skipped', kind: null },
      { status: 'skipped', kind: 'null' },
      { status: 'skipped', kind: null, untimed: true },
    ];
    const shared = shareAlike(verdicts.map((v) => ({ ...v })));
    expect(shared).toEqual(verdicts);
    expect(shared[1]).toBe(shared[0]);
    expect(new Set(shared).size).toBe(6);
  });

  it('leaves alone a verdict with a nested, numeric or undefined value (an invalid line with its errors)', () => {
    const errors = [{ message: 'x', column: 1 }];
    const verdicts = [
      { status: 'invalid', kind: 'exec', column: 1, errors },
      { status: 'invalid', kind: 'exec', column: 1, errors },
      { status: 'selected', kind: undefined },
      { status: 'selected', kind: undefined },
    ];
    const shared = shareAlike([...verdicts]);
    for (let i = 0; i < verdicts.length; i++) expect(shared[i]).toBe(verdicts[i]);
  });

  it('never merges two verdicts that differ, whatever the strings hold (event kinds come from the data)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\0', ',', ':', '{', 'kind', 'schema') });
    const verdict = fc.record({ status: fc.constantFrom('selected', 'skipped'), kind: fc.option(text, { nil: null }), schema: fc.option(text, { nil: null }) });
    fc.assert(
      fc.property(fc.array(verdict, { maxLength: 20 }), (verdicts) => {
        const shared = shareAlike(verdicts.map((v) => ({ ...v })));
        expect(shared).toEqual(verdicts);
        for (let i = 0; i < shared.length; i++) {
          for (let j = 0; j < i; j++) if (shared[i] === shared[j]) expect(verdicts[i]).toEqual(verdicts[j]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
