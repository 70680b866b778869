#!/usr/bin/env node
// Checks bench/generate.mjs against the project's own validator (run `npm run build` first).
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
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exitCode = failures ? 1 : 0;
