/**
 * Runs a policy set on events: for each event, the rule set of its agent (by `agent.os`,
 * `agent.origin`, `agent.version`; compiled once per agent and cached), the rules of its
 * event type (indexed: a rule applies to the event types of its fields, or to every
 * event), each field read once (`cachedEventSource`).
 *
 * Rules that cannot be evaluated from the backend JSON are not run (their fields would
 * read as zero values and give wrong answers); `--rule` restricts to some ids.
 */
import type { Predicate } from '../secl/eval.js';
import { backendEventType } from '../secl/backend.js';
import type { PolicyError } from './errors.js';
import { cachedEventSource, eventProfile, profileKey } from './event-source.js';
import type { AgentProfile } from './filters.js';
import { buildRuleSet, type PolicySet, type RuleSet } from './ruleset.js';

interface Entry {
  id: string;
  predicates: Predicate[];
}

/** A rule set with its index by event type. */
export interface IndexedRuleSet {
  set: RuleSet;
  byType: Map<string, Entry[]>;
  anyType: Entry[];
  /** Rules per event type, the any-type ones merged in, in policy order (filled on demand). */
  forType: Map<string, Entry[]>;
  order: Map<string, number>;
}

export interface EngineOptions {
  /** Only these rule ids (none: every rule). */
  only?: ReadonlySet<string>;
  /** Called once for each agent's rule set, when it is compiled (its errors: rules not run). */
  onRuleSet?: (set: RuleSet) => void;
}

/** What one event gave: the rules that applied to it and those that matched, in policy order. */
export interface EventResult {
  applied: string[];
  matched: string[];
}

const MAX_PROFILES = 256;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function indexRuleSet(set: RuleSet, opts: EngineOptions = {}): IndexedRuleSet {
  const byType = new Map<string, Entry[]>();
  const anyType: Entry[] = [];
  const order = new Map<string, number>();
  for (const r of set.rules) {
    if (r.evaluability.kind === 'not-evaluable') continue;
    if (opts.only !== undefined && !opts.only.has(r.id)) continue;
    order.set(r.id, order.size);
    const typed = new Map<string, Predicate[]>();
    const any: Predicate[] = [];
    for (const v of r.variants) {
      if (v.types === undefined) any.push(v.match);
      else for (const t of v.types) typed.set(t, [...(typed.get(t) ?? []), v.match]);
    }
    if (any.length > 0) anyType.push({ id: r.id, predicates: any });
    for (const [t, ps] of typed) byType.set(t, [...(byType.get(t) ?? []), { id: r.id, predicates: ps }]);
  }
  return { set, byType, anyType, forType: new Map(), order };
}

function entriesFor(ix: IndexedRuleSet, type: string | undefined): Entry[] {
  const key = type ?? '';
  let list = ix.forType.get(key);
  if (list === undefined) {
    const typed = type !== undefined ? (ix.byType.get(type) ?? []) : [];
    const byId = new Map<string, Predicate[]>();
    for (const e of [...typed, ...ix.anyType]) byId.set(e.id, [...(byId.get(e.id) ?? []), ...e.predicates]);
    list = [...byId].map(([id, predicates]) => ({ id, predicates })).sort((a, b) => (ix.order.get(a.id) ?? 0) - (ix.order.get(b.id) ?? 0));
    ix.forType.set(key, list);
  }
  return list;
}

export class RuleEngine {
  private readonly sets = new Map<string, IndexedRuleSet>();
  /** Rule sets by PolicySet.signature: agents that take the same definitions share one. */
  private readonly bySignature = new Map<string, IndexedRuleSet>();
  /** Rule sets by the event's `agent.os`, `agent.origin`, `agent.version` strings as written. */
  private readonly byAgent = new Map<string, IndexedRuleSet>();
  private lastAgent: { os: string | undefined; origin: string | undefined; version: string | undefined; ix: IndexedRuleSet } | undefined;

  constructor(
    readonly policies: PolicySet,
    readonly opts: EngineOptions = {},
  ) {}

  /** The rule set of an agent (compiled on first use). */
  ruleSet(profile: AgentProfile): IndexedRuleSet {
    const key = profileKey(profile);
    let ix = this.sets.get(key);
    if (ix === undefined) {
      if (this.sets.size >= MAX_PROFILES) this.sets.delete(this.sets.keys().next().value as string);
      // Built once per signature (what the agent takes), then shared under each agent's own profile.
      const signature = this.policies.signature(profile);
      let shared = this.bySignature.get(signature);
      if (shared === undefined) {
        if (this.bySignature.size >= MAX_PROFILES) this.bySignature.delete(this.bySignature.keys().next().value as string);
        shared = indexRuleSet(buildRuleSet(this.policies, profile), this.opts);
        this.bySignature.set(signature, shared);
      }
      ix = shared.set.profile === profile ? shared : { ...shared, set: { ...shared.set, profile } };
      this.sets.set(key, ix);
      this.opts.onRuleSet?.(ix.set);
    }
    return ix;
  }

  /** The rule set of an event's agent, found by the agent's own strings (most events share them). */
  private ruleSetOf(event: unknown): IndexedRuleSet {
    const agent = isObj(event) && Object.prototype.hasOwnProperty.call(event, 'agent') ? event.agent : undefined;
    const field = (k: string): unknown => (isObj(agent) && Object.prototype.hasOwnProperty.call(agent, k) ? agent[k] : undefined);
    const [os, origin, version] = [field('os'), field('origin'), field('version')];
    if (!(os === undefined || typeof os === 'string') || !(origin === undefined || typeof origin === 'string') || !(version === undefined || typeof version === 'string')) {
      return this.ruleSet(eventProfile(event));
    }
    const last = this.lastAgent;
    if (last !== undefined && last.os === os && last.origin === origin && last.version === version) return last.ix;
    const key = JSON.stringify([os ?? null, origin ?? null, version ?? null]);
    let ix = this.byAgent.get(key);
    if (ix === undefined) {
      if (this.byAgent.size >= MAX_PROFILES) this.byAgent.clear();
      ix = this.ruleSet(eventProfile(event));
      this.byAgent.set(key, ix);
    }
    this.lastAgent = { os, origin, version, ix };
    return ix;
  }

  /** The load errors of an agent's rule set (compile errors of what that agent accepts). */
  errors(profile: AgentProfile): PolicyError[] {
    return this.ruleSet(profile).set.errors;
  }

  /**
   * Every applicable rule on one parsed event (exact numbers as the lossless parser gives
   * them); `applied` is filled only when asked (`--stats`).
   */
  evaluate(event: unknown, withApplied = false, exact?: () => unknown): EventResult {
    const ix = this.ruleSetOf(event);
    const src = cachedEventSource(event, exact);
    const applied: string[] = [];
    const matched: string[] = [];
    const entries = entriesFor(ix, backendEventType(event));
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (withApplied) applied.push(e.id);
      const ps = e.predicates;
      for (let k = 0; k < ps.length; k++) {
        if (ps[k]!(src)) {
          matched.push(e.id);
          break;
        }
      }
    }
    return { applied, matched };
  }
}
