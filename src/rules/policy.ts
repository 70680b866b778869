/**
 * Loading policy files as the agent does (`rules/policy.go`, `ruleset.go` LoadPolicies):
 *
 * 1. each file is decoded (`decode.ts`) and checked on its own (`Policy.parse`): a macro or
 *    rule needs an id matching `^[a-zA-Z0-9_]*$` (group_id too), a rule an expression unless
 *    it is disabled or combined, `combine` is `merge`/`override` (macros) or `override`
 *    (rules), `agent_version` is a semver constraint, filters and expressions parse;
 * 2. policies are merged in order (the file named `default.policy` first, as the agent's
 *    directory provider sorts it; it is the default policy, the others custom), keeping
 *    only the macros and rules ACCEPTED for a given agent (`filters`, `agent_version`):
 *    see `ruleset.ts`.
 *
 * Pure: file texts in, definitions and located errors out.
 */
import { parseMacro, parseRule } from '../secl/parser.js';
import type { SeclError } from '../secl/errors.js';
import { decodePolicy, LineCounter, type Located, type MacroDef, type PolicyDef, type RuleDef, type SourceFile } from './decode.js';
import { policyError, type PolicyError } from './errors.js';
import { parseConstraint, type Constraint } from './semver.js';

export type PolicyType = 'default' | 'custom';

export interface Policy {
  file: SourceFile;
  name: string;
  type: PolicyType;
  def: PolicyDef;
  lines: { lineStarts: number[] };
}

/** The agent's `DefaultPolicyName`. */
export const DEFAULT_POLICY_NAME = 'default.policy';

const ID = /^[a-zA-Z0-9_]*$/;

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

function lineIndex(text: string): { lineStarts: number[] } {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return { lineStarts: lc.lineStarts };
}

/** An error at a SECL error's span inside a located expression. */
export function expressionError(p: Policy, where: string, expr: Located, e: SeclError): PolicyError {
  const start = expr.offsets[Math.min(e.span.start, expr.offsets.length - 1)] ?? 0;
  const endIdx = Math.max(e.span.start, e.span.end - 1);
  const end = (expr.offsets[Math.min(endIdx, expr.offsets.length - 1)] ?? start) + 1;
  const hint = e.suggestion !== undefined ? ` — did you mean '${e.suggestion}'?` : '';
  return policyError(p.file, p.lines, 'expression', `${where}: ${e.message}${hint}`, { start, end: Math.max(end, start + 1) });
}

/** An error at a definition (its first line). */
export function definitionError(p: Policy, at: number, message: string, located?: Located): PolicyError {
  const start = located !== undefined ? (located.offsets[0] ?? at) : at;
  const end = located !== undefined ? (located.offsets[located.offsets.length - 1] ?? start + 1) : start + 1;
  return policyError(p.file, p.lines, 'policy', message, { start, end: Math.max(end, start + 1) });
}

/** `agent_version`, parsed once; an error names the constraint. */
export function constraintOf(p: Policy, where: string, at: number, av: Located | undefined, errors: PolicyError[]): Constraint | undefined {
  if (av === undefined) return undefined;
  const c = parseConstraint(av.text);
  if (c === undefined) errors.push(definitionError(p, at, `${where}: agent_version: '${av.text}' is not a semver constraint (>= 7.46, >=7.65 <7.70, ~7.50)`, av));
  return c;
}

function checkFilters(p: Policy, where: string, filters: readonly Located[], errors: PolicyError[]): void {
  for (const f of filters) {
    const r = parseRule(f.text);
    if (!r.ok) errors.push(expressionError(p, `${where}: filter`, f, r.errors[0]));
  }
}

