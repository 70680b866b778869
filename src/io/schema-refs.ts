/**
 * `--ref [URI=]FILE`: schemas a `--schema`'s `$ref` (or `$schema`) may name,
 * read from files, never fetched. A file is registered under its `$id`; `URI=FILE`
 * registers it under URI as well (the URI a `$ref` uses when the file has no `$id`,
 * or another one: JSON Schema's "retrieval URI"). The argument is `URI=FILE` when
 * it starts with a URI scheme (`https:`, `urn:`, ...) and holds a `=`; write
 * `./a=b.json` for a file whose name looks like that.
 */
import { UsageError } from '../core/diagnostic.js';
import type { RefSchema } from '../core/schema-compile.js';
import { type LoadedSchema, type SchemaOption, loadSchema, loadSchemaFile } from './schemas.js';

const URI_ARG = /^([A-Za-z][A-Za-z0-9+.-]*:[^=]*)=(.+)$/s;

/** `URI=FILE` -> both; `FILE` -> the file alone. */
export function parseRefArg(arg: string): { uri?: string; path: string } {
  const m = URI_ARG.exec(arg);
  return m === null ? { path: arg } : { uri: m[1]!, path: m[2]! };
}

function absoluteUri(text: string): string | undefined {
  try {
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) ? new URL(text).href.replace(/#$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** The schemas `--ref` names, each with the URI it answers to; a bad one is a UsageError. */
export function loadRefs(args: readonly string[]): RefSchema[] {
  const out: RefSchema[] = [];
  const seen = new Map<string, string>();
  for (const arg of args) {
    const { uri: given, path } = parseRefArg(arg);
    const label = `ref ${path}`;
    const schema = loadSchemaFile(path, 'ref');
    let uri: string | undefined;
    if (given !== undefined) {
      uri = absoluteUri(given);
      if (uri === undefined || uri.includes('#')) {
        throw new UsageError(`--ref ${given}=${path}: '${given}' is not an absolute URI without a fragment`);
      }
    } else {
      const id = schema.$id;
      uri = typeof id === 'string' ? absoluteUri(id) : undefined;
      if (uri === undefined) {
        throw new UsageError(
          `--ref ${path}: the schema has no absolute $id to be found by; give the URI its $refs use: --ref URI=${path}`,
        );
      }
    }
    const before = seen.get(uri);
    if (before !== undefined) throw new UsageError(`--ref ${path}: ${uri} is already given by --ref ${before}`);
    seen.set(uri, path);
    out.push({ uri, schema, label });
  }
  return out;
}

/** The schema an option names, with the `--ref` schemas its `$ref`s may use. */
export function loadSchemaWithRefs(option: SchemaOption, refArgs: readonly string[] = []): LoadedSchema {
  const loaded = loadSchema(option);
  if (refArgs.length === 0) return loaded;
  if (loaded.bundled) throw new UsageError('--ref needs --schema: the bundled schema refers to no other schema');
  return { ...loaded, refs: loadRefs(refArgs) };
}
