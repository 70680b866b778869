/**
 * The bundled schemas (schema/catalog.json: linux-2024-08, linux-2025-09,
 * windows-2024-06) and what `--schema NAME|FILE|auto` means for each tool:
 * the judge that validates events (per event under `auto`: core/schema-choice.ts),
 * and the one schema that static checks (paths, completion, csm-schema) use.
 * Reading files and the build-time validators is done here, once per schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/diagnostic.js';
import { type EventJudge, type SchemaJudge, type Tolerance, NO_TOLERANCE, eventJudge, singleJudge } from '../core/judge.js';
import { type Catalog, type CatalogSchema, chooseSchema, newestLinux, schemaNames } from '../core/schema-choice.js';
import { closest } from '../core/schema-index/suggest.js';
import { fastCheck, withFastCheck } from '../core/fastcheck/line.js';
import { loadSchemaWithRefs } from './schema-refs.js';
import { type JsonSchema, type Validator, compileValidator } from '../core/validate.js';
import {
  BUNDLED_SCHEMA_PATH,
  type DebugLog,
  type LoadedSchema,
  PREBUILT_VALIDATORS_PATH,
  createValidator,
  loadPrebuilt,
  loadSchema,
  validatorFor,
} from './schemas.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);
export const CATALOG_PATH = fileURLToPath(new URL('catalog.json', SCHEMA_DIR));

let catalog: Catalog | undefined;

/** The catalog of bundled schemas, read once. */
export function readCatalog(): Catalog {
  catalog ??= JSON.parse(readFileSync(CATALOG_PATH, 'utf8')) as Catalog;
  return catalog;
}

function entry(name: string): CatalogSchema {
  const found = readCatalog().schemas.find((s) => s.name === name);
  if (found === undefined) throw new UsageError(`no bundled schema '${name}'`);
  return found;
}

/** The file of a bundled schema. */
export function bundledSchemaPath(name: string): string {
  const file = fileURLToPath(new URL(entry(name).file, SCHEMA_DIR));
  return file;
}

/** The seed (linux-2024-08) is the schema the library and `--schema` files were measured against before the catalog. */
function isSeed(name: string): boolean {
  return bundledSchemaPath(name) === BUNDLED_SCHEMA_PATH;
}

/** Where the build puts the validators of a bundled schema (scripts/build-validators.mjs). */
export function prebuiltPath(name: string): string {
  return isSeed(name) ? PREBUILT_VALIDATORS_PATH : fileURLToPath(new URL(`validators-${name}.cjs`, `file://${PREBUILT_VALIDATORS_PATH}`));
}

const texts = new Map<string, string>();
const schemas = new Map<string, JsonSchema>();
const validators = new Map<string, Validator>();

export function bundledText(name: string): string {
  let text = texts.get(name);
  if (text === undefined) {
    text = readFileSync(bundledSchemaPath(name), 'utf8');
    texts.set(name, text);
  }
  return text;
}

/** A bundled schema, parsed once. */
export function bundledSchemaNamed(name: string): JsonSchema {
  let schema = schemas.get(name);
  if (schema === undefined) {
    schema = JSON.parse(bundledText(name)) as JsonSchema;
    schemas.set(name, schema);
  }
  return schema;
}

/** The validator of a bundled schema: its build-time one when current, else compiled now. */
export function bundledValidator(name: string, debug?: DebugLog): Validator {
  if (isSeed(name)) return createValidator(undefined, 'schema', debug);
  let v = validators.get(name);
  if (v === undefined) {
    v = compileValidator(bundledSchemaNamed(name), `schema ${name}`, loadPrebuilt(debug, prebuiltPath(name), () => bundledText(name)));
    validators.set(name, v);
  }
  return v;
}

/** What `--schema` names: every event by its agent (auto), one bundled schema, or a file. */
export type SchemaSelection = { kind: 'auto' } | { kind: 'bundled'; name: string } | { kind: 'file'; path: string };

export function selectSchema(option: string | undefined): SchemaSelection {
  if (option === undefined || option === 'auto') return { kind: 'auto' };
  const names = schemaNames(readCatalog());
  if (names.includes(option)) return { kind: 'bundled', name: option };
  if (!existsSync(option) && !/[/\\]|\.json$/i.test(option)) {
    const best = closest(option, names, (n) => n, 4);
    throw new UsageError(
      `no schema '${option}': not a bundled schema${best !== undefined ? ` (did you mean '${best}'?)` : ''} nor a file; --schema takes ${names.join(', ')} or a FILE`,
    );
  }
  return { kind: 'file', path: option };
}

/** The schema of static checks (paths, completion, csm-schema): auto means the newest Linux schema. */
export function staticSchema(option: string | undefined): LoadedSchema & { name?: string } {
  const sel = selectSchema(option);
  if (sel.kind === 'file') return loadSchema(sel.path);
  const name = sel.kind === 'bundled' ? sel.name : newestLinux(readCatalog());
  return { schema: bundledSchemaNamed(name), label: `schema ${name}`, bundled: isSeed(name), name };
}

/** The schema judge of a `--schema` value (validators compiled on first need). */
export function schemaJudge(option: string | undefined, debug?: DebugLog, refs: readonly string[] = []): SchemaJudge {
  const sel = selectSchema(option);
  if (sel.kind === 'file') return singleJudge(validatorFor(loadSchemaWithRefs(sel.path, refs), debug));
  if (refs.length > 0) throw new UsageError('--ref needs --schema FILE: the bundled schemas refer to no other schema');
  if (sel.kind === 'bundled') return singleJudge(bundledValidator(sel.name, debug), sel.name);
  const cat = readCatalog();
  const picked = new Map<string, { name: string; validator: Validator }>();
  return {
    pick(value) {
      const { name } = chooseSchema(value, cat);
      let p = picked.get(name);
      if (p === undefined) {
        p = { name, validator: bundledValidator(name, debug) };
        picked.set(name, p);
      }
      return p;
    },
  };
}

/**
 * The event judge of a tool: `--schema` and what is tolerated (`--allow-unknown-keys`, `--ignore`);
 * with the byte-level fast path (core/fastcheck) when nothing is tolerated, no `--ref`, and
 * `CSM_FASTCHECK` is not `0`.
 */
export function judgeFor(option: string | undefined, tolerance: Tolerance = NO_TOLERANCE, debug?: DebugLog, refs: readonly string[] = []): EventJudge {
  const sel = selectSchema(option);
  // A schema file is read once (it may be a pipe): the same object for ajv and the fast path.
  const file = sel.kind === 'file' ? loadSchemaWithRefs(sel.path, refs) : undefined;
  const judge = eventJudge(file !== undefined ? singleJudge(validatorFor(file, debug)) : schemaJudge(option, debug, refs), tolerance);
  const plain = !tolerance.allowUnknownKeys && tolerance.ignore.length === 0 && refs.length === 0;
  if (!plain || process.env.CSM_FASTCHECK === '0') return judge;
  const check = fastCheck(
    sel.kind === 'auto'
      ? { kind: 'auto', catalog: readCatalog(), schemaOf: bundledSchemaNamed }
      : sel.kind === 'bundled'
        ? { kind: 'single', name: sel.name, schema: bundledSchemaNamed(sel.name) }
        : { kind: 'single', name: undefined, schema: file!.schema },
    debug,
  );
  return withFastCheck(judge, check);
}
