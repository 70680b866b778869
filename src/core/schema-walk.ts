/**
 * Every subschema of a JSON Schema (drafts 07, 2019-09 and 2020-12), each with its
 * JSON Pointer and the pointer of the schema resource it belongs to (the nearest
 * object with an `$id`, or the document). Iterative: any depth. Values of `const`,
 * `enum`, `default`, `examples` are data, not schemas, and are not entered.
 */

/** Keywords whose value is one subschema. */
const SINGLE = [
  'additionalProperties', 'additionalItems', 'unevaluatedItems', 'unevaluatedProperties', 'contains',
  'propertyNames', 'not', 'if', 'then', 'else', 'contentSchema', 'items',
];
/** Keywords whose value is an object of subschemas. */
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies'];
/** Keywords whose value is an array of subschemas. */
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];

/** Keywords whose subschemas apply to the same instance (in place), as unevaluated* sees them. */
export const IN_PLACE_SINGLE = ['not', 'if', 'then', 'else'];
export const IN_PLACE_LIST = ['allOf', 'anyOf', 'oneOf'];

export interface SchemaNode {
  node: Record<string, unknown>;
  /** JSON Pointer of the node from the document root, `#`-prefixed (`#/properties/a`). */
  pointer: string;
  /** Pointer of the resource root the node belongs to (`#` for the document). */
  resource: string;
  resourceNode: Record<string, unknown>;
  /** The absolute base URI relative `$ref`s of the node resolve against, if known. */
  base: string | undefined;
}

/** `ref` resolved against `base` (absolute refs need no base); undefined if that is not possible. */
export function resolveUri(ref: string, base: string | undefined): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

/** The base URI inside `node`: its `$id` (not a draft-07 `#anchor`) resolved against `base`. */
function baseOf(node: Record<string, unknown>, base: string | undefined): string | undefined {
  const id = node.$id;
  return typeof id === 'string' && !id.startsWith('#') ? (resolveUri(id, base) ?? base) : base;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A pointer token escaped as RFC 6901 says (`~` -> `~0`, `/` -> `~1`). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Every object subschema of `schema` (booleans have nothing to check), the root first. */
export function subschemas(schema: unknown, retrievalUri?: string): SchemaNode[] {
  const out: SchemaNode[] = [];
  if (!isObject(schema)) return out;
  const stack: SchemaNode[] = [{ node: schema, pointer: '#', resource: '#', resourceNode: schema, base: baseOf(schema, retrievalUri) }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    out.push(item);
    const { node, pointer } = item;
    const push = (child: unknown, at: string): void => {
      if (!isObject(child)) return;
      const own = typeof child.$id === 'string' && !child.$id.startsWith('#');
      stack.push({
        node: child,
        pointer: at,
        resource: own ? at : item.resource,
        resourceNode: own ? child : item.resourceNode,
        base: baseOf(child, item.base),
      });
    };
    for (const key of SINGLE) if (Object.hasOwn(node, key)) push(node[key], `${pointer}/${key}`);
    for (const key of MAP) {
      const map = node[key];
      if (!isObject(map)) continue;
      for (const name of Object.keys(map)) push(map[name], `${pointer}/${key}/${pointerToken(name)}`);
    }
    for (const key of LIST) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((child, i) => push(child, `${pointer}/${key}/${i}`));
    }
  }
  return out;
}

/**
 * The absolute URIs (without fragment) that a schema's `$ref`, `$dynamicRef`,
 * `$recursiveRef` and root `$schema` name outside itself, as far as they resolve.
 */
export function referencedUris(schema: unknown, retrievalUri?: string): Set<string> {
  const out = new Set<string>();
  const add = (ref: unknown, base: string | undefined): void => {
    if (typeof ref !== 'string' || ref.startsWith('#')) return;
    const uri = resolveUri(ref, base);
    if (uri !== undefined) out.add(uri.replace(/#.*$/s, ''));
  };
  if (isObject(schema)) add(schema.$schema, undefined);
  for (const { node, base } of subschemas(schema, retrievalUri)) {
    for (const key of ['$ref', '$dynamicRef', '$recursiveRef']) add(node[key], base);
  }
  return out;
}

/**
 * The subschemas that apply in place to the instance `node` applies to (itself,
 * allOf/anyOf/oneOf branches, not, if/then/else, dependentSchemas), boolean
 * branches included as `true`/`false`.
 */
export function inPlaceSubschemas(node: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const s = stack.pop();
    out.push(s);
    if (!isObject(s)) continue;
    for (const key of IN_PLACE_SINGLE) if (Object.hasOwn(s, key)) stack.push(s[key]);
    for (const key of IN_PLACE_LIST) if (Array.isArray(s[key])) stack.push(...(s[key] as unknown[]));
    if (isObject(s.dependentSchemas)) stack.push(...Object.values(s.dependentSchemas));
  }
  return out;
}
