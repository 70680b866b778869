#!/usr/bin/env node
/**
 * csm-filter's line step in one process, on the bytes (core/bytes) against the
 * ordinary parse (filterLine, what CSM_BYTESEL=0 runs), and the byte pass
 * alone against JSON.parse: MB/s of CPU time (process.cpuUsage, so a busy
 * machine skews the rates less than wall time), best and median of --runs.
 *
 *     npm run build && node bench/line-step.mjs FILE [--runs 5]
 *
 * The scenarios are the bench's two csm-filter ones: `--kind exec --field
 * process.args` and `-w 'file.path =~ "/etc/**" and process.credentials.uid == 0'`.
 */
import { readFileSync } from 'node:fs';
import { filterLine } from '../dist/core/filter-line.js';
import { compileFilter } from '../dist/core/filter-compile.js';
import { byteLineStep, readsTrie } from '../dist/core/bytes/select.js';
import { scanSparse } from '../dist/core/bytes/scan.js';
import { fieldPrinter } from '../dist/print/fields.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if (file === undefined || !(runs > 0)) {
  process.stderr.write('usage: node bench/line-step.mjs FILE [--runs N]\n');
  process.exit(2);
}
const buf = readFileSync(file);
const lines = [];
for (let s = 0, i = buf.indexOf(10); i >= 0; s = i + 1, i = buf.indexOf(10, s)) lines.push({ line: lines.length + 1, offset: s, bytes: buf.subarray(s, i) });
const mb = buf.length / 1e6;

function rate(step) {
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const before = process.cpuUsage();
    for (const l of lines) step(l);
    const used = process.cpuUsage(before);
    rates.push(mb / ((used.user + used.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  return { best: rates[rates.length - 1], median: rates[rates.length >> 1] };
}

const rows = [];
function compare(name, a, b) {
  const x = rate(a.step);
  const y = rate(b.step);
  rows.push([name, a.label, x, b.label, y]);
}

const field = compileFilter({ kinds: ['exec'], where: [], invert: false, fields: ['process.args'] }, { index: null });
const printer = fieldPrinter(field.projector, { format: 'ndjson', flat: false, header: false });
const render = (e) => printer.record(e.exact());
const where = compileFilter({ kinds: [], where: ['file.path =~ "/etc/**" and process.credentials.uid == 0'], invert: false, fields: [] }, { index: null });
const trie = readsTrie(field, []);

compare('byte pass alone', { label: 'scanSparse', step: (l) => scanSparse(l.bytes, trie) }, { label: 'JSON.parse', step: (l) => { try { JSON.parse(l.bytes.toString('utf8')); } catch { /* counted */ } } });
compare('--kind exec --field process.args', { label: 'bytes', step: byteLineStep(field, [], undefined, render) }, { label: 'ordinary', step: (l) => filterLine(l, field, undefined, render) });
compare("-w 'file.path =~ \"/etc/**\" and process.credentials.uid == 0'", { label: 'bytes', step: byteLineStep(where, []) }, { label: 'ordinary', step: (l) => filterLine(l, where) });

const f = (x) => x.toFixed(0);
console.log(`${file}: ${mb.toFixed(1)} MB, ${lines.length} lines, ${runs} runs; MB/s of CPU time, median (best)`);
for (const [name, la, a, lb, b] of rows) {
  console.log(`${name}: ${la} ${f(a.median)} (${f(a.best)}), ${lb} ${f(b.median)} (${f(b.best)}): ${(a.median / b.median).toFixed(2)}x`);
}
