/**
 * `csm-validate --schema` against the official JSON-Schema-Test-Suite (pinned
 * copy in test/fixtures/json-schema-test-suite/), through the tool's main, in
 * process: the same argument parsing, schema and `--ref` loading, compiling and
 * per-line validation as bin/csm-validate (test/e2e/schema-suite.test.ts runs a
 * few groups through bin/ and finds the same verdicts).
 *
 * test/conformance/expected.json records, per draft, the required tests passed and
 * every known failure by id. A test that passed and no longer does fails this file
 * (a regression); a known failure that now passes fails it too, until
 * expected.json is rewritten with `UPDATE_SUITE=1 npx vitest run test/conformance`.
 * Stock ajv (its class for the draft, `strict: false`, no formats, no remotes) is
 * run on the same tests: csm-validate must pass at least as many.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import {
  DRAFTS,
  type CaseResult,
  type SuiteDraft,
  SUITE,
  declareDraft,
  pinnedCommit,
  requiredFiles,
  runDraft,
  runSuiteFile,
} from './suite-runner.js';

const EXPECTED = new URL('./expected.json', import.meta.url);
const require = createRequire(import.meta.url);

interface DraftRecord {
  passed: number;
  total: number;
  /** Stock ajv on the same tests (for the README; checked live below). */
  stockAjv: number;
  knownFailures: string[];
}
interface OptionalRecord {
  passed: number;
  total: number;
  knownFailures: string[];
}
interface Expected {
  suiteCommit: string;
  drafts: Record<SuiteDraft, DraftRecord>;
  /** Optional 2020-12 files for what csm-validate adds: ECMA-262 patterns on RE2, the IDN and IRI formats. */
  optional: OptionalRecord;
}

/** The optional 2020-12 tests recorded as well (they are not counted in the drafts' figures). */
const OPTIONAL_FILES = [
  'optional/ecmascript-regex.json',
  'optional/non-bmp-regex.json',
  'optional/format/hostname.json',
  'optional/format/idn-hostname.json',
  'optional/format/idn-email.json',
  'optional/format/iri.json',
  'optional/format/iri-reference.json',
];

/** Stock ajv's passes on a draft's required tests: its class for the draft, `strict: false`, nothing added. */
function stockAjvPasses(draft: SuiteDraft): number {
  const path = draft === 'draft2020-12' ? 'ajv/dist/2020' : draft === 'draft2019-09' ? 'ajv/dist/2019' : 'ajv';
  type StockAjv = { compile(s: unknown): (d: unknown) => boolean; validateSchema(s: unknown): boolean };
  const Ajv = (require(path) as { default: new (o: object) => StockAjv }).default;
  // What ajv's compile does first (check the schema against its meta-schema), with one instance.
  const checker = new Ajv({ strict: false, logger: false });
  let passed = 0;
  for (const file of requiredFiles(draft)) {
    const groups = JSON.parse(readFileSync(join(SUITE, 'tests', draft, file), 'utf8')) as {
      schema: unknown;
      tests: { data: unknown; valid: boolean }[];
    }[];
    for (const group of groups) {
      let validate: ((d: unknown) => boolean) | undefined;
      try {
        const schema = declareDraft(draft, group.schema);
        if (!checker.validateSchema(schema)) continue;
        validate = new Ajv({ strict: false, logger: false, validateSchema: false }).compile(schema);
      } catch {
        continue;
      }
      for (const test of group.tests) {
        try {
          if (validate(test.data) === test.valid) passed++;
        } catch {
          // a crash is a failure
        }
      }
    }
  }
  return passed;
}

describe('csm-validate --schema on the JSON-Schema-Test-Suite', () => {
  it('passes every required test it passed before, and at least as many as stock ajv, on every draft', async () => {
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Expected;
    expect(expected.suiteCommit).toBe(pinnedCommit());
    const scratch = join(tmpdir(), `csm-suite-${process.pid}`);
    const now = {} as Record<SuiteDraft, DraftRecord>;
    const regressions: string[] = [];
    const fixed: string[] = [];
    for (const draft of DRAFTS) {
      const results = await runDraft(draft, (args, input) => runMain('csm-validate', args, { input }), scratch);
      const failures = results.filter((r) => !r.passed).map((r) => r.id);
      now[draft] = {
        passed: results.length - failures.length,
        total: results.length,
        stockAjv: stockAjvPasses(draft),
        knownFailures: failures,
      };
      const known = new Set(expected.drafts[draft].knownFailures);
      const failing = new Set(failures);
      for (const r of results) {
        if (!r.passed && !known.has(r.id)) regressions.push(`${draft} ${r.id} (${r.why ?? ''})`);
      }
      for (const id of known) if (!failing.has(id)) fixed.push(`${draft} ${id}`);
    }
    const optionalResults: CaseResult[] = [];
    for (const file of OPTIONAL_FILES) {
      optionalResults.push(
        ...(await runSuiteFile('draft2020-12', file, (args, input) => runMain('csm-validate', args, { input }), scratch)),
      );
    }
    const optionalFailures = optionalResults.filter((r) => !r.passed).map((r) => r.id);
    const optional: OptionalRecord = {
      passed: optionalResults.length - optionalFailures.length,
      total: optionalResults.length,
      knownFailures: optionalFailures,
    };
    const knownOptional = new Set(expected.optional.knownFailures);
    for (const r of optionalResults) if (!r.passed && !knownOptional.has(r.id)) regressions.push(`optional ${r.id} (${r.why ?? ''})`);
    for (const id of knownOptional) if (!optionalFailures.includes(id)) fixed.push(`optional ${id}`);
    if (process.env.UPDATE_SUITE === '1') {
      writeFileSync(EXPECTED, `${JSON.stringify({ suiteCommit: pinnedCommit(), drafts: now, optional }, null, 2)}\n`);
      return;
    }
    expect(regressions, 'tests that passed before and fail now').toEqual([]);
    expect(fixed, 'known failures that pass now: rewrite expected.json (UPDATE_SUITE=1)').toEqual([]);
    expect(optional.passed).toBe(expected.optional.passed);
    for (const draft of DRAFTS) {
      expect(now[draft].passed).toBe(expected.drafts[draft].passed);
      expect(now[draft].total).toBe(expected.drafts[draft].total);
      expect(now[draft].stockAjv).toBe(expected.drafts[draft].stockAjv);
      expect(now[draft].passed, `${draft}: csm-validate vs stock ajv`).toBeGreaterThanOrEqual(now[draft].stockAjv);
    }
  }, 600_000);
});
