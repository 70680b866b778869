/**
 * The validators compiled at build time (ajv standalone code) must behave exactly
 * as the ones compiled at run time, and must never be used for another schema text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUNDLED_SCHEMA_PATH,
  PREBUILT_VALIDATORS_PATH,
  bundledEventSchema,
  createValidator,
  loadPrebuilt,
  sha256,
} from '../../src/io/schemas.js';
import { CORPUS, EXAMPLES } from '../helpers/run.js';

const prebuiltValidator = createValidator();
const runtimeValidator = createValidator(bundledEventSchema());
const events = [EXAMPLES, CORPUS].flatMap((f) =>
  readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
);

describe('prebuilt validators', () => {
  it('exist after the build and carry the sha256 of the bundled schema text', () => {
    const mod = (readFileSync(PREBUILT_VALIDATORS_PATH, 'utf8').match(/exports\.schemaSha256 = "([0-9a-f]{64})"/) ?? [])[1];
    expect(mod).toBe(sha256(readFileSync(BUNDLED_SCHEMA_PATH, 'utf8')));
    expect(loadPrebuilt()).toBeDefined();
  });

  it('give the same issues as run-time compiled validators on the examples and the corpus', () => {
    for (const e of events) expect(prebuiltValidator.validate(e)).toEqual(runtimeValidator.validate(e));
  });

  it('give the same answer when asked for all errors at once (likelyInvalid): nothing for a valid event', () => {
    const valid = events.filter((e) => prebuiltValidator.isValid(e));
    expect(valid.length).toBeGreaterThan(5);
    for (const e of valid) expect(prebuiltValidator.check(e, 100, true)).toEqual({ errors: [], total: 0 });
    for (const e of events) expect(prebuiltValidator.check(e, 100, true)).toEqual(prebuiltValidator.check(e, 100, false));
  });

  it('give the same issues on random mutations of real events (property)', () => {
    const values = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constantFrom('2024-08-01T12:00:00Z', '2024-08-01 12:00:00Z'));
    fc.assert(
      fc.property(fc.nat(events.length - 1), fc.array(fc.tuple(fc.nat(), values, fc.boolean()), { minLength: 1, maxLength: 5 }), (which, edits) => {
        const event = structuredClone(events[which]!);
        for (const [pick, value, remove] of edits) {
          // Walk to a random object inside the event and change or remove one key.
          let node: Record<string, unknown> = event;
          for (let depth = 0; depth < 3; depth++) {
            const keys = Object.keys(node).filter((k) => typeof node[k] === 'object' && node[k] !== null && !Array.isArray(node[k]));
            if (keys.length === 0) break;
            node = node[keys[(pick >> depth) % keys.length]!] as Record<string, unknown>;
          }
          const keys = Object.keys(node);
          const key = keys.length > 0 ? keys[pick % keys.length]! : 'extra';
          if (remove) delete node[key];
          else node[key] = value;
        }
        expect(prebuiltValidator.validate(event)).toEqual(runtimeValidator.validate(event));
        // Straight to the all-errors validator (a line the fast path did not prove): the same answer.
        for (const v of [prebuiltValidator, runtimeValidator]) expect(v.check(event, 100, true)).toEqual(v.check(event, 100, false));
      }),
      { numRuns: 300 },
    );
  });
});
