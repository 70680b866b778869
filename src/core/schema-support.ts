/**
 * What csm-validate refuses in a schema, at start-up, rather than give a wrong verdict.
 *
 * Schemas are compiled by ajv, which mis-judges a few constructs (the official
 * JSON-Schema-Test-Suite shows each: see README, "--schema conformance"). Each
 * rule here names a construct and its location, so that a schema using it is a
 * schema error (exit 2) instead of a validator that answers wrongly:
 * - patterns the linear-time engine cannot run (schema-regexp.ts);
 * - `$dynamicAnchor` anywhere but at the root of a schema resource (in a schema
 *   that has a `$dynamicRef`), and a
 *   `$dynamicRef` other than `#name` to a `$dynamicAnchor` at the root of its own
 *   resource (ajv implements only that, the "extensible recursive schema" use);
 * - `$recursiveRef` in a resource whose root has no `$recursiveAnchor: true`
 *   while another schema of the document has one;
 * - `unevaluatedItems`/`unevaluatedProperties` whose in-place subschemas hold an
 *   `if` without `then` or a `$dynamicRef`, and `unevaluatedItems` beside a
 *   `true` branch of anyOf/oneOf or (2020-12) a `contains`: ajv does not count
 *   the items and properties these evaluate;
 * - `dependentSchemas`/`dependencies` of a property named `__proto__` (ajv skips it);
 * - in draft-07, keywords beside `$ref` other than annotations (draft-07 ignores
 *   them, ajv applies them).
 */
import { PatternError, schemaRegExp } from './schema-regexp.js';
import { type SchemaNode, inPlaceSubschemas, isObject, pointerToken, subschemas } from './schema-walk.js';
import type { Draft } from './validate.js';

/** One construct csm-validate cannot judge, and where it is. */
export interface SchemaProblem {
  /** JSON Pointer into the schema, `#`-prefixed. */
  pointer: string;
  message: string;
}

function patternProblems({ node, pointer }: SchemaNode): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const check = (pattern: string, at: string): void => {
    try {
      schemaRegExp(pattern);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      out.push({ pointer: at, message: err.message });
    }
  };
  if (typeof node.pattern === 'string') check(node.pattern, `${pointer}/pattern`);
  if (isObject(node.patternProperties)) {
    for (const key of Object.keys(node.patternProperties)) check(key, `${pointer}/patternProperties/${pointerToken(key)}`);
  }
  return out;
}

function dynamicProblems(
  { node, pointer, resource, resourceNode }: SchemaNode,
  recursiveAnchor: boolean,
  dynamicRef: boolean,
): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  if (typeof node.$dynamicAnchor === 'string' && pointer !== resource && dynamicRef) {
    out.push({
      pointer: `${pointer}/$dynamicAnchor`,
      message: '$dynamicAnchor is supported only at the root of a schema resource (beside an $id)',
    });
  }
  if (typeof node.$dynamicRef === 'string') {
    const ref = node.$dynamicRef;
    const anchor = /^#([A-Za-z_][-A-Za-z0-9._]*)$/.exec(ref)?.[1];
    if (anchor === undefined) {
      out.push({ pointer: `${pointer}/$dynamicRef`, message: `$dynamicRef ${JSON.stringify(ref)} is supported only as "#name"` });
    } else if (resourceNode.$dynamicAnchor !== anchor) {
      out.push({
        pointer: `${pointer}/$dynamicRef`,
        message: `$dynamicRef "#${anchor}" is supported only when the root of its schema resource (${resource}) has "$dynamicAnchor": "${anchor}"`,
      });
    }
  }
  if (Object.hasOwn(node, '$recursiveRef') && recursiveAnchor && resourceNode.$recursiveAnchor !== true) {
    out.push({
      pointer: `${pointer}/$recursiveRef`,
      message: `$recursiveRef in a schema with a "$recursiveAnchor": true is supported only when the root of its own schema resource (${resource}) has one too`,
    });
  }
  return out;
}

function unevaluatedProblems({ node, pointer }: SchemaNode, draft: Draft): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const keyword of ['unevaluatedItems', 'unevaluatedProperties']) {
    if (!Object.hasOwn(node, keyword)) continue;
    const why = new Set<string>();
    for (const s of inPlaceSubschemas(node)) {
      if (!isObject(s)) continue;
      if (Object.hasOwn(s, 'if') && !Object.hasOwn(s, 'then')) why.add('an "if" without "then"');
      if (Object.hasOwn(s, '$dynamicRef')) why.add('a $dynamicRef');
      if (keyword !== 'unevaluatedItems') continue;
      if (draft === '2020-12' && Object.hasOwn(s, 'contains')) why.add('"contains"');
      for (const list of ['anyOf', 'oneOf']) {
        if (Array.isArray(s[list]) && (s[list] as unknown[]).includes(true)) why.add(`a "true" branch of ${list}`);
      }
    }
    if (why.size > 0) {
      out.push({
        pointer: `${pointer}/${keyword}`,
        message: `${keyword} is not judged correctly beside ${[...why].join(', ')} in the subschemas that apply in place`,
      });
    }
  }
  return out;
}

/** Keywords that change no verdict (beside a draft-07 `$ref`, where everything else is ignored). */
const ANNOTATIONS = new Set([
  '$ref', '$schema', '$comment', 'title', 'description', 'default', 'examples', 'readOnly', 'writeOnly', 'definitions', '$defs',
]);

function otherProblems({ node, pointer }: SchemaNode, draft: Draft): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  // ajv skips a property named `__proto__` (`properties` is rewritten: schema-rewrite.ts).
  for (const key of ['dependentSchemas', 'dependencies']) {
    const map = node[key];
    if (isObject(map) && Object.hasOwn(map, '__proto__')) {
      out.push({ pointer: `${pointer}/${key}/__proto__`, message: 'a property named "__proto__" is not judged correctly' });
    }
  }
  // draft-07 ignores every keyword beside $ref; ajv applies them.
  if (draft === 'draft-07' && typeof node.$ref === 'string') {
    const beside = Object.keys(node).filter((k) => !ANNOTATIONS.has(k));
    if (beside.length > 0) {
      out.push({
        pointer: `${pointer}/${beside[0]}`,
        message: `draft-07 ignores "${beside[0]}" beside "$ref" and ajv does not: put it in an allOf with the $ref`,
      });
    }
  }
  return out;
}

/** Every construct of `schema` that csm-validate cannot judge correctly, in document order. */
export function unsupportedConstructs(schema: unknown, draft: Draft): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const nodes = subschemas(schema);
  const recursiveAnchor = nodes.some(({ node }) => node.$recursiveAnchor === true);
  const dynamicRef = nodes.some(({ node }) => Object.hasOwn(node, '$dynamicRef'));
  for (const item of nodes) {
    out.push(...patternProblems(item), ...dynamicProblems(item, recursiveAnchor, dynamicRef), ...unevaluatedProblems(item, draft), ...otherProblems(item, draft));
  }
  return out.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
