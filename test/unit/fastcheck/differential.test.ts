/**
 * The fast path against the usual way (JSON.parse + ajv through the real
 * validateLine and judge), for every bundled schema and for `--schema auto`:
 * on events generated from the schema and on mutated ones, whenever the fast
 * path accepts a line the usual way accepts it with the very same verdict; and
 * the fast path accepts (nearly) every valid generated event, else it would
 * give no speed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventLine } from '../../../fuzz/fastcheck-model.mjs';
import { type FastCheck, fastCheck } from '../../../src/core/fastcheck/line.js';
import { eventJudge } from '../../../src/core/judge.js';
import type { Line } from '../../../src/core/lines.js';
import { validateLine } from '../../../src/core/validate-line.js';
import { bundledSchemaNamed, readCatalog, schemaJudge } from '../../../src/io/catalog.js';

const catalog = readCatalog();
const NAMES = catalog.schemas.map((s) => s.name);

function lineOf(bytes: Uint8Array): Line {
  return { line: 1, offset: 0, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) };
}

/** The fast check and the usual judge (no fast check attached) of a `--schema` value. */
function pair(option: string): { fast: FastCheck; slow: ReturnType<typeof eventJudge> } {
  const fast = fastCheck(
    option === 'auto'
      ? { kind: 'auto', catalog, schemaOf: bundledSchemaNamed }
      : { kind: 'single', name: option, schema: bundledSchemaNamed(option) },
  );
  if (fast === undefined) throw new Error(`the fast path declined ${option}`);
  return { fast, slow: eventJudge(schemaJudge(option)) };
}

function agree(fast: FastCheck, slow: ReturnType<typeof eventJudge>, bytes: Uint8Array): boolean {
  const proven = fast(bytes);
  if (proven === undefined) return false;
  const usual = validateLine(lineOf(bytes), slow);
  if (JSON.stringify(usual) !== JSON.stringify(proven)) {
    throw new Error(`fast path ${JSON.stringify(proven)} but the usual way ${JSON.stringify(usual)} on ${JSON.stringify(Buffer.from(bytes).toString('latin1'))}`);
  }
  expect(usual).toStrictEqual(proven);
  return true;
}

const RUNS = 200;

describe.each(['auto', ...NAMES])('fast path vs JSON.parse + ajv, --schema %s', (option) => {
  const { fast, slow } = pair(option);
  const generator = option === 'auto' ? NAMES : [option];

  it.each(generator)('never accepts a line the usual way rejects, nor gives another verdict (events of %s, mutated)', (from) => {
    const schema = bundledSchemaNamed(from);
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(0, 1, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>, (seed, mutation) => {
        agree(fast, slow, eventLine(schema, seed, mutation));
      }),
      { numRuns: RUNS },
    );
  });

  it.each(generator)('accepts nearly every valid generated event (of %s), with the usual verdict', (from) => {
    const schema = bundledSchemaNamed(from);
    const os = from.startsWith('windows') ? 'windows' : 'linux';
    const version = from === 'linux-2024-08' ? '7.55.3' : '7.71.0';
    let valid = 0;
    let accepted = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const bytes = eventLine(schema, seed, 0, { os, version });
      if (validateLine(lineOf(bytes), slow).status !== 'selected') continue;
      valid++;
      if (agree(fast, slow, bytes)) accepted++;
    }
    expect(valid).toBeGreaterThan(60);
    // What gives up on a valid event: a key spelled with a lone surrogate, a line without evt.name.
    expect(accepted / valid).toBeGreaterThan(0.95);
  });
});
