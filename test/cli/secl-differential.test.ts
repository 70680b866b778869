/**
 * --secl against --where, two evaluators written apart: on random events, a SECL expression
 * and the query that says the same thing over the JSON paths select the same lines. Where
 * SECL differs on purpose (event types, `!=` on iterators), the query spells that out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';

const NAMES = ['bash', 'sh', 'curl', 'nginx', 'x y', ''];

const event = fc.record({
  kind: fc.constantFrom('exec', 'open', 'unlink'),
  file: fc.constantFrom(...NAMES),
  proc: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
  ancestors: fc.option(fc.array(fc.constantFrom(...NAMES), { maxLength: 3 }), { nil: undefined }),
  uid: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
}).map((e) => ({
  evt: { name: e.kind },
  file: { path: `/usr/bin/${e.file}`, name: e.file },
  process: {
    ...(e.proc !== undefined ? { executable: { name: e.proc } } : {}),
    ...(e.ancestors !== undefined ? { ancestors: e.ancestors.map((a) => ({ executable: { name: a } })) } : {}),
    ...(e.uid !== undefined ? { uid: e.uid } : {}),
  },
}));

/** [SECL, the same as csm-filter arguments without it], for a name. */
const PAIRS: ((n: string) => [string, string[]])[] = [
  (n) => [`exec.file.name == "${n}"`, ['-k', 'exec', '-w', `file.name == "${n}"`]],
  (n) => [`open.file.name in ["${n}", "curl"]`, ['-k', 'open', '-w', `file.name in ["${n}", "curl"]`]],
  (n) => [`process.ancestors.file.name == "${n}"`, ['-w', `process.ancestors[*].executable.name == "${n}"`]],
  // `!=` on an iterator: no element is equal (an event without ancestors included)
  (n) => [`process.ancestors.file.name != "${n}"`, ['-v', '-w', `process.ancestors[*].executable.name == "${n}"`]],
  // an absent string reads as "" in SECL: `== ""` holds where the query finds it missing
  (n) => [`process.file.name == "${n}"`, ['-w', n === '' ? 'not exists(process.executable.name) or process.executable.name == ""' : `process.executable.name == "${n}"`]],
  (n) => [`unlink.file.name != "${n}" && process.uid == 0`, ['-k', 'unlink', '-w', `file.name != "${n}" and (process.uid == 0 or not exists(process.uid))`]],
];

describe('--secl and its --where twin select the same lines', () => {
  it('on random exec, open and unlink events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 25 }), fc.constantFrom(...NAMES), fc.nat(PAIRS.length - 1), async (events, name, which) => {
        const input = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
        const [secl, twin] = PAIRS[which]!(name);
        const a = await runMain('csm-filter', ['--secl', secl], { input });
        const b = await runMain('csm-filter', twin, { input });
        expect([a.code, a.stderr]).toEqual([0, '']);
        expect([b.code, b.stderr]).toEqual([0, '']);
        expect(a.out).toBe(b.out);
      }),
      { numRuns: 60 },
    );
  });
});
