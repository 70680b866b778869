/**
 * Which definitions an agent accepts: `filters` (SECL over the agent's rule-filter model,
 * `filtermodel`: `os`, `origin`, `kernel.version.*`, `os.is_*`...; several filters are
 * ORed) and `agent_version` (a semver constraint on the agent's version).
 *
 * Offline, the agent is the one that sent the event: `os` is its `agent.os`, `origin` its
 * `agent.origin`. The other filter fields (kernel version, distribution, environment,
 * hostname) are not in the backend event: a filter that reads one is ASSUMED to hold, and
 * the rule is reported as approximate. An event without `agent.version` (or with one that
 * is not a version) passes every `agent_version`, likewise noted.
 */
import { compileRule } from '../secl/eval.js';
import type { FieldInfo, FieldSource, Predicate } from '../secl/eval.js';
import type { SeclError } from '../secl/errors.js';
import { satisfies, type Constraint, type Version } from './semver.js';

/** The agent an event comes from, as far as its JSON says. */
export interface AgentProfile {
  os: string;
  origin?: string;
  /** Undefined: unknown (every agent_version constraint is taken to hold). */
  version?: Version;
}

const FILTER_FIELDS: Readonly<Record<string, FieldInfo & { known?: keyof AgentProfile }>> = {
  os: { type: 'string', known: 'os' },
  origin: { type: 'string', known: 'origin' },
  hostname: { type: 'string' },
  envs: { type: 'string', array: true },
  'os.id': { type: 'string' },
  'os.platform_id': { type: 'string' },
  'os.version_id': { type: 'string' },
  'os.is_amazon_linux': { type: 'bool' },
  'os.is_cos': { type: 'bool' },
  'os.is_debian': { type: 'bool' },
  'os.is_oracle': { type: 'bool' },
  'os.is_rhel': { type: 'bool' },
  'os.is_rhel7': { type: 'bool' },
  'os.is_rhel8': { type: 'bool' },
  'os.is_sles': { type: 'bool' },
  'os.is_sles12': { type: 'bool' },
  'os.is_sles15': { type: 'bool' },
  'kernel.version.major': { type: 'int' },
  'kernel.version.minor': { type: 'int' },
  'kernel.version.patch': { type: 'int' },
  'kernel.version.abi': { type: 'int' },
  'kernel.version.flavor': { type: 'string' },
  'kernel.core.enabled': { type: 'bool' },
};

const FILTER_CONSTANTS = new Map<string, boolean>([
  ['true', true],
  ['false', false],
]);

export interface CompiledFilter {
  match: Predicate;
  /** Filter fields the backend event does not have (the filter is then assumed to hold). */
  unknown: string[];
}

/** The filters of a definition, ORed (`mergeFilterExpressions`); errors are in the merged text. */
const FILTER_OPTIONS = {
  fields: (n: string) => (Object.prototype.hasOwnProperty.call(FILTER_FIELDS, n) ? FILTER_FIELDS[n] : undefined),
  fieldNames: Object.keys(FILTER_FIELDS),
  constants: FILTER_CONSTANTS,
  legacyFields: {},
};

/** The filters of a definition, ORed (`mergeFilterExpressions`); an error names the filter (`index`). */
export function compileFilters(filters: readonly string[]): { ok: true; value: CompiledFilter } | { ok: false; index: number; error: SeclError } {
  for (let i = 0; i < filters.length; i++) {
    const c = compileRule(filters[i], FILTER_OPTIONS);
    if (!c.ok) return { ok: false, index: i, error: c.errors[0] };
  }
  const c = compileRule(filters.map((f) => `(${f})`).join(' || '), FILTER_OPTIONS);
  if (!c.ok) return { ok: false, index: 0, error: c.errors[0] };
  const unknown = c.value.fields.filter((f) => FILTER_FIELDS[f].known === undefined);
  return { ok: true, value: { match: c.value.match, unknown } };
}

function profileSource(p: AgentProfile): FieldSource {
  return {
    get(name) {
      const known = FILTER_FIELDS[name]?.known;
      if (known === undefined) return undefined;
      const v = p[known];
      return typeof v === 'string' ? [v] : undefined;
    },
  };
}

/** yes, no, or assumed (the filter reads fields the event does not have). */
export type Acceptance = 'yes' | 'no' | 'assumed';

export function filterAccepts(f: CompiledFilter | undefined, p: AgentProfile): Acceptance {
  if (f === undefined) return 'yes';
  if (f.unknown.length > 0) return 'assumed';
  return f.match(profileSource(p)) ? 'yes' : 'no';
}

export function versionAccepts(c: Constraint | undefined, p: AgentProfile): Acceptance {
  if (c === undefined) return 'yes';
  if (p.version === undefined) return 'assumed';
  return satisfies(p.version, c) ? 'yes' : 'no';
}
