/**
 * What the event schema says about field paths: which paths exist, their types,
 * formats and descriptions. Used to resolve `--field`/query paths (with a
 * "did you mean" on typos), to type-check query operands and to list fields.
 *
 * `buildSchemaIndex` reads a JSON Schema (draft 2020-12; `definitions` works
 * too): local `$ref`s (`#/$defs/...`, any local JSON pointer), `properties`,
 * `items`/`prefixItems`, `anyOf`/`oneOf`/`allOf` (taken as unions: a key that
 * any branch declares exists), `additionalProperties`. Nodes are built lazily,
 * so recursive schemas are fine.
 *
 * Free-form nodes accept keys the schema does not list: an object with
 * `additionalProperties` set to a schema (its value node is that schema), an
 * object without `additionalProperties: false` (`Variables`: no properties at
 * all), and a schema that constrains nothing (`ProcessCredentials.destination`,
 * `items: true` of `rule_actions`): every sub-path of those is accepted.
 *
 * Dotted keys. `MountEvent` declares keys that contain dots (`mountpoint.path`).
 * `resolvePath` re-joins the plain (unquoted) keys of a path against the schema:
 * at each step it tries the longest run of dotted parts that is a declared key
 * first (`mount.mountpoint.path` -> `mount` / `mountpoint.path`), and falls back to
 * shorter ones only if the longer choice cannot resolve the rest of the path.
 * Under a free-form node parts are taken one at a time (write
 * `evt.variables["a.b"]` for a key with a dot there). Quoted keys are exact.
 */
import {
  formatPath,
  parsePath,
  type Path,
  type PathError,
  type Segment,
  type Span,
} from './path.js';

type SchemaObject = { [key: string]: unknown };

export interface SchemaIndex {
  /** The node of the whole event. */
  readonly root: SchemaNode;
  /** The schema the index was built from. */
  readonly schema: object;
}

/** One place in the event, as the schema describes it. */
export class SchemaNode {
  /** JSON types the value may have (`string`, `integer`, `object`, ...); empty: any. */
  readonly types: readonly string[];
  readonly format: string | undefined;
  readonly description: string | undefined;
  /**
   * Keys the schema does not list are accepted; their node is `additional` (the
   * `additionalProperties` schema, or a node that accepts anything below it).
   */
  readonly freeForm: boolean;
  /** Keys the schema requires (the union of the `required` lists of its parts). */
  readonly required: readonly string[];
  /** @internal the schema objects this node merges (after $ref and unions). */
  readonly parts: readonly SchemaObject[];
  private readonly builder: Builder;
  private loaded = false;
  private _children = new Map<string, SchemaNode>();
  private _items: SchemaNode | undefined;
  private _prefixItems: SchemaNode[] = [];
  private _additional: SchemaNode | undefined;

  /** @internal */
  constructor(builder: Builder, parts: SchemaObject[], anyValue: boolean) {
    this.builder = builder;
    this.parts = parts;
    const declared = new Set<string>();
    const inferred = new Set<string>();
    let format: string | undefined;
    let description: string | undefined;
    let structured = false;
    let closed = false;
    let openSchema = false;
    const required = new Set<string>();
    for (const p of parts) {
      if (Array.isArray(p.required)) for (const k of p.required) if (typeof k === 'string') required.add(k);
      const t = p.type;
      if (typeof t === 'string') declared.add(t);
      else if (Array.isArray(t)) for (const x of t) if (typeof x === 'string') declared.add(x);
      if (format === undefined && typeof p.format === 'string') format = p.format;
      if (description === undefined && typeof p.description === 'string') description = p.description;
      if (isObject(p.properties) || isObject(p.patternProperties) || p.additionalProperties !== undefined) {
        inferred.add('object');
        structured = true;
      }
      if (p.additionalProperties === false) closed = true;
      if (isObject(p.additionalProperties) || p.additionalProperties === true || isObject(p.patternProperties)) {
        openSchema = true;
      }
      if (p.items !== undefined || Array.isArray(p.prefixItems)) {
        inferred.add('array');
        structured = true;
      }
      if (p.enum !== undefined || p.const !== undefined || p.not !== undefined) structured = true;
    }
    const types = declared.size > 0 ? declared : inferred;
    const any = anyValue || (types.size === 0 && !structured);
    this.types = any ? [] : [...types];
    this.format = format;
    this.description = description;
    // JSON Schema: keys not listed are allowed unless additionalProperties is false
    this.freeForm = any || (types.has('object') && (openSchema || !closed));
    this.required = [...required];
  }

