import { describe, expect, it } from 'vitest';
import { CASES } from './eval-cases.js';
import { run } from './helpers.js';

describe('the SECL evaluator, case by case (eval-cases.ts)', () => {
  it.each(CASES.map((c) => [c.expr, JSON.stringify(c.event, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)), c] as const))(
    '%s on %s',
    (_expr, _event, c) => {
      const got = run(c.expr, c.event, { now: c.now, variables: c.variables });
      if (typeof c.want === 'boolean') {
        if (typeof got !== 'boolean') throw new Error(`${c.expr}: ${got.code}: ${got.message}`);
        expect(got).toBe(c.want);
      } else {
        expect(typeof got).toBe('object');
        if (typeof got === 'object') expect({ code: got.code, message: got.message }).toMatchObject({ code: c.want.error });
      }
    },
  );
});
