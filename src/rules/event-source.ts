/**
 * One event as every rule of a policy reads it: the backend `FieldSource`
 * (`secl/backend.ts`) with each field extracted ONCE per event (a policy's rules read
 * the same fields over and over), the `${variables}` the event carries, and the few
 * fields the backend does not write but that can be taken from elsewhere in it
 * (`ASSUMED_FIELDS`: the rule is then reported as approximate).
 */
import { backendFieldSource, inexactNumbers } from '../secl/backend.js';
import type { FieldSource, SeclScalar } from '../secl/eval.js';
import { SECL_FIELDS_LINUX } from '../secl/fields.js';
import { parseAgentVersion } from './semver.js';
import type { AgentProfile } from './filters.js';

/** SECL fields not written to the backend event, read from another place of it. */
export const ASSUMED_FIELDS: Readonly<Record<string, { path: readonly string[]; reason: string }>> = {
  'event.origin': {
    path: ['agent', 'origin'],
    reason: 'event.origin (not written to the backend event) taken from agent.origin, the probe of the agent that sent it',
  },
};

/**
 * Where a scope's variables are written: `process.x` in `process.variables`,
 * `container.x` in `container.variables`, a global one in `evt.variables`.
 */
export const VARIABLE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  process: ['process', 'variables'],
  container: ['container', 'variables'],
  cgroup: ['cgroup', 'variables'],
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function at(event: unknown, path: readonly string[]): unknown {
  let cur = event;
  for (const k of path) {
    if (!isObj(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function scalars(v: unknown): SeclScalar[] | undefined {
  const one = (x: unknown): SeclScalar | undefined =>
    typeof x === 'string' || typeof x === 'boolean' || typeof x === 'bigint' ? x : typeof x === 'number' && Number.isFinite(x) ? x : undefined;
  if (Array.isArray(v)) return v.map(one).filter((x): x is SeclScalar => x !== undefined);
  const s = one(v);
  return s === undefined ? undefined : [s];
}

/** Where a global variable is written. */
export const GLOBAL_VARIABLES: readonly string[] = ['evt', 'variables'];

/** Where `${name}` is written in an event. */
function variablePath(name: string): readonly string[] {
  const dot = name.indexOf('.');
  const scope = dot > 0 ? name.slice(0, dot) : undefined;
  if (scope !== undefined && Object.prototype.hasOwnProperty.call(VARIABLE_SCOPES, scope)) return [...VARIABLE_SCOPES[scope], name.slice(dot + 1)];
  return [...GLOBAL_VARIABLES, name];
}

/** The value of `${name}` in the event (undefined: the event does not carry it). */
export function eventVariable(event: unknown, name: string): SeclScalar[] | undefined {
  return scalars(at(event, variablePath(name)));
}

/** Whether a raw JSON value is a number or an array holding one (read through `scalars`). */
function hasNumber(v: unknown): boolean {
  return typeof v === 'number' || (Array.isArray(v) && v.some((x) => typeof x === 'number'));
}

/**
 * A FieldSource over one parsed event that reads each field once: its `fieldCache` is
 * shared by every rule evaluated on the event.
 *
 * `event` may be the plain JSON.parse value, with `exact` giving the event as the lossless
 * parser reads it (called at most once, only when needed): a field is read from the plain
 * value unless a number it met may differ there (an integer past 2^53, an infinity:
 * `inexactNumbers`), and a variable or assumed field unless it holds a number at all
 * (`scalars` keeps a plain number and drops an exact one); those are read from the exact
 * event. Every value is then the one the exact event gives (most events never parse twice).
 */
export function cachedEventSource(event: unknown, exact?: () => unknown): FieldSource {
  const base = backendFieldSource(event);
  let exactEvent: unknown;
  let exactBase: FieldSource | undefined;
  const exactSource = (): FieldSource => (exactBase ??= backendFieldSource((exactEvent = exact!())));
  const exactValue = (): unknown => {
    exactSource();
    return exactEvent;
  };
  let now: bigint | number | undefined;
  let nowRead = false;
  return {
    fieldCache: new Map(),
    get(field) {
      const assumed = Object.prototype.hasOwnProperty.call(ASSUMED_FIELDS, field) ? ASSUMED_FIELDS[field] : undefined;
      if (assumed !== undefined && SECL_FIELDS_LINUX[field]?.map.kind === 'unavailable') {
        const raw = at(event, assumed.path);
        return scalars(exact !== undefined && hasNumber(raw) ? at(exactValue(), assumed.path) : raw);
      }
      const before = inexactNumbers.seen;
      const v = base.get(field);
      return exact !== undefined && inexactNumbers.seen !== before ? exactSource().get(field) : v;
    },
    now() {
      if (!nowRead) {
        nowRead = true;
        now = base.now?.();
      }
      return now;
    },
    variable(name) {
      if (exact === undefined) return eventVariable(event, name);
      const path = variablePath(name);
      return scalars(hasNumber(at(event, path)) ? at(exactValue(), path) : at(event, path));
    },
  };
}

/** The agent of an event: `agent.os` (linux when absent), `agent.origin`, `agent.version`. */
export function eventProfile(event: unknown): AgentProfile {
  const os = at(event, ['agent', 'os']);
  const origin = at(event, ['agent', 'origin']);
  const version = at(event, ['agent', 'version']);
  const v = typeof version === 'string' ? parseAgentVersion(version) : undefined;
  return {
    os: typeof os === 'string' && os !== '' ? os : 'linux',
    ...(typeof origin === 'string' ? { origin } : {}),
    ...(v !== undefined ? { version: v } : {}),
  };
}

/** A key that is the same for events of the same agent (rule sets are cached by it). */
export function profileKey(p: AgentProfile): string {
  const v = p.version === undefined ? '?' : `${p.version.major}.${p.version.minor}.${p.version.patch}`;
  return `${p.os}\u0000${p.origin ?? ''}\u0000${v}`;
}
