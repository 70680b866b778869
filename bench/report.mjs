// The markdown report of bench/run.mjs: the machine, the streams, start-up, then for each stream
// shape the issue-16 targets (ratio, met / not met), the targets of earlier issues, throughput
// and peak RSS. Ratios are between rows of the same run and the same stream only.

// [label, row, baseline row, how the ratio is taken, bound]: 'speed' = throughput ratio
// (baseline time / row time, met when >= bound), 'time' = row time / baseline time (met when
// <= bound), 'mb' = peak RSS in MB (met when <= bound).
const RSS_BOUND = 100;
export const TARGETS = [
  ['csm-validate -q --jobs 1 >= 1.0x the floor', 'jobs1', 'floor', 'speed', 1.0],
  ["csm-validate -q (default jobs) >= 3x jq -cR 'fromjson? // empty'", 'validate', 'jq', 'speed', 3],
  ['csm-filter --kind exec --field process.args >= 6x its jq twin', 'filter-field', 'jq-field', 'speed', 6],
  ['csm-filter -w ... >= 5x its jq twin', 'filter-where', 'jq-where', 'speed', 5],
  ['csm-validate -q --jobs 2 >= 1.8x --jobs 1 (on an idle machine)', 'jobs2', 'jobs1', 'speed', 1.8],
  ['other core busy: csm-validate -q (default jobs) no slower than --jobs 1 (time ratio <= 1.00)', 'busy-default', 'busy-jobs1', 'time', 1.0],
  ['the progress line costs < 2% (time ratio <= 1.02)', 'tty-progress', 'tty-quiet', 'time', 1.02],
  ...['rss-validate', 'rss-validate-jobs1', 'rss-validate-jobs2', 'rss-filter', 'rss-filter-jobs1', 'rss-filter-jobs2', 'rss-where', 'rss-where-jobs1', 'rss-where-jobs2']
    .map((id) => [`peak RSS <= ${RSS_BOUND} MB: ${id}`, id, null, 'mb', RSS_BOUND]),
];
export const STARTUP_TARGETS = [
  ['csm-validate start-up on empty input <= 2x node -e 0', 'startup', 'node0', 'time', 2],
  ['csm-filter start-up on empty input <= 2x node -e 0', 'startup-filter', 'node0', 'time', 2],
];
// Targets of earlier issues, kept: what grouping, archives and a whole policy cost.
export const OTHER_TARGETS = [
  ['csm-filter --count-by evt.name >= 0.8x --count', 'filter-count-by', 'filter-count', 'speed', 0.8],
  ['csm-filter -k exec --count-by process.executable.path >= 0.8x -k exec --count', 'filter-count-by-exec', 'filter-count-exec', 'speed', 0.8],
  ['csm-rules with the whole default policy >= 0.5x csm-filter --secl (one rule)', 'default-policy', 'secl-one-rule', 'speed', 0.5],
  ['csm-validate --jobs 1 on the stream as a log archive >= 0.8x on the NDJSON', 'archive-validate', 'jobs1', 'speed', 0.8],
  ['csm-filter --kind exec --field process.args on the archive >= 0.8x on the NDJSON', 'archive-filter', 'filter-field', 'speed', 0.8],
];

export function ratio(kind, row, base) {
  if (kind === 'mb') return row?.mb;
  if (row?.median === undefined || base?.median === undefined) return undefined;
  return kind === 'speed' ? base.median / row.median : row.median / base.median;
}

const f = (n, d = 3) => (n === undefined ? '' : n.toFixed(d));
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// One row per target whose row was measured or meant to be (not left out by --only).
function targetRows(targets, byId, rssNote) {
  return targets.filter(([, id]) => byId[id] !== undefined).map(([label, id, baseId, kind, bound]) => {
    const row = byId[id];
    const base = byId[baseId];
    const v = ratio(kind, row, base);
    if (v === undefined) return [label, row.note ?? base?.note ?? 'not measured', 'n/a'];
    const met = kind === 'speed' ? v >= bound : v <= bound;
    const measured = kind === 'mb' ? `${f(v, 1)} MB (${rssNote})` : `${f(v, 2)}x (${f(row.median)} s vs ${f(base.median)} s)`;
    return [label, measured, met ? 'met' : '**not met**'];
  });
}

function throughputRows(results, byId, bytes) {
  const mb = bytes / 1e6;
  return results.map((r) => {
    if (r.median === undefined) return [r.label, r.note, '', '', '', ''];
    const base = byId[r.base];
    const vsBase = base?.median ? `${f(ratio('speed', r, base), 2)}x ${base.id}` : '—';
    // A row on its own stream (blank lines) has its own MB and no floor to compare with.
    if (r.bytes !== undefined) return [r.label, f(r.median), f(r.min), f(r.bytes / 1e6 / r.median, 1), '', vsBase];
    return [r.label, f(r.median), f(r.min), f(mb / r.median, 1), byId.floor?.median ? f(byId.floor.median / r.median, 2) : '', vsBase];
  });
}

