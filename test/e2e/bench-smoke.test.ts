/**
 * `npm run bench -- --quick`, the benchmark's smoke mode: it must keep running on both
 * stream shapes and produce every row of its report. Nothing here is timed: the figures
 * of a 1 MB run on a shared CI machine mean nothing, only the shape of the report does.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

// The targets of issue 16, as bench/report.mjs labels them (--quick measures RSS with default jobs only).
const ISSUE_TARGETS = [
  'csm-validate -q --jobs 1 >= 1.0x the floor',
  "csm-validate -q (default jobs) >= 3x jq -cR 'fromjson? // empty'",
  'csm-filter --kind exec --field process.args >= 6x its jq twin',
  'csm-filter -w ... >= 5x its jq twin',
  'csm-validate -q --jobs 2 >= 1.8x --jobs 1 (on an idle machine)',
  'other core busy: csm-validate -q (default jobs) no slower than --jobs 1 (time ratio <= 1.00)',
  'the progress line costs < 2% (time ratio <= 1.02)',
  'peak RSS <= 100 MB: rss-validate',
  'peak RSS <= 100 MB: rss-filter',
];

/** The rows of the markdown table that follows the line starting with `heading`. */
function tableAfter(md: string, heading: string): string[][] {
  const start = md.indexOf(`\n${heading}`) + 1;
  expect(start, `no section "${heading}"`).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of md.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    if (/^\|---/.test(line) || /^\| (target|scenario|tool) \|/.test(line)) continue;
    rows.push(line.slice(2, -2).split(' | '));
  }
  return rows;
}

// A target is measured (met or not), or not measurable here for a stated reason (a tool missing).
function expectJudged([label, measured, status]: string[]): void {
  if (status === 'n/a') expect(measured, label).toMatch(/^n\/a \(.* not found/);
  else expect(['met', '**not met**'], `${label}: ${measured}`).toContain(status);
}

describe('npm run bench -- --quick (the smoke mode, not a measurement)', () => {
  // 1 MB streams (--quick's are 5 MB): the cost is the ~60 processes it starts, not the data.
  it('runs every scenario on both streams, regular and varied, and reports each issue-16 target', () => {
    const r = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--size', '1MB'], { cwd: ROOT, encoding: 'utf8', timeout: 290_000, maxBuffer: 1 << 24 });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.stderr).toMatch(/--quick: bench\/RESULTS\.md left as it is/);
    const md = r.stdout;
    expect(md).not.toMatch(/failed \(/); // a scenario's process exited with an error
    expect(md).toMatch(/^- CPU: .+; cores \(nproc\): \d+/m);
    expect(md).toMatch(/^- load average \(1, 5, 15 min\) before the run: [\d.]+ [\d.]+ [\d.]+; after: [\d.]+ [\d.]+ [\d.]+/m);
    expect(md).toContain(`node ${process.version}`);
    for (const shape of ['regular', 'varied']) {
      expect(md).toMatch(new RegExp(`^- ${shape} stream: \`bench/data/events-${shape === 'varied' ? 'varied-v\\d+-' : ''}1MB-seed1\\.ndjson\``, 'm'));
      const targets = tableAfter(md, `### Targets of issue 16 (${shape} stream)`);
      expect(targets.map((t) => t[0])).toEqual(ISSUE_TARGETS);
      targets.forEach(expectJudged);
      tableAfter(md, `### Targets of earlier issues (${shape} stream)`).forEach(expectJudged);
      const throughput = tableAfter(md, `### Throughput (${shape} stream, 1.0 MB, `);
      expect(throughput.length).toBeGreaterThanOrEqual(20);
      const floor = throughput.find((row) => row[0].startsWith('floor'));
      expect(Number(floor?.[1])).toBeGreaterThan(0);
    }
    const startup = tableAfter(md, '## Start-up (empty input, shape-independent)');
    expect(startup.map((row) => row[0])).toEqual(['node -e 0', 'csm-validate < /dev/null', 'csm-filter < /dev/null']);
  }, 300_000);

  it('a bad --shape or an unknown --only scenario is an error, before any measurement', () => {
    const shape = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--shape', 'odd'], { cwd: ROOT, encoding: 'utf8' });
    expect(shape.status).toBe(2);
    expect(shape.stderr).toMatch(/--shape regular or varied/);
    const only = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--only', 'nope'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(only.status).toBe(2);
    expect(only.stderr).toMatch(/--only: no scenario nope/);
  });
});
