/**
 * Schema validation: `compileValidator(schema)` -> `(event) => Issue[]`. Pure:
 * reading schema files and the build-time validators is io/schemas.ts's job.
 *
 * The schema is compiled once. Each event first goes through a validator that
 * stops at the first error (the common, valid case costs the least); only an
 * event that fails is validated again with `allErrors` so that every error of
 * it is reported. An event whose line the byte-level fast path (core/fastcheck)
 * scanned without proving it goes to the `allErrors` one at once.
 */
import { createRequire } from 'node:module';
import type AjvModule from 'ajv';
import type { ErrorObject, KeywordCxt, KeywordDefinition, Options, ValidateFunction } from 'ajv';
import { type Issue, UsageError } from './diagnostic.js';
import { isRfc3339DateTime } from './formats.js';
import {
  type RefSchema,
  STRICT_LOGGER,
  compileError,
  customMetaDraft,
  draftOfUri,
  refId,
  usedRefs,
} from './schema-compile.js';
import { type Rfc3986Checks, iriFormats } from './iri-formats.js';
import { schemaRegExp } from './schema-regexp.js';
import { rewriteForAjv } from './schema-rewrite.js';
import { unsupportedConstructs } from './schema-support.js';

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

/**
 * The draft a schema's `$schema` names; 2020-12 when it names none. A `$schema`
 * that is none of the three drafts must be a meta-schema among `refs` (`--ref`).
 */
export function schemaDraft(schema: JsonSchema, refs: readonly RefSchema[] = [], label = 'schema'): Draft {
  const declared = schema.$schema;
  if (declared === undefined) return '2020-12';
  if (typeof declared !== 'string') throw new UsageError(`${label}: $schema must be a string`);
  return draftOfUri(declared) ?? customMetaDraft(label, schema, declared, refs);
}

/** An ajv instance set up as every validator of this project is (used by the build too). */
export function newAjv(draft: Draft, options: Options): AjvCore {
  const base: Options = {
    // Unknown keywords are annotations in JSON Schema: accept them, as the text says.
    strict: false,
    allowUnionTypes: true,
    validateFormats: true,
    // `required: ["toString"]` needs an own property, not Object.prototype's.
    ownProperties: true,
    // An unknown format is an error, not a warning mid-report (schema-compile.ts).
    logger: STRICT_LOGGER,
    ...options,
    // Schema patterns run in linear time (schema-regexp.ts).
    code: { regExp: schemaRegExp, ...options.code },
  };
  const Ajv = ajvClass(draft);
  const ajv = new Ajv(base);
  ajv.removeKeyword('enum');
  ajv.addKeyword(enumKeyword());
  (require('ajv-formats') as { default: (ajv: AjvCore) => AjvCore }).default(ajv);
  const formats = (require('ajv-formats/dist/formats') as { fullFormats: Record<string, RegExp | ((s: string) => boolean)> }).fullFormats;
  const check = (name: string): ((s: string) => boolean) => {
    const f = formats[name]!;
    return typeof f === 'function' ? f : (s) => f.test(s);
  };
  const rfc3986: Rfc3986Checks = { uri: check('uri'), uriReference: check('uri-reference'), hostname: check('hostname') };
  // RFC 3339 exactly (see formats.ts): ajv-formats' date-time is more lenient.
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
  // The formats ajv-formats lacks, and hostname with its A-labels checked (iri-formats.ts).
  for (const [name, format] of Object.entries(iriFormats(rfc3986))) ajv.addFormat(name, format);
  return ajv;
}

/**
 * ajv's `enum`, except that an empty list is a schema that no value matches
 * (2020-12 validation 6.1.2: the array SHOULD, not MUST, have an element); ajv
 * refuses to compile it.
 */
function enumKeyword(): KeywordDefinition {
  const base = (require('ajv/dist/vocabularies/validation/enum') as { default: KeywordDefinition & { code(cxt: KeywordCxt): void } }).default;
  const { _ } = require('ajv') as typeof import('ajv');
  return {
    ...base,
    code(cxt: KeywordCxt) {
      if (!cxt.$data && Array.isArray(cxt.schema) && cxt.schema.length === 0) cxt.pass(_`false`);
      else base.code(cxt);
    },
  };
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
   * ajv's error objects, not a million messages). `likelyInvalid`: the caller
   * knows the event is most likely invalid (csm-validate's fast path scanned its
   * line and did not prove it), so the all-errors validator runs at once, without
   * the first-error one before it (the verdict is the same: both validators are
   * compiled from the same schema; on a valid event the all-errors one finds nothing).
   */
  check(event: unknown, limit: number, likelyInvalid?: boolean): { errors: Issue[]; total: number };
  /** True when the event is valid (the fast path, no report). */
  isValid(event: unknown): boolean;
  readonly draft: Draft;
}

