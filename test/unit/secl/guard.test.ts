/**
 * Rule guards (secl/eval: `RuleGuard`): a necessary condition found at compile time, by
 * which the rule engine indexes rules (rules/engine.ts). A guard names one string field and
 * plain values; the rule can hold only if the field's value (one of them) is one of them.
 * What has a guard, what has none, and — on every rule of the default policy and on
 * generated events — that a rule never holds where its guard fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendFieldSource } from '../../../src/secl/backend.js';
import { compileRule, type FieldSource, type RuleGuard } from '../../../src/secl/eval.js';
import { linuxFieldInfo } from '../../../src/secl/fields.js';
import { buildRuleSet, LINUX_AGENT, loadPolicies } from '../../../src/rules/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function guardOf(expr: string): { field: string; array: boolean; values: string[] } | undefined {
  const c = compileRule(expr, { fields: linuxFieldInfo });
  if (!c.ok) throw new Error(c.errors[0]!.message);
  const g = c.value.guard;
  return g === undefined ? undefined : { field: g.field, array: g.array, values: [...g.values].sort() };
}

function holds(g: RuleGuard, src: FieldSource): boolean {
  const v = g.read(src);
  return typeof v === 'string' ? g.values.has(v) : v.some((x) => g.values.has(x));
}

describe('which expressions have a guard', () => {
  it('an equality or `in` of a string field with plain strings', () => {
    expect(guardOf('exec.file.name == "curl"')).toEqual({ field: 'exec.file.name', array: false, values: ['curl'] });
    expect(guardOf('"curl" == exec.file.name')).toEqual({ field: 'exec.file.name', array: false, values: ['curl'] });
    expect(guardOf('exec.file.name in ["curl", "wget"]')).toEqual({ field: 'exec.file.name', array: false, values: ['curl', 'wget'] });
  });

  it('an iterator or array field: any of its values', () => {
    expect(guardOf('process.ancestors.file.name in ["sh", "bash"]')).toEqual({ field: 'process.ancestors.file.name', array: true, values: ['bash', 'sh'] });
    expect(guardOf('process.ancestors.file.name == "sh"')).toEqual({ field: 'process.ancestors.file.name', array: true, values: ['sh'] });
  });

  it("`a && b`: the left one's, else the right one's (both must hold)", () => {
    expect(guardOf('exec.file.name == "curl" && process.uid == 0')?.field).toBe('exec.file.name');
    expect(guardOf('process.uid == 0 && exec.file.name == "curl"')?.field).toBe('exec.file.name');
  });

  it('`a || b`: only both on the same field, their values together', () => {
    expect(guardOf('exec.file.name == "curl" || exec.file.name in ["wget"]')).toEqual({ field: 'exec.file.name', array: false, values: ['curl', 'wget'] });
    expect(guardOf('exec.file.name == "curl" || exec.file.path == "/bin/wget"')).toBeUndefined();
    expect(guardOf('exec.file.name == "curl" || process.uid == 0')).toBeUndefined();
  });

  it('none for a negation, a pattern, a regexp, a case-insensitive field, or two fields', () => {
    expect(guardOf('exec.file.name != "curl"')).toBeUndefined();
    expect(guardOf('!(exec.file.name == "curl")')).toBeUndefined();
    expect(guardOf('exec.file.name not in ["curl"]')).toBeUndefined();
    expect(guardOf('exec.file.name in ["curl", ~"wge*"]')).toBeUndefined();
    expect(guardOf('exec.file.name =~ "cur*"')).toBeUndefined();
    expect(guardOf('exec.file.name == ~"cur*"')).toBeUndefined();
    expect(guardOf('exec.file.name in [r"^cu"]')).toBeUndefined();
    expect(guardOf('dns.question.name == "example.com"')).toBeUndefined();
    expect(guardOf('exec.file.name == process.parent.file.name')).toBeUndefined();
  });
});

describe('a rule never holds where its guard fails', () => {
  const policy = loadPolicies([{ name: 'default.policy', text: readFileSync(join(ROOT, '..', 'shared', 'policies', 'default.policy'), 'utf8') }]);
  const rules = buildRuleSet(policy.set, LINUX_AGENT).rules.flatMap((r) => r.variants.filter((v) => v.guard !== undefined).map((v) => ({ id: r.id, ...v, guard: v.guard! })));
  const events = readFileSync(join(ROOT, 'examples', 'events.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('most rules of the default policy have one (the index is not vacuous)', () => {
    expect(rules.length).toBeGreaterThan(100);
  });

  it("on real events whose guard field is set to one of the rule's values or to another", () => {
    fc.assert(
      fc.property(fc.constantFrom(...rules), fc.constantFrom(...events), fc.boolean(), fc.nat(), (rule, event, hit, pick) => {
        const values = [...rule.guard.values];
        const value = hit ? values[pick % values.length]! : `not-${values[pick % values.length]}`;
        // The event with the guard field's source value forced: a FieldSource over the event, the field overridden.
        const base = backendFieldSource(event);
        const src: FieldSource = { ...base, get: (f) => (f === rule.guard.field ? [value] : base.get(f)), fieldCache: new Map() };
        if (!holds(rule.guard, src)) expect(rule.match({ ...src, fieldCache: new Map() })).toBe(false);
        else expect(hit).toBe(true);
      }),
      { numRuns: 3000, seed: 16 },
    );
  });
});
