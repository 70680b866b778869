/**
 * Exact rewrites of two constructs ajv mis-reads into equivalent ones it reads
 * right (on a copy: the caller's schema is not changed):
 * - `properties: {"__proto__": S}`: ajv skips a property of that name (to guard
 *   its own objects); `patternProperties: {"^__proto__$": S}` applies S to the
 *   same property and, like `properties`, marks it evaluated for
 *   additionalProperties and unevaluatedProperties.
 * - `$dynamicRef` whose fragment is empty or a JSON Pointer: it names no
 *   `$dynamicAnchor`, so it behaves exactly as `$ref` (2020-12 core 8.2.3.2);
 *   ajv instead resolves it to the root.
 */
import { isObject, subschemas } from './schema-walk.js';

const PROTO_PATTERN = '^__proto__$';

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `schema`, or a rewritten copy when it holds one of the constructs above. */
export function rewriteForAjv(schema: unknown): unknown {
  const needs = subschemas(schema).some(
    ({ node }) =>
      (isObject(node.properties) && Object.hasOwn(node.properties, '__proto__')) ||
      (typeof node.$dynamicRef === 'string' && !/#[A-Za-z_]/.test(node.$dynamicRef)),
  );
  if (!needs) return schema;
  const copy = structuredClone(schema);
  for (const { node } of subschemas(copy)) {
    const properties = node.properties;
    if (isObject(properties) && Object.hasOwn(properties, '__proto__')) {
      const sub = properties.__proto__ as unknown;
      delete properties.__proto__;
      const patterns = isObject(node.patternProperties) ? node.patternProperties : {};
      const before = Object.hasOwn(patterns, PROTO_PATTERN) ? patterns[PROTO_PATTERN] : undefined;
      setOwn(patterns, PROTO_PATTERN, before === undefined ? sub : { allOf: [before, sub] });
      node.patternProperties = patterns;
    }
    const dynamic = node.$dynamicRef;
    if (typeof dynamic === 'string' && !/#[A-Za-z_]/.test(dynamic)) {
      delete node.$dynamicRef;
      if (node.$ref === undefined) node.$ref = dynamic;
      else node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), { $ref: dynamic }];
    }
  }
  return copy;
}