/** Validators built ahead of time for one schema (scripts/build-validators.mjs). */
export interface PrebuiltValidators {
  /** The first-error validator, made on first need. */
  fast: () => ValidateFunction;
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
export function compileValidator(
  schema: JsonSchema,
  label = 'schema',
  prebuilt?: PrebuiltValidators,
  refs: readonly RefSchema[] = [],
): Validator {
  const cache = prebuilt === undefined && refs.length === 0;
  const known = cache ? compiled.get(schema) : undefined;
  if (known !== undefined) return known;
  const draft = schemaDraft(schema, refs, label);
  let fastValidator: () => ValidateFunction;
  let fullValidator: () => ValidateFunction;
  if (prebuilt !== undefined) {
    fastValidator = prebuilt.fast;
    fullValidator = prebuilt.full;
  } else {
    const used = usedRefs(schema, refs, draft).map((r) => ({ ...r, schema: rewriteForAjv(r.schema) }));
    const source = rewriteForAjv(schema) as JsonSchema;
    refuseUnsupported(source, label, draft, used);
    // Checked against their meta-schemas once (the checker is compiled once per draft).
    const checked = checkMeta(draft, [{ schema: source, label }, ...used]);
    // Both validators are compiled now: a schema that cannot compile fails at start-up, never mid-run.
    const fast = compileWith(source, label, draft, { ...FAST_OPTIONS, validateSchema: !checked }, used);
    const full = compileWith(source, label, draft, { ...FULL_OPTIONS, validateSchema: !checked }, used);
    fastValidator = () => fast;
    fullValidator = () => full;
  }
  const validator: Validator = {
    draft,
    isValid(event) {
      try {
        return fastValidator()(event) === true;
      } catch (err) {
        if (isStackOverflow(err)) return false;
        throw err;
      }
    },
    validate(event) {
      return validator.check(event, Infinity).errors;
    },
    check(event, limit, likelyInvalid = false) {
      try {
        if (!likelyInvalid && fastValidator()(event) === true) return { errors: [], total: 0 };
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
  if (cache) compiled.set(schema, validator);
  return validator;
}

/** A UsageError naming the first construct of the schema (or its refs) that ajv would judge wrongly. */
function refuseUnsupported(schema: JsonSchema, label: string, draft: Draft, refs: readonly RefSchema[]): void {
  const problems = [
    ...unsupportedConstructs(schema, draft).map((p) => ({ ...p, label })),
    ...refs.flatMap((r) => unsupportedConstructs(r.schema, draft).map((p) => ({ ...p, label: r.label }))),
  ];
  const first = problems[0];
  if (first === undefined) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new UsageError(`${first.label}: ${first.pointer}: ${first.message}${more}`);
}

const metaCheckers = new Map<Draft, AjvCore>();

/**
 * Checks schemas against their draft's meta-schema with one ajv per draft (compiling
 * a meta-schema is the dearest part of a start-up); false, checking nothing, when
 * one names another meta-schema (a `--ref`): then ajv checks them as it compiles.
 */
function checkMeta(draft: Draft, schemas: readonly { schema: unknown; label: string }[]): boolean {
  const standard = (s: unknown): boolean => {
    const declared = typeof s === 'object' && s !== null ? (s as JsonSchema).$schema : undefined;
    return declared === undefined || (typeof declared === 'string' && draftOfUri(declared) === draft);
  };
  if (!schemas.every((s) => standard(s.schema))) return false;
  let checker = metaCheckers.get(draft);
  if (checker === undefined) {
    checker = newAjv(draft, {});
    metaCheckers.set(draft, checker);
  }
  for (const { schema, label } of schemas) {
    if (checker.validateSchema(schema as JsonSchema) !== true) {
      throw new UsageError(`${label} does not compile: schema is invalid: ${checker.errorsText(checker.errors)}`);
    }
  }
  return true;
}

/** One ajv validator of `schema`, the refs registered by URI. */
function compileWith(schema: JsonSchema, label: string, draft: Draft, options: Options, refs: readonly RefSchema[]): ValidateFunction {
  const ajv = newAjv(draft, options);
  try {
    for (const ref of refs) {
      ajv.addSchema(ref.schema as JsonSchema, ref.uri);
      // A schema whose $id differs from the URI it was given under answers to both.
      const id = refId(ref);
      if (id !== undefined && id !== ref.uri.replace(/#$/, '')) ajv.refs[ref.uri.replace(/#$/, '')] ??= id;
    }
    return ajv.compile(schema);
  } catch (err) {
    throw compileError(label, err, Object.keys(ajv.formats).sort());
  }
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
