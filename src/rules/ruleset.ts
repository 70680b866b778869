/**
 * A policy set compiled for one agent (`AgentProfile`): the macros and rules it accepts
 * (filters, agent_version), merged (`merge.ts`), compiled with the Linux field table,
 * `fim.write.file.*` expanded as the agent does (`fim_unix.go`), each rule classified
 * (`evaluability.ts`) and indexed by the event types it applies to.
 */
import type { MacroNode } from '../secl/ast.js';
import { compile, compileRule, valuesMacro, type CompileOptions, type FieldInfo, type Predicate, type RuleGuard } from '../secl/eval.js';
import { linuxFieldInfo, ruleEventTypes, SECL_FIELDS_LINUX } from '../secl/fields.js';
import { parseMacro } from '../secl/parser.js';
import type { Located, MacroDef, RuleDef } from './decode.js';
import type { PolicyError } from './errors.js';
import { classify, type Evaluability } from './evaluability.js';
import { compileFilters, filterAccepts, versionAccepts, type Acceptance, type AgentProfile, type CompiledFilter } from './filters.js';
import { mergePolicies, type MergedRule } from './merge.js';
import { constraintOf, definitionError, expressionError, type Policy } from './policy.js';
import type { Constraint } from './semver.js';
import { policyVariables } from './variables.js';

export interface RuleVariant {
  /** Event types it applies to; undefined: every event. */
  types: string[] | undefined;
  match: Predicate;
  fields: string[];
  /** A necessary condition on one field's value, when the expression has one (engine.ts indexes by it). */
  guard?: RuleGuard;
}

export interface CompiledPolicyRule {
  id: string;
  merged: MergedRule;
  /** One per `fim.write.file` expansion (one for other rules). */
  variants: RuleVariant[];
  evaluability: Evaluability;
}

/** A rule of the policies that this agent does not run, and why. */
export interface SkippedRule {
  id: string;
  policy: Policy;
  reason: string;
  /** Not taken by the agent: its filters and agent_version, as written (`reason` names the agent's OS). */
  notLoaded?: { filters: string; agentVersion: string | undefined };
}

/** Why an agent does not load a rule: its OS, and the rule's filters and agent_version. */
export function notLoadedReason(os: string, n: NonNullable<SkippedRule['notLoaded']>): string {
  return `not loaded by a ${os} agent${n.filters !== '' ? ` (filters: ${n.filters})` : ''}${n.agentVersion !== undefined ? ` (agent_version: ${n.agentVersion})` : ''}`;
}

export interface RuleSet {
  profile: AgentProfile;
  rules: CompiledPolicyRule[];
  skipped: SkippedRule[];
  errors: PolicyError[];
}

const ACCEPT_CODE: Readonly<Record<Acceptance, string>> = { yes: 'y', no: 'n', assumed: 'a' };

/** Taken by both the filters and the agent_version: no if either says no, assumed if either assumes. */
function both(f: Acceptance, v: Acceptance): Acceptance {
  if (f === 'no' || v === 'no') return 'no';
  return f === 'assumed' || v === 'assumed' ? 'assumed' : 'yes';
}

/** Filters and constraints of every definition, compiled once for every profile. */
export class PolicySet {
  private readonly filters = new Map<object, CompiledFilter | undefined>();
  private readonly constraints = new Map<object, Constraint | undefined>();
  /** Errors of the filters and agent_version constraints (the definitions are then never accepted). */
  readonly errors: PolicyError[] = [];
  /** Macro bodies, parsed once (undefined: it does not parse, reported where used). */
  private readonly parsed = new Map<MacroDef, MacroNode | undefined>();
  /** Compiled rules by the macros and variables they were compiled with (agents mostly share them). */
  readonly compiled = new Map<string, CompileCache>();
  private readonly ids = new Map<object, number>();
  /** The filters that compile, one per distinct text (definitions share them). */
  private readonly filterByText = new Map<string, CompiledFilter>();
  /** Signatures by what the distinct filters say of an agent and its version (see `signature`). */
  private readonly signatures = new Map<string, string>();

