#!/usr/bin/env node
// Checks bench/generate.mjs (both shapes) against the project's own validator (run `npm run build` first).
//   node bench/check-generator.mjs [--size 5MB]
// Not part of `npm test`: it spawns the generator and csm-validate on a few MB of data.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createValidator } from '../dist/io/schemas.js';
import { parseSize } from './generate.mjs';
import { INTENTS, loadVaried, variedGenerator } from './varied.mjs';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { size: { type: 'string', default: '5MB' } } });
const dir = mkdtempSync(join(tmpdir(), 'csm-gen-'));
const validator = createValidator();
let failures = 0;

function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

function generate(name, ...args) {
  const out = join(dir, name);
  const r = spawnSync(process.execPath, [join(root, 'bench/generate.mjs'), '--size', values.size, '--out', out, ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`generate.mjs ${args.join(' ')} failed`);
  return out;
}

// Each line: 'blank', 'valid' or 'invalid' (broken JSON or schema issues).
function classify(text) {
  if (/^[ \t\r]*$/.test(text)) return 'blank';
  let event;
  try { event = JSON.parse(text); } catch { return 'invalid'; }
  return validator.validate(event).length === 0 ? 'valid' : 'invalid';
}

function linesOf(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // after the final newline
  return lines;
}

const count = (items) => items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map());
const md5 = (file) => createHash('md5').update(readFileSync(file)).digest('hex');

// The keywords csm-validate reports for a line broken in each intended way.
const KEYWORDS = { json: ['json', 'encoding'], type: ['type'], 'unknown-key': ['additionalProperties'], required: ['required'], 'date-time': ['format'] };

// --shape varied: regenerates the stream in-process with each line's intent (what it was made
// to be) and compares that with csm-validate's verdict on the generated file, line by line.
async function checkVaried() {
  const file = generate('varied.ndjson', '--shape', 'varied');
  check(md5(file) === md5(generate('varied-b.ndjson', '--shape', 'varied')), 'varied: same seed gives the same bytes');
  check(md5(file) !== md5(generate('varied-c.ndjson', '--shape', 'varied', '--seed', '2')), 'varied: another seed gives other bytes');
  const next = variedGenerator(await loadVaried(), 1);
  const lines = [];
  for (let total = 0; total < parseSize(values.size);) {
    const l = next(0.1, 0.002);
    lines.push(l);
    total += l.bytes.length + 1;
  }
  const same = Buffer.concat(lines.flatMap((l) => [l.bytes, Buffer.from('\n')])).equals(readFileSync(file));
  check(same, `varied: the in-process lines are the file's bytes (${lines.length} lines)`);

  const errors = join(dir, 'varied.errors');
  const r = spawnSync(process.execPath, [join(root, 'bin/csm-validate.js'), '-q', '--jobs', '1', '--error-format', 'json', '--errors', errors, file], { encoding: 'utf8' });
  check(r.status === 1, `varied: csm-validate exits 1${r.status === 1 ? '' : `, not ${r.status}: ${r.stderr.slice(0, 200)}`}`);
  const reported = new Map(readFileSync(errors, 'utf8').split('\n').filter(Boolean).map((t) => JSON.parse(t)).map((e) => [e.line, e]));
  const intents = count(lines.map((l) => l.intent));
  const wrong = [];
  lines.forEach((l, i) => {
    const report = reported.get(i + 1);
    const keywords = report?.errors.map((e) => e.keyword) ?? [];
    const ok = l.intent === 'valid' || l.intent === 'blank' ? report === undefined
      : keywords.length > 0 && keywords.every((k) => KEYWORDS[l.intent].includes(k));
    if (!ok) wrong.push(`line ${i + 1}: made ${l.intent}, reported ${keywords.join(',') || 'valid'}`);
  });
  check(wrong.length === 0, `varied: every line has the verdict it was made for (${INTENTS.map((k) => `${k} ${intents.get(k) ?? 0}`).join(', ')})${wrong.length ? `; ${wrong.length} not: ${wrong.slice(0, 5).join('; ')}` : ''}`);
  const invalidShare = (lines.length - (intents.get('valid') ?? 0) - (intents.get('blank') ?? 0)) / lines.length;
  check(invalidShare > 0.07 && invalidShare < 0.13, `varied: ${(invalidShare * 100).toFixed(1)}% invalid lines`);

  // what the stream is made of
  const texts = lines.map((l) => l.bytes.toString('latin1'));
  const share = (re) => texts.filter((t) => re.test(t)).length / texts.length;
  const big = share(/[:,[]-?\d{16,}[,\]}]/);
  check(big > 0.25 && big < 0.35, `varied: ${(big * 100).toFixed(1)}% of the lines hold a 16+-digit integer`);
  const events = lines.filter((l) => l.intent === 'valid').map((l) => JSON.parse(l.bytes.toString('utf8')));
  const kinds = count(events.map((e) => e.evt.name));
  const { kinds: table } = await loadVaried();
  check(table.every((k) => kinds.has(k.name)), `varied: all ${table.length} kinds of the table (${kinds.size} seen)`);
  const exec = kinds.get('exec') / events.length;
  check(exec > 0.25 && exec < 0.4, `varied: exec share ${(exec * 100).toFixed(1)}%`);
  const where = events.filter((e) => e.file?.path?.startsWith('/etc/') && e.process?.credentials?.uid === 0).length;
  check(where > 0, `varied: ${where} events match file.path =~ "/etc/**" and process.credentials.uid == 0`);
  const keySets = new Set(events.map((e) => JSON.stringify(Object.keys(e.process ?? {}))));
  check(keySets.size > events.length * 0.9, `varied: ${keySets.size} distinct key lists of process in ${events.length} events`);
  check(share(/\\u00[2-7][0-9a-fA-F]/) > 0.3, `varied: \\u escapes of ASCII characters in ${(share(/\\u00[2-7][0-9a-fA-F]/) * 100).toFixed(0)}% of the lines`);
  check(share(/\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}/) > 0.1, 'varied: surrogate pairs written as \\u escapes');
  check(share(/"(?:[^"\\]|\\.)*\\u[0-9a-fA-F]{4}(?:[^"\\]|\\.)*":/) > 0.005, 'varied: \\u escapes in some keys');
  const utf8 = lines.map((l) => l.bytes.toString('utf8'));
  check(['é', '数', '🚀'].every((c) => utf8.some((t) => t.includes(c))), 'varied: raw accents, CJK and emoji');
  const avg = utf8.reduce((n, t) => n + Buffer.byteLength(t), 0) / lines.length;
  check(avg > 1800 && avg < 3500, `varied: average line ${Math.round(avg)} bytes`);
}

