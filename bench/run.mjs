#!/usr/bin/env node
// Benchmark of csm-validate / csm-filter against a floor and jq, on two streams, all from one run.
//   npm run bench                 both 100 MB streams (regular and varied), 3 runs per scenario,
//                                 writes bench/RESULTS.md
//   npm run bench -- --rss        the same, with peak RSS measured on the 1 GB streams (the
//                                 issue-16 run: about 20 minutes on 2 idle cores)
//   npm run bench -- --quick      5 MB streams, 1 run per scenario: the CI smoke mode
//                                 (RESULTS.md only with --write)
//   npm run bench -- --runs 5     more runs;   --shape varied: one stream only;  --size 20MB: other streams
//   npm run bench -- --only filter-count,filter-count-by   only these scenarios (throughput,
//                                 start-up or rss ids) and, transitively, their baselines;
//                                 RESULTS.md only with --write
// Streams are generated into bench/data/ (seed 1, git-ignored) when absent and kept there. Every
// scenario is timed as a whole process, stdout and stdin on /dev/null, stderr to
// bench/data/stderr.log. The busy-core rows run while a CPU-bound process spins on the last core.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { wrapAsArchive } from './archive.mjs';
import { parseSize } from './generate.mjs';
import { report } from './report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (p) => join(ROOT, p);
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean' }, runs: { type: 'string' }, rss: { type: 'boolean' }, shape: { type: 'string' }, size: { type: 'string' },
    write: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, only: { type: 'string' },
  },
});
const usage = 'usage: node bench/run.mjs [--quick] [--runs N] [--rss] [--shape regular|varied] [--size 100MB] [--only ID,ID...] [--write]';
if (opt.help) {
  console.log(usage);
  process.exit(0);
}
const SIZE = opt.size ?? (opt.quick ? '5MB' : '100MB');
const RUNS = Number(opt.runs ?? (opt.quick ? 1 : 3));
const SHAPES = opt.shape === undefined ? ['regular', 'varied'] : [opt.shape];
if (!(RUNS >= 1) || !SHAPES.every((x) => x === 'regular' || x === 'varied') || !/^\d+(KB|MB|GB)$/.test(SIZE)) {
  console.error(`${usage}\n--runs must be a number >= 1, --shape regular or varied, --size a whole number of KB, MB or GB`);
  process.exit(2);
}
const STARTUP_RUNS = opt.quick ? 1 : 20;
const NODE = process.execPath;
const JQ = '/usr/bin/jq';
const TIME = '/usr/bin/time';
const SCRIPT = '/usr/bin/script';
const TASKSET = '/usr/bin/taskset';
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
// The regular stream keeps its historical name (the figures of the README refer to it). A stream
// is generated once and then read from bench/data by its name: VARIED_VERSION names the varied
// generator's output, to be raised with any change to bench/varied.mjs that changes its bytes.
const VARIED_VERSION = 1;
const dataPath = (size, shape) => at(`bench/data/events-${shape === 'varied' ? `varied-v${VARIED_VERSION}-` : ''}${size}-seed1.ndjson`);
function dataFile(size, shape) {
  const file = dataPath(size, shape);
  if (!existsSync(file)) {
    log(`generating ${file} ...`);
    const r = spawnSync(NODE, [at('bench/generate.mjs'), '--shape', shape, '--size', size, '--out', `${file}.tmp`], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('bench/generate.mjs failed');
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

// A stream of blank lines only (`\n` x size): what framing alone costs (issue 17: 1.3 MB/s before runs).
const BLANK_BYTES = parseSize(SIZE);
const BLANK_FILE = at(`bench/data/blank-${BLANK_BYTES}.ndjson`);
function makeBlankFile() {
  if (!existsSync(BLANK_FILE)) writeFileSync(BLANK_FILE, Buffer.alloc(BLANK_BYTES, 10));
}

// The same stream as a Datadog log archive (bench/archive.mjs), made once beside it.
const archivePath = (file) => file.replace(/\.ndjson$/, '.archive.json');
async function archiveFile(file) {
  const archive = archivePath(file);
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

// Peak resident set size in MB, from GNU time's %M (KB), written to a temporary file (bench/data may be shared, read-only).
function peakRss(cmd) {
  const out = join(tmpdir(), `csm-bench-time-${process.pid}.out`);
  runOnce([TIME, '-f', '%M', '-o', out, ...cmd]);
  return Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024;
}

// Runs a scenario unless it is skipped; the row keeps the result, the skip reason or the error.
function measure(row, fn) {
  if (row.skip) return { ...row, note: row.skip };
  log(`${row.shape ? `[${row.shape}] ` : ''}${row.label} ...`);
  try {
    return { ...row, ...fn(row.cmd) };
  } catch (e) {
    return { ...row, note: e.message };
  }
}

// A CPU-bound process (pinned to the last core with taskset when there is one) for the time of fn.
// It checks every ~10 ms that the bench is still there, so that it never outlives a killed run.
const BUSY_CPU = availableParallelism() - 1;
const SPIN = 'const bench = Number(process.argv[1]); for (;;) { for (let i = 0; i < 1e7; i++); try { process.kill(bench, 0); } catch { process.exit(0); } }';
const BUSY = [...(existsSync(TASKSET) ? [TASKSET, '-c', String(BUSY_CPU)] : []), NODE, '-e', SPIN, String(process.pid)];
const BUSY_NOTE = `a CPU-bound \`node -e\` loop (SPIN in bench/run.mjs) ${existsSync(TASKSET) ? `pinned to CPU ${BUSY_CPU} (taskset)` : '(not pinned: no taskset)'}`;
function whileBusy(fn) {
  const spinner = spawn(BUSY[0], BUSY.slice(1), { stdio: 'ignore' });
  spinner.on('error', (e) => log(`warning: the busy-core process failed: ${e.message}`));
  const stop = () => spinner.kill('SIGKILL');
  process.once('exit', stop);
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); // let it start spinning
    return fn();
  } finally {
    stop();
    process.off('exit', stop);
  }
}

// ---------------------------------------------------------------- scenarios
function scenarios(file, { hasJq, hasJobs, hasFilter }, first) {
  const archive = archivePath(file);
  const noJq = hasJq ? null : `n/a (${JQ} not found)`;
  const noJobs = hasJobs ? null : 'n/a (no --jobs yet)';
  const noFilter = hasFilter ? null : 'n/a (csm-filter not built)';
  const noPolicy = existsSync(DEFAULT_POLICY) ? null : `n/a (${DEFAULT_POLICY} not found)`;
  const noTime = existsSync(TIME) ? null : `n/a (${TIME} not found: apt-get install -y time)`;
  const jq = (filter) => [JQ, '-cR', filter, file];
  const noScript = existsSync(SCRIPT) ? null : `n/a (${SCRIPT} not found)`;
  const onTty = (cmd) => [SCRIPT, '-qec', cmd.map((a) => `'${a}'`).join(' '), '/dev/null'];
  const field = ['--kind', 'exec', '--field', 'process.args'];
  return {
    throughput: [
      { id: 'floor', label: 'floor: bench/floor.mjs (split + JSON.parse)', cmd: [NODE, at('bench/floor.mjs'), file] },
      { id: 'jq', label: "jq -cR 'fromjson? // empty'", cmd: jq('fromjson? // empty'), skip: noJq, base: 'floor' },
      { id: 'validate', label: 'csm-validate -q (default jobs)', cmd: [...VALIDATE, '-q', file], base: 'jq' },
      { id: 'jobs1', label: 'csm-validate -q --jobs 1', cmd: [...VALIDATE, '-q', '--jobs', '1', file], skip: noJobs, base: 'floor' },
      { id: 'jobs2', label: 'csm-validate -q --jobs 2', cmd: [...VALIDATE, '-q', '--jobs', '2', file], skip: noJobs, base: 'jobs1' },
      { id: 'jq-field', label: 'jq twin of --kind exec --field process.args', cmd: jq('fromjson? | select(.evt.name? == "exec") | {process:{args:.process.args}}'), skip: noJq, base: 'floor' },
      { id: 'filter-field', label: 'csm-filter --kind exec --field process.args', cmd: [...FILTER, ...field, file], skip: noFilter, base: 'jq-field' },
      { id: 'jq-where', label: 'jq twin of -w', cmd: jq('fromjson? | select((.file.path? // "" | test("^/etc/")) and .process.credentials.uid? == 0)'), skip: noJq, base: 'floor' },
      { id: 'filter-where', label: `csm-filter -w '${WHERE}'`, cmd: [...FILTER, '-w', WHERE, file], skip: noFilter, base: 'jq-where' },
      // --count-by against --count with the same selection: what grouping costs on top of selecting.
      { id: 'filter-count', label: 'csm-filter --count', cmd: [...FILTER, '--count', file], skip: noFilter, base: 'floor' },
      { id: 'filter-count-by', label: 'csm-filter --count-by evt.name', cmd: [...FILTER, '--count-by', 'evt.name', file], skip: noFilter, base: 'filter-count' },
      { id: 'filter-count-exec', label: 'csm-filter -k exec --count', cmd: [...FILTER, '-k', 'exec', '--count', file], skip: noFilter, base: 'floor' },
      { id: 'filter-count-by-exec', label: 'csm-filter -k exec --count-by process.executable.path', cmd: [...FILTER, '-k', 'exec', '--count-by', 'process.executable.path', file], skip: noFilter, base: 'filter-count-exec' },
      { id: 'secl-one-rule', label: "csm-filter --secl RULE (default policy's curl_mgmt_socket)", cmd: [...FILTER, '--secl', SECL_RULE, file], skip: noFilter, base: 'filter-where' },
      // Blank lines do not depend on the stream's shape: measured with the first shape only.
      ...(first ? [{ id: 'blank', label: `csm-validate -q on ${BLANK_BYTES / 1e6} MB of blank lines`, cmd: [...VALIDATE, '-q', BLANK_FILE], bytes: BLANK_BYTES }] : []),
      // csm-rules: one rule (bench/one-rule.policy, the SECL twin of the -w above) vs the whole default policy.
      { id: 'rules-one-rule', label: 'csm-rules match bench/one-rule.policy', cmd: [...RULES, ONE_RULE_POLICY, file], base: 'floor' },
      { id: 'default-policy', label: 'csm-rules match default.policy (319 rules)', cmd: [...RULES, DEFAULT_POLICY, file], skip: noPolicy, base: 'secl-one-rule' },
      // The same events as a Datadog log archive (the event under "attributes"): the cost of cutting them out.
      { id: 'archive-validate', label: 'csm-validate -q --jobs 1, the stream as a log archive', cmd: [...VALIDATE, '-q', '--jobs', '1', archive], skip: noJobs, base: 'jobs1' },
      { id: 'archive-filter', label: 'csm-filter --kind exec --field process.args, the stream as a log archive', cmd: [...FILTER, ...field, archive], skip: noFilter, base: 'filter-field' },
      // The progress line is drawn only on a TTY: script(1) gives both runs one.
      { id: 'tty-quiet', label: 'csm-validate -q --no-progress, on a TTY', cmd: onTty([...VALIDATE, '-q', '--no-progress', file]), skip: noScript },
      { id: 'tty-progress', label: 'csm-validate -q with its progress line, on a TTY', cmd: onTty([...VALIDATE, '-q', file]), skip: noScript, base: 'tty-quiet' },
      // A CPU-bound process on the other core (BUSY) while these two run: the default must not lose to --jobs 1.
      { id: 'busy-jobs1', label: 'csm-validate -q --jobs 1, other core busy', cmd: [...VALIDATE, '-q', '--jobs', '1', file], skip: noJobs, busy: true, base: 'floor' },
      { id: 'busy-default', label: 'csm-validate -q (default jobs), other core busy', cmd: [...VALIDATE, '-q', file], skip: noJobs, busy: true, base: 'busy-jobs1' },
    ],
    rss: [
      { id: 'rss-validate', label: 'csm-validate -q (default jobs)', cmd: [...VALIDATE, '-q', file], skip: noTime },
      { id: 'rss-validate-jobs1', label: 'csm-validate -q --jobs 1', cmd: [...VALIDATE, '-q', '--jobs', '1', file], skip: noTime ?? noJobs },
      { id: 'rss-validate-jobs2', label: 'csm-validate -q --jobs 2', cmd: [...VALIDATE, '-q', '--jobs', '2', file], skip: noTime ?? noJobs },
      { id: 'rss-filter', label: 'csm-filter --kind exec --field process.args (default jobs)', cmd: [...FILTER, ...field, file], skip: noTime ?? noFilter },
      { id: 'rss-filter-jobs1', label: 'csm-filter --kind exec --field process.args --jobs 1', cmd: [...FILTER, ...field, '--jobs', '1', file], skip: noTime ?? noFilter },
      { id: 'rss-filter-jobs2', label: 'csm-filter --kind exec --field process.args --jobs 2', cmd: [...FILTER, ...field, '--jobs', '2', file], skip: noTime ?? noFilter },
      { id: 'rss-where', label: 'csm-filter -w ... (default jobs)', cmd: [...FILTER, '-w', WHERE, file], skip: noTime ?? noFilter },
      { id: 'rss-where-jobs1', label: 'csm-filter -w ... --jobs 1', cmd: [...FILTER, '-w', WHERE, '--jobs', '1', file], skip: noTime ?? noFilter },
      { id: 'rss-where-jobs2', label: 'csm-filter -w ... --jobs 2', cmd: [...FILTER, '-w', WHERE, '--jobs', '2', file], skip: noTime ?? noFilter },
    ],
  };
}

const STARTUP = [
  { id: 'node0', label: 'node -e 0', cmd: [NODE, '-e', '0'] },
  { id: 'startup', label: 'csm-validate < /dev/null', cmd: [...VALIDATE], base: 'node0' },
  { id: 'startup-filter', label: 'csm-filter < /dev/null', cmd: [...FILTER], base: 'node0' },
];

// --only: the rows named and, row by row, the baselines their ratios need (all rows without --only).
const NAMED = opt.only?.split(',');
function only(rows, extra = []) {
  if (NAMED === undefined) return rows;
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  const want = new Set();
  for (let id of NAMED.some((n) => byId[n]) ? [...NAMED, ...extra] : NAMED) {
    for (; byId[id] !== undefined && !want.has(id); id = byId[id].base) want.add(id);
  }
  return rows.filter((r) => want.has(r.id));
}

// ---------------------------------------------------------------- main
async function main() {
  if (NAMED !== undefined) {
    const s = scenarios('FILE', {}, true);
    const known = [...STARTUP, ...s.throughput, ...s.rss].map((r) => r.id);
    const unknown = NAMED.filter((id) => !known.includes(id));
    if (unknown.length) {
      console.error(`bench: --only: no scenario ${unknown.join(', ')} (the scenarios: ${known.join(', ')})`);
      process.exit(2);
    }
  }
  const help = sh(NODE, [at('bin/csm-validate.js'), '--help']).stdout ?? '';
  if (!help.includes('Usage')) log('warning: csm-validate --help failed; run `npm run build` first');
  const hasJq = existsSync(JQ);
  const load = loadavg().map((n) => n.toFixed(2)).join(' ');
  const machine = {
    nproc: Number(sh('nproc', []).stdout) || availableParallelism(),
    cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
    jq: hasJq ? sh(JQ, ['--version']).stdout.trim() : 'jq absent',
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']).stdout?.trim() || 'unknown',
  };
  const startup = only(STARTUP).map((row) => measure(row, (cmd) => timed(cmd, STARTUP_RUNS)));

  const shapes = [];
  const avail = { hasJq, hasJobs: help.includes('--jobs'), hasFilter: existsSync(at('bin/csm-filter.js')) };
  // --quick (a smoke test) measures the default-jobs rows only
  const rssOf = (list) => only(list).filter((r) => !opt.quick || r.id === 'rss-validate' || r.id === 'rss-filter');
  for (const shape of SHAPES) {
    const s = scenarios(dataPath(SIZE, shape), avail, shape === SHAPES[0]);
    const rows = only(s.throughput, ['floor']).map((r) => ({ ...r, shape }));
    if (rows.length === 0 && rssOf(s.rss).length === 0) continue; // --only start-up rows
    const file = dataFile(SIZE, shape);
    const data = { shape, file, ...(await measureFile(file)) };
    if (rows.some((r) => r.id.startsWith('archive-'))) await archiveFile(file);
    if (rows.some((r) => r.id === 'blank')) makeBlankFile();
    const results = [
      ...rows.filter((r) => !r.busy).map((row) => measure(row, (cmd) => timed(cmd, RUNS))),
      ...(rows.some((r) => r.busy && !r.skip) ? whileBusy(() => rows.filter((r) => r.busy).map((row) => measure(row, (cmd) => timed(cmd, RUNS)))) : []),
    ];
    const rssFile = opt.rss && rssOf(s.rss).length > 0 ? dataFile('1GB', shape) : file;
    const rss = rssOf(scenarios(rssFile, avail, false).rss).map((row) => measure({ ...row, shape }, (cmd) => ({ mb: peakRss(cmd) })));
    const rssNote = opt.rss ? `on the 1 GB stream ${rssFile.slice(ROOT.length)}` : `on the ${SIZE} stream, not the 1 GB one: use --rss for that`;
    shapes.push({ data, results, rss, rssNote });
  }
  const md = report({
    machine: { ...machine, load, loadAfter: loadavg().map((n) => n.toFixed(2)).join(' ') },
    shapes, startup, opt, size: SIZE, runs: RUNS, startupRuns: STARTUP_RUNS, root: ROOT, busyNote: BUSY_NOTE,
  });
  console.log(md);
  if ((!opt.quick && opt.only === undefined) || opt.write) {
    writeFileSync(at('bench/RESULTS.md'), md);
    log('wrote bench/RESULTS.md');
  } else {
    log(`${opt.only !== undefined ? '--only' : '--quick'}: bench/RESULTS.md left as it is (add --write to replace it)`);
  }
}

await main();