const shell = (cmd, root) => cmd.map((a) => (/^[\w./=-]+$/.test(a) ? a : `'${a}'`)).join(' ').replaceAll(root, '');

export function report({ machine, shapes, startup, opt, size, runs, startupRuns, root, busyNote }) {
  const args = process.argv.slice(2).join(' ');
  const startupById = Object.fromEntries(startup.map((r) => [r.id, r]));
  const perShape = shapes.map(({ data, results, rss, rssNote }) => {
    const byId = Object.fromEntries([...results, ...rss].map((r) => [r.id, r]));
    const issue = targetRows(TARGETS, byId, opt.rss ? '1 GB stream' : `${size} stream`);
    const other = targetRows(OTHER_TARGETS, byId);
    return `## Stream: ${data.shape}

### Targets of issue 16 (${data.shape} stream)

${issue.length ? table(['target', 'measured', 'status'], issue) : '(none of their rows run: --only)'}

### Targets of earlier issues (${data.shape} stream)

${other.length ? table(['target', 'measured', 'status'], other) : '(none of their rows run: --only)'}

### Throughput (${data.shape} stream, ${f(data.bytes / 1e6, 1)} MB, ${data.lines} lines)

${table(['scenario', 'median s', 'min s', 'MB/s', 'x floor', 'throughput ratio vs baseline'], throughputRows(results, byId, data.bytes))}

### Peak RSS (${data.shape} stream, ${rssNote})

${rss.length ? table(['tool', 'peak RSS MB'], rss.map((r) => [r.label, r.mb === undefined ? r.note : f(r.mb, 1)])) : '(not run: --only)'}
`;
  });
  const startupRows = startup.map((r) => (r.median === undefined ? [r.label, r.note, '', ''] : [r.label, f(r.median), f(r.min), r.base ? `${f(ratio('time', r, startupById[r.base]), 2)}x the time of ${r.base}` : '—']));
  const startupTargets = targetRows(STARTUP_TARGETS, startupById);
  const commands = shapes.flatMap(({ data, results, rss }) => [...results, ...rss].map((r) => `- ${data.shape} ${r.id}: \`${shell(r.cmd, root)}\``));
  return `# Benchmark results

Produced by \`npm run bench${args ? ` -- ${args}` : ''}\` (bench/run.mjs) in one run; ratios are between rows of this run and of the same stream only.
Baselines and rows are named by the ids of the Commands section.${opt.quick ? `\n\n**--quick: ${size} streams, one run per scenario: a smoke test of the benchmark, not figures to quote.**` : ''}

## Machine and data

- CPU: ${machine.cpu}; cores (nproc): ${machine.nproc}${machine.nproc === 2 ? '' : ' (the targets are defined for 2 cores)'}
- load average (1, 5, 15 min) before the run: ${machine.load}; after: ${machine.loadAfter} (other processes on the machine skew the figures)
- node ${process.version}; ${machine.jq}; date ${new Date().toISOString()}; commit ${machine.commit} (the tree may hold uncommitted changes)
${shapes.map(({ data }) => `- ${data.shape} stream: \`${data.file.slice(root.length)}\` (\`node bench/generate.mjs --shape ${data.shape} --size ${size} --seed 1\`, 10% invalid lines), ${data.bytes} bytes (${f(data.bytes / 1e6, 1)} MB), ${data.lines} lines`).join('\n')}
- regular: agent-like events, the same sections in the same order per kind; varied: schema-walking events (random sections and key subsets, \`\\u\` escapes, non-ASCII text, 16+-digit integers in ~30% of lines): see bench/varied.mjs
- the archive rows read the same lines wrapped as a Datadog log archive (bench/archive.mjs: each line becomes the "attributes" of a record with its reserved attributes; plain, like the NDJSON)
- busy-core rows: run while ${busyNote} spins, started before and killed after them
- ${runs} run(s) per throughput scenario, ${startupRuns} per start-up scenario; MB = 10^6 bytes; stdout and stdin of every process on /dev/null

## Start-up (empty input, shape-independent)

${startup.length ? `${table(['scenario', 'median s', 'min s', 'ratio'], startupRows)}\n\n${table(['target', 'measured', 'status'], startupTargets)}` : '(not run: --only)'}

${perShape.join('\n')}
## Commands

${[...startup.map((r) => `- ${r.id}: \`${shell(r.cmd, root)}\``), ...commands].join('\n')}
`;
}
