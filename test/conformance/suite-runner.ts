/**
 * Runs the JSON-Schema-Test-Suite (test/fixtures/json-schema-test-suite/) through
 * `csm-validate --schema`: each test group's schema goes to a file, its test data
 * become the lines of one NDJSON input, and the tool's verdict on each line (a
 * `--error-format json` report names the invalid lines) is compared with the
 * suite's `valid`. The suite's remotes are given with `--ref URI=FILE`, each at the
 * URI the suite serves it from (http://localhost:1234/ + its path under remotes/).
 *
 * `run` says how one command line runs: in-process through the tool's main
 * (the conformance test), or through bin/ (a few cases, to prove it is the same).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunResult } from '../helpers/run.js';
import { ROOT } from '../helpers/run.js';

export const SUITE = join(ROOT, 'test/fixtures/json-schema-test-suite');
export const DRAFTS = ['draft2020-12', 'draft2019-09', 'draft7'] as const;
export type SuiteDraft = (typeof DRAFTS)[number];

/** Where the suite expects its remotes to be found. */
const REMOTE_BASE = 'http://localhost:1234/';

interface SuiteTest {
  description: string;
  data: unknown;
  valid: boolean;
}

interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: SuiteTest[];
}

/** One test's outcome; `id` is `FILE.json: group description: test description`. */
export interface CaseResult {
  id: string;
  passed: boolean;
  /** Why it failed: the tool's exit status and first stderr line when the whole group failed. */
  why?: string;
}

export type Runner = (args: string[], input: string) => Promise<RunResult>;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsonFiles(join(dir, e.name)).map((f) => join(e.name, f)) : e.name.endsWith('.json') ? [e.name] : [],
  );
}

/** The required test files of a draft (its directory, without optional/), sorted. */
export function requiredFiles(draft: SuiteDraft): string[] {
  return jsonFiles(join(SUITE, 'tests', draft))
    .filter((f) => !f.startsWith('optional/'))
    .sort();
}

/** `--ref URI=FILE` for every remote the draft may use: the shared ones and the draft's own directory. */
export function remoteRefArgs(draft: SuiteDraft): string[] {
  const root = join(SUITE, 'remotes');
  const drafts = new Set(readdirSync(root).filter((d) => /^draft/.test(d)));
  const files = jsonFiles(root).filter((f) => {
    const top = f.split('/')[0]!;
    return !drafts.has(top) || top === draft;
  });
  return files.sort().flatMap((f) => ['--ref', `${REMOTE_BASE}${f}=${join(root, f)}`]);
}

/**
 * The schema as csm-validate is given it. The draft-07 tests declare no `$schema`
 * (the suite's directory says the draft) and csm-validate reads a schema without
 * one as 2020-12: an object schema gets draft-07's `$schema`. (A boolean schema
 * means the same in every draft.)
 */
export function declareDraft(draft: SuiteDraft, schema: unknown): unknown {
  if (draft !== 'draft7' || typeof schema !== 'object' || schema === null || '$schema' in schema) return schema;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...schema };
}

/** The line numbers (1-based) that a `--error-format json` report says are invalid. */
function invalidLines(stderr: string): { lines: Set<number>; other: string[] } {
  const lines = new Set<number>();
  const other: string[] = [];
  for (const text of stderr.split('\n')) {
    if (text === '') continue;
    let report: unknown;
    try {
      report = JSON.parse(text);
    } catch {
      other.push(text);
      continue;
    }
    const line = (report as { line?: unknown }).line;
    if (typeof line === 'number') lines.add(line);
    else other.push(text);
  }
  return { lines, other };
}

/**
 * Every test of one suite file, run group by group through `run`. A group whose
 * schema the tool refuses (exit 2) fails all its tests; anything on stderr that is
 * not a report (a warning in the middle of the reports) fails the group too.
 */
export async function runSuiteFile(draft: SuiteDraft, file: string, run: Runner, scratch: string): Promise<CaseResult[]> {
  const groups = JSON.parse(readFileSync(join(SUITE, 'tests', draft, file), 'utf8')) as SuiteGroup[];
  const refs = remoteRefArgs(draft);
  const results: CaseResult[] = [];
  mkdirSync(scratch, { recursive: true });
  for (const [g, group] of groups.entries()) {
    const schemaPath = join(scratch, `${draft}-${file.replaceAll('/', '_')}-${g}.json`);
    writeFileSync(schemaPath, JSON.stringify(declareDraft(draft, group.schema)));
    const input = group.tests.map((t) => `${JSON.stringify(t.data)}\n`).join('');
    const r = await run(['--input', 'ndjson', '--schema', schemaPath, ...refs, '--error-format', 'json', '-q'], input);
    const { lines, other } = invalidLines(r.stderr);
    const groupFailure =
      r.code === 0 || r.code === 1
        ? other.length > 0
          ? `stderr: ${other[0]}`
          : undefined
        : `exit ${String(r.code)}: ${r.stderr.split('\n')[0] ?? ''}`;
    for (const [t, test] of group.tests.entries()) {
      const id = `${file}: ${group.description}: ${test.description}`;
      if (groupFailure !== undefined) {
        results.push({ id, passed: false, why: groupFailure });
        continue;
      }
      const valid = !lines.has(t + 1);
      results.push(valid === test.valid ? { id, passed: true } : { id, passed: false, why: `judged ${valid ? 'valid' : 'invalid'}` });
    }
  }
  return results;
}

/** Every required test of a draft. */
export async function runDraft(draft: SuiteDraft, run: Runner, scratch: string): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const file of requiredFiles(draft)) out.push(...(await runSuiteFile(draft, file, run, scratch)));
  return out;
}

/** The pinned commit, as test/fixtures/json-schema-test-suite/README.md records it. */
export function pinnedCommit(): string {
  const m = /commit ([0-9a-f]{40})/.exec(readFileSync(join(SUITE, 'README.md'), 'utf8'));
  if (m === null) throw new Error(`no pinned commit in ${relative(ROOT, join(SUITE, 'README.md'))}`);
  return m[1]!;
}
