/**
 * What a policy's rules read of a backend event, as key paths (core/bytes/reads.ts), so
 * that csm-rules can extract only those from a line's bytes (io/rules-job.ts) instead of
 * parsing all of it: the fields of every rule it runs, where the agent and the event type
 * are written, `date` (durations, `now()`) and the `variables` objects `${...}` reads.
 */
import type { KeyPath } from '../core/bytes/reads.js';
import { seclFieldReads } from '../core/bytes/secl-reads.js';
import { ASSUMED_FIELDS, GLOBAL_VARIABLES, VARIABLE_SCOPES } from './event-source.js';
import type { RuleSet } from './ruleset.js';

/** Read for every event: its type, its agent (which rule set applies), its date, its variables. */
export const RULE_EVENT_READS: readonly KeyPath[] = [
  ['evt', 'name'],
  ['date'],
  ['agent', 'os'],
  ['agent', 'origin'],
  ['agent', 'version'],
  GLOBAL_VARIABLES,
  ...Object.values(VARIABLE_SCOPES),
];

/**
 * The key paths the rules of a set that run (evaluable, and in `only` if given) read;
 * undefined when some field cannot be placed (then the whole event is read).
 */
export function ruleSetReads(set: RuleSet, only?: ReadonlySet<string>): KeyPath[] | undefined {
  const out: KeyPath[] = [];
  const seen = new Set<string>();
  for (const r of set.rules) {
    if (r.evaluability.kind === 'not-evaluable') continue;
    if (only !== undefined && !only.has(r.id)) continue;
    for (const v of r.variants) {
      for (const field of v.fields) {
        if (seen.has(field)) continue;
        seen.add(field);
        // A field the backend does not write is read where ASSUMED_FIELDS takes it from (event-source.ts).
        let path = seclFieldReads(field, {});
        if (path === null && Object.prototype.hasOwnProperty.call(ASSUMED_FIELDS, field)) path = ASSUMED_FIELDS[field]!.path;
        if (path === undefined) return undefined;
        if (path !== null) out.push(path);
      }
    }
  }
  return out;
}
