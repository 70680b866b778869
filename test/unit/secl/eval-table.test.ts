import { describe, expect, it } from 'vitest';
import { AGENT_TEST_CASES, CASES } from './eval-cases.js';
import { MODEL, OPTIONS, run } from './helpers.js';
import { fieldsFrom } from '../../../src/secl/eval.js';
import { SECL_CONSTANTS } from '../../../src/secl/constants.js';

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

/**
 * The agent's eval_test.go model: its fields, its variables `pid` and `str`, the real
 * constants, and no legacy names (its tests pass none; `process.name` is a legacy name).
 */
const AGENT_TEST_OPTIONS = {
  ...OPTIONS,
  constants: SECL_CONSTANTS,
  legacyFields: {},
  fields: fieldsFrom({
    ...MODEL,
    'process.name': { type: 'string' },
    'open.filename': { type: 'string' },
    'process.list.key': { type: 'int', array: true },
    'process.list.value': { type: 'string', array: true },
    'process.array.key': { type: 'int', array: true },
    'process.array.value': { type: 'string', array: true },
    'process.array.flag': { type: 'bool', array: true },
  }),
  variables: fieldsFrom({ pid: { type: 'int' }, str: { type: 'string' } }),
};

describe("the SECL evaluator on the agent's own test expectations (eval_test.go)", () => {
  it.each(AGENT_TEST_CASES.map((c) => [c.expr, c] as const))('%s', (_expr, c) => {
    const got = run(c.expr, c.event, { now: c.now, variables: c.variables, options: AGENT_TEST_OPTIONS });
    if (typeof got !== 'boolean') throw new Error(`${c.expr}: ${got.code}: ${got.message}`);
    expect(got).toBe(c.want);
  });
});
