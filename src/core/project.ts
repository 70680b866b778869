/**
 * Projection: the `--field` paths are compiled once into a tree, then each
 * selected event is walked along it (no path parsing per event).
 *
 * Nested output keeps the event's nesting, keys in the order the fields were
 * first given: `process.args` -> `{"process":{"args":[...]}}`. A missing field
 * is left out. `[*]` keeps the array, each element projected along the rest of
 * the path; `[N]` keeps an array of the picked elements, in the order given.
 */
import { type JsonValue, isJsonObject } from './json/value.js';
import { type Path, type Segment, formatPath, getPathValues } from './path.js';

type Node =
  | { kind: 'leaf' }
  | { kind: 'object'; children: Map<string, Node> }
  | { kind: 'each'; child: Node }
  | { kind: 'pick'; picks: Map<number, Node> };

/**
 * A problem with the set of fields (e.g. `[*]` and `[0]` on one array):
 * `field` is the one that cannot join the others, `reason` says why. The
 * caller names the field as its users know it (`field x`, `--field x`).
 */
export class ProjectionError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`field ${field}: ${reason}`);
    this.name = 'ProjectionError';
  }
}

function emptyFor(seg: Segment): Node {
  if (seg.kind === 'key') return { kind: 'object', children: new Map() };
  if (seg.kind === 'wildcard') return { kind: 'each', child: { kind: 'leaf' } };
  return { kind: 'pick', picks: new Map() };
}

function insert(node: Node, segments: readonly Segment[], at: number, field: string): Node {
  if (node.kind === 'leaf' && at > 0) return node; // the whole value is already taken
  if (at === segments.length) return { kind: 'leaf' };
  const seg = segments[at]!;
  let current = node.kind === 'leaf' ? emptyFor(seg) : node;
  if (seg.kind === 'key') {
    if (current.kind !== 'object') throw new ProjectionError(field, `'${seg.key}' is a key, but another field indexes this value as a list`);
    const child = current.children.get(seg.key);
    const isNew = child === undefined;
    const next = insert(child ?? emptyFor(segments[at + 1] ?? seg), segments, at + 1, field);
    if (isNew && at + 1 === segments.length) current.children.set(seg.key, { kind: 'leaf' });
    else current.children.set(seg.key, next);
    return current;
  }
  if (current.kind === 'object') throw new ProjectionError(field, `indexes a value that another field reads as an object`);
  if (seg.kind === 'wildcard') {
    if (current.kind === 'pick') throw new ProjectionError(field, `[*] and [N] cannot both select from the same list`);
    if (current.kind !== 'each') current = { kind: 'each', child: { kind: 'leaf' } };
    const child = current.child;
    const fresh = child.kind === 'leaf' && at + 1 < segments.length ? emptyFor(segments[at + 1]!) : child;
    current.child = at + 1 === segments.length ? { kind: 'leaf' } : insert(fresh, segments, at + 1, field);
    return current;
  }
  if (current.kind === 'each') throw new ProjectionError(field, `[*] and [N] cannot both select from the same list`);
  if (current.kind !== 'pick') current = { kind: 'pick', picks: new Map() };
  const existing = current.picks.get(seg.index);
  const next =
    at + 1 === segments.length
      ? { kind: 'leaf' as const }
      : insert(existing ?? emptyFor(segments[at + 1]!), segments, at + 1, field);
  current.picks.set(seg.index, existing?.kind === 'leaf' ? existing : next);
  return current;
}

