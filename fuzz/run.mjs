#!/usr/bin/env node
/**
 * Long fast-check runs over the built library (dist/, so `npm run build` first):
 *
 *     npm run fuzz                              # every target, 60 s each
 *     npm run fuzz -- --seconds 600             # 10 minutes per target
 *     npm run fuzz -- --target json,query --seconds 30 --seed 1234
 *     npm run fuzz -- --list
 *
 * A target's budget is shared by its properties; each property runs as one
 * fast-check run of unbounded `numRuns` interrupted after its share of the time
 * (`interruptAfterTimeLimit`). Each prints its runs, seed and result; a failure
 * prints the shrunk counterexample with the seed and path that replay it
 * (`--seed S --path P --target T --property NAME`) and the exit status is 1.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGETS = ['lines', 'json', 'query', 'project', 'fastcheck', 'bytes'];

function usage(message) {
  if (message) process.stderr.write(`fuzz: ${message}\n`);
  process.stderr.write(
    'usage: node fuzz/run.mjs [--seconds N] [--target NAME[,NAME...]] [--seed N] [--property NAME --path P] [--list]\n' +
      `targets: ${TARGETS.join(', ')}\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = { seconds: 60, targets: TARGETS, seed: undefined, property: undefined, path: undefined, list: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--seconds': {
        const n = Number(value());
        if (!Number.isFinite(n) || n <= 0) usage('--seconds takes a positive number');
        o.seconds = n;
        break;
      }
      case '--target': {
        const names = value().split(',').filter((s) => s !== '');
        for (const n of names) if (!TARGETS.includes(n)) usage(`unknown target '${n}'`);
        o.targets = names;
        break;
      }
      case '--seed': {
        const n = Number(value());
        if (!Number.isSafeInteger(n)) usage('--seed takes an integer');
        o.seed = n;
        break;
      }
      case '--property':
        o.property = value();
        break;
      case '--path':
        o.path = value();
        break;
      case '--list':
        o.list = true;
        break;
      case '-h':
      case '--help':
        usage();
        break;
      default:
        usage(`unknown argument '${argv[i]}'`);
    }
  }
  return o;
}

const options = parseArgs(process.argv.slice(2));
if (!existsSync(`${ROOT}dist/index.js`)) {
  process.stderr.write('fuzz: dist/ is missing: run `npm run build` first\n');
  process.exit(2);
}

const loaded = [];
for (const name of options.targets) {
  const mod = await import(`./targets/${name}.mjs`);
  loaded.push({ name, properties: mod.properties });
}

if (options.list) {
  for (const t of loaded) for (const p of t.properties) console.log(`${t.name}/${p.name}: ${p.description}`);
  process.exit(0);
}

const fmtSeconds = (ms) => (ms / 1000).toFixed(1);
const started = Date.now();
const rows = [];
let failed = false;

for (const target of loaded) {
  const properties = options.property ? target.properties.filter((p) => p.name === options.property) : target.properties;
  if (properties.length === 0) continue;
  const share = (options.seconds * 1000) / properties.length;
  console.log(`== ${target.name}: ${properties.length} properties, ${fmtSeconds(options.seconds * 1000)} s`);
  for (const p of properties) {
    const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
    const params = {
      seed,
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: Math.max(1, Math.round(share)),
      markInterruptAsFailure: false,
      ...(options.path !== undefined ? { path: options.path } : {}),
    };
    const t0 = Date.now();
    const details = fc.check(p.property(), params);
    const ms = Date.now() - t0;
    const row = { target: target.name, property: p.name, runs: details.numRuns, seconds: ms / 1000, seed, ok: !details.failed };
    rows.push(row);
    console.log(
      `${target.name}/${p.name}: ${details.numRuns} runs in ${fmtSeconds(ms)} s, seed ${seed}: ${details.failed ? 'FAILED' : 'ok'}`,
    );
    if (details.failed) {
      failed = true;
      console.log(fc.defaultReportMessage(details));
      console.log(`replay: node fuzz/run.mjs --target ${target.name} --property ${p.name} --seed ${seed} --path '${details.counterexamplePath}'`);
      if (details.errorInstance instanceof Error && details.errorInstance.stack) console.log(details.errorInstance.stack);
    }
  }
}

const total = rows.reduce((n, r) => n + r.runs, 0);
console.log(`== ${rows.length} properties, ${total} runs in ${fmtSeconds(Date.now() - started)} s: ${failed ? 'FAILED' : 'ok'}`);
for (const t of loaded) {
  const mine = rows.filter((r) => r.target === t.name);
  if (mine.length === 0) continue;
  const runs = mine.reduce((n, r) => n + r.runs, 0);
  const secs = mine.reduce((n, r) => n + r.seconds, 0);
  console.log(`   ${t.name}: ${runs} runs in ${(secs / 60).toFixed(1)} min${mine.every((r) => r.ok) ? '' : ' (FAILED)'}`);
}
process.exit(failed ? 1 : 0);
