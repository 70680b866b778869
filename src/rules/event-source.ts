/**
 * One event as every rule of a policy reads it: the backend `FieldSource`
 * (`secl/backend.ts`) with each field extracted ONCE per event (a policy's rules read
 * the same fields over and over), the `${variables}` the event carries, and the few
 * fields the backend does not write but that can be taken from elsewhere in it
 * (`ASSUMED_FIELDS`: the rule is then reported as approximate).
 */
import { backendFieldSource } from '../secl/backend.js';
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
const VARIABLE_SCOPES: Readonly<Record<string, readonly string[]>> = {
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

/** The value of `${name}` in the event (undefined: the event does not carry it). */
export function eventVariable(event: unknown, name: string): SeclScalar[] | undefined {
  const dot = name.indexOf('.');
  const scope = dot > 0 ? name.slice(0, dot) : undefined;
  if (scope !== undefined && Object.prototype.hasOwnProperty.call(VARIABLE_SCOPES, scope)) {
    return scalars(at(event, [...VARIABLE_SCOPES[scope], name.slice(dot + 1)]));
  }
  return scalars(at(event, ['evt', 'variables', name]));
}

/**
 * A FieldSource over one parsed event that reads each field once: its `fieldCache` is
 * shared by every rule evaluated on the event.
 */
export function cachedEventSource(event: unknown): FieldSource {
  const base = backendFieldSource(event);
  let now: bigint | number | undefined;
  let nowRead = false;
  return {
    fieldCache: new Map(),
    get(field) {
      const assumed = Object.prototype.hasOwnProperty.call(ASSUMED_FIELDS, field) ? ASSUMED_FIELDS[field] : undefined;
      if (assumed !== undefined && SECL_FIELDS_LINUX[field]?.map.kind === 'unavailable') return scalars(at(event, assumed.path));
      return base.get(field);
    },
    now() {
      if (!nowRead) {
        nowRead = true;
        now = base.now?.();
      }
      return now;
    },
    variable: (name) => eventVariable(event, name),
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