function walk(value: JsonValue, node: Node, keepEmpty: boolean): JsonValue | undefined {
  switch (node.kind) {
    case 'leaf':
      return value;
    case 'object': {
      if (!isJsonObject(value)) return undefined;
      const out: { [key: string]: JsonValue } = {};
      let any = false;
      for (const [key, child] of node.children) {
        if (!Object.hasOwn(value, key)) continue;
        const v = walk(value[key]!, child, false);
        if (v === undefined) continue;
        // defineProperty: a key named __proto__ stays an own data property.
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        any = true;
      }
      return any || keepEmpty ? out : undefined;
    }
    case 'each': {
      if (!Array.isArray(value)) return undefined;
      const out: JsonValue[] = [];
      for (const el of value) {
        const v = walk(el, node.child, true);
        // Positions are kept: an element without the fields (or not an object or
        // list at all) stays as an empty {} (or [] under `[*][...]`).
        out.push(v !== undefined ? v : node.child.kind === 'object' ? {} : []);
      }
      return out;
    }
    case 'pick': {
      if (!Array.isArray(value)) return undefined;
      const out: JsonValue[] = [];
      for (const [index, child] of node.picks) {
        const i = index < 0 ? value.length + index : index;
        if (i < 0 || i >= value.length) continue;
        const v = walk(value[i]!, child, true);
        if (v !== undefined) out.push(v);
      }
      return out.length > 0 ? out : undefined;
    }
  }
}

export interface Projector {
  /** The fields, as given (resolved against the schema). */
  readonly paths: readonly Path[];
  /** Their display names (canonical path text), for headers and flat keys. */
  readonly names: readonly string[];
  /** Some field is of the envelope (`$host`): pass the envelope along. */
  readonly usesEnvelope: boolean;
  /**
   * Nested projection: `{"process":{"args":[...]}}`; `{}` when no field exists.
   * Envelope fields come as top-level `"$host"` keys, in the order given.
   */
  nested(event: JsonValue, envelope?: JsonValue): JsonValue;
  /** Each field's values: one value, or for paths with `[*]` the list reached; undefined if missing. */
  columns(event: JsonValue, envelope?: JsonValue): (JsonValue | undefined)[];
}

function hasWildcard(path: Path): boolean {
  return path.segments.some((s) => s.kind === 'wildcard');
}

function treeOf(paths: readonly Path[]): Node {
  let root: Node = { kind: 'object', children: new Map() };
  for (const path of paths) {
    if (path.segments.length === 0) {
      root = { kind: 'leaf' };
      continue;
    }
    root = insert(root, path.segments, 0, path.text);
  }
  return root;
}

/** The event's projection and the envelope's (`$` keys) in one object, top-level keys in the order the fields were given. */
function merged(order: readonly { envelope: boolean; key: string }[], event: JsonValue | undefined, envelope: JsonValue | undefined): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  for (const { envelope: env, key } of order) {
    const from = env ? envelope : event;
    if (!isJsonObject(from) || !Object.hasOwn(from, key)) continue;
    Object.defineProperty(out, env ? `$${key}` : key, { value: from[key]!, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Compiles the fields once; throws ProjectionError for fields that cannot be combined. */
export function compileProjection(paths: readonly Path[]): Projector {
  const eventPaths = paths.filter((p) => p.envelope !== true);
  const envelopePaths = paths.filter((p) => p.envelope === true);
  const root = treeOf(eventPaths);
  const envelopeRoot = treeOf(envelopePaths);
  const order: { envelope: boolean; key: string }[] = [];
  for (const p of paths) {
    const first = p.segments[0];
    if (first?.kind !== 'key') continue;
    const envelope = p.envelope === true;
    if (!order.some((o) => o.envelope === envelope && o.key === first.key)) order.push({ envelope, key: first.key });
  }
  const names = paths.map((p) => formatPath(p));
  const fanOut = paths.map(hasWildcard);
  const usesEnvelope = envelopePaths.length > 0;
  return {
    paths,
    names,
    usesEnvelope,
    nested: (event, envelope) => {
      const own = walk(event, root, true) ?? {};
      if (!usesEnvelope || root.kind === 'leaf') return own;
      return merged(order, own, envelope === undefined ? undefined : walk(envelope, envelopeRoot, false));
    },
    columns: (event, envelope) =>
      paths.map((path, i) => {
        const from = path.envelope === true ? envelope : event;
        const values = from === undefined ? [] : getPathValues(from, path);
        if (fanOut[i]) return values;
        return values.length === 0 ? undefined : values[0];
      }),
  };
}
