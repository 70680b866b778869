/**
 * A JSON Schema compiled for the byte-level fast path (scan.ts): a graph of
 * nodes that says, for each place in an event, which JSON types may be there,
 * the known keys of an object (as UTF-8 bytes, in an open-addressing table keyed
 * by a hash of the bytes), the required ones, what other keys may be, the items
 * of an array, and whether a string must be an RFC 3339 date-time.
 *
 * Only what the bundled schemas use is compiled: `type`, `properties`,
 * `required`, `additionalProperties`, `items` (one schema), local `$ref`s,
 * `format: date-time`, and annotations. Any other keyword, or a construct whose
 * meaning differs between drafts or ajv set-ups, declines the whole schema:
 * `compileFastSchema` then returns a reason, and every line goes the ajv way.
 * Nothing of the schema becomes code: keys are data compared byte for byte.
 */

/** Type bits of a node: the JSON types a value may have there. */
export const T_NULL = 1;
export const T_BOOL = 2;
export const T_INT = 4;
/** `number`: every number (integers included). */
export const T_NUM = 8;
export const T_STR = 16;
export const T_ARR = 32;
export const T_OBJ = 64;
export const T_ALL = 127;

const TYPE_BITS: Record<string, number> = {
  null: T_NULL, boolean: T_BOOL, integer: T_INT, number: T_NUM, string: T_STR, array: T_ARR, object: T_OBJ,
};

/** Keywords that never change a verdict (annotations), and the containers of `$ref` targets. */
const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', '$defs', 'definitions']);
const HANDLED = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'format', '$ref']);

export class FastNode {
  /** Type bits; 0 for the `false` schema (no value passes: the scan gives up). */
  types = T_ALL;
  dateTime = false;
  /** Known keys (properties and required), UTF-8. */
  keys: Uint8Array[] = [];
  hashes: number[] = [];
  propNodes: FastNode[] = [];
  /** 1 where the key is required. */
  required: number[] = [];
  requiredCount = 0;
  /** `additionalProperties: false`. */
  closed = false;
  /** The schema of other keys (ANY when absent or true). */
  additional: FastNode = this;
  items: FastNode = this;
  /** Open-addressing table: key index + 1, 0 when empty. */
  table: Int32Array = new Int32Array(1);
  mask = 0;
}

/** The node that takes any JSON value (its keys, items and additional keys are ANY again). */
export const ANY = new FastNode();

/** The hash the scanner computes over a key's bytes while reading it. */
export function keyHash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0;
  return h;
}

/** The index of a known key of `node`, or -1. */
export function lookupKey(node: FastNode, h: number, bytes: Uint8Array, start: number, length: number): number {
  const { table, mask, hashes, keys } = node;
  let i = h & mask;
  for (;;) {
    const e = table[i]!;
    if (e === 0) return -1;
    const p = e - 1;
    if (hashes[p] === h) {
      const key = keys[p]!;
      if (key.length === length) {
        let k = 0;
        while (k < length && key[k] === bytes[start + k]) k++;
        if (k === length) return p;
      }
    }
    i = (i + 1) & mask;
  }
}

/** The indexes in a compiled schema of the keys whose values the verdict needs (see scan.ts). */
export interface CaptureKeys {
  /** In the root node: `agent`, `evt` (-1: not a known key, and then no such key passes). */
  readonly agent: number;
  readonly evt: number;
  /** In the `agent` node: `os`, `version`, `rule_id`; in the `evt` node: `name`. */
  readonly os: number;
  readonly version: number;
  readonly ruleId: number;
  readonly name: number;
}

export interface FastSchema {
  readonly root: FastNode;
  readonly captures: CaptureKeys;
  /** The most known keys of one node (the size of the scanner's per-depth duplicate stamps). */
  readonly maxKeys: number;
}

class Declined extends Error {}

function decline(why: string): never {
  throw new Declined(why);
}

const encoder = new TextEncoder();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON Pointer fragment (`#/$defs/Process`) resolved in `root`. */
function resolvePointer(root: unknown, fragment: string): unknown {
  let text: string;
  try {
    text = decodeURIComponent(fragment);
  } catch {
    return decline(`$ref '${fragment}' is not a valid URI fragment`);
  }
  if (text === '') return root;
  if (!text.startsWith('/')) return decline(`$ref '#${fragment}' names an anchor`);
  let at: unknown = root;
  for (const raw of text.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(at) || !Object.hasOwn(at, token)) return decline(`$ref '#${fragment}' does not resolve`);
    at = at[token];
  }
  return at;
}

function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function fillTable(node: FastNode): void {
  let size = 2;
  while (size < node.keys.length * 2) size *= 2;
  node.table = new Int32Array(size);
  node.mask = size - 1;
  node.keys.forEach((key, p) => {
    const h = keyHash(key, 0, key.length);
    node.hashes[p] = h;
    let i = h & node.mask;
    while (node.table[i] !== 0) i = (i + 1) & node.mask;
    node.table[i] = p + 1;
  });
}

/**
 * The fast-path form of `schema`, or `{ declined }` saying what it does not
 * cover. `schema` is the root of a document (its `$ref`s are local: `#...`, or
 * the root's `$id` followed by `#...`).
 */
export function compileFastSchema(schema: unknown): FastSchema | { declined: string } {
  try {
    return compileOrThrow(schema);
  } catch (err) {
    if (err instanceof Declined) return { declined: err.message };
    throw err;
  }
}

