/**
 * Schema validation: `compileValidator(schema)` -> `(event) => Issue[]`. Pure:
 * reading schema files and the build-time validators is io/schemas.ts's job.
 *
 * The schema is compiled once. Each event first goes through a validator that
 * stops at the first error (the common, valid case costs the least); only an
 * event that fails is validated again with `allErrors` so that every error of
 * it is reported.
 */
import { createRequire } from 'node:module';
import type AjvModule from 'ajv';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { type Issue, UsageError } from './diagnostic.js';
import { isRfc3339DateTime } from './formats.js';

// ajv is loaded only when a schema must be compiled at run time (a --schema file, or no
// prebuilt validator): the bundled schema's validators are compiled at build time.
const require = createRequire(import.meta.url);
type AjvCore = InstanceType<typeof AjvModule.default>;
type AjvClass = new (options: Options) => AjvCore;

function ajvClass(draft: Draft): AjvClass {
  const path = draft === '2020-12' ? 'ajv/dist/2020' : draft === '2019-09' ? 'ajv/dist/2019' : 'ajv';
  return (require(path) as { default: AjvClass }).default;
}

export type JsonSchema = Record<string, unknown>;

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

/** An ajv instance set up as every validator of this project is (used by the build too). */
export function newAjv(draft: Draft, options: Options): AjvCore {
  const base: Options = {
    // Unknown keywords are annotations in JSON Schema: accept them, as the text says.
    strict: false,
    allowUnionTypes: true,
    validateFormats: true,
    ...options,
  };
  const Ajv = ajvClass(draft);
  const ajv = new Ajv(base);
  (require('ajv-formats') as { default: (ajv: AjvCore) => AjvCore }).default(ajv);
  // RFC 3339 exactly (see formats.ts): ajv-formats' date-time is more lenient.
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
  return ajv;
}

/** The first-error validator (valid events, the common case, cost the least). */
export const FAST_OPTIONS: Options = { allErrors: false };
/** The full report: every error, with the data (for messages that name the actual type). */
export const FULL_OPTIONS: Options = { allErrors: true, verbose: true };

export interface Validator {
  /** Every problem of the event; empty when it is valid. */
  validate(event: unknown): Issue[];
  /**
   * The first `limit` problems of the event, and how many there are in all:
   * only those are turned into Issues (a line with a million errors costs
   * ajv's error objects, not a million messages).
   */
  check(event: unknown, limit: number): { errors: Issue[]; total: number };
  /** True when the event is valid (the fast path, no report). */
  isValid(event: unknown): boolean;
  readonly draft: Draft;
}

/** Validators built ahead of time for one schema (scripts/build-validators.mjs). */
export interface PrebuiltValidators {
  fast: ValidateFunction;
  /** The all-errors validator, made on first need. */
  full: () => ValidateFunction;
}

/** The formats the generated code refers to, by name (the same checkers as at run time). */
export const PREBUILT_FORMATS = { 'date-time': { type: 'string', validate: isRfc3339DateTime } };

const compiled = new WeakMap<JsonSchema, Validator>();

/**
 * A validator for `schema`, compiled once per schema object (later calls with
 * the same object reuse it); `prebuilt`, when given, is used instead of
 * compiling. A schema that does not compile is a UsageError naming `label`.
 */
export function compileValidator(schema: JsonSchema, label = 'schema', prebuilt?: PrebuiltValidators): Validator {
  const known = prebuilt === undefined ? compiled.get(schema) : undefined;
  if (known !== undefined) return known;
  const draft = schemaDraft(schema);
  let fast: ValidateFunction;
  let fullValidator: () => ValidateFunction;
  if (prebuilt !== undefined) {
    fast = prebuilt.fast;
    fullValidator = prebuilt.full;
  } else {
    try {
      fast = newAjv(draft, FAST_OPTIONS).compile(schema);
    } catch (err) {
      throw new UsageError(`${label} does not compile: ${(err as Error).message}`);
    }
    let full: ValidateFunction | undefined;
    fullValidator = () => (full ??= newAjv(draft, FULL_OPTIONS).compile(schema));
  }
  const validator: Validator = {
    draft,
    isValid(event) {
      try {
        return fast(event) === true;
      } catch (err) {
        if (isStackOverflow(err)) return false;
        throw err;
      }
    },
    validate(event) {
      return validator.check(event, Infinity).errors;
    },
    check(event, limit) {
      try {
        if (fast(event) === true) return { errors: [], total: 0 };
        const validateAll = fullValidator();
        validateAll(event);
        const all = validateAll.errors ?? [];
        validateAll.errors = null;
        return { errors: (all.length > limit ? all.slice(0, limit) : all).map(toIssue), total: all.length };
      } catch (err) {
        // A recursive schema ($ref to itself) recurses once per level of the data:
        // very deep data exhausts the stack. That line is invalid; the run goes on.
        if (isStackOverflow(err)) return { errors: [tooDeepIssue()], total: 1 };
        throw err;
      }
    },
  };
  if (prebuilt === undefined) compiled.set(schema, validator);
  return validator;
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

function tooDeepIssue(): Issue {
  return {
    code: 'depth',
    instancePath: '',
    schemaPath: '',
    params: {},
    message: 'nested too deeply to validate against the schema',
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
    code: err.keyword,
    instancePath: err.instancePath,
    schemaPath: err.schemaPath,
    params,
    message,
  };
}