try {
  // 1. deterministic: same seed, same bytes; another seed, other bytes; the size asked for
  const a = generate('a.ndjson');
  check(md5(a) === md5(generate('b.ndjson')), 'same seed gives the same bytes');
  check(md5(a) !== md5(generate('c.ndjson', '--seed', '2')), 'another seed gives other bytes');
  const size = statSync(a).size;
  check(size >= parseSize(values.size) && size < parseSize(values.size) + 70_000, `size ${size} bytes for --size ${values.size}`);

  // 2. --invalid 0: every non-blank line is valid, and the content is what the bench needs
  const clean = linesOf(generate('clean.ndjson', '--invalid', '0'));
  const classes = count(clean.map(classify));
  check(!classes.has('invalid'), `--invalid 0: ${classes.get('valid')} valid, ${classes.get('invalid') ?? 0} invalid, ${classes.get('blank') ?? 0} blank`);
  const events = clean.filter((l) => classify(l) === 'valid').map((l) => JSON.parse(l));
  const kinds = count(events.map((e) => e.evt.name));
  check(kinds.size >= 20, `${kinds.size} event kinds: ${[...kinds.keys()].join(' ')}`);
  const execShare = kinds.get('exec') / events.length;
  check(execShare > 0.25 && execShare < 0.35, `exec share ${(execShare * 100).toFixed(1)}%`);
  const where = events.filter((e) => e.file?.path?.startsWith('/etc/') && e.process?.credentials?.uid === 0).length;
  check(where > 0, `${where} events match file.path =~ "/etc/**" and process.credentials.uid == 0`);
  const ancestors = events.map((e) => e.process.ancestors.length);
  check(Math.min(...ancestors) >= 1 && Math.max(...ancestors) === 8, `ancestors ${Math.min(...ancestors)}..${Math.max(...ancestors)}`);
  const text = clean.join('\n');
  check(text.includes(':18446744073709551615') && /"inode":\d{17,}/.test(text), 'uint64 values above 2^53 written as digits');
  check(/[é☕数🚀]/u.test(text), 'non-ASCII strings');
  check(events.some((e) => e.mount?.['mountpoint.path']), 'mount events with dotted keys');
  const avg = Buffer.byteLength(text) / clean.length;
  check(avg > 1500 && avg < 3000, `average line ${Math.round(avg)} bytes`);

  // 3. --invalid 1: every non-blank line is invalid
  const broken = count(linesOf(generate('broken.ndjson', '--invalid', '1')).map(classify));
  check(!broken.has('valid'), `--invalid 1: ${broken.get('invalid')} invalid, ${broken.get('valid') ?? 0} valid`);

  // 4. default share, as csm-validate counts it
  const r = spawnSync(process.execPath, [join(root, 'bin/csm-validate.js'), '-q', '--summary', a], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const valid = Number(/^\s*valid\s+(\d+)/m.exec(r.stderr)?.[1]);
  const invalid = Number(/^\s*invalid\s+(\d+)/m.exec(r.stderr)?.[1]);
  const share = invalid / (valid + invalid);
  check(r.status === 1 && share > 0.07 && share < 0.13, `default: csm-validate says ${valid} valid / ${invalid} invalid (${(share * 100).toFixed(1)}% invalid)`);

  await checkVaried();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exitCode = failures ? 1 : 0;
