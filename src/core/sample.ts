/**
 * Sample events (`csm-schema sample`): the plausible values of a kind's
 * `example` (kinds.ts) over a common base, with every key the schema requires
 * filled in around them. Deterministic: the same kind and schema give the same
 * event, keys in schema order.
 */
import { type JsonValue, isJsonObject } from './json/value.js';
import type { EventKind } from './kinds.js';
import type { SchemaIndex, SchemaNode } from './schema-index/graph.js';

type JsonObject = { [key: string]: JsonValue };

const DATE = '2024-05-14T09:30:00.000Z';
const EARLIER = '2024-05-14T09:29:58.112Z';

/** What every sample shares; a kind's `example` is merged over it. */
function base(kind: EventKind): JsonObject {
  return {
    agent: {
      rule_id: `sample_${kind.name}`,
      rule_version: '1.0.0',
      policy_name: 'default',
      version: '7.55.0',
      os: 'linux',
      arch: 'x86_64',
      origin: 'ebpf',
    },
    title: `Sample ${kind.name} event`,
    evt: { name: kind.name, category: kind.category, outcome: 'Success' },
    date: DATE,
    process: {
      pid: 4242,
      ppid: 4100,
      tid: 4242,
      uid: 0,
      gid: 0,
      user: 'root',
      group: 'root',
      comm: 'bash',
      tty: 'pts0',
      fork_time: EARLIER,
      exec_time: EARLIER,
      credentials: { uid: 0, user: 'root', gid: 0, group: 'root', auid: 1000 },
      executable: { path: '/usr/bin/bash', name: 'bash', inode: 131090, mode: 33261 },
      argv0: 'bash',
      args: [],
      source: 'runtime',
    },
  };
}

function merge(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    out[key] = isJsonObject(value) && isJsonObject(prev) ? merge(prev, value) : value;
  }
  return out;
}

/** A value for `node`: `given` where it says, the schema's required keys around it. */
function fill(node: SchemaNode, given: JsonValue | undefined): JsonValue {
  if (given !== undefined && !isJsonObject(given)) return given;
  if (given === undefined && !node.types.includes('object')) {
    const t = node.types;
    if (t.includes('string')) return node.format === 'date-time' ? DATE : 'example';
    if (t.includes('integer') || t.includes('number')) return 0;
    if (t.includes('boolean')) return false;
    if (t.includes('array')) return [];
    return null;
  }
  const src: JsonObject = given ?? {};
  const out: JsonObject = {};
  for (const [key, child] of node.children) {
    if (Object.hasOwn(src, key) || node.required.includes(key)) out[key] = fill(child, src[key]);
  }
  for (const [key, value] of Object.entries(src)) {
    const child = node.children.has(key) ? undefined : node.child(key);
    if (child !== undefined) out[key] = fill(child, value);
  }
  return out;
}

/**
 * A valid example event of `kind` for the schema of `index`; `agent` sets the
 * agent's `version`/`os`, so that `--schema auto` picks that same schema for it.
 */
export function sampleEvent(kind: EventKind, index: SchemaIndex, agent: JsonObject = {}): JsonObject {
  const overlay = merge(merge(base(kind), { agent }), kind.example);
  for (const section of kind.sections) overlay[section] ??= {};
  return fill(index.root, overlay) as JsonObject;
}
