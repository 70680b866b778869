/**
 * Whether a rule can be evaluated from the backend JSON:
 *
 * - `not-evaluable`: it reads a field the backend event does not have (the field table's
 *   `unavailable` fields, with the reason); `csm-rules match` does not run it;
 * - `approximate`: every field is there, but the answer may differ from the agent's:
 *   `process.ancestors` is cut in the middle past the agent's maximum depth (and an
 *   ancestor's args are emptied when they are its child's), `${variables}` are set by
 *   other rules' actions as the agent saw them (the event carries only the values it was
 *   sent with), a field is taken from another place (`event.origin` from
 *   `agent.origin`), a filter reads what the event does not say (kernel version);
 * - `exact`: otherwise.
 *
 * Each reason is a short phrase, so that rules can be grouped by reason.
 */
import { SECL_FIELDS_LINUX } from '../secl/fields.js';
import { ASSUMED_FIELDS } from './event-source.js';

export type EvaluabilityKind = 'exact' | 'approximate' | 'not-evaluable';

/** Why a rule is not exact: a cause shared by many rules (`group`) and this rule's part of it. */
export interface Reason {
  group: string;
  detail?: string;
}

export interface Evaluability {
  kind: EvaluabilityKind;
  /** Why not exact (empty when exact). */
  reasons: Reason[];
}

export function reasonText(r: Reason): string {
  return r.detail === undefined ? r.group : `${r.group}: ${r.detail}`;
}

/** The reasons, one phrase per group (`unavailable in the backend event: a (why), b (why)`). */
export function reasonsByGroup(reasons: readonly Reason[]): string[] {
  const groups = new Map<string, string[]>();
  for (const r of reasons) {
    const d = groups.get(r.group) ?? [];
    if (r.detail !== undefined) d.push(r.detail);
    groups.set(r.group, d);
  }
  return [...groups].map(([g, d]) => (d.length === 0 ? g : `${g}: ${d.join(', ')}`));
}

export interface ClassifyContext {
  /** Filter fields the backend event lacks (the filter was assumed to hold). */
  assumedFilter: readonly string[];
  /** The variables the rule reads, and the rules that set them. */
  variables: readonly { name: string; setBy: readonly string[] }[];
}

export const REASONS = {
  ancestors: 'process.ancestors: the backend cuts the list in the middle past the agent maximum depth (truncated_ancestors) and empties the args of an ancestor that shares them with its parent',
  variables: "variables set by other rules' actions, read from the event's own *.variables (the values it was sent with)",
  filters: 'filters on what the backend event does not say, assumed to hold',
  unavailable: 'unavailable in the backend event',
} as const;

export function classify(variants: readonly { fields: readonly string[] }[], ctx: ClassifyContext): Evaluability {
  const fields = [...new Set(variants.flatMap((v) => v.fields))].sort();
  const missing: Reason[] = [];
  const approx = new Map<string, Reason>();
  const add = (r: Reason): void => {
    approx.set(reasonText(r), r);
  };
  for (const f of fields) {
    const spec = SECL_FIELDS_LINUX[f];
    if (spec === undefined) continue;
    if (spec.map.kind === 'unavailable') {
      if (Object.prototype.hasOwnProperty.call(ASSUMED_FIELDS, f)) add({ group: ASSUMED_FIELDS[f].reason });
      else missing.push({ group: REASONS.unavailable, detail: `${f} (${spec.map.reason})` });
    }
    if (/(^|\.)ancestors\./.test(f)) add({ group: REASONS.ancestors });
  }
  for (const v of ctx.variables) {
    if (v.name === 'builtins.uuid4' || v.name === 'process.pid') continue;
    const by = v.setBy.length > 0 ? `set by ${v.setBy.join(', ')}` : 'set by no rule of the policies';
    add({ group: REASONS.variables, detail: `\${${v.name}} (${by})` });
  }
  if (ctx.assumedFilter.length > 0) {
    add({ group: REASONS.filters, detail: ctx.assumedFilter.join(', ') });
  }
  if (missing.length > 0) return { kind: 'not-evaluable', reasons: missing };
  if (approx.size > 0) return { kind: 'approximate', reasons: [...approx.values()] };
  return { kind: 'exact', reasons: [] };
}
