/**
 * The parts of the ajv set-up that make it judge JSON Schema as the text says
 * (with validate.ts, the one module that loads ajv): warnings that are errors (an
 * unknown `format` would otherwise be logged mid-report and silently not checked),
 * the meta-schemas a custom `$schema` names (from `--ref`), and compile failures
 * worded for the user.
 */
import { UsageError } from './diagnostic.js';
import { isObject, referencedUris, resolveUri, subschemas } from './schema-walk.js';
import type { Draft } from './validate.js';

/** A schema `$ref` may name, registered under its URI (`--ref`). */
export interface RefSchema {
  /** Absolute URI the schema is registered under (its `$id`, or the one given). */
  uri: string;
  schema: unknown;
  /** How messages name it: `ref FILE`. */
  label: string;
}

/** ajv's logger: a warning is an error (ajv warns about what it then ignores). */
export const STRICT_LOGGER: { log(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void } = {
  log: () => undefined,
  warn: (...args: unknown[]) => {
    throw new Error(args.map(String).join(' '));
  },
  // ajv also logs the generated code of a schema that fails to compile: the error says enough.
  error: () => undefined,
};

/** A compile error of ajv as one line for the user, naming `label`. */
export function compileError(label: string, err: unknown, formats: readonly string[]): UsageError {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new UsageError(
      `${label} cannot be compiled: resolving its $ref/$id chain recursed too deeply for ajv (a known ajv limitation), so it cannot be judged`,
    );
  }
  const message = (err as Error).message;
  const format = /^unknown format "(.*)" ignored in schema at path "(.*)"$/.exec(message);
  if (format !== null) {
    return new UsageError(
      `${label}: ${format[2]}/format: unknown format "${format[1]}" (csm-validate checks ${formats.join(', ')})`,
    );
  }
  return new UsageError(`${label} does not compile: ${message}`);
}

const DRAFT_IDS: Record<string, Draft> = {
  'http://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

/** The draft a `$schema` URI names, or undefined for another URI. */
export function draftOfUri(uri: string): Draft | undefined {
  return DRAFT_IDS[uri.replace(/#$/, '')];
}

const VOCAB = {
  '2020-12': 'https://json-schema.org/draft/2020-12/vocab/',
  '2019-09': 'https://json-schema.org/draft/2019-09/vocab/',
} as const;

/** The keywords of each vocabulary that change a verdict (annotations aside). */
const VOCAB_KEYWORDS: Record<string, string[]> = {
  applicator: [
    'prefixItems', 'items', 'additionalItems', 'contains', 'additionalProperties', 'properties', 'patternProperties',
    'dependentSchemas', 'propertyNames', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not',
  ],
  unevaluated: ['unevaluatedItems', 'unevaluatedProperties'],
  validation: [
    'type', 'const', 'enum', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
    'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties',
    'minProperties', 'required', 'dependentRequired',
  ],
};

/**
 * The draft of a schema whose `$schema` is a meta-schema given with `--ref`: that
 * meta-schema's own draft. Its `$vocabulary` is honoured as far as ajv can: an
 * unknown vocabulary it requires is refused (the spec says so), and a standard
 * vocabulary it leaves out while the schema uses its keywords is refused too
 * (ajv would apply them anyway); unknown optional vocabularies are ignored.
 */
export function customMetaDraft(label: string, schema: Record<string, unknown>, uri: string, refs: readonly RefSchema[]): Draft {
  const meta = refs.find((r) => r.uri.replace(/#$/, '') === uri.replace(/#$/, ''))?.schema;
  if (!isObject(meta)) {
    throw new UsageError(
      `${label}: unsupported $schema '${uri}' (supported: draft-07, 2019-09, 2020-12, or a meta-schema given with --ref)`,
    );
  }
  const draft = typeof meta.$schema === 'string' ? draftOfUri(meta.$schema) : undefined;
  if (draft === undefined) {
    throw new UsageError(`${label}: the meta-schema '${uri}' must itself name draft-07, 2019-09 or 2020-12 in its $schema`);
  }
  if (draft === 'draft-07' || !isObject(meta.$vocabulary)) return draft;
  const vocabulary = meta.$vocabulary;
  const base = VOCAB[draft];
  for (const [id, required] of Object.entries(vocabulary)) {
    const known = id.startsWith(base) && ['core', 'applicator', 'unevaluated', 'validation', 'meta-data', 'format', 'format-annotation', 'format-assertion', 'content'].includes(id.slice(base.length));
    if (!known && required === true) {
      throw new UsageError(`${label}: the meta-schema '${uri}' requires the vocabulary '${id}', which csm-validate does not know`);
    }
  }
  for (const [name, keywords] of Object.entries(VOCAB_KEYWORDS)) {
    if (Object.hasOwn(vocabulary, base + name)) continue;
    if (name === 'unevaluated' && draft === '2019-09' && Object.hasOwn(vocabulary, `${base}applicator`)) continue;
    for (const { node, pointer } of subschemas(schema)) {
      const used = keywords.find((k) => Object.hasOwn(node, k));
      if (used !== undefined) {
        throw new UsageError(
          `${label}: ${pointer}/${used}: the meta-schema '${uri}' leaves out the ${name} vocabulary, which csm-validate cannot switch off`,
        );
      }
    }
  }
  return draft;
}

/** The absolute `$id` of a ref's schema (resolved against its URI), if it has one. */
export function refId(ref: RefSchema): string | undefined {
  const id = isObject(ref.schema) ? ref.schema.$id : undefined;
  if (typeof id !== 'string' || id.startsWith('#')) return undefined;
  return resolveUri(id, ref.uri)?.replace(/#$/, '');
}

/**
 * The refs a schema uses, directly or through other refs (by `$ref`,
 * `$dynamicRef`, `$recursiveRef`, `$schema`): only these are compiled, so a
 * `--ref` that is not used cannot make a schema fail. A used ref written for
 * another draft is refused (one validator judges one draft).
 */
export function usedRefs(schema: unknown, refs: readonly RefSchema[], draft: Draft): RefSchema[] {
  const byUri = new Map<string, RefSchema>();
  for (const ref of refs) {
    byUri.set(ref.uri.replace(/#$/, ''), ref);
    const id = refId(ref);
    if (id !== undefined && !byUri.has(id)) byUri.set(id, ref);
  }
  const used = new Set<RefSchema>();
  const pending = [...referencedUris(schema)];
  while (pending.length > 0) {
    const ref = byUri.get(pending.pop()!);
    if (ref === undefined || used.has(ref)) continue;
    used.add(ref);
    pending.push(...referencedUris(ref.schema, ref.uri));
  }
  for (const ref of used) {
    const declared = isObject(ref.schema) && typeof ref.schema.$schema === 'string' ? draftOfUri(ref.schema.$schema) : undefined;
    if (declared !== undefined && declared !== draft) {
      throw new UsageError(`${ref.label} is a ${declared} schema, used by a ${draft} schema: csm-validate judges one draft at a time`);
    }
  }
  return refs.filter((r) => used.has(r));
}