  /** A macro's body for the compiler: parsed once. */
  macroBody(def: MacroDef, values: string[] | undefined): string | MacroNode | undefined {
    if (values !== undefined) return valuesMacro(values);
    if (def.expression === undefined) return undefined;
    if (!this.parsed.has(def)) {
      if (def.ast !== undefined) this.parsed.set(def, def.ast);
      else {
        const r = parseMacro(def.expression.text);
        this.parsed.set(def, r.ok ? r.value : undefined);
      }
    }
    return this.parsed.get(def) ?? def.expression.text;
  }

  /** A number per definition object, for compile-cache keys. */
  idOf(o: object): number {
    let n = this.ids.get(o);
    if (n === undefined) {
      n = this.ids.size;
      this.ids.set(o, n);
    }
    return n;
  }

  constructor(readonly policies: readonly Policy[]) {
    for (const p of policies) {
      for (const d of [...p.def.macros, ...p.def.rules]) this.prepare(p, d);
    }
  }

  private prepare(p: Policy, d: MacroDef | RuleDef): void {
    const where = `${'disabled' in d ? 'rule' : 'macro'} ${d.id}`;
    this.constraints.set(d, constraintOf(p, where, d.at, d.agentVersion, []));
    if (d.filters.length === 0) return;
    const text = d.filters.map((f) => f.text).join('\u0000');
    const known = this.filterByText.get(text);
    if (known !== undefined) {
      this.filters.set(d, known);
      return;
    }
    const c = compileFilters(d.filters.map((f) => f.text));
    if (c.ok) {
      this.filters.set(d, c.value);
      this.filterByText.set(text, c.value);
    } else {
      this.errors.push(expressionError(p, `${where}: filter`, d.filters[c.index] as Located, c.error));
      this.filters.set(d, { match: () => false, unknown: [] });
    }
  }

  /** Whether an agent takes the definition (and whether only by assumption). */
  accepts(d: MacroDef | RuleDef, profile: AgentProfile): Acceptance {
    return both(filterAccepts(this.filters.get(d), profile), versionAccepts(this.constraints.get(d), profile));
  }

  /**
   * What an agent's rule set depends on: whether it takes each definition (yes, no, by
   * assumption), in policy order. Agents with the same signature get the same rule set, so
   * it is built once for them all (events may carry many agent versions, origins and OSes;
   * the OS itself only names the agent in the reasons of rules it does not load, which
   * `RuleEngine` writes for each agent). Only the definitions with filters or an
   * agent_version are looked at; their version part is kept per version.
   */
  signature(profile: AgentProfile): string {
    // The filters read only the agent's OS and origin: what each distinct filter says, with
    // the version, decides every code (kept for each such pair: a handful in practice).
    let key = '';
    for (const f of this.filterByText.values()) key += ACCEPT_CODE[filterAccepts(f, profile)];
    const v = profile.version;
    key += `\u0000${v === undefined ? '?' : `${v.major}.${v.minor}.${v.patch}`}`;
    let sig = this.signatures.get(key);
    if (sig === undefined) {
      sig = '';
      // A definition without filters or agent_version is taken by every agent: only the others tell agents apart.
      for (const p of this.policies) for (const d of [...p.def.macros, ...p.def.rules]) if (this.filters.has(d) || this.constraints.get(d) !== undefined) sig += ACCEPT_CODE[this.accepts(d, profile)];
      if (this.signatures.size >= 4096) this.signatures.clear();
      this.signatures.set(key, sig);
    }
    return sig;
  }

  /** Filter fields of a definition the backend event does not have. */
  unknownFilterFields(d: RuleDef): string[] {
    return this.filters.get(d)?.unknown ?? [];
  }
}

/** What a policy set compiled with one set of macros and variables. */
export interface CompileCache {
  macroErrors: PolicyError[];
  rules: Map<RuleDef, { variants: RuleVariant[] } | { error: PolicyError }>;
}

const FIM = 'fim.write.file.';

