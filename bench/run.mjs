#!/usr/bin/env node
// Benchmark of csm-validate / csm-filter against a floor and jq, all from one run.
//   npm run bench                 100 MB stream, 5 runs per scenario, writes bench/RESULTS.md
//   npm run bench -- --quick      5 MB stream, 1 run per scenario (RESULTS.md only with --write)
//   npm run bench -- --runs 9     more runs;   --rss: peak RSS on a 1 GB stream
//   npm run bench -- --only filter-count,filter-count-by   only these throughput scenarios (and their
//                                 baselines), no start-up or RSS rows; RESULTS.md only with --write
// Streams are generated into bench/data/ (seed 1) when absent. Every scenario is timed as a
// whole process, stdout and stdin on /dev/null, stderr to bench/data/stderr.log.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSize } from './generate.mjs';
import { wrapAsArchive } from './archive.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (p) => join(ROOT, p);
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean' }, runs: { type: 'string' }, rss: { type: 'boolean' },
    write: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, only: { type: 'string' },
  },
});
if (opt.help) {
  console.log('usage: node bench/run.mjs [--quick] [--runs N] [--rss] [--only ID,ID...] [--write]');
  process.exit(0);
}
const SIZE = opt.quick ? '5MB' : '100MB';
const RUNS = Number(opt.runs ?? (opt.quick ? 1 : 5));
if (!(RUNS >= 1)) {
  console.error(`--runs must be a number >= 1, not ${opt.runs}`);
  process.exit(2);
}
const STARTUP_RUNS = 20;
const NODE = process.execPath;
const JQ = '/usr/bin/jq';
const TIME = '/usr/bin/time';
const SCRIPT = '/usr/bin/script';
const VALIDATE = [NODE, at('bin/csm-validate.js')];
const FILTER = [NODE, at('bin/csm-filter.js')];
const RULES = [NODE, at('bin/csm-rules.js'), 'match'];
const DEFAULT_POLICY = at('../shared/policies/default.policy');
const ONE_RULE_POLICY = at('bench/one-rule.policy');
const WHERE = 'file.path =~ "/etc/**" and process.credentials.uid == 0';
// One rule of ../shared/policies/default.policy (curl_mgmt_socket), as csm-filter --secl runs it.
const SECL_RULE = 'exec.file.name == "curl" && exec.args_flags in ["unix-socket"] && exec.args in [~"*docker.sock*",  ~"*dockershim.sock*", ~"*containerd.sock*", ~"*crio.sock*", ~"*frakti.sock*", ~"*rktlet.sock*"] && process.container.id != ""';
const log = (msg) => process.stderr.write(`${msg}\n`);
const sh = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' });

