/**
 * `csm-rules match --stats`: per rule, the events it matched, the events it applied to
 * (its agent loads it and the event is of its type), and how exactly it is evaluated.
 */
import type { ChalkInstance } from 'chalk';
import type { RuleSet } from '../rules/index.js';
import { alignColumns } from './rules.js';

export type RuleStats = Map<string, { applied: number; matched: number }>;

export function formatRuleStats(set: RuleSet, counts: RuleStats, only: readonly string[], chalk: ChalkInstance): string {
  const rules = set.rules.filter((r) => only.length === 0 || only.includes(r.id));
  const rows = rules
    .map((r) => {
      const c = counts.get(r.id);
      const run = r.evaluability.kind !== 'not-evaluable';
      return { id: r.id, kind: r.evaluability.kind, matched: run ? (c?.matched ?? 0) : -1, applied: run ? (c?.applied ?? 0) : -1 };
    })
    .sort((a, b) => b.matched - a.matched || b.applied - a.applied || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const cell = (n: number): string => (n < 0 ? '-' : String(n));
  const table = alignColumns([['RULE', 'MATCHED', 'APPLIED', 'EVALUATION'], ...rows.map((r) => [r.id, cell(r.matched), cell(r.applied), r.kind === 'not-evaluable' ? 'not-evaluable (not run)' : r.kind])]);
  const [head, ...rest] = table.split('\n');
  return `${chalk.bold(head)}\n${rest.join('\n')}`;
}
