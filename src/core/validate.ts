/**
 * Schema validation: `createValidator(schema)` -> `(event) => Issue[]`.
 *
 * The schema is compiled once. Each event first goes through a validator that
 * stops at the first error (the common, valid case costs the least); only an
 * event that fails is validated again with `allErrors` so that every error of
 * it is reported.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvDraft07Module from 'ajv';
import Ajv2019Module from 'ajv/dist/2019.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Issue, UsageError, describeSystemError } from './diagnostic.js';
import { isRfc3339DateTime } from './formats.js';

// ajv and ajv-formats are CommonJS modules whose default export sits on `.default`.
type AjvClass = typeof AjvDraft07Module.default;
const AjvDraft07 = AjvDraft07Module.default;
const Ajv2019 = Ajv2019Module.default as unknown as AjvClass;
const Ajv2020 = Ajv2020Module.default as unknown as AjvClass;
const addFormats = addFormatsModule.default;

export type JsonSchema = Record<string, unknown>;

/** Path of the schema bundled with the package (a copy of the published one). */
export const BUNDLED_SCHEMA_PATH = fileURLToPath(
  new URL('../../schema/backend_linux.schema.json', import.meta.url),
);

let bundledSchema: JsonSchema | undefined;

/** The bundled CSM Threats backend event schema (Linux), parsed once. */
export function bundledEventSchema(): JsonSchema {
  bundledSchema ??= JSON.parse(readFileSync(BUNDLED_SCHEMA_PATH, 'utf8')) as JsonSchema;
  return bundledSchema;
}

/** Reads a schema file; any problem is a UsageError naming the file and the cause. */
export function loadSchemaFile(path: string): JsonSchema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read schema ${path}: ${describeSystemError(err)}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`schema ${path} is not JSON: ${(err as Error).message}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new UsageError(`schema ${path} is not a JSON Schema: expected an object`);
  }
  return schema as JsonSchema;
}

export type Draft = 'draft-07' | '2019-09' | '2020-12';

const DRAFTS: Record<string, Draft> = {
  'http://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft-07/schema': 'draft-07',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

/** The draft a schema's `$schema` names; 2020-12 when it names none. */
export function schemaDraft(schema: JsonSchema): Draft {
  const declared = schema.$schema;
  if (declared === undefined) return '2020-12';
  if (typeof declared !== 'string') throw new UsageError('$schema must be a string');
  const draft = DRAFTS[declared.replace(/#$/, '')];
  if (draft === undefined) {
    throw new UsageError(
      `unsupported $schema '${declared}' (supported: draft-07, 2019-09, 2020-12)`,
    );
  }
  return draft;
}

function newAjv(draft: Draft, options: Options) {
  const base: Options = {
    // Unknown keywords are annotations in JSON Schema: accept them, as the text says.
    strict: false,
    allowUnionTypes: true,
    validateFormats: true,
    ...options,
  };
  const ajv =
    draft === '2020-12' ? new Ajv2020(base) : draft === '2019-09' ? new Ajv2019(base) : new AjvDraft07(base);
  addFormats(ajv);
  // RFC 3339 exactly (see formats.ts): ajv-formats' date-time is more lenient.
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
  return ajv;
}

export interface Validator {
  /** Every problem of the event; empty when it is valid. */
  validate(event: unknown): Issue[];
  /** True when the event is valid (the fast path, no report). */
  isValid(event: unknown): boolean;
  readonly draft: Draft;
}

/**
 * Compiles `schema` (the bundled one by default). A schema that does not compile
 * is a UsageError whose message names the problem.
 */
export function createValidator(schema: JsonSchema = bundledEventSchema(), label = 'schema'): Validator {
  const draft = schemaDraft(schema);
  let fast: ValidateFunction;
  try {
    fast = newAjv(draft, { allErrors: false }).compile(schema);
  } catch (err) {
    throw new UsageError(`${label} does not compile: ${(err as Error).message}`);
  }
  let full: ValidateFunction | undefined;
  const fullValidator = (): ValidateFunction => {
    full ??= newAjv(draft, { allErrors: true, verbose: true }).compile(schema);
    return full;
  };
  return {
    draft,
    isValid: (event) => fast(event) === true,
    validate(event) {
      if (fast(event) === true) return [];
      const validateAll = fullValidator();
      validateAll(event);
      return (validateAll.errors ?? []).map(toIssue);
    },
  };
}

/** JSON type name of a parsed value, as JSON Schema names types. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Copies an ajv error into our Issue, with a message that names the key or types. */
export function toIssue(err: ErrorObject): Issue {
  const params = { ...(err.params as Record<string, unknown>) };
  let message = err.message ?? err.keyword;
  switch (err.keyword) {
    case 'additionalProperties':
      message = `unknown key '${String(params.additionalProperty)}' (not in the schema)`;
      break;
    case 'required':
      message = `missing required key '${String(params.missingProperty)}'`;
      break;
    case 'type': {
      const expected = Array.isArray(params.type) ? params.type.join(' or ') : String(params.type);
      message = `expected ${expected}, found ${jsonTypeOf(err.data)}`;
      break;
    }
    case 'format':
      message = `expected a ${String(params.format)} string${
        params.format === 'date-time' ? ' (RFC 3339)' : ''
      }, found ${preview(err.data)}`;
      break;
    case 'enum':
      message = `expected one of ${(params.allowedValues as unknown[]).map(preview).join(', ')}, found ${preview(err.data)}`;
      break;
    case 'const':
      message = `expected ${preview(params.allowedValue)}, found ${preview(err.data)}`;
      break;
    default:
      break;
  }
  return {
    keyword: err.keyword,
    instancePath: err.instancePath,
    schemaPath: err.schemaPath,
    params,
    message,
  };
}
