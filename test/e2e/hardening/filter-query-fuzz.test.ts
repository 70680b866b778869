/**
 * Random --where queries through csm-filter's main (in-process): every run ends with exit
 * 0/1 and a result, or exit 2 with each error as one message line, the query
 * line and a caret line; never a crash, never "internal error", within a time
 * bound. (The library-level fuzzing, far longer, is `npm run fuzz`.)
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { EXAMPLES } from '../../helpers/run.js';
import { expectNoStackTrace, tempDir } from './support.js';

let dir: string;
let input: string;
const BAD_LINE = '{oops';
const BAD_REPORT = `:11:2: expected a string key or '}', found 'o' (json)\n`;
/** One run on a loaded machine: far above what any takes. */
const RUN_MS = 10_000;

beforeAll(() => {
  dir = tempDir('filter-query-fuzz');
  input = join(dir, 'events.ndjson');
  writeFileSync(input, `${readFileSync(EXAMPLES, 'utf8')}${BAD_LINE}\n`);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const FRAGMENTS = [
  'title', 'evt.name', 'process.pid', 'process.args', 'process.args[0]', 'process.args[-1]', 'process.ancestors[*].executable.name',
  'mount.mountpoint.path', 'mount["mountpoint.path"]', 'file.inode', 'process.variables.x', 'custom.thing', '__proto__', 'constructor',
  '==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'in', 'not', 'and', 'or', '&&', '||', '!', '(', ')', '[', ']', ',', 'exists', 'exists(',
  '"exec"', '"/etc/**"', '"[a"', '"\\u00e9"', '"\\x"', 'r"^/tmp/"', 'r"(a+)+$"', 'r"(?=x)"', 'r"\\1"', 'r"', '"', '\\',
  '0', '1', '-1', '1.5', '1e400', '-0', '18446744073709551615', '01', '1.', 'true', 'false', 'null', '=', '&', '|', "'", '#', '.', '\n', '\t',
];

const queryish = fc
  .tuple(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }), fc.constantFrom(' ', ''))
  .map(([parts, sep]) => parts.join(sep));
/** Well-formed comparisons joined by and/or/not: many compile (and run), some fail the schema's type check. */
const term = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('title', 'evt.name', 'process.pid', 'process.args', 'process.ancestors[*].executable.name', 'file.inode', 'mount.mountpoint.path', 'process.args[-1]'),
      fc.constantFrom('==', '!=', '<', '>=', '=~', '!~', 'in', 'not in'),
      fc.constantFrom('"exec"', '0', '4242', '18446744073709551615', '1e400', '-0', '"/etc/**"', '"*sh*"', 'r"^/tmp/"', 'r"(a+)+$"', '["exec", "open"]', '[0, 1]', 'null', 'true', '"-c"'),
    )
    .map(([p, o, v]) => `${p} ${o} ${v}`),
  fc.constantFrom('exists(dns)', 'exists(process.args[5])', 'exists(__proto__)'),
);
const structured = fc
  .tuple(term, fc.array(fc.tuple(fc.constantFrom(' and ', ' or ', ' && ', ' || ', ' and not ', ' or !'), term), { maxLength: 3 }), fc.boolean())
  .map(([first, rest, paren]) => {
    const q = first + rest.map(([c, t]) => c + t).join('');
    return paren ? `not (${q})` : q;
  });
// NUL cannot be passed in argv.
const unicode = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\0/g, ''));

/** Checks stderr of an exit-2 run: blocks of message line, [opener, caret], query line, caret line. */
function expectRenderedErrors(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  const lines = stderr.slice(0, -1).split('\n');
  let i = 0;
  expect(lines[0]).toMatch(/^csm-filter: --where: /);
  while (i < lines.length) {
    expect(lines[i], stderr).toMatch(/^csm-filter: --where: .+ at (line \d+, )?column \d+$/);
    const next = lines.slice(i + 1).findIndex((l) => l.startsWith('csm-filter: --where: '));
    const size = next === -1 ? lines.length - i : next + 1;
    expect([3, 5], stderr).toContain(size);
    expect(lines[i + 1]!.startsWith('  ')).toBe(true);
    expect(lines[i + size - 1], stderr).toMatch(/^ {2}[ \t^]*\^[ \t^]*$/);
    if (size === 5) expect(lines[i + 2], stderr).toMatch(/^ {2}[ \t^]*\^[ \t^]* opened here$/);
    i += size;
  }
}

async function oneRun(query: string, schemaCheck: boolean): Promise<void> {
  const started = Date.now();
  const r = await runMain('csm-filter', ['-c', ...(schemaCheck ? [] : ['--no-schema-check']), `--where=${query}`, input]);
  const ms = Date.now() - started;
  expect(ms, `${JSON.stringify(query)} took ${ms} ms`).toBeLessThan(RUN_MS);
  expect(r.signal).toBeNull();
  expectNoStackTrace(r.stderr);
  if (r.code === 2) {
    expect(r.out).toBe('');
    expectRenderedErrors(r.stderr);
  } else {
    // The query compiled: a count, and the one bad line reported (exit 1).
    expect(r.code, r.stderr).toBe(1);
    expect(r.out).toMatch(/^(?:[0-9]|10)\n$/);
    expect(r.stderr).toBe(`${input}${BAD_REPORT}`);
  }
}

describe('csm-filter --where on random text', () => {
  it('well-formed queries over schema fields: a count, or a type error rendered with its caret', async () => {
    await fc.assert(fc.asyncProperty(structured, fc.boolean(), oneRun), { numRuns: 50 });
  }, 240_000);

  it('query-ish text (fragments of the language, glued or spaced): a result or a rendered error', async () => {
    await fc.assert(fc.asyncProperty(queryish, fc.boolean(), oneRun), { numRuns: 40 });
  }, 240_000);

  it('random Unicode text: a result or a rendered error', async () => {
    await fc.assert(fc.asyncProperty(unicode, fc.boolean(), oneRun), { numRuns: 30 });
  }, 240_000);

  it.each<[string]>([
    ['title == "a\\\nb"'],
    ['title == "x" "y\nz"'],
    ['title =~ r"a\n(?<x>b)"'],
    ['a["\n"] == 1 and'],
    ['\u000b\u2028#'],
    ['title\r== 1'],
  ])('control characters and line separators in the query keep each message on one line: %j', async (query) => {
    await oneRun(query, true);
    await oneRun(query, false);
  });
});