// ---------------------------------------------------------------- data
function dataFile(size) {
  const file = at(`bench/data/events-${size}-seed1.ndjson`);
  if (!existsSync(file)) {
    log(`generating ${file} ...`);
    const r = spawnSync(NODE, [at('bench/generate.mjs'), '--size', size, '--out', `${file}.tmp`], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('bench/generate.mjs failed');
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

// A stream of blank lines only (`\n` x size): what framing alone costs (issue 17: 1.3 MB/s before runs).
const BLANK_BYTES = opt.quick ? 5e6 : 100e6;
function blankFile() {
  const file = at(`bench/data/blank-${BLANK_BYTES}.ndjson`);
  if (!existsSync(file)) writeFileSync(file, Buffer.alloc(BLANK_BYTES, 10));
  return file;
}

// The same stream as a Datadog log archive (bench/archive.mjs), made once beside it.
async function archiveFile(file) {
  const archive = file.replace(/\.ndjson$/, '.archive.json');
  if (!existsSync(archive)) {
    log(`wrapping ${file} as an archive ...`);
    await wrapAsArchive(file, `${archive}.tmp`);
    renameSync(`${archive}.tmp`, archive);
  }
  return archive;
}

// Bytes and lines; reading it also puts the file in the page cache before timing.
async function measureFile(file) {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return { bytes, lines };
}

// ---------------------------------------------------------------- measuring
mkdirSync(at('bench/data'), { recursive: true });
const DEVNULL = openSync('/dev/null', 'r+');
const STDERR_LOG = at('bench/data/stderr.log');

// One process run; exit status 0 or 1 (some line invalid / not selected) is a success.
function runOnce(cmd) {
  const err = openSync(STDERR_LOG, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: [DEVNULL, DEVNULL, err] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(err);
  if (r.error || r.signal || r.status > 1) {
    const tail = readFileSync(STDERR_LOG, 'utf8').trim().split('\n').slice(-3).join(' / ');
    throw new Error(`failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`}): ${tail.slice(0, 300)}`);
  }
  return seconds;
}

// Wall time of `runs` runs: median and min, in seconds.
function timed(cmd, runs) {
  const times = Array.from({ length: runs }, () => runOnce(cmd)).sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { median, min: times[0] };
}

// Peak resident set size in MB, from GNU time's %M (KB).
function peakRss(cmd) {
  const out = at('bench/data/time.out');
  runOnce([TIME, '-f', '%M', '-o', out, ...cmd]);
  return Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024;
}

// Runs a scenario unless it is skipped; the row keeps the result, the skip reason or the error.
function measure(row, fn) {
  if (row.skip) return { ...row, note: row.skip };
  log(`${row.label} ...`);
  try {
    return { ...row, ...fn(row.cmd) };
  } catch (e) {
    return { ...row, note: e.message };
  }
}

// ---------------------------------------------------------------- scenarios
function scenarios(file, { hasJq, hasJobs, hasFilter, archive }) {
  const noJq = hasJq ? null : `n/a (${JQ} not found)`;
  const noJobs = hasJobs ? null : 'n/a (no --jobs yet)';
  const noFilter = hasFilter ? null : 'n/a (csm-filter not built)';
  const noPolicy = existsSync(DEFAULT_POLICY) ? null : `n/a (${DEFAULT_POLICY} not found)`;
  const jq = (filter) => [JQ, '-cR', filter, file];
  const noScript = existsSync(SCRIPT) ? null : `n/a (${SCRIPT} not found)`;
  const onTty = (cmd) => [SCRIPT, '-qec', cmd.map((a) => `'${a}'`).join(' '), '/dev/null'];
  return {
    throughput: [
      { id: 'floor', label: 'floor: bench/floor.mjs (split + JSON.parse)', cmd: [NODE, at('bench/floor.mjs'), file] },
      { id: 'jq', label: "jq -cR 'fromjson? // empty'", cmd: jq('fromjson? // empty'), skip: noJq, base: 'floor' },
      { id: 'validate', label: 'csm-validate -q', cmd: [...VALIDATE, '-q', file], base: 'jq' },
      { id: 'jobs1', label: 'csm-validate -q --jobs 1', cmd: [...VALIDATE, '-q', '--jobs', '1', file], skip: noJobs, base: 'floor' },
      { id: 'jobs2', label: 'csm-validate -q --jobs 2', cmd: [...VALIDATE, '-q', '--jobs', '2', file], skip: noJobs, base: 'jobs1' },
      { id: 'jq-field', label: 'jq twin of --kind exec --field process.args', cmd: jq('fromjson? | select(.evt.name? == "exec") | {process:{args:.process.args}}'), skip: noJq, base: 'floor' },
      { id: 'filter-field', label: 'csm-filter --kind exec --field process.args', cmd: [...FILTER, '--kind', 'exec', '--field', 'process.args', file], skip: noFilter, base: 'jq-field' },
      { id: 'jq-where', label: 'jq twin of -w', cmd: jq('fromjson? | select((.file.path? // "" | test("^/etc/")) and .process.credentials.uid? == 0)'), skip: noJq, base: 'floor' },
      { id: 'filter-where', label: `csm-filter -w '${WHERE}'`, cmd: [...FILTER, '-w', WHERE, file], skip: noFilter, base: 'jq-where' },
      // --count-by against --count with the same selection: what grouping costs on top of selecting.
      { id: 'filter-count', label: 'csm-filter --count', cmd: [...FILTER, '--count', file], skip: noFilter, base: 'floor' },
      { id: 'filter-count-by', label: 'csm-filter --count-by evt.name', cmd: [...FILTER, '--count-by', 'evt.name', file], skip: noFilter, base: 'filter-count' },
      { id: 'filter-count-exec', label: 'csm-filter -k exec --count', cmd: [...FILTER, '-k', 'exec', '--count', file], skip: noFilter, base: 'floor' },
      { id: 'filter-count-by-exec', label: 'csm-filter -k exec --count-by process.executable.path', cmd: [...FILTER, '-k', 'exec', '--count-by', 'process.executable.path', file], skip: noFilter, base: 'filter-count-exec' },
      { id: 'secl-one-rule', label: "csm-filter --secl RULE (default policy's curl_mgmt_socket)", cmd: [...FILTER, '--secl', SECL_RULE, file], skip: noFilter, base: 'filter-where' },
      { id: 'blank', label: `csm-validate -q on ${BLANK_BYTES / 1e6} MB of blank lines`, cmd: [...VALIDATE, '-q', blankFile()], bytes: BLANK_BYTES },
      // csm-rules: one rule (bench/one-rule.policy, the SECL twin of the -w above) vs the whole default policy.
      { id: 'rules-one-rule', label: 'csm-rules match bench/one-rule.policy', cmd: [...RULES, ONE_RULE_POLICY, file], base: 'floor' },
      { id: 'default-policy', label: 'csm-rules match default.policy (319 rules)', cmd: [...RULES, DEFAULT_POLICY, file], skip: noPolicy, base: 'secl-one-rule' },
      // The same events as a Datadog log archive (the event under "attributes"): the cost of cutting them out.
      { id: 'archive-validate', label: 'csm-validate -q --jobs 1, the stream as a log archive', cmd: [...VALIDATE, '-q', '--jobs', '1', archive], skip: noJobs, base: 'jobs1' },
      { id: 'archive-filter', label: 'csm-filter --kind exec --field process.args, the stream as a log archive', cmd: [...FILTER, '--kind', 'exec', '--field', 'process.args', archive], skip: noFilter, base: 'filter-field' },
      // The progress line is drawn only on a TTY: script(1) gives both runs one.
      { id: 'tty-quiet', label: 'csm-validate -q --no-progress, on a TTY', cmd: onTty([...VALIDATE, '-q', '--no-progress', file]), skip: noScript },
      { id: 'tty-progress', label: 'csm-validate -q with its progress line, on a TTY', cmd: onTty([...VALIDATE, '-q', file]), skip: noScript, base: 'tty-quiet' },
    ],
    startup: [
      { id: 'node0', label: 'node -e 0', cmd: [NODE, '-e', '0'] },
      { id: 'startup', label: 'csm-validate < /dev/null', cmd: [...VALIDATE], base: 'node0' },
    ],
    rss: [
      { id: 'rss-validate', label: 'csm-validate -q', cmd: [...VALIDATE, '-q', file] },
      { id: 'rss-filter', label: 'csm-filter --kind exec --field process.args', cmd: [...FILTER, '--kind', 'exec', '--field', 'process.args', file], skip: noFilter },
    ],
  };
}

// [label, row, baseline row, how the ratio is taken, bound]: 'speed' = throughput ratio
// (baseline time / row time), 'time' = row time / baseline time, 'mb' = peak RSS in MB.
const TARGETS = [
  ["csm-validate -q >= 1.5x jq -cR 'fromjson?'", 'validate', 'jq', 'speed', 1.5],
  ['csm-validate --jobs 1 >= 0.6x floor', 'jobs1', 'floor', 'speed', 0.6],
  ['csm-validate --jobs 2 >= 1.7x --jobs 1', 'jobs2', 'jobs1', 'speed', 1.7],
  ['csm-filter --kind exec --field process.args >= 5x its jq twin', 'filter-field', 'jq-field', 'speed', 5],
  ['csm-filter -w ... >= 3x its jq twin', 'filter-where', 'jq-where', 'speed', 3],
  ['csm-filter --count-by evt.name >= 0.8x --count', 'filter-count-by', 'filter-count', 'speed', 0.8],
  ['csm-filter -k exec --count-by process.executable.path >= 0.8x -k exec --count', 'filter-count-by-exec', 'filter-count-exec', 'speed', 0.8],
  ['csm-rules with the whole default policy >= 0.5x with csm-filter --secl (one rule)', 'default-policy', 'secl-one-rule', 'speed', 0.5],
  ['csm-validate --jobs 1 on the stream as a log archive >= 0.8x on the NDJSON', 'archive-validate', 'jobs1', 'speed', 0.8],
  ['csm-filter --kind exec --field process.args on the archive >= 0.8x on the NDJSON', 'archive-filter', 'filter-field', 'speed', 0.8],
  ['peak RSS of csm-validate <= 160 MB (1 GB stream)', 'rss-validate', null, 'mb', 160],
  ['peak RSS of csm-filter <= 160 MB (1 GB stream)', 'rss-filter', null, 'mb', 160],
  ['start-up on empty input <= 2.5x node -e 0', 'startup', 'node0', 'time', 2.5],
  ['the progress line costs < 2% (time ratio <= 1.02)', 'tty-progress', 'tty-quiet', 'time', 1.02],
];

function ratio(kind, row, base) {
  if (kind === 'mb') return row?.mb;
  if (row?.median === undefined || base?.median === undefined) return undefined;
  return kind === 'speed' ? base.median / row.median : row.median / base.median;
}

// ---------------------------------------------------------------- report
const f = (n, d = 3) => (n === undefined ? '' : n.toFixed(d));
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function report({ machine, data, results, rssNote, byId }) {
  const mb = data.bytes / 1e6;
  const floor = byId.floor;
  const tput = results.throughput.map((r) => {
    if (r.median === undefined) return [r.label, r.note, '', '', '', ''];
    const base = byId[r.base];
    const vsBase = base?.median ? `${f(ratio('speed', r, base), 2)}x ${base.id}` : '—';
    // A row on its own stream (blank lines) has its own MB and no floor to compare with.
    if (r.bytes !== undefined) return [r.label, f(r.median), f(r.min), f(r.bytes / 1e6 / r.median, 1), '', vsBase];
    return [r.label, f(r.median), f(r.min), f(mb / r.median, 1), floor?.median ? f(floor.median / r.median, 2) : '', vsBase];
  });
  const startup = results.startup.map((r) => (r.median === undefined ? [r.label, r.note, '', ''] : [r.label, f(r.median), f(r.min), r.base ? `${f(ratio('time', r, byId[r.base]), 2)}x the time of ${r.base}` : '—']));
  const rss = results.rss.map((r) => [r.label, r.mb === undefined ? r.note : f(r.mb, 1)]);
  const targets = TARGETS.filter(([, id]) => opt.only === undefined || byId[id] !== undefined).map(([label, id, baseId, kind, bound]) => {
    const v = ratio(kind, byId[id], byId[baseId]);
    if (v === undefined) return [label, byId[id]?.note ?? 'not measured', 'n/a'];
    const met = kind === 'speed' ? v >= bound : v <= bound;
    const measured = kind === 'mb' ? `${f(v, 1)} MB (${opt.rss ? '1GB' : SIZE} stream)` : `${f(v, 2)}x`;
    return [label, measured, met ? 'met' : '**not met**'];
  });
  return `# Benchmark results

Produced by \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (bench/run.mjs) in one run; ratios are between rows of this run only.
Baselines and rows are named by the ids of the Commands section.

## Machine and data

- nproc: ${machine.nproc}${machine.nproc === 2 ? '' : ' (the targets are defined for 2 cores)'}; CPU: ${machine.cpu}
- load average (1 min) before / after the run: ${machine.load} / ${f(loadavg()[0], 2)} (other processes on the machine skew the figures)
- node ${process.version}; ${machine.jq}; date ${new Date().toISOString()}; commit ${machine.commit} (the tree may hold uncommitted changes)
- data: \`${data.file.slice(ROOT.length)}\` (bench/generate.mjs --size ${SIZE} --seed 1, 10% invalid lines), ${data.bytes} bytes (${f(mb, 1)} MB), ${data.lines} lines
- the archive rows read the same lines wrapped as a Datadog log archive (bench/archive.mjs: each line becomes the "attributes" of a record with its reserved attributes; plain, like the NDJSON)
- ${RUNS} run(s) per throughput scenario, ${STARTUP_RUNS} per start-up scenario; MB = 10^6 bytes; stdout and stdin of every process on /dev/null

## Throughput

${table(['scenario', 'median s', 'min s', 'MB/s', 'x floor', 'throughput ratio vs baseline'], tput)}

## Start-up (empty input)

${table(['scenario', 'median s', 'min s', 'ratio'], startup)}

## Peak RSS (${rssNote})

${table(['tool', 'peak RSS MB'], rss)}

## Targets

${table(['target', 'measured', 'status'], targets)}

## Commands

${[...results.throughput, ...results.startup].map((r) => `- ${r.id}: \`${r.cmd.map((a) => (/^[\w./=-]+$/.test(a) ? a : `'${a}'`)).join(' ').replaceAll(ROOT, '')}\``).join('\n')}
`;
}

// ---------------------------------------------------------------- main
async function main() {
  const file = dataFile(SIZE);
  const data = { file, ...(await measureFile(file)) };
  const help = sh(NODE, [at('bin/csm-validate.js'), '--help']).stdout ?? '';
  if (!help.includes('Usage')) log('warning: csm-validate --help failed; run `npm run build` first');
  const avail = { hasJq: existsSync(JQ), hasJobs: help.includes('--jobs'), hasFilter: existsSync(at('bin/csm-filter.js')), archive: await archiveFile(file) };
  const machine = {
    nproc: Number(sh('nproc', []).stdout) || availableParallelism(),
    cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
    jq: avail.hasJq ? sh(JQ, ['--version']).stdout.trim() : 'jq absent',
    load: f(loadavg()[0], 2),
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']).stdout?.trim() || 'unknown',
  };

  const s = scenarios(file, avail);
  if (opt.only !== undefined) {
    // the scenarios named and, row by row, the baselines their ratios need
    const byRow = Object.fromEntries(s.throughput.map((r) => [r.id, r]));
    const want = new Set();
    for (let id of opt.only.split(',')) {
      if (byRow[id] === undefined) throw new Error(`--only: no throughput scenario '${id}' (${Object.keys(byRow).join(', ')})`);
      for (; id !== undefined && !want.has(id); id = byRow[id]?.base) want.add(id);
    }
    want.add('floor');
    s.throughput = s.throughput.filter((r) => want.has(r.id));
    s.startup = [];
  }
  const rssFile = opt.rss ? dataFile('1GB') : file;
  const rssRows = scenarios(rssFile, avail).rss.map((row) => (opt.only === undefined || opt.only.split(',').includes(row.id) ? row : { ...row, skip: 'not run (--only)' }));
  const noTime = existsSync(TIME) ? null : `n/a (${TIME} not found: apt-get install -y time)`;
  const rssNote = opt.quick ? 'not measured with --quick'
    : opt.rss ? `on the 1 GB stream ${rssFile.slice(ROOT.length)}` : `on the ${SIZE} stream, not the 1 GB one: use --rss for that`;
  const results = {
    throughput: s.throughput.map((row) => measure(row, (cmd) => timed(cmd, RUNS))),
    startup: s.startup.map((row) => measure(row, (cmd) => timed(cmd, STARTUP_RUNS))),
    rss: opt.only !== undefined ? [] : rssRows.map((row) => measure({ ...row, skip: opt.quick ? 'not measured with --quick' : noTime ?? row.skip }, (cmd) => ({ mb: peakRss(cmd) }))),
  };
  const byId = Object.fromEntries([...results.throughput, ...results.startup, ...results.rss].map((r) => [r.id, r]));
  const md = report({ machine, data, results, rssNote, byId });
  console.log(md);
  if ((!opt.quick && opt.only === undefined) || opt.write) {
    writeFileSync(at('bench/RESULTS.md'), md);
    log('wrote bench/RESULTS.md');
  } else {
    log(`${opt.only !== undefined ? '--only' : '--quick'}: bench/RESULTS.md left as it is (add --write to replace it)`);
  }
}

await main();
