/**
 * The byte-level fast path (src/core/fastcheck) against the usual way
 * (JSON.parse + ajv through the real validateLine and judge), for each bundled
 * schema and `--schema auto`: on events generated from the schema and mutated
 * (fuzz/fastcheck-model.mjs), and on mutated lines of the examples, the shared
 * corpus and the benchmark generator. Whenever the fast path accepts a line,
 * the usual way must accept it with the very same verdict.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { JsonNumber, parseLossless } from '../../dist/index.js';
import { fastCheck } from '../../dist/core/fastcheck/line.js';
import { eventJudge } from '../../dist/core/judge.js';
import { validateLine } from '../../dist/core/validate-line.js';
import { bundledSchemaNamed, readCatalog, schemaJudge } from '../../dist/io/catalog.js';
import { eventLine, mutateBytes, mutateTree, prng, spell } from '../fastcheck-model.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const catalog = readCatalog();
const NAMES = catalog.schemas.map((s) => s.name);

function linesOf(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

/** Seed lines: examples, the shared corpus, 1 MB of the benchmark stream (regular shape). */
const SEEDS = [
  ...linesOf(`${ROOT}examples/events.ndjson`),
  ...linesOf(`${ROOT}examples/mixed-agents.ndjson`),
  ...linesOf(`${ROOT}../shared/corpus/events.ndjson`),
  ...execFileSync(process.execPath, [`${ROOT}bench/generate.mjs`, '--size', '1MB', '--seed', '16'], { maxBuffer: 1 << 26 })
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== ''),
];

/** A JSON text as a model tree (numbers keep their digits); undefined for a line that is not JSON. */
function treeOf(text) {
  let value;
  try {
    value = parseLossless(text);
  } catch {
    return undefined;
  }
  const conv = (v) => {
    if (v instanceof JsonNumber) return { t: 'raw', text: v.raw };
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return { t: 'raw', text: JSON.stringify(v) };
    if (typeof v === 'string') return { t: 'str', s: v };
    if (Array.isArray(v)) return { t: 'arr', v: v.map(conv) };
    return { t: 'obj', e: Object.entries(v).map(([k, x]) => [k, conv(x)]) };
  };
  return conv(value);
}

const encoder = new TextEncoder();

function pair(option) {
  const fast = fastCheck(
    option === 'auto' ? { kind: 'auto', catalog, schemaOf: bundledSchemaNamed } : { kind: 'single', name: option, schema: bundledSchemaNamed(option) },
  );
  assert.ok(fast, `the fast path declined ${option}`);
  return { fast, slow: eventJudge(schemaJudge(option)) };
}

function agree({ fast, slow }, bytes) {
  const proven = fast(bytes);
  if (proven === undefined) return;
  const usual = validateLine({ line: 1, offset: 0, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) }, slow);
  assert.deepStrictEqual(usual, proven, `on ${JSON.stringify(Buffer.from(bytes).toString('latin1'))}`);
}

function seedLine(index, seed, mode) {
  const r = prng(seed);
  const text = SEEDS[index];
  const tree = mode === 1 || mode === 3 ? treeOf(text) : undefined;
  let bytes = tree === undefined ? encoder.encode(text) : encoder.encode(spell(mutateTree(tree, r), r, { ws: r() < 0.2 ? 0.1 : 0, escapes: r() < 0.2 ? 0.1 : 0 }));
  if (mode >= 2) bytes = mutateBytes(bytes, r);
  return bytes;
}

const mode = fc.constantFrom(0, 1, 1, 2, 3);

export const properties = ['auto', ...NAMES].flatMap((option) => {
  let judges;
  const get = () => (judges ??= pair(option));
  const from = option === 'auto' ? fc.constantFrom(...NAMES) : fc.constant(option);
  return [
    {
      name: `generated-${option}`,
      description: `--schema ${option}: events generated from the schema, mutated; a line the fast path accepts has the usual verdict`,
      property: () => fc.property(from, fc.integer(), mode, (name, seed, m) => agree(get(), eventLine(bundledSchemaNamed(name), seed, m))),
    },
    {
      name: `corpus-${option}`,
      description: `--schema ${option}: mutated example, corpus and bench lines; a line the fast path accepts has the usual verdict`,
      property: () => fc.property(fc.nat(SEEDS.length - 1), fc.integer(), mode, (i, seed, m) => agree(get(), seedLine(i, seed, m))),
    },
  ];
});
