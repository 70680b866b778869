/**
 * The schema index as a graph: one SchemaNode per place in the event, built
 * from a JSON Schema (draft 2020-12; `definitions` works too): local `$ref`s
 * (`#/$defs/...`, any local JSON pointer), `properties`, `items`/`prefixItems`,
 * `anyOf`/`oneOf`/`allOf` (taken as unions: a key that any branch declares
 * exists), `additionalProperties`. Nodes are built lazily, so recursive schemas
 * are fine.
 *
 * Free-form nodes accept keys the schema does not list: an object with
 * `additionalProperties` set to a schema (its value node is that schema), an
 * object without `additionalProperties: false` (`Variables`: no properties at
 * all), and a schema that constrains nothing (`ProcessCredentials.destination`,
 * `items: true` of `rule_actions`): every sub-path of those is accepted.
 */
import { isJsonObject } from '../json/value.js';

/** A schema object (after $ref: the objects a node merges). */
export type SchemaObject = { [key: string]: unknown };

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
      if (isJsonObject(p.properties) || isJsonObject(p.patternProperties) || p.additionalProperties !== undefined) {
        inferred.add('object');
        structured = true;
      }
      if (p.additionalProperties === false) closed = true;
      if (isJsonObject(p.additionalProperties) || p.additionalProperties === true || isJsonObject(p.patternProperties)) {
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
      if (isJsonObject(p.properties)) {
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
      if (isJsonObject(p.patternProperties)) additional.push(true);
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
      if (isJsonObject(defs)) for (const [name, def] of Object.entries(defs)) if (isJsonObject(def)) this.defNames.set(def, name);
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
      if (isJsonObject(cur) && Object.hasOwn(cur, key)) cur = cur[key];
      else if (Array.isArray(cur) && /^\d+$/.test(key) && Number(key) < cur.length) cur = cur[Number(key)];
      else return undefined;
    }
    return cur;
  }

  /** The schema objects `schema` stands for, following $ref and unions. */
  private flatten(schema: unknown, out: SchemaObject[], seen: Set<unknown>): boolean {
    if (schema === true) return true;
    if (!isJsonObject(schema) || seen.has(schema)) return false;
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
    if (!isJsonObject(schema)) return schema === false ? new SchemaNode(this, [{ not: {} }], false) : this.any;
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
