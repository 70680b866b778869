/**
 * A cache of decoded policy files for csm-rules: decoding the YAML and parsing every
 * expression of the default policy is most of csm-rules' start (~0.5 s); a file seen
 * before is read back from its decoded form (`node:v8` serialization) instead.
 *
 * Safe by construction: an entry is found by the SHA-256 of everything its content depends
 * on (the file's name and text, the code that decodes it: the modules of src/rules and
 * src/secl, the `yaml` package's version, the Node version and this format's number) and
 * holds that key; an entry that cannot be read, does not deserialize or holds another key
 * is ignored (the file is decoded again and the entry rewritten). Entries are written to a
 * temporary name and renamed, so that concurrent runs never read half an entry. Where the
 * cache cannot be written (read-only home), the run goes on without it.
 *
 * Where: `$CSM_RULES_CACHE` (a directory), else `$XDG_CACHE_HOME/csm-ndjson/policies`, else
 * `~/.cache/csm-ndjson/policies`; `CSM_RULES_CACHE=off` turns it off.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { loadPolicy, type SourceFile } from '../rules/index.js';

const FORMAT = 'csm-rules-policy-cache-1';

type Loaded = ReturnType<typeof loadPolicy>;

/** The cache directory, or undefined when it is off. */
export function policyCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const v = env.CSM_RULES_CACHE;
  if (v === 'off') return undefined;
  if (v !== undefined && v !== '') return v;
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'csm-ndjson', 'policies');
}

let codeKey: string | undefined;

/** The hash of the code a decoded policy depends on (computed once). */
function codeHash(): string {
  if (codeKey !== undefined) return codeKey;
  const h = createHash('sha256').update(FORMAT).update(process.version);
  const ext = extname(fileURLToPath(import.meta.url));
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name.endsWith(ext) && !name.endsWith(`.d${ext}`)) h.update(name).update(readFileSync(path));
      else if (!name.includes('.')) walk(path);
    }
  };
  for (const dir of ['../rules/', '../secl/']) walk(fileURLToPath(new URL(dir, import.meta.url)));
  try {
    h.update(readFileSync(fileURLToPath(new URL('../../node_modules/yaml/package.json', import.meta.url))));
  } catch {
    h.update('yaml:?');
  }
  codeKey = h.digest('hex');
  return codeKey;
}

function keyOf(file: SourceFile): string {
  return createHash('sha256').update(codeHash()).update('\0').update(file.name).update('\0').update(file.text).digest('hex');
}

function readEntry(path: string, key: string): Loaded | undefined {
  try {
    const entry = deserialize(readFileSync(path)) as { key?: unknown; loaded?: Loaded };
    if (entry.key !== key || typeof entry.loaded !== 'object' || entry.loaded === null) return undefined;
    const l = entry.loaded;
    return Array.isArray(l.errors) && typeof l.policy === 'object' && l.policy !== null ? l : undefined;
  } catch {
    return undefined;
  }
}

function writeEntry(dir: string, path: string, key: string, loaded: Loaded): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, serialize({ key, loaded }));
    renameSync(tmp, path);
  } catch {
    // No cache where it cannot be written: the run goes on.
  }
}

/** `loadPolicy` through the cache (the same result, decoded once per content). */
export function cachedPolicyLoader(env: NodeJS.ProcessEnv): (file: SourceFile) => Loaded {
  const dir = policyCacheDir(env);
  if (dir === undefined) return loadPolicy;
  return (file) => {
    const key = keyOf(file);
    const path = join(dir, `${key}.v8`);
    const hit = readEntry(path, key);
    if (hit !== undefined) return hit;
    const loaded = loadPolicy(file);
    writeEntry(dir, path, key, loaded);
    return loaded;
  };
}