function compileOrThrow(schema: unknown): FastSchema {
  const rootId = isObject(schema) && typeof schema.$id === 'string' ? schema.$id.replace(/#$/, '') : undefined;
  const memo = new Map<object, FastNode>();
  const resolving = new Set<object>();
  let maxKeys = 1;

  const target = (ref: string): unknown => {
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    if (base !== '' && base !== rootId) decline(`$ref '${ref}' names another document`);
    return resolvePointer(schema, hash < 0 ? '' : ref.slice(hash + 1));
  };

  const compile = (s: unknown, isRoot: boolean): FastNode => {
    if (s === true) return ANY;
    if (s === false) {
      const never = new FastNode();
      never.types = 0;
      return never;
    }
    if (!isObject(s)) return decline('a subschema is neither an object nor a boolean');
    const known = memo.get(s);
    if (known !== undefined) return known;
    for (const k of Object.keys(s)) {
      if (ANNOTATIONS.has(k) || HANDLED.has(k)) continue;
      if (isRoot && (k === '$schema' || k === '$id')) continue;
      decline(`keyword '${k}' is not covered`);
    }
    if (typeof s.$ref === 'string' || s.$ref !== undefined) {
      if (typeof s.$ref !== 'string') decline('$ref is not a string');
      if (Object.keys(s).some((k) => HANDLED.has(k) && k !== '$ref')) decline('$ref beside other keywords is not covered');
      if (resolving.has(s)) decline('a $ref cycle without a schema in between');
      resolving.add(s);
      const node = compile(target(s.$ref as string), false);
      resolving.delete(s);
      memo.set(s, node);
      return node;
    }
    const node = new FastNode();
    memo.set(s, node);
    node.additional = ANY;
    node.items = ANY;
    if (s.type !== undefined) {
      const names = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type : decline('type is not a string or a list');
      if (names.length === 0) decline('an empty type list is not covered');
      node.types = 0;
      for (const n of names) {
        if (typeof n !== 'string' || !Object.hasOwn(TYPE_BITS, n)) decline(`type '${String(n)}' is not a JSON type`);
        node.types |= TYPE_BITS[n]!;
      }
    }
    if (s.format !== undefined) {
      if (s.format !== 'date-time') decline(`format '${String(s.format)}' is not covered`);
      node.dateTime = true;
    }
    const names: string[] = [];
    const subs: unknown[] = [];
    if (s.properties !== undefined) {
      if (!isObject(s.properties)) decline('properties is not an object');
      for (const [k, v] of Object.entries(s.properties)) {
        names.push(k);
        subs.push(v);
      }
    }
    const required = new Set<string>();
    if (s.required !== undefined) {
      if (!Array.isArray(s.required)) decline('required is not a list');
      for (const r of s.required) {
        if (typeof r !== 'string') decline('required holds a non-string');
        required.add(r);
        if (!names.includes(r)) {
          names.push(r);
          subs.push(s.additionalProperties ?? true);
        }
      }
    }
    for (const k of names) {
      if (k === '__proto__' || !wellFormed(k)) decline(`key '${k}' is not covered`);
    }
    if (s.additionalProperties === false) node.closed = true;
    else if (s.additionalProperties !== undefined) node.additional = compile(s.additionalProperties, false);
    if (s.items !== undefined) {
      if (Array.isArray(s.items)) decline('items as a list (tuples) is not covered');
      node.items = compile(s.items, false);
    }
    node.keys = names.map((k) => encoder.encode(k));
    node.propNodes = subs.map((sub) => compile(sub, false));
    node.required = names.map((k) => (required.has(k) ? 1 : 0));
    node.requiredCount = required.size;
    maxKeys = Math.max(maxKeys, names.length);
    fillTable(node);
    return node;
  };

  const root = compile(schema, true);
  const captures = captureKeys(root);
  return { root, captures, maxKeys };
}

function indexOf(node: FastNode, name: string): number {
  const key = encoder.encode(name);
  return lookupKey(node, keyHash(key, 0, key.length), key, 0, key.length);
}

/**
 * Where the values the verdict needs are (`agent.os`, `agent.version` and
 * `agent.rule_id` choose the schema and mark custom events, `evt.name` is the
 * kind). Each must be a known key, or a key no accepted line can hold (its
 * object is closed): else an accepted line could hold it unseen, and the schema
 * declines.
 */
function captureKeys(root: FastNode): CaptureKeys {
  const known = (node: FastNode, name: string): number => {
    const i = node === ANY ? -1 : indexOf(node, name);
    if (i < 0 && !node.closed && (node.types & T_OBJ) !== 0) decline(`'${name}' is not a known key where the verdict reads it`);
    return i;
  };
  const agent = known(root, 'agent');
  const evt = known(root, 'evt');
  const agentNode = agent >= 0 ? root.propNodes[agent]! : undefined;
  const evtNode = evt >= 0 ? root.propNodes[evt]! : undefined;
  return {
    agent,
    evt,
    os: agentNode === undefined ? -1 : known(agentNode, 'os'),
    version: agentNode === undefined ? -1 : known(agentNode, 'version'),
    ruleId: agentNode === undefined ? -1 : known(agentNode, 'rule_id'),
    name: evtNode === undefined ? -1 : known(evtNode, 'name'),
  };
}
