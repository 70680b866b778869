/**
 * Schemas from files: the bundled event schema, `--schema FILE`, and the
 * validators compiled from the bundled schema at build time. Core compiles
 * schema objects (core/validate.ts); reading them is done here, once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crypto } from './lazy-builtins.js';
import { fileURLToPath } from 'node:url';
import { UsageError, describeSystemError } from '../core/diagnostic.js';
import {
  type JsonSchema,
  PREBUILT_FORMATS,
  type PrebuiltValidators,
  type Validator,
  compileValidator,
} from '../core/validate.js';
import type { RefSchema } from '../core/schema-compile.js';
import { schemaRegExp } from '../core/schema-regexp.js';
import { type SchemaIndex, buildSchemaIndex } from '../core/schema-index.js';
import { locateJsonError } from '../core/json/parse.js';
import { codePointCount } from '../core/text.js';

const require = createRequire(import.meta.url);

/** Path of the schema bundled with the package (a copy of the published one). */
export const BUNDLED_SCHEMA_PATH = fileURLToPath(new URL('../../schema/backend_linux.schema.json', import.meta.url));

/** Validators of the bundled schema compiled at build time (scripts/build-validators.mjs). */
export const PREBUILT_VALIDATORS_PATH = fileURLToPath(
  new URL('../../dist/generated/bundled-validators.cjs', import.meta.url),
);

let bundledText: string | undefined;
let bundledSchema: JsonSchema | undefined;

function bundledSchemaText(): string {
  bundledText ??= readFileSync(BUNDLED_SCHEMA_PATH, 'utf8');
  return bundledText;
}

/** The bundled CSM Threats backend event schema (Linux), parsed once. */
export function bundledEventSchema(): JsonSchema {
  bundledSchema ??= JSON.parse(bundledSchemaText()) as JsonSchema;
  return bundledSchema;
}

export function sha256(text: string): string {
  return crypto().createHash('sha256').update(text).digest('hex');
}

type ValidateFunction = ReturnType<PrebuiltValidators['full']>;

interface PrebuiltModule {
  schemaSha256: string;
  fast(formats: typeof PREBUILT_FORMATS, regExp: typeof schemaRegExp): ValidateFunction;
  full(formats: typeof PREBUILT_FORMATS, regExp: typeof schemaRegExp): ValidateFunction;
}

/** Says why the build-time validators are not used (`CSM_DEBUG`); silent by default. */
export type DebugLog = (message: string) => void;

/** A DebugLog to stderr when `CSM_DEBUG` is set in `env`, else none. */
export function debugLog(env: NodeJS.ProcessEnv, write: (text: string) => void, tool: string): DebugLog | undefined {
  return env.CSM_DEBUG !== undefined && env.CSM_DEBUG !== '' ? (m) => write(`${tool}: debug: ${m}\n`) : undefined;
}

/**
 * The build-time validators, if they exist and were built from exactly the bundled
 * schema's text (so they can never drift from it); undefined otherwise, and `debug`
 * hears why.
 */
export function loadPrebuilt(
  debug?: DebugLog,
  path = PREBUILT_VALIDATORS_PATH,
  schemaText: () => string = bundledSchemaText,
): PrebuiltValidators | undefined {
  if (!existsSync(path)) {
    debug?.(`no prebuilt validators at ${path} (run npm run build): compiling the bundled schema at run time`);
    return undefined;
  }
  const mod = require(path) as PrebuiltModule;
  if (mod.schemaSha256 !== sha256(schemaText())) {
    debug?.(`prebuilt validators at ${path} are stale (built from another schema text): compiling the bundled schema at run time`);
    return undefined;
  }
  // Each is loaded on first use (csm-validate's fast path needs only the full one).
  let fast: ValidateFunction | undefined;
  let full: ValidateFunction | undefined;
  return {
    fast: () => (fast ??= mod.fast(PREBUILT_FORMATS, schemaRegExp)),
    full: () => (full ??= mod.full(PREBUILT_FORMATS, schemaRegExp)),
  };
}

/**
 * Reads a schema file (`what` names it in messages: `schema`, `ref`); any problem
 * is a UsageError naming the file and the cause. A boolean schema is read as its
 * object equivalent (2020-12 core 4.3.2): `true` as `{}`, `false` as `{"not": {}}`.
 */
export function loadSchemaFile(path: string, what = 'schema'): JsonSchema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${describeSystemError(err)}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw new UsageError(`${what} ${path} is not JSON: ${jsonErrorAt(text)}`);
  }
  if (typeof schema === 'boolean') return schema ? {} : { not: {} };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new UsageError(`${what} ${path} is not a JSON Schema: expected an object or a boolean`);
  }
  return schema as JsonSchema;
}

/** `line 3, column 8: expected a value, found ']'`: where and why a text is not JSON. */
function jsonErrorAt(text: string): string {
  const err = locateJsonError(text);
  if (err === null) return 'invalid JSON';
  const before = text.slice(0, err.offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.length - before.replaceAll('\n', '').length + 1;
  return `line ${line}, column ${codePointCount(text, lineStart, err.offset) + 1}: ${err.message}`;
}

let bundledValidator: Validator | undefined;

/**
 * A validator for `schema` (compiled once per schema object), or for the
 * bundled schema when none is given: its build-time validators when they are
 * current, else compiled at run time (and `debug` hears why).
 */
export function createValidator(schema?: JsonSchema, label = 'schema', debug?: DebugLog, refs?: readonly RefSchema[]): Validator {
  if (schema !== undefined) return compileValidator(schema, label, undefined, refs);
  bundledValidator ??= compileValidator(bundledEventSchema(), label, loadPrebuilt(debug));
  return bundledValidator;
}

/** A schema as the library and the CLIs take it: an object, a file path, or the bundled one. */
export type SchemaOption = JsonSchema | string | undefined;

/** A schema ready to use: the object, how errors name it, and whether it is the bundled one. */
export interface LoadedSchema {
  schema: JsonSchema;
  /** `schema`, or `schema FILE` for a file. */
  label: string;
  bundled: boolean;
  /** Schemas its `$ref`s may name (`--ref`, io/schema-refs.ts). */
  refs?: readonly RefSchema[];
}

/** Reads the schema an option names, once (a bad file is a UsageError). */
export function loadSchema(option: SchemaOption): LoadedSchema {
  if (option === undefined) return { schema: bundledEventSchema(), label: 'schema', bundled: true };
  if (typeof option === 'string') return { schema: loadSchemaFile(option), label: `schema ${option}`, bundled: false };
  return { schema: option, label: 'schema', bundled: false };
}

/** The validator of a loaded schema (the bundled one's is the build-time one). */
export function validatorFor(loaded: LoadedSchema, debug?: DebugLog): Validator {
  return createValidator(loaded.bundled ? undefined : loaded.schema, loaded.label, debug, loaded.refs);
}

const indexes = new WeakMap<JsonSchema, SchemaIndex>();

/** The path index of a schema, built once per schema object. */
export function schemaIndexOf(schema: JsonSchema): SchemaIndex {
  let index = indexes.get(schema);
  if (index === undefined) {
    index = buildSchemaIndex(schema);
    indexes.set(schema, index);
  }
  return index;
}
