/** Counters of one run, shared by the tools and rendered by print/summary. */
import type { Issue } from './diagnostic.js';

export interface RunStats {
  /** Every line read, blank ones included. */
  read: number;
  valid: number;
  invalid: number;
  blank: number;
  /** Bytes read (after decompression), line terminators included. */
  bytes: number;
  /** Invalid lines by error path and keyword, array indices folded into `*`. */
  errorPaths: Map<string, number>;
  /** Lines by `evt.name` (of every line that parsed as a JSON object). */
  kinds: Map<string, number>;
}

export function newStats(): RunStats {
  return { read: 0, valid: 0, invalid: 0, blank: 0, bytes: 0, errorPaths: new Map(), kinds: new Map() };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** `/process/ancestors/9/credentials` -> `/process/ancestors/*\/credentials`. */
export function foldIndices(pointer: string): string {
  return pointer.replace(/\/(0|[1-9][0-9]*)(?=\/|$)/g, '/*');
}

/** Counts each distinct (path, keyword) of an invalid line once. */
export function countErrors(stats: RunStats, errors: Issue[]): void {
  const seen = new Set<string>();
  for (const e of errors) {
    let path = foldIndices(e.instancePath);
    if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
      path = `${path}/${e.params.missingProperty}`;
    } else if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
      path = `${path}/${e.params.additionalProperty}`;
    }
    const key = `${path === '' ? '(root)' : path} (${e.keyword})`;
    if (!seen.has(key)) {
      seen.add(key);
      bump(stats.errorPaths, key);
    }
  }
}

/** The event kind (`evt.name`) of a parsed line: '(none)' for an object without one, undefined for a non-object. */
export function kindName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const evt = (value as Record<string, unknown>).evt;
  if (typeof evt === 'object' && evt !== null && Object.hasOwn(evt, 'name')) {
    const name = (evt as Record<string, unknown>).name;
    if (typeof name === 'string') return name;
  }
  return '(none)';
}

/** Counts the event kind (`evt.name`) of a parsed line. */
export function countKind(stats: RunStats, value: unknown): void {
  const kind = kindName(value);
  if (kind !== undefined) bump(stats.kinds, kind);
}

export function countKindName(stats: RunStats, kind: string | undefined): void {
  if (kind !== undefined) bump(stats.kinds, kind);
}

export function topEntries(map: Map<string, number>, n: number): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}
