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

  it("csm-validate's start-up loads neither the query, the SECL nor the rules engine (issue 16: start-up <= 2x node -e 0)", () => {
    const loaded = new Set<string>();
    const load = (file: string): void => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const spec of importsOf(file, false, false)) {
        const target = local(file, spec);
        if (target !== undefined) load(target);
      }
    };
    load(join(SRC, 'cli/validate.ts'));
    expect(loaded.size).toBeGreaterThan(20);
    expect([...loaded].map(rel).filter((f) => /^(query|secl|rules)\//.test(f))).toEqual([]);
  });
});
