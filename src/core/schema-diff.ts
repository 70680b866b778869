/**
 * What changed from one event schema to another (`csm-schema diff A B`): the
 * top-level sections, each `$defs` entry (new, removed, and for the ones in
 * both: properties, required keys, types), and every field path csm-filter
 * takes (new, removed, type or format changed, required keys). Pure: schemas
 * in, a plain record out; printing is the CLI's.
 */
import { isJsonObject } from './json/value.js';
import { type SchemaNode, buildSchemaIndex, listPaths } from './schema-index.js';
import type { JsonSchema } from './validate.js';

export interface TypeChange {
  /** The property (in a $defs entry) or the path. */
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** The changes of one object schema (a `$defs` entry, or the top level). */
export interface ObjectChange {
  readonly name: string;
  readonly propertiesAdded: string[];
  readonly propertiesRemoved: string[];
  readonly requiredAdded: string[];
  readonly requiredRemoved: string[];
  readonly typeChanges: TypeChange[];
}

export interface PathChange {
  readonly path: string;
  readonly type?: { from: string; to: string };
  readonly requiredAdded?: string[];
  readonly requiredRemoved?: string[];
}

export interface SchemaDiff {
  readonly sections: { added: string[]; removed: string[] };
  readonly topLevel: ObjectChange | undefined;
  readonly defs: { added: string[]; removed: string[]; changed: ObjectChange[] };
  readonly paths: { added: string[]; removed: string[]; changed: PathChange[] };
}

const record = (v: unknown): Record<string, unknown> => (isJsonObject(v) ? v : {});

function keys(v: unknown): string[] {
  return Object.keys(record(v));
}

function requiredOf(schema: unknown): string[] {
  const r = record(schema).required;
  return Array.isArray(r) ? r.filter((k): k is string => typeof k === 'string') : [];
}

/** A property schema in words: `string (date-time)`, `$defs/File`, `integer[]`, `object`, `any`. */
export function describeProperty(schema: unknown): string {
  if (schema === true || schema === undefined) return 'any';
  if (schema === false) return 'nothing';
  const s = record(schema);
  if (typeof s.$ref === 'string') return s.$ref.replace(/^#\//, '');
  const t = s.type;
  const types = typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
  const text = types
    .map((x) => (x === 'array' && s.items !== undefined ? `${describeProperty(s.items)}[]` : x))
    .join('|');
  const base = text === '' ? 'any' : text;
  return typeof s.format === 'string' ? `${base} (${s.format})` : base;
}

const minus = (a: readonly string[], b: readonly string[]): string[] => a.filter((x) => !b.includes(x));

/** The changes of one object schema from `a` to `b`, or undefined when none. */
export function diffObject(name: string, a: unknown, b: unknown): ObjectChange | undefined {
  const pa = record(record(a).properties);
  const pb = record(record(b).properties);
  const typeChanges: TypeChange[] = [];
  for (const k of Object.keys(pa)) {
    if (!Object.hasOwn(pb, k)) continue;
    const from = describeProperty(pa[k]);
    const to = describeProperty(pb[k]);
    if (from !== to) typeChanges.push({ name: k, from, to });
  }
  const change: ObjectChange = {
    name,
    propertiesAdded: minus(Object.keys(pb), Object.keys(pa)),
    propertiesRemoved: minus(Object.keys(pa), Object.keys(pb)),
    requiredAdded: minus(requiredOf(b), requiredOf(a)),
    requiredRemoved: minus(requiredOf(a), requiredOf(b)),
    typeChanges,
  };
  const empty = [change.propertiesAdded, change.propertiesRemoved, change.requiredAdded, change.requiredRemoved, typeChanges].every((l) => l.length === 0);
  return empty ? undefined : change;
}

function defsOf(schema: JsonSchema): Record<string, unknown> {
  return record(schema.$defs ?? schema.definitions);
}

/** A path's node in words, as `csm-schema fields` shows it: types, element types, format. */
function nodeText(node: SchemaNode): string {
  const types = node.types.length === 0 ? ['any'] : node.types;
  const text = types
    .map((t) => (t === 'array' && node.items !== undefined && node.items.types.length > 0 ? `${node.items.types.join('|')}[]` : t))
    .join('|');
  const format = node.format ?? node.items?.format;
  return format !== undefined ? `${text} (${format})` : text;
}

export function diffSchemas(a: JsonSchema, b: JsonSchema): SchemaDiff {
  const da = defsOf(a);
  const db = defsOf(b);
  const changed: ObjectChange[] = [];
  for (const name of Object.keys(da)) {
    if (!Object.hasOwn(db, name)) continue;
    const c = diffObject(name, da[name], db[name]);
    if (c !== undefined) changed.push(c);
  }
  const pathsA = new Map(listPaths(buildSchemaIndex(a)).map((p) => [p.path, p.node]));
  const pathsB = new Map(listPaths(buildSchemaIndex(b)).map((p) => [p.path, p.node]));
  const pathChanges: PathChange[] = [];
  for (const [path, na] of pathsA) {
    const nb = pathsB.get(path);
    if (nb === undefined) continue;
    const from = nodeText(na);
    const to = nodeText(nb);
    const requiredAdded = minus(nb.required, na.required);
    const requiredRemoved = minus(na.required, nb.required);
    if (from === to && requiredAdded.length === 0 && requiredRemoved.length === 0) continue;
    pathChanges.push({
      path,
      ...(from !== to ? { type: { from, to } } : {}),
      ...(requiredAdded.length > 0 ? { requiredAdded } : {}),
      ...(requiredRemoved.length > 0 ? { requiredRemoved } : {}),
    });
  }
  return {
    sections: { added: minus(keys(b.properties), keys(a.properties)), removed: minus(keys(a.properties), keys(b.properties)) },
    topLevel: diffObject('(top level)', a, b),
    defs: { added: minus(Object.keys(db), Object.keys(da)), removed: minus(Object.keys(da), Object.keys(db)), changed },
    paths: {
      added: [...pathsB.keys()].filter((p) => !pathsA.has(p)),
      removed: [...pathsA.keys()].filter((p) => !pathsB.has(p)),
      changed: pathChanges,
    },
  };
}

/** True when the two schemas declare the same things (as far as this diff sees). */
export function isEmptyDiff(d: SchemaDiff): boolean {
  return (
    d.sections.added.length + d.sections.removed.length + d.defs.added.length + d.defs.removed.length + d.defs.changed.length +
      d.paths.added.length + d.paths.removed.length + d.paths.changed.length ===
      0 && d.topLevel === undefined
  );
}