  /**
   * The name of the `$defs` (or `definitions`) entry this node's schema is, or
   * refers to (`File` for `process.executable`); undefined for inline schemas.
   */
  get defName(): string | undefined {
    for (const p of this.parts) {
      const name = this.builder.defNames.get(p);
      if (name !== undefined) return name;
    }
    return undefined;
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const b = this.builder;
    if (this.types.length === 0 && this.freeForm && this.parts.every((p) => !isStructured(p))) {
      this._items = b.any;
      this._additional = b.any;
      return;
    }
    const props = new Map<string, unknown[]>();
    const items: unknown[] = [];
    const prefix: unknown[][] = [];
    const additional: unknown[] = [];
    for (const p of this.parts) {
      if (isObject(p.properties)) {
        for (const key of Object.keys(p.properties)) {
          const list = props.get(key);
          const sub = (p.properties as SchemaObject)[key];
          if (list) list.push(sub);
          else props.set(key, [sub]);
        }
      }
      if (p.items !== undefined && p.items !== false) items.push(p.items);
      if (Array.isArray(p.prefixItems)) {
        p.prefixItems.forEach((s, i) => (prefix[i] ??= []).push(s));
      }
      if (p.additionalProperties !== undefined && p.additionalProperties !== false) {
        additional.push(p.additionalProperties);
      }
      if (isObject(p.patternProperties)) additional.push(true);
    }
    for (const [key, list] of props) this._children.set(key, b.nodeForList(list));
    this._prefixItems = prefix.map((list) => b.nodeForList(list));
    if (this.types.includes('array') || this.types.length === 0) {
      const all = [...items, ...prefix.flat()];
      this._items = all.length > 0 ? b.nodeForList(all) : b.any;
    }
    if (this.freeForm) this._additional = additional.length > 0 ? b.nodeForList(additional) : b.any;
  }

  /** Declared keys, in schema order. */
  get children(): ReadonlyMap<string, SchemaNode> {
    this.load();
    return this._children;
  }
  /** The node of every element (`[*]`), for arrays. */
  get items(): SchemaNode | undefined {
    this.load();
    return this._items;
  }
  /** The node of element `i` (`prefixItems` first, then `items`). */
  itemAt(index: number): SchemaNode | undefined {
    this.load();
    if (index >= 0 && index < this._prefixItems.length) return this._prefixItems[index];
    return this._items;
  }
  /** The node of a key the schema does not list, for free-form objects. */
  get additional(): SchemaNode | undefined {
    this.load();
    return this._additional;
  }
  /** The node of `key`: declared, or the free-form value node, or undefined. */
  child(key: string): SchemaNode | undefined {
    return this.children.get(key) ?? (this.freeForm ? this.additional : undefined);
  }
  /** Whether `[n]`/`[*]` can apply (an array, or a value of any type). */
  get acceptsIndex(): boolean {
    return this.types.includes('array') || (this.types.length === 0 && this.freeForm);
  }
  /** Whether a key step can apply (an object, or a value of any type). */
  get acceptsKey(): boolean {
    return this.types.includes('object') || (this.types.length === 0 && this.freeForm);
  }
}

