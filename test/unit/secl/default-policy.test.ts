/**
 * Every macro and rule expression of Datadog's default policy
 * (/work/shared/policies/default.policy, security-agent-policies 1.69.3) parses.
 * Unknown fields and macro references are fine here: only the syntax is checked.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseMacro, parseRule } from '../../../src/secl/parser.js';
import { print } from '../../../src/secl/print.js';
import { SHARED } from '../../helpers/run.js';

const POLICY = `${SHARED}policies/default.policy`;

interface PolicyFile {
  macros?: { id: string; expression?: string; values?: string[] }[];
  rules?: { id: string; expression?: string; actions?: { set?: { expression?: string } }[] }[];
}

const policy: PolicyFile = existsSync(POLICY) ? (parseYaml(readFileSync(POLICY, 'utf8')) as PolicyFile) : {};
const macros = (policy.macros ?? []).filter((m) => typeof m.expression === 'string');
const rules = (policy.rules ?? []).filter((r) => typeof r.expression === 'string');
const setExpressions = (policy.rules ?? []).flatMap((r) =>
  (r.actions ?? []).flatMap((a) =>
    typeof a.set?.expression === 'string' ? [{ id: r.id, expression: a.set.expression }] : [],
  ),
);

describe.skipIf(!existsSync(POLICY))('the default policy', () => {
  it('has the macros and rules its README announces (50 macros, 319 rules)', () => {
    expect(policy.macros?.length).toBe(50);
    expect(policy.rules?.length).toBe(319);
  });

  it('parses every macro expression', () => {
    const failures = macros.flatMap((m) => {
      const r = parseMacro(m.expression ?? '');
      return r.ok ? [] : [`${m.id}: ${r.errors[0].message} at ${r.errors[0].span.start}`];
    });
    expect(failures).toEqual([]);
    console.log(`default.policy: ${macros.length - failures.length}/${macros.length} macro expressions parse`);
  });

  it('parses every rule expression', () => {
    const failures = rules.flatMap((rule) => {
      const r = parseRule(rule.expression ?? '');
      return r.ok ? [] : [`${rule.id}: ${r.errors[0].message} at ${r.errors[0].span.start}`];
    });
    expect(failures).toEqual([]);
    console.log(`default.policy: ${rules.length - failures.length}/${rules.length} rule expressions parse`);
  });

  it('parses every `set` action expression', () => {
    const failures = setExpressions.flatMap((s) => {
      const r = parseRule(s.expression);
      return r.ok ? [] : [`${s.id}: ${r.errors[0].message}`];
    });
    expect(failures).toEqual([]);
    console.log(`default.policy: ${setExpressions.length - failures.length}/${setExpressions.length} set expressions parse`);
  });

  it('prints every rule expression back to text that parses to the same tree', () => {
    for (const rule of rules) {
      const first = parseRule(rule.expression ?? '');
      if (!first.ok) continue;
      const again = parseRule(print(first.value));
      expect(again.ok).toBe(true);
      if (again.ok) expect(stripSpans(again.value)).toEqual(stripSpans(first.value));
    }
  });
});

function stripSpans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSpans);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'span' && k !== 'opSpan') out[k] = stripSpans(x);
    return out;
  }
  return v;
}
