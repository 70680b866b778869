/**
 * The sparse event of a byte pass (scan.ts): the members the trie reached, as
 * plain JSON values made from their own slices of the line. Shared by
 * csm-filter's line step (select.ts) and csm-rules' (io/rules-job.ts).
 */
import { type JsonObject, type JsonValue } from '../json/value.js';
import { needsLossless, parseLossless } from '../json/parse.js';
import { type KeyTrie, Slice, type SparseTree } from './scan.js';

/** The value of a slice: as JSON.parse gives it, or with exact numbers (the lossless parse, only where its text needs it). */
function sliceValue(slice: Slice, bytes: Buffer, exact: boolean): JsonValue {
  if (!slice.parsed) {
    if (slice.plainString) slice.value = bytes.toString('utf8', slice.start + 1, slice.end - 1);
    else {
      slice.text = bytes.toString('utf8', slice.start, slice.end);
      slice.value = JSON.parse(slice.text);
    }
    slice.parsed = true;
  }
  // A string is exact as it is; another value only where its text may hold a number JSON.parse rounds.
  if (exact && slice.text !== undefined && needsLossless(slice.text)) return parseLossless(slice.text);
  return slice.value as JsonValue;
}

/**
 * The sparse event: plain objects (a `__proto__` key an own property, as
 * JSON.parse makes it); with `only`, just the members on its paths.
 */
export function materialize(tree: SparseTree, bytes: Buffer, exact: boolean, only?: KeyTrie): JsonObject {
  const out: JsonObject = {};
  for (const [key, v] of tree) {
    let below: KeyTrie | undefined;
    if (only !== undefined) {
      const at = only.names.indexOf(key);
      if (at < 0) continue;
      below = only.children[at]!;
      if (below.leaf) below = undefined;
    }
    const value = v instanceof Slice ? sliceValue(v, bytes, exact) : materialize(v, bytes, exact, below);
    if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/** The state behind one object of a lazy event: its members found, the line, values made so far. */
interface LazyNode {
  tree: SparseTree;
  bytes: Buffer;
  exact: boolean;
  made: Map<string, JsonValue>;
}

function lazyMember(t: LazyNode, key: string): JsonValue | undefined {
  const made = t.made.get(key);
  if (made !== undefined) return made;
  const v = t.tree.get(key);
  if (v === undefined) return undefined;
  const value = v instanceof Slice ? sliceValue(v, t.bytes, t.exact) : lazyObject(v, t.bytes, t.exact);
  t.made.set(key, value);
  return value;
}

const LAZY: ProxyHandler<LazyNode> = {
  get: (t, key) => (typeof key === 'string' ? lazyMember(t, key) : undefined),
  has: (t, key) => typeof key === 'string' && t.tree.has(key),
  getOwnPropertyDescriptor: (t, key) => {
    if (typeof key !== 'string' || !t.tree.has(key)) return undefined;
    return { value: lazyMember(t, key), writable: true, enumerable: true, configurable: true };
  },
  ownKeys: (t) => [...t.tree.keys()],
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
};

/**
 * The sparse event as a read-only object whose members are made when first read (each
 * once): the same values `materialize` gives, without making those never read.
 */
export function lazyObject(tree: SparseTree, bytes: Buffer, exact: boolean): JsonObject {
  return new Proxy<LazyNode>({ tree, bytes, exact, made: new Map() }, LAZY) as unknown as JsonObject;
}