function checkMacro(p: Policy, m: MacroDef, errors: PolicyError[]): void {
  const where = `macro ${m.id === '' ? '(no id)' : m.id}`;
  if (m.id === '') {
    errors.push(definitionError(p, m.at, `macro without an id${m.expression !== undefined ? ` (expression \`${m.expression.text.slice(0, 40)}\`)` : ''}`));
    return;
  }
  if (!ID.test(m.id)) errors.push(definitionError(p, m.at, `${where}: the id must match ^[a-zA-Z0-9_]*$`));
  if (m.combine !== undefined && m.combine !== 'merge' && m.combine !== 'override') {
    errors.push(definitionError(p, m.at, `${where}: combine must be 'merge' or 'override', found '${m.combine}'`));
  }
  if (m.expression === undefined && m.values === undefined) errors.push(definitionError(p, m.at, `${where}: no expression and no values`));
  if (m.expression !== undefined && m.values !== undefined) errors.push(definitionError(p, m.at, `${where}: both expression and values (one of them)`));
  if (m.expression !== undefined) {
    const r = parseMacro(m.expression.text);
    if (!r.ok) errors.push(expressionError(p, `${where}: expression`, m.expression, r.errors[0]));
    else m.ast = r.value;
  }
  constraintOf(p, where, m.at, m.agentVersion, errors);
  checkFilters(p, where, m.filters, errors);
}

const OVERRIDE_FIELDS = new Set(['all', 'expression', 'actions', 'every', 'tags', 'product_tags']);

function checkRule(p: Policy, r: RuleDef, errors: PolicyError[]): void {
  const where = `rule ${r.id === '' ? '(no id)' : r.id}`;
  if (r.id === '') {
    errors.push(definitionError(p, r.at, 'rule without an id'));
    return;
  }
  if (!ID.test(r.id)) errors.push(definitionError(p, r.at, `${where}: the id must match ^[a-zA-Z0-9_]*$`));
  if (r.groupId !== undefined && !ID.test(r.groupId)) errors.push(definitionError(p, r.at, `${where}: group_id must match ^[a-zA-Z0-9_]*$`));
  if (r.combine !== undefined && r.combine !== 'override') errors.push(definitionError(p, r.at, `${where}: combine must be 'override', found '${r.combine}'`));
  for (const f of r.overrideFields) {
    if (!OVERRIDE_FIELDS.has(f)) errors.push(definitionError(p, r.at, `${where}: override_options.fields: unknown field '${f}' (all, actions, every, tags, product_tags)`));
  }
  if (r.expression === undefined && !r.disabled && r.combine === undefined && r.badExpression !== true) errors.push(definitionError(p, r.at, `${where}: no expression`));
  if (r.expression !== undefined) {
    const parsed = parseRule(r.expression.text);
    if (!parsed.ok) errors.push(expressionError(p, `${where}: expression`, r.expression, parsed.errors[0]));
    else r.ast = parsed.value;
  }
  constraintOf(p, where, r.at, r.agentVersion, errors);
  checkFilters(p, where, r.filters, errors);
  for (const a of r.actions) {
    if (a.filter !== undefined) {
      const f = parseRule(a.filter.text);
      if (!f.ok) errors.push(expressionError(p, `${where}: action filter`, a.filter, f.errors[0]));
    }
    if (a.set !== undefined && a.set.name === '') errors.push(definitionError(p, r.at, `${where}: a set action without a variable name`));
  }
}

/** One policy file: decoded and checked on its own (errors are located in it). */
export function loadPolicy(file: SourceFile): { policy: Policy; errors: PolicyError[] } {
  const { def, errors } = decodePolicy(file);
  const name = baseName(file.name);
  const policy: Policy = { file, name, type: name === DEFAULT_POLICY_NAME ? 'default' : 'custom', def, lines: lineIndex(file.text) };
  for (const m of def.macros) checkMacro(policy, m, errors);
  for (const r of def.rules) checkRule(policy, r, errors);
  return { policy, errors };
}

/**
 * The policies in the agent's order: the default policy first (only the first file
 * named `default.policy` is one; the agent loads only one), then the others as given.
 */
export function orderPolicies(policies: readonly Policy[]): Policy[] {
  const def = policies.find((p) => p.type === 'default');
  return def === undefined ? [...policies] : [def, ...policies.filter((p) => p !== def).map((p) => (p.type === 'default' ? { ...p, type: 'custom' as const } : p))];
}
