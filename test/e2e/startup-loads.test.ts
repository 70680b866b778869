/**
 * What a start-up loads (issue 16: start-up on empty input at most 2x `node -e 0`), seen
 * from the real binaries: every ES module (a loader hook, test/helpers/load-trace.mjs),
 * every CommonJS module and builtin (NODE_DEBUG=module). The timing itself is a bench
 * row (`npm run bench -- --only startup,startup-filter`), never a test; this guards what
 * makes it: one bundled module per tool (scripts/bundle-bins.mjs), the engines, ajv,
 * zlib, crypto and worker_threads loaded only by the runs that use them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT, binPath } from '../helpers/run.js';

const DIR = mkdtempSync(join(tmpdir(), 'csm-startup-loads-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

interface Loads {
  status: number | null;
  stderr: string;
  /** Files of this package loaded as ES modules, relative to the root. */
  own: string[];
  /** Other ES modules and builtins, and CommonJS modules (paths). */
  other: string[];
}

let n = 0;
function loads(tool: string, args: string[], input = ''): Loads {
  const trace = join(DIR, `trace-${n++}`);
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/load-trace.mjs'), binPath(tool), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, CSM_LOAD_TRACE: trace, NODE_DEBUG: 'module', NO_COLOR: '1' },
  });
  const urls = readFileSync(trace, 'utf8').split('\n').filter((u) => u !== '');
  const own = urls.filter((u) => u.startsWith('file:') && !fileURLToPath(u).includes('/node_modules/') && !fileURLToPath(u).includes('/test/helpers/'));
  const cjs = [...r.stderr.matchAll(/^MODULE \d+: load "([^"]+)"/gm)].map((m) => m[1]!);
  const builtins = [...r.stderr.matchAll(/^MODULE \d+: load built-in module (\S+)/gm)].map((m) => m[1]!);
  const other = [...urls.filter((u) => !own.includes(u) && !u.includes('/test/helpers/')), ...cjs, ...builtins];
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('MODULE ')).join('\n');
  return { status: r.status, stderr, own: own.map((u) => fileURLToPath(u).slice(ROOT.length)), other };
}

/** True when one of the package's loaded files holds this text (the bundle's chunks are named by hash). */
function holds(files: string[], text: string): boolean {
  return files.some((f) => readFileSync(join(ROOT, f), 'utf8').includes(text));
}

const SECL_TABLE = 'SECL_FIELDS_LINUX';
const QUERY_COMPILER = 'function compileQuery(';

describe('what a start-up loads', () => {
  it.each(['csm-validate', 'csm-filter'])('%s on empty input: its bundle and a few chunks, no package, no zlib, crypto or worker_threads', (tool) => {
    const r = loads(tool, []);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    // The bin, V8's heap settings (set before anything else loads: io/heap-start.ts), then the bundle.
    expect(r.own.slice(0, 4)).toEqual([`bin/${tool}.js`, 'dist/io/heap-start.js', 'dist/io/memory-limits.js', `dist/bin/${tool}.js`]);
    expect(r.own.slice(4).every((f) => f.startsWith('dist/bin/'))).toBe(true);
    expect(r.own.length).toBeLessThanOrEqual(8);
    expect(r.other.filter((m) => /node_modules|^node:(zlib|crypto|worker_threads)$/.test(m))).toEqual([]);
    expect(holds(r.own, SECL_TABLE)).toBe(false);
    expect(holds(r.own, QUERY_COMPILER)).toBe(false);
  });

  it('csm-filter loads the SECL engine for --secl and the query compiler for --where, each only then', () => {
    const secl = loads('csm-filter', ['--secl', 'exec.file.name == "curl"', EXAMPLES]);
    expect(secl.stderr).not.toMatch(/internal error/);
    expect(holds(secl.own, SECL_TABLE)).toBe(true);
    expect(holds(secl.own, QUERY_COMPILER)).toBe(false);
    expect(secl.other.some((m) => m.includes('/node_modules/re2js/'))).toBe(true);
    const where = loads('csm-filter', ['-w', 'process.uid == 0', EXAMPLES]);
    expect(where.stderr).not.toMatch(/internal error/);
    expect(holds(where.own, QUERY_COMPILER)).toBe(true);
    expect(holds(where.own, SECL_TABLE)).toBe(false);
  });

  it('a gzip input loads zlib, a --jobs run worker_threads, a --schema file ajv: on demand', () => {
    const gz = loads('csm-validate', ['-q', join(ROOT, 'examples/archive.json.gz')]);
    expect(gz.other).toContain('node:zlib');
    const jobs = loads('csm-validate', ['-q', '--jobs', '2', EXAMPLES]);
    expect(jobs.other).toContain('node:worker_threads');
    const schema = loads('csm-validate', ['-q', '--schema', join(ROOT, 'test/fixtures/fastcheck-enum.schema.json'), EXAMPLES]);
    expect(schema.other.some((m) => m.includes('/node_modules/ajv/'))).toBe(true);
  });
});
