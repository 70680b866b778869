/**
 * Policy files (the agent's format) over backend events, pure: `loadPolicies` (texts in,
 * a PolicySet and located errors out), `RuleEngine` (which rules match an event),
 * `buildRuleSet` (a policy set compiled for one agent, each rule classified).
 */
import type { SourceFile } from './decode.js';
import type { PolicyError } from './errors.js';
import type { AgentProfile } from './filters.js';
import { loadPolicy, orderPolicies } from './policy.js';

export { loadPolicy } from './policy.js';
import { buildRuleSet, PolicySet, type RuleSet } from './ruleset.js';

export type { SourceFile } from './decode.js';
export { renderPolicyError, type PolicyError } from './errors.js';
export type { AgentProfile } from './filters.js';
export type { Policy } from './policy.js';
export { parseAgentVersion } from './semver.js';
export { RuleEngine, type EventResult } from './engine.js';
export { buildRuleSet, PolicySet, type RuleSet, type CompiledPolicyRule, type SkippedRule } from './ruleset.js';
export { reasonText, reasonsByGroup, type Evaluability, type EvaluabilityKind, type Reason } from './evaluability.js';

/** The agent `check` and the start of `match` compile for: Linux, every agent_version holding. */
export const LINUX_AGENT: AgentProfile = { os: 'linux', origin: 'ebpf' };

export interface LoadedPolicies {
  set: PolicySet;
  /** The set compiled for `profile`. */
  ruleSet: RuleSet;
  /** Every load error: of each file, of the merge, of what `profile` compiles. */
  errors: PolicyError[];
}

/** Loads policy files (in the agent's order) and compiles them for one agent; `load` decodes one file (a cache may give its result). */
export function loadPolicies(files: readonly SourceFile[], profile: AgentProfile = LINUX_AGENT, load: typeof loadPolicy = loadPolicy): LoadedPolicies {
  const errors: PolicyError[] = [];
  const policies = files.map((f) => {
    const r = load(f);
    errors.push(...r.errors);
    return r.policy;
  });
  const set = new PolicySet(orderPolicies(policies));
  const ruleSet = buildRuleSet(set, profile);
  const seen = new Set(errors.map((e) => `${e.file}:${e.line}:${e.column}:${e.message}`));
  for (const e of ruleSet.errors) {
    const key = `${e.file}:${e.line}:${e.column}:${e.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push(e);
    }
  }
  // In the order of the files given, then of the lines.
  const order = new Map(files.map((f, i) => [f.name, i]));
  errors.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column);
  return { set, ruleSet, errors };
}
