/**
 * The macros and rules an agent ends up with, from policies in load order, as the
 * agent's `RuleSet.LoadPolicies` merges them (`rules/policy.go`, `MergeWith`), keeping
 * only the definitions `accepted` for that agent (filters, agent_version):
 *
 * - macros: the first definition of an id is kept; a later one with `combine: merge`
 *   appends its values (an error if either has an expression), `combine: override`
 *   replaces the values; without `combine` it is ignored;
 * - rules: the first definition of an id is kept; a later one
 *   - with `combine: override` (and not disabled) adds its actions (those not already
 *     there), and takes `every`, `tags` (merged), `product_tags` as its
 *     `override_options.fields` say; `all` copies every field but the expression, and
 *     only over a rule of the default policy. The expression is never replaced;
 *   - disables or enables it: a disabled rule takes the later definition's `disabled`;
 *     an enabled default-policy rule takes a custom policy's `disabled: true`.
 */
import type { ActionDef, Located, MacroDef, RuleDef } from './decode.js';
import { definitionError, type Policy } from './policy.js';
import type { PolicyError } from './errors.js';

export interface MergedMacro {
  def: MacroDef;
  policy: Policy;
  values?: string[];
}

export interface MergedRule {
  id: string;
  /** The definition whose expression is evaluated (the first one accepted). */
  def: RuleDef;
  policy: Policy;
  disabled: boolean;
  actions: ActionDef[];
  tags: Record<string, string>;
  productTags: string[];
  every?: string;
  /** The policies that changed it after its first definition. */
  modifiedBy: string[];
}

function sameAction(a: ActionDef, b: ActionDef): boolean {
  return JSON.stringify({ ...a, filter: a.filter?.text }) === JSON.stringify({ ...b, filter: b.filter?.text });
}

function applyOverride(r: MergedRule, def2: RuleDef, p2: Policy): void {
  const fields = def2.overrideFields;
  let overridden = false;
  if (fields.includes('all') && r.policy.type === 'default') {
    const expression: Located | undefined = r.def.expression;
    r.def = { ...def2, ...(expression !== undefined ? { expression } : {}) };
    r.actions = [...def2.actions];
    r.tags = { ...def2.tags };
    r.productTags = [...def2.productTags];
    if (def2.every !== undefined) r.every = def2.every;
    else delete r.every;
    overridden = true;
  } else {
    if (fields.includes('actions')) {
      const add = def2.actions.filter((a) => !r.actions.some((b) => sameAction(a, b)));
      if (add.length > 0) {
        r.actions = [...r.actions, ...add];
        overridden = true;
      }
    }
    if (fields.includes('every')) {
      if (def2.every !== undefined) r.every = def2.every;
      else delete r.every;
      overridden = true;
    }
    if (fields.includes('tags')) {
      for (const [k, v] of Object.entries(def2.tags)) {
        r.tags[k] = v;
        overridden = true;
      }
    }
    if (fields.includes('product_tags')) r.productTags = [...def2.productTags];
  }
  if (overridden) r.policy = p2;
}

/** `MergeWith` of the agent's PolicyRule. */
function mergeRule(r: MergedRule, def2: RuleDef, p2: Policy): void {
  if (def2.combine === 'override') {
    if (!def2.disabled) applyOverride(r, def2, p2);
  } else if (r.disabled === def2.disabled) {
    return;
  }
  if (r.disabled) {
    r.disabled = def2.disabled;
    r.policy = p2;
  } else if (r.policy.type === 'default' && p2.type === 'custom') {
    r.disabled = def2.disabled;
    r.policy = p2;
  }
  r.modifiedBy.push(p2.name);
}

export interface Merged {
  macros: Map<string, MergedMacro>;
  rules: MergedRule[];
  errors: PolicyError[];
}

/** Merges the accepted definitions of the policies, in order. */
export function mergePolicies(
  policies: readonly Policy[],
  acceptMacro: (m: MacroDef, p: Policy) => boolean,
  acceptRule: (r: RuleDef, p: Policy) => boolean,
): Merged {
  const macros = new Map<string, MergedMacro>();
  const rules = new Map<string, MergedRule>();
  const errors: PolicyError[] = [];
  for (const p of policies) {
    for (const m of p.def.macros) {
      if (m.id === '' || !acceptMacro(m, p)) continue;
      const existing = macros.get(m.id);
      if (existing === undefined) {
        macros.set(m.id, { def: m, policy: p, ...(m.values !== undefined ? { values: [...m.values] } : {}) });
      } else if (m.combine === 'merge') {
        if (existing.def.expression !== undefined || m.expression !== undefined) {
          errors.push(definitionError(p, m.at, `macro ${m.id}: combine: merge needs values on both definitions: an expression cannot be merged (first defined in ${existing.policy.file.name})`));
        } else {
          existing.values = [...(existing.values ?? []), ...(m.values ?? [])];
        }
      } else if (m.combine === 'override') {
        existing.values = [...(m.values ?? [])];
      }
    }
    for (const r of p.def.rules) {
      if (r.id === '' || !acceptRule(r, p)) continue;
      const existing = rules.get(r.id);
      if (existing === undefined) {
        rules.set(r.id, {
          id: r.id,
          def: r,
          policy: p,
          disabled: r.disabled,
          actions: [...r.actions],
          tags: { ...r.tags },
          productTags: [...r.productTags],
          ...(r.every !== undefined ? { every: r.every } : {}),
          modifiedBy: [],
        });
      } else {
        mergeRule(existing, r, p);
      }
    }
  }
  return { macros, rules: [...rules.values()], errors };
}
