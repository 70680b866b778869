/**
 * Nothing from the input or a query is ever executed: the source has no eval,
 * no Function constructor, no vm; the only code generation is ajv's, for a
 * `--schema FILE` compiled at run time, and it lives in src/core/validate.ts;
 * the bundled schema's validators are prebuilt standalone code; user regexes
 * and globs go to RE2 only.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/run.js';

function tsFiles(at: string): string[] {
  return readdirSync(at, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(at, e.name)) : e.name.endsWith('.ts') ? [join(at, e.name)] : [],
  );
}

const SRC = join(ROOT, 'src');
const files = tsFiles(SRC).map((path) => ({ name: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
const matching = (re: RegExp): string[] => files.filter((f) => re.test(f.text)).map((f) => f.name).sort();

describe('no code is built from data or queries', () => {
  it('finds the source files', () => {
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['src/query/compile.ts', 'src/core/project.ts', 'src/core/validate.ts']));
    expect(files.length).toBeGreaterThan(30);
  });

  it.each<[string, RegExp]>([
    ['eval(', /\beval\s*\(/],
    ['new Function', /\bnew\s+Function\b/],
    ['Function(...) called as a constructor', /(?<![.\w])Function\s*\(/],
    ['vm.', /\bvm\./],
    ['an import of node:vm', /['"](?:node:)?vm['"]/],
    ['setTimeout/setInterval with a string', /\bset(?:Timeout|Interval)\s*\(\s*['"`]/],
  ])('no file of src/ uses %s', (_what, re) => {
    expect(matching(re)).toEqual([]);
  });

  it('only src/core/validate.ts loads ajv (whose compile builds code, for a --schema FILE)', () => {
    expect(matching(/from\s+['"]ajv(?:\/[^'"]*)?['"]|require\(\s*['"`]ajv|['"]ajv\/dist\//)).toEqual(['src/core/validate.ts']);
  });

  it('only src/core/validate.ts calls a .compile( other than RE2JS.compile', () => {
    const others = files.filter((f) => /(?<!RE2JS)\.compile\s*\(/.test(f.text)).map((f) => f.name);
    expect(others).toEqual(['src/core/validate.ts']);
  });

  it('the query compiler (src/query/) and the projector (src/core/project.ts, path.ts, path/) build no RegExp from text they are given', () => {
    const scope = files.filter((f) => f.name.startsWith('src/query/') || f.name === 'src/core/project.ts' || f.name === 'src/core/path.ts' || f.name.startsWith('src/core/path/'));
    expect(scope.length).toBeGreaterThanOrEqual(9);
    const dynamic = scope.flatMap((f) => [...f.text.matchAll(/new\s+RegExp\s*\(([^,)]*)/g)].map((m) => `${f.name}: ${m[1]}`));
    // None: the one there was (from a constant of index.ts) went with the dead queryLiteralStrings.
    expect(dynamic).toEqual([]);
    // User regexes and globs are compiled by RE2 only.
    expect(scope.filter((f) => /RE2JS\.compile\(/.test(f.text)).map((f) => f.name).sort()).toEqual([
      'src/query/check.ts',
      'src/query/compile.ts',
      'src/query/glob.ts',
    ]);
  });

  it.skipIf(!existsSync(join(ROOT, 'dist/generated/bundled-validators.cjs')))(
    'the prebuilt validators of the bundled schemas (dist/generated/, each validator in its own file) are standalone code: no eval, no Function',
    () => {
      const files = readdirSync(join(ROOT, 'dist/generated')).filter((f) => f.endsWith('.cjs'));
      // Per schema: the stamped module, its first-error and its all-errors validator.
      expect(files).toEqual(expect.arrayContaining(['bundled-validators.cjs', 'bundled-validators.fast.cjs', 'bundled-validators.full.cjs']));
      const code = files.map((f) => readFileSync(join(ROOT, 'dist/generated', f), 'utf8')).join('\n');
      expect(code.length).toBeGreaterThan(100_000);
      expect(code).not.toMatch(/\beval\s*\(|\bnew\s+Function\b|(?<![.\w])Function\s*\(/);
    },
  );
});