/** The agent's `expandFim`: one expression per file event type. */
export function expandFim(expr: string): string[] {
  if (!expr.includes(FIM)) return [expr];
  const out: string[] = [];
  for (const t of ['open', 'chmod', 'chown', 'link', 'rename', 'unlink', 'utimes']) {
    let e = expr.replaceAll(FIM, `${t}.file.`);
    if (t === 'open') e = `(${e}) && open.flags & (O_CREAT|O_TRUNC|O_APPEND|O_RDWR|O_WRONLY) > 0`;
    if (t === 'chown') {
      e = `(${e}) && ((chown.file.destination.uid != -1 && chown.file.destination.uid != chown.file.uid) || (chown.file.destination.gid != -1 && chown.file.destination.gid != chown.file.gid))`;
    }
    if (t === 'chmod') e = `(${e}) && (chmod.file.destination.mode != chmod.file.mode)`;
    out.push(e);
    if (t === 'rename') out.push(expr.replaceAll(FIM, 'rename.file.destination.'));
  }
  return out;
}

function compileOptions(macros: Map<string, string | MacroNode>, variables: Map<string, FieldInfo>): CompileOptions {
  return {
    fields: linuxFieldInfo,
    fieldNames: Object.keys(SECL_FIELDS_LINUX),
    macros,
    variables: (n) => variables.get(n),
  };
}

/** A macro that does not compile on its own is an error at its expression (lists and values compile where used). */
function checkMacro(p: Policy, def: MacroDef, opts: CompileOptions, errors: PolicyError[]): void {
  if (def.expression === undefined) return;
  const parsed = def.ast !== undefined ? { ok: true as const, value: def.ast } : parseMacro(def.expression.text);
  if (!parsed.ok || parsed.value.kind === 'list') return;
  const c = compile(parsed.value, { ...opts, macros: new Map([...(opts.macros ?? [])].filter(([id]) => id !== def.id)) });
  if (!c.ok && !(c.errors[0].code === 'type' && c.errors[0].message.startsWith('a rule must be'))) {
    errors.push(expressionError(p, `macro ${def.id}: expression`, def.expression, c.errors[0]));
  }
}

/** Compiles the policies for one agent. */
export function buildRuleSet(set: PolicySet, profile: AgentProfile): RuleSet {
  const accepted = new Map<object, Acceptance>();
  const accept = (d: MacroDef | RuleDef): boolean => {
    const a = set.accepts(d, profile);
    accepted.set(d, a);
    return a !== 'no';
  };
  const merged = mergePolicies(set.policies, accept, accept);
  const errors = [...set.errors, ...merged.errors];
  const macros = new Map<string, string | MacroNode>();
  const keyParts: string[] = [];
  for (const [id, m] of merged.macros) {
    const body = set.macroBody(m.def, m.values);
    if (body !== undefined) macros.set(id, body);
    keyParts.push(`${id}=${set.idOf(m.def)}${m.values !== undefined ? `:${m.values.join('\u0001')}` : ''}`);
  }
  // Typed from every rule's set actions, loaded by this agent or not (a variable's type does
  // not depend on the agent), so that agents share their compiled rules.
  const variables = policyVariables(set.policies.flatMap((p) => p.def.rules), (f) => linuxFieldInfo(f)?.type);
  for (const [name, v] of variables) keyParts.push(`$${name}:${v.type}:${v.array === true}`);
  const key = keyParts.join('\u0000');
  const opts = compileOptions(macros, variables);
  let cache = set.compiled.get(key);
  if (cache === undefined) {
    cache = { macroErrors: [], rules: new Map() };
    for (const m of merged.macros.values()) checkMacro(m.policy, m.def, opts, cache.macroErrors);
    set.compiled.set(key, cache);
  }
  errors.push(...cache.macroErrors);

  const skipped: SkippedRule[] = [];
  const seen = new Set(merged.rules.map((r) => r.id));
  for (const p of set.policies) {
    for (const r of p.def.rules) {
      if (r.id === '' || seen.has(r.id)) continue;
      seen.add(r.id);
      const notLoaded = { filters: r.filters.map((f) => f.text).join(' || '), agentVersion: r.agentVersion?.text };
      skipped.push({ id: r.id, policy: p, reason: notLoadedReason(profile.os, notLoaded), notLoaded });
    }
  }
  const rules: CompiledPolicyRule[] = [];
  for (const r of merged.rules) {
    if (r.disabled) {
      skipped.push({ id: r.id, policy: r.policy, reason: `disabled${r.policy.type === 'custom' ? ` by ${r.policy.name}` : ''}` });
      continue;
    }
    const expr = r.def.expression;
    if (expr === undefined) {
      // Already an error of its file (no expression, or one that is not a string).
      if (r.def.combine !== undefined) errors.push(definitionError(policyOf(set, r), r.def.at, `rule ${r.id}: no expression (combine: override needs a rule to override)`));
      continue;
    }
    let compiled = cache.rules.get(r.def);
    if (compiled === undefined) {
      compiled = compileVariants(policyOf(set, r), r.def, expr, opts);
      cache.rules.set(r.def, compiled);
    }
    if ('error' in compiled) {
      errors.push(compiled.error);
      continue;
    }
    const variants = compiled.variants;
    const evaluability = classify(variants, {
      assumedFilter: accepted.get(r.def) === 'assumed' ? set.unknownFilterFields(r.def) : [],
      variables: variablesIn(expr.text, macros).map((name) => ({ name, setBy: setters(merged.rules, name) })),
    });
    rules.push({ id: r.id, merged: r, variants, evaluability });
  }
  return { profile, rules, skipped, errors };
}