function isObject(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStructured(p: SchemaObject): boolean {
  return (
    p.properties !== undefined ||
    p.patternProperties !== undefined ||
    p.additionalProperties !== undefined ||
    p.items !== undefined ||
    p.prefixItems !== undefined
  );
}

const UNION_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

class Builder {
  readonly root: object;
  private readonly memo = new WeakMap<object, SchemaNode>();
  readonly any: SchemaNode;
  /** The `$defs`/`definitions` entries of the root, by schema object. */
  readonly defNames = new Map<object, string>();

  constructor(root: object) {
    this.root = root;
    this.any = new SchemaNode(this, [], true);
    for (const kw of ['definitions', '$defs']) {
      const defs = (root as SchemaObject)[kw];
      if (isObject(defs)) for (const [name, def] of Object.entries(defs)) if (isObject(def)) this.defNames.set(def, name);
    }
  }

  /** Resolves a local `$ref` (`#`, `#/$defs/Name`, any `#/json/pointer`). */
  private deref(ref: string): unknown {
    if (ref === '#') return this.root;
    if (!ref.startsWith('#/')) return undefined;
    let cur: unknown = this.root;
    for (const raw of ref.slice(2).split('/')) {
      let key: string;
      try {
        key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      } catch {
        return undefined;
      }
      if (isObject(cur) && Object.hasOwn(cur, key)) cur = cur[key];
      else if (Array.isArray(cur) && /^\d+$/.test(key) && Number(key) < cur.length) cur = cur[Number(key)];
      else return undefined;
    }
    return cur;
  }

  /** The schema objects `schema` stands for, following $ref and unions. */
  private flatten(schema: unknown, out: SchemaObject[], seen: Set<unknown>): boolean {
    if (schema === true) return true;
    if (!isObject(schema) || seen.has(schema)) return false;
    seen.add(schema);
    out.push(schema);
    let any = false;
    if (typeof schema.$ref === 'string') {
      const target = this.deref(schema.$ref);
      // an unresolvable reference constrains nothing we can know about
      if (target === undefined) any = true;
      else any = this.flatten(target, out, seen) || any;
    }
    for (const kw of UNION_KEYWORDS) {
      const list = schema[kw];
      if (Array.isArray(list)) for (const s of list) any = this.flatten(s, out, seen) || any;
    }
    return any;
  }

  nodeFor(schema: unknown): SchemaNode {
    // `false` accepts nothing: a node without types, keys or items
    if (!isObject(schema)) return schema === false ? new SchemaNode(this, [{ not: {} }], false) : this.any;
    const hit = this.memo.get(schema);
    if (hit) return hit;
    const parts: SchemaObject[] = [];
    const any = this.flatten(schema, parts, new Set());
    const node = new SchemaNode(this, parts, any);
    this.memo.set(schema, node);
    return node;
  }

  nodeForList(list: unknown[]): SchemaNode {
    if (list.length === 1) return this.nodeFor(list[0]);
    const parts: SchemaObject[] = [];
    let any = false;
    const seen = new Set<unknown>();
    for (const s of list) any = this.flatten(s, parts, seen) || any;
    return new SchemaNode(this, parts, any);
  }
}

/** Builds the index of a JSON Schema object. Never throws on odd schemas. */
export function buildSchemaIndex(schema: object): SchemaIndex {
  const builder = new Builder(schema);
  return { root: builder.nodeFor(schema), schema };
}

// ---------------------------------------------------------------------------
// Listing

export interface ListedPath {
  /** Canonical text: `process.ancestors[*].file.path`, `mount["mountpoint.path"]`. */
  path: string;
  node: SchemaNode;
  segments: Segment[];
}

const listCache = new WeakMap<SchemaIndex, ListedPath[]>();
const LIST_LIMIT = 100_000;
const NO_SPAN: Span = { start: 0, end: 0 };

/**
 * Every path the schema declares, depth first in schema order: each object key,
 * and below an array of objects its element fields as `[*]` steps
 * (`process.ancestors[*].file.path`). The sub-paths of free-form nodes are not
 * listed (any is accepted). Recursive schemas stop at the first repetition.
 */
export function listPaths(index: SchemaIndex): ListedPath[] {
  const cached = listCache.get(index);
  if (cached) return cached;
  const out: ListedPath[] = [];
  const stack = new Set<SchemaObject>();
  const visit = (node: SchemaNode, segments: Segment[]): void => {
    if (out.length >= LIST_LIMIT) return;
    if (node.parts.some((p) => stack.has(p))) return;
    for (const p of node.parts) stack.add(p);
    for (const [key, child] of node.children) {
      const segs: Segment[] = [...segments, { kind: 'key', key, span: NO_SPAN, quoted: true }];
      out.push({ path: formatPath(segs), node: child, segments: segs });
      visit(child, segs);
    }
    const items = node.types.includes('array') ? node.items : undefined;
    if (items && items.children.size > 0) {
      visit(items, [...segments, { kind: 'wildcard', span: NO_SPAN }]);
    }
    for (const p of node.parts) stack.delete(p);
  };
  visit(index.root, []);
  listCache.set(index, out);
  return out;
}

// ---------------------------------------------------------------------------
// Resolving

export type ResolveResult =
  | { ok: true; path: Path; node: SchemaNode | undefined }
  | { ok: false; error: PathError };

interface Failure {
  ok: false;
  /** index of the step that could not be taken */
  at: number;
  node: SchemaNode;
  /** the resolved steps before `at` */
  prefix: Segment[];
}
type Walk = { ok: true; node: SchemaNode; segments: Segment[] } | Failure;

/** `a string`, `an integer or a null`... */
function describeTypes(types: readonly string[]): string {
  if (types.length === 0) return 'a value';
  return types
    .map((t) => (t === 'array' ? 'a list' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
    .join(' or ');
}

function walk(segs: readonly Segment[], memo: Map<SchemaNode, Map<number, Failure>>) {
  const go = (node: SchemaNode, i: number, prefix: Segment[]): Walk => {
    if (i === segs.length) return { ok: true, node, segments: prefix };
    const known = memo.get(node)?.get(i);
    if (known) return known;
    const fail: Failure = { ok: false, at: i, node, prefix };
    let best: Failure = fail;
    const better = (f: Failure) => {
      if (f.at > best.at) best = f;
    };
    const seg = segs[i];
    if (seg.kind === 'wildcard' || seg.kind === 'index') {
      if (node.acceptsIndex) {
        const next = seg.kind === 'index' ? node.itemAt(seg.index) : node.items;
        const r = go(next ?? node, i + 1, [...prefix, seg]);
        if (r.ok) return r;
        better(r);
      }
    } else if (seg.quoted) {
      const child = node.child(seg.key);
      if (child) {
        const r = go(child, i + 1, [...prefix, seg]);
        if (r.ok) return r;
        better(r);
      }
    } else {
      let j = i;
      while (j + 1 < segs.length) {
        const s = segs[j + 1];
        if (s.kind !== 'key' || s.quoted) break;
        j++;
      }
      const children = node.children;
      for (let k = j; k >= i; k--) {
        let key = (segs[i] as { key: string }).key;
        for (let m = i + 1; m <= k; m++) key += '.' + (segs[m] as { key: string }).key;
        const child = children.get(key);
        if (!child) continue;
        const merged: Segment = {
          kind: 'key',
          key,
          span: { start: segs[i].span.start, end: segs[k].span.end },
          quoted: false,
        };
        const r = go(child, k + 1, [...prefix, merged]);
        if (r.ok) return r;
        better(r);
      }
      if (!children.has(seg.key) && node.freeForm && node.additional) {
        const r = go(node.additional, i + 1, [...prefix, seg]);
        if (r.ok) return r;
        better(r);
      }
    }
    let byStep = memo.get(node);
    if (!byStep) memo.set(node, (byStep = new Map()));
    byStep.set(i, best);
    return best;
  };
  return go;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** Keys joined by dots whatever they contain, `[*]` for every index: for comparing. */
function looseText(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'key') out += out === '' ? s.key : '.' + s.key;
    else out += '[*]';
  }
  return out;
}

/** The closest declared path to what was typed, if close enough. */
function suggest(index: SchemaIndex, typed: readonly Segment[], failingPart: string): string | undefined {
  const target = looseText(typed);
  const limit = Math.max(1, Math.min(4, Math.ceil(failingPart.length / 3)));
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const cand of listPaths(index)) {
    const d = editDistance(target, looseText(cand.segments), bestDist - 1);
    if (d < bestDist) {
      bestDist = d;
      best = cand.path;
    }
  }
  return best;
}

/**
 * Resolves a path against the schema: re-joins dotted keys (see the module
 * comment), checks every step, and returns the path with the real keys and the
 * node it reaches. An unknown key is an `unknown-field` error with a
 * suggestion when one is close (`unknown field 'process.arg' — did you mean
 * 'process.args'?`). Without an index the path is only parsed (split on every
 * dot) and `node` is undefined.
 */
export function resolvePath(index: SchemaIndex | null | undefined, rawPath: string | Path): ResolveResult {
  let path: Path;
  if (typeof rawPath === 'string') {
    const parsed = parsePath(rawPath);
    if (!parsed.ok) return parsed;
    path = parsed.path;
  } else {
    path = rawPath;
  }
  if (!index) return { ok: true, path, node: undefined };

  const segs = path.segments;
  const r = walk(segs, new Map())(index.root, 0, []);
  if (r.ok) {
    return { ok: true, path: { segments: r.segments, text: path.text, span: path.span }, node: r.node };
  }
  return { ok: false, error: failureError(index, path, r) };
}

function typedThrough(path: Path, seg: Segment): string {
  const end = seg.span.end - path.span.start;
  if (end > 0 && end <= path.text.length && path.span.end - path.span.start === path.text.length) {
    return path.text.slice(0, end);
  }
  return formatPath(path.segments.slice(0, path.segments.indexOf(seg) + 1));
}

function failureError(index: SchemaIndex, path: Path, f: Failure): PathError {
  const segs = path.segments;
  const seg = segs[f.at];
  const node = f.node;
  const here = f.prefix.length > 0 ? formatPath(f.prefix) : '';
  const span = seg.span;
  const error = (message: string, suggestion?: string): PathError => {
    const e: PathError = { code: 'unknown-field', message, span };
    if (suggestion !== undefined) {
      e.message += ` — did you mean '${suggestion}'?`;
      e.suggestion = suggestion;
    }
    return e;
  };
  if (seg.kind !== 'key') {
    const step = seg.kind === 'index' ? `[${seg.index}]` : '[*]';
    return error(`'${here}' is ${describeTypes(node.types)}, not a list: '${step}' does not apply`);
  }
  if (!node.acceptsKey && node.acceptsIndex && node.types.length > 0) {
    // a key step on a list: suggest looking into every element
    const fixed: Segment[] = [...segs.slice(0, f.at), { kind: 'wildcard', span: seg.span }, ...segs.slice(f.at)];
    const again = resolvePath(index, { segments: fixed, text: formatPath(fixed), span: { start: 0, end: 0 } });
    return error(
      `'${here}' is a list: a field of its elements is written '${here}[*].${seg.key}'`,
      again.ok ? formatPath(again.path) : undefined,
    );
  }
  if (!node.acceptsKey) {
    return error(`'${here}' is ${describeTypes(node.types)} and has no field '${seg.key}'`);
  }
  const typed = typedThrough(path, seg);
  return error(`unknown field '${typed}'`, aliasSuggestion(index, path, f) ?? suggest(index, segs, seg.key));
}

/**
 * Names from Datadog's rule language (SECL) that the JSON calls otherwise: SECL's
 * `process.file.path` is `process.executable.path` in the event.
 */
const ALIASES: Readonly<Record<string, readonly string[]>> = { file: ['executable'] };

function aliasSuggestion(index: SchemaIndex, path: Path, f: Failure): string | undefined {
  const seg = path.segments[f.at];
  if (seg.kind !== 'key' || !Object.hasOwn(ALIASES, seg.key)) return undefined;
  for (const alias of ALIASES[seg.key]) {
    if (!f.node.children.has(alias)) continue;
    const fixed: Segment[] = [...path.segments];
    fixed[f.at] = { kind: 'key', key: alias, span: seg.span, quoted: true };
    const again = resolvePath(index, { segments: fixed, text: formatPath(fixed), span: { start: 0, end: 0 } });
    if (again.ok) return formatPath(again.path);
  }
  return undefined;
}
