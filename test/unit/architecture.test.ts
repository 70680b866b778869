/**
 * The layering the README's Architecture section promises, checked on the
 * sources: pure logic (core, query) imports nothing of the process, the file
 * system, io, cli or print; workers import no cli; and no module imports
 * itself through a cycle (static or dynamic imports).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Every module specifier a file imports or re-exports, statically or with
 * `import()`; `import type` / `export type` only with `types: true` (they are
 * erased from the JavaScript, so they make no run-time cycle).
 */
function importsOf(file: string, types = true, dynamic = true): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b([^'"]*?)from\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
    if (!types && /^\s*type\b/.test(m[1] ?? '')) continue;
    if (!dynamic && m[4] !== undefined) continue;
    out.push(m[2] ?? m[3] ?? m[4]!);
  }
  return out;
}

const files = sources(SRC);
const rel = (f: string): string => relative(SRC, f);
const local = (file: string, spec: string): string | undefined =>
  spec.startsWith('.') ? resolve(dirname(file), spec).replace(/\.js$/, '.ts') : undefined;

describe('architecture', () => {
  it('core, query, secl and rules import only core, query, secl, rules, the standard library\'s pure modules and their packages', () => {
    const bad: string[] = [];
    for (const f of files.filter((f) => /^(core|query|secl|rules)\//.test(rel(f)))) {
      for (const spec of importsOf(f)) {
        const target = local(f, spec);
        if (target !== undefined && !/^(core|query|secl|rules|types)\//.test(rel(target))) bad.push(`${rel(f)} -> ${spec}`);
        if (/^(node:)?(fs|fs\/promises|process|child_process|worker_threads|net|tty)$/.test(spec)) bad.push(`${rel(f)} -> ${spec}`);
      }
      // Comments and string literals aside (`process.argv` is also a SECL field's name).
      const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/gm, '');
      if (/\bprocess\.(env|argv|stdin|stdout|stderr|exit|on|cwd)\b/.test(text)) bad.push(`${rel(f)} uses process`);
    }
    expect(bad).toEqual([]);
  });

  it('io and print never import cli; workers import no cli', () => {
    const bad = files
      .filter((f) => /^(io|print)\//.test(rel(f)))
      .flatMap((f) => importsOf(f).filter((s) => /\/cli\//.test(local(f, s) ?? '')).map((s) => `${rel(f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  it('has no import cycle at run time (type-only imports are erased)', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f, false).map((s) => local(f, s)).filter((t): t is string => t !== undefined)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, stack: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('no file in src/ is longer than 400 lines, except generated ones', () => {
    const long = files
      .filter((f) => !/^types\/|generated\//.test(rel(f)))
      .map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });

  /** The modules a start-up loads: the static imports from `entry`, transitively (not `import()`), and the packages they name. */
  function startupClosure(entry: string): { modules: string[]; packages: string[] } {
    const loaded = new Set<string>();
    const packages = new Set<string>();
    const load = (file: string): void => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const spec of importsOf(file, false, false)) {
        const target = local(file, spec);
        if (target !== undefined) load(target);
        else if (!spec.startsWith('node:')) packages.add(spec);
      }
    };
    load(join(SRC, entry));
    return { modules: [...loaded].map(rel), packages: [...packages] };
  }

  it("csm-validate's start-up loads neither the query, the SECL nor the rules engine, nor ajv or re2js (issue 16: start-up <= 2x node -e 0)", () => {
    const { modules, packages } = startupClosure('cli/validate.ts');
    expect(modules.length).toBeGreaterThan(20);
    expect(modules.filter((f) => /^(query|secl|rules)\//.test(f))).toEqual([]);
    expect(packages.filter((p) => /^(ajv|re2js|yaml)/.test(p))).toEqual([]);
  });

  it("csm-filter's start-up loads neither the query compiler nor SECL (core/filter-engines.ts loads them for --where and --secl), nor re2js", () => {
    const { modules, packages } = startupClosure('cli/filter.ts');
    expect(modules).toContain('core/filter-line.ts');
    // The query's AST helpers, its error rendering and its lint are small and used on every path.
    expect(modules.filter((f) => /^(secl|rules)\//.test(f) || (/^query\//.test(f) && !/^query\/(ast|errors|lint)\.ts$/.test(f)))).toEqual([]);
    expect(packages.filter((p) => /^(ajv|re2js|yaml)/.test(p))).toEqual([]);
  });

  it('the engines a csm-filter run needs are loaded with import() by core/filter-engines.ts, and the engines hold the compilers', () => {
    const dynamic = importsOf(join(SRC, 'core/filter-engines.ts'), false).filter((s) => !importsOf(join(SRC, 'core/filter-engines.ts'), false, false).includes(s));
    expect(dynamic.sort()).toEqual(['../query/index.js', './bytes/secl-reads.js']);
    expect(startupClosure('core/bytes/secl-reads.ts').modules).toContain('secl/program.ts');
    expect(startupClosure('query/index.ts').modules).toContain('query/compile.ts');
  });
});