/** A rule's expression compiled (one variant per fim expansion), or its error. */
function compileVariants(p: Policy, def: RuleDef, expr: Located, opts: CompileOptions): { variants: RuleVariant[] } | { error: PolicyError } {
  const id = def.id;
  const variants: RuleVariant[] = [];
  for (const text of expandFim(expr.text)) {
    const c = text === expr.text && def.ast !== undefined ? compile(def.ast, opts) : compileRule(text, opts);
    if (!c.ok) {
      // An error in an expansion is reported at the rule's own expression.
      const e = text === expr.text ? c.errors[0] : { ...c.errors[0], span: { start: 0, end: expr.text.length } };
      return { error: expressionError(p, `rule ${id}: expression`, expr, e) };
    }
    const types = ruleEventTypes(c.value.fields);
    if (types !== undefined && types.length === 0) {
      const each = c.value.fields.filter((f) => SECL_FIELDS_LINUX[f]?.event !== undefined);
      return { error: definitionError(p, 0, `rule ${id}: its fields belong to different event types (${each.join(', ')}): it can never match`, expr) };
    }
    const guard = c.value.guard;
    variants.push({ types, match: c.value.match, fields: c.value.fields, ...(guard !== undefined ? { guard } : {}) });
  }
  return { variants };
}

/** The policy whose text holds the rule's expression (the first definition's). */
function policyOf(set: PolicySet, r: MergedRule): Policy {
  return set.policies.find((p) => p.def.rules.includes(r.def)) ?? r.policy;
}

/** The `${variables}` an expression reads, directly or through the macros it names. */
export function variablesIn(text: string, macros: ReadonlyMap<string, string | MacroNode>, seen = new Set<string>()): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) found.add(m[1]);
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)) {
    const body = macros.get(m[0]);
    if (typeof body !== 'string' || seen.has(m[0])) continue;
    seen.add(m[0]);
    for (const v of variablesIn(body, macros, seen)) found.add(v);
  }
  return [...found].sort();
}

/** The rules whose `set` actions write a variable. */
function setters(rules: readonly MergedRule[], name: string): string[] {
  return rules
    .filter((r) => r.actions.some((a) => a.set !== undefined && (a.set.scope !== undefined ? `${a.set.scope}.${a.set.name}` : a.set.name) === name))
    .map((r) => r.id);
}
