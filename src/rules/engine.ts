/**
 * Runs a policy set on events: for each event, the rule set of its agent (by `agent.os`,
 * `agent.origin`, `agent.version`; compiled once per agent and cached), the rules of its
 * event type (indexed: a rule applies to the event types of its fields, or to every
 * event), each field read once (`cachedEventSource`).
 *
 * Rules that cannot be evaluated from the backend JSON are not run (their fields would
 * read as zero values and give wrong answers); `--rule` restricts to some ids.
 */
import type { FieldSource, Predicate, RuleGuard } from '../secl/eval.js';
import { backendEventType } from '../secl/backend.js';
import type { PolicyError } from './errors.js';
import { cachedEventSource, eventProfile, profileKey } from './event-source.js';
import type { AgentProfile } from './filters.js';
import { buildRuleSet, notLoadedReason, type PolicySet, type RuleSet, type RuleVariant } from './ruleset.js';

interface Entry {
  id: string;
  predicates: Predicate[];
  /** One guard for all its predicates (each has one, on the same field): see `plan`. */
  guard?: RuleGuard;
}

/**
 * The rules of one event type, in policy order, indexed by their guards (the agent's
 * approvers, for the evaluator): `always` marks the rules run on every event; a guarded
 * rule runs only on events whose guard field has one of its values (it is false on the
 * others, without being run). Results are the same as running every rule.
 */
interface TypePlan {
  entries: Entry[];
  always: Uint8Array;
  groups: { read: RuleGuard['read']; byValue: Map<string, number[]> }[];
}

/** A rule set with its index by event type. */
export interface IndexedRuleSet {
  set: RuleSet;
  byType: Map<string, Entry[]>;
  anyType: Entry[];
  /** Rules per event type, the any-type ones merged in, in policy order (filled on demand). */
  forType: Map<string, TypePlan>;
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

/** Compiled rule sets kept (one per signature: few in practice). */
const MAX_SIGNATURES = 256;
/** Agents (os, origin, version as written) remembered: small entries, many agent versions in a fleet's export. */
const MAX_PROFILES = 8192;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function indexRuleSet(set: RuleSet, opts: EngineOptions = {}): IndexedRuleSet {
  const byType = new Map<string, Entry[]>();
  const anyType: Entry[] = [];
  const order = new Map<string, number>();
  for (const r of set.rules) {
    if (r.evaluability.kind === 'not-evaluable') continue;
    if (opts.only !== undefined && !opts.only.has(r.id)) continue;
    order.set(r.id, order.size);
    const typed = new Map<string, RuleVariant[]>();
    const any: RuleVariant[] = [];
    for (const v of r.variants) {
      if (v.types === undefined) any.push(v);
      else for (const t of v.types) typed.set(t, [...(typed.get(t) ?? []), v]);
    }
    if (any.length > 0) anyType.push(entryOf(r.id, any));
    for (const [t, vs] of typed) byType.set(t, [...(byType.get(t) ?? []), entryOf(r.id, vs)]);
  }
  return { set, byType, anyType, forType: new Map(), order };
}

/** The guard shared by all of a rule's variants, if each has one on the same field (values together). */
function sharedGuard(variants: readonly { guard?: RuleGuard }[]): RuleGuard | undefined {
  const first = variants[0]?.guard;
  if (first === undefined) return undefined;
  const values = new Set(first.values);
  for (const v of variants.slice(1)) {
    const g = v.guard;
    if (g === undefined || g.field !== first.field || g.array !== first.array) return undefined;
    for (const x of g.values) values.add(x);
  }
  return { ...first, values };
}

function entryOf(id: string, variants: readonly RuleVariant[]): Entry {
  const guard = sharedGuard(variants);
  return { id, predicates: variants.map((v) => v.match), ...(guard !== undefined ? { guard } : {}) };
}

/** The rules of an event type (any-type ones merged in, by id, in policy order) and their index. */
function plan(ix: IndexedRuleSet, type: string | undefined): TypePlan {
  const key = type ?? '';
  let p = ix.forType.get(key);
  if (p === undefined) {
    const typed = type !== undefined ? (ix.byType.get(type) ?? []) : [];
    const byId = new Map<string, Entry[]>();
    for (const e of [...typed, ...ix.anyType]) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
    const entries = [...byId]
      .map(([id, es]): Entry => {
        const predicates = es.flatMap((e) => e.predicates);
        const guard = es.length === 1 ? es[0]!.guard : sharedGuard(es);
        return { id, predicates, ...(guard !== undefined ? { guard } : {}) };
      })
      .sort((a, b) => (ix.order.get(a.id) ?? 0) - (ix.order.get(b.id) ?? 0));
    const always = new Uint8Array(entries.length);
    const groups = new Map<string, { read: RuleGuard['read']; byValue: Map<string, number[]> }>();
    entries.forEach((e, i) => {
      const g = e.guard;
      if (g === undefined) {
        always[i] = 1;
        return;
      }
      const gk = `${g.array ? '[]' : ''}${g.field}`;
      let group = groups.get(gk);
      if (group === undefined) groups.set(gk, (group = { read: g.read, byValue: new Map() }));
      for (const v of g.values) {
        const list = group.byValue.get(v);
        if (list === undefined) group.byValue.set(v, [i]);
        else list.push(i);
      }
    });
    p = { entries, always, groups: [...groups.values()] };
    ix.forType.set(key, p);
  }
  return p;
}

/** Which rules of a plan run on an event: those unguarded, and those whose guard value it has. */
function toRun(p: TypePlan, src: FieldSource): Uint8Array {
  const run = p.always.slice();
  for (const g of p.groups) {
    const v = g.read(src);
    if (typeof v === 'string') {
      const hit = g.byValue.get(v);
      if (hit !== undefined) for (const i of hit) run[i] = 1;
    } else {
      for (const x of v) {
        const hit = g.byValue.get(x);
        if (hit !== undefined) for (const i of hit) run[i] = 1;
      }
    }
  }
  return run;
}

/** A shared rule set as one agent's: its profile, and the reasons of the rules it does not load naming its OS. */
function forProfile(set: RuleSet, profile: AgentProfile): RuleSet {
  if (set.profile.os === profile.os) return { ...set, profile };
  return { ...set, profile, skipped: set.skipped.map((r) => (r.notLoaded === undefined ? r : { ...r, reason: notLoadedReason(profile.os, r.notLoaded) })) };
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
        if (this.bySignature.size >= MAX_SIGNATURES) this.bySignature.delete(this.bySignature.keys().next().value as string);
        shared = indexRuleSet(buildRuleSet(this.policies, profile), this.opts);
        this.bySignature.set(signature, shared);
      }
      ix = shared.set.profile === profile ? shared : { ...shared, set: forProfile(shared.set, profile) };
      this.sets.set(key, ix);
      this.opts.onRuleSet?.(ix.set);
    }
    return ix;
  }

  /** The rule set of an event's agent, found by the agent's own strings (most events share them). */
  ruleSetOf(event: unknown): IndexedRuleSet {
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
    const p = plan(ix, backendEventType(event));
    const entries = p.entries;
    const run = toRun(p, src);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (withApplied) applied.push(e.id);
      if (run[i] === 0) continue;
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
