#!/usr/bin/env node
// In-process ratios of csm-validate's byte-level fast path (src/core/fastcheck) against
// JSON.parse on the same lines, measured in one process so that a loaded machine skews
// both alike (README "Performance", "The fast path"). Needs `npm run build`.
//
//   node bench/fastcheck.mjs FILE [--schema auto|NAME] [--reps 5]
//
// Prints, per run, medians of: the fast scan alone on every line, JSON.parse (with UTF-8
// decoding) on every line, validateLine with the fast path and without it (JSON.parse + ajv),
// on all lines and on the valid ones only; and how many valid lines the fast path proved.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fastCheckOf } from '../dist/core/fastcheck/line.js';
import { eventJudge } from '../dist/core/judge.js';
import { validateLine } from '../dist/core/validate-line.js';
import { judgeFor, schemaJudge } from '../dist/io/catalog.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { schema: { type: 'string' }, reps: { type: 'string', default: '5' } } });
if (positionals.length !== 1) {
  process.stderr.write('usage: node bench/fastcheck.mjs FILE [--schema auto|NAME] [--reps N]\n');
  process.exit(2);
}
const judge = judgeFor(values.schema);
const fast = fastCheckOf(judge);
if (fast === undefined) {
  process.stderr.write('fastcheck: the fast path declined the schema\n');
  process.exit(2);
}
const usual = eventJudge(schemaJudge(values.schema));
const buf = readFileSync(positionals[0]);
const all = [];
for (let s = 0, nl = buf.indexOf(10); s < buf.length; nl = buf.indexOf(10, s)) {
  const end = nl < 0 ? buf.length : nl;
  if (end > s) all.push(buf.subarray(s, end));
  s = end + 1;
}
const line = (bytes) => ({ line: 1, offset: 0, bytes });
const valid = all.filter((b) => validateLine(line(b), usual).status === 'selected');
const proven = valid.filter((b) => fast(b) !== undefined).length;

const time = (lines, f) => {
  const t = performance.now();
  for (const b of lines) f(b);
  return performance.now() - t;
};
const parse = (b) => {
  try {
    JSON.parse(b.toString('utf8'));
  } catch {}
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = { scan: [], parse: [], withFast: [], without: [], parseValid: [], withFastValid: [], withoutValid: [] };
for (let r = 0; r < Number(values.reps); r++) {
  rows.scan.push(time(all, fast));
  rows.parse.push(time(all, parse));
  rows.withFast.push(time(all, (b) => validateLine(line(b), judge)));
  rows.without.push(time(all, (b) => validateLine(line(b), usual)));
  rows.parseValid.push(time(valid, parse));
  rows.withFastValid.push(time(valid, (b) => validateLine(line(b), judge)));
  rows.withoutValid.push(time(valid, (b) => validateLine(line(b), usual)));
}
const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
const x = (a, b) => `${(m[a] / m[b]).toFixed(2)}x`;
console.log(`${positionals[0]}: ${all.length} lines, ${valid.length} valid, ${proven} proven by the fast path (${((100 * proven) / Math.max(1, valid.length)).toFixed(1)}%)`);
console.log(`all lines:   JSON.parse ${m.parse.toFixed(0)} ms; fast scan ${m.scan.toFixed(0)} ms (${x('parse', 'scan')} JSON.parse); validateLine with the fast path ${m.withFast.toFixed(0)} ms (${x('parse', 'withFast')}), without ${m.without.toFixed(0)} ms (${x('parse', 'without')})`);
console.log(`valid lines: JSON.parse ${m.parseValid.toFixed(0)} ms; validateLine with the fast path ${m.withFastValid.toFixed(0)} ms (${x('parseValid', 'withFastValid')}), without ${m.withoutValid.toFixed(0)} ms (${x('parseValid', 'withoutValid')})`);
