/**
 * Property tests of the policy loader:
 * - whatever YAML style holds an expression (plain, single- or double-quoted, literal
 *   block over several lines) and wherever the culprit is in it, the error's line and
 *   column point at the culprit in the file;
 * - merging: a policy loaded again as a custom policy changes nothing; custom policies
 *   with distinct rule ids give the same rules in any order; a default rule enabled and
 *   disabled by custom policies ends as a model of the agent's MergeWith says.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loaded, file } from './helpers.js';

const CLAUSES = ['exec.file.path == "/bin/x"', 'process.uid == 0', 'exec.file.name in ["a", "b"]', 'process.comm != "it\'s"', 'exec.args =~ "*-x*"'];
const CULPRIT = 'zzz_unknown_field';

type Style = 'plain' | 'single' | 'double' | 'block';

function yamlOf(expr: string[], style: Style): string[] {
  const one = expr.join(' && ');
  switch (style) {
    case 'plain':
      return [`    expression: ${one}`];
    case 'single':
      return [`    expression: '${one.replace(/'/g, "''")}'`];
    case 'double':
      return [`    expression: "${one.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`];
    case 'block':
      return ['    expression: |-', ...expr.map((c, i) => `      ${i > 0 ? '&& ' : ''}${c}`)];
  }
}

describe('an error inside an expression is located in the file', () => {
  it('for any style and position of the culprit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CLAUSES), { minLength: 0, maxLength: 4 }),
        fc.nat(),
        fc.constantFrom<Style>('plain', 'single', 'double', 'block'),
        (clauses, at, style) => {
          // A plain scalar cannot start with a quote or hold ": " / " #": keep those to the quoted styles.
          const expr = [...clauses];
          expr.splice(at % (expr.length + 1), 0, `${CULPRIT} == 1`);
          if (style === 'plain' && (/^["'[]/.test(expr[0]!) || expr.join(' && ').includes("'"))) return;
          const text = ['rules:', '  - id: r', ...yamlOf(expr, style)];
          const r = loaded([file('p.policy', ...text)]);
          expect(r.errors).toHaveLength(1);
          const m = /^p\.policy:(\d+):(\d+): /.exec(r.errors[0]!)!;
          const line = text[Number(m[1]) - 1]!;
          expect(line.slice(Number(m[2]) - 1).startsWith(CULPRIT)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

const ids = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { minLength: 1, maxLength: 4 });
const rulesOf = (list: string[], path = '/bin/x'): string[] => ['rules:', ...list.flatMap((id) => [`  - id: ${id}`, `    expression: exec.file.path == "${path}"`])];

describe('merging policies', () => {
  it('a policy loaded again as a custom policy changes nothing', () => {
    fc.assert(
      fc.property(ids, (list) => {
        const once = loaded([file('default.policy', ...rulesOf(list))]);
        const twice = loaded([file('default.policy', ...rulesOf(list)), file('again.policy', ...rulesOf(list, '/bin/other'))]);
        expect(twice.run).toEqual(once.run);
        expect(twice.rules.map((r) => r.merged.def.expression?.text)).toEqual(once.rules.map((r) => r.merged.def.expression?.text));
      }),
      { numRuns: 25 },
    );
  });

  it('custom policies with distinct ids give the same rules in any order', () => {
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        const bOnly = b.filter((id) => !a.includes(id));
        const pa = file('a.policy', ...rulesOf(a));
        const pb = file('b.policy', ...rulesOf(bOnly.length > 0 ? bOnly : ['zz']));
        expect(loaded([pa, pb]).run.sort()).toEqual(loaded([pb, pa]).run.sort());
      }),
      { numRuns: 25 },
    );
  });

  it('over any sequence of custom definitions, a default rule is run as the agent MergeWith decides', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 5 }), (flags) => {
        const def = file('default.policy', ...rulesOf(['a']));
        const customs = flags.map((disabled, i) => file(`c${i}.policy`, 'rules:', '  - id: a', `    disabled: ${disabled}`, '    expression: exec.file.path == "/y"'));
        // The agent: a disabled rule takes a later definition's state; an enabled one only
        // while it still belongs to the default policy (the first custom change takes it over).
        let disabled = false;
        let fromDefault = true;
        for (const d of flags) {
          if (d === disabled) continue;
          if (disabled || fromDefault) {
            disabled = d;
            fromDefault = false;
          }
        }
        const r = loaded([def, ...customs]);
        expect(r.run.includes('a')).toBe(!disabled);
        // and the expression stays the default one
        if (!disabled) expect(r.rules[0]!.merged.def.expression?.text).toBe('exec.file.path == "/bin/x"');
      }),
      { numRuns: 40 },
    );
  });
});
