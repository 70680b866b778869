/**
 * Listing the paths a schema declares (for `csm-schema fields`, completion and
 * "did you mean").
 */
import { formatPath, type Segment, type Span } from '../path.js';
import type { SchemaIndex, SchemaNode, SchemaObject } from './graph.js';

export interface ListedPath {
  /** Canonical text: `process.ancestors[*].file.path`, `mount["mountpoint.path"]`. */
  path: string;
  node: SchemaNode;
  segments: Segment[];
}

const listCache = new WeakMap<SchemaIndex, ListedPath[]>();
const LIST_LIMIT = 100_000;
const NO_SPAN: Span = { start: 0, end: 0 };

/**
 * Every path the schema declares, depth first in schema order: each object key,
 * and below an array of objects its element fields as `[*]` steps
 * (`process.ancestors[*].file.path`). The sub-paths of free-form nodes are not
 * listed (any is accepted). Recursive schemas stop at the first repetition.
 */
export function listPaths(index: SchemaIndex): ListedPath[] {
  const cached = listCache.get(index);
  if (cached) return cached;
  const out: ListedPath[] = [];
  const stack = new Set<SchemaObject>();
  const visit = (node: SchemaNode, segments: Segment[]): void => {
    if (out.length >= LIST_LIMIT) return;
    if (node.parts.some((p) => stack.has(p))) return;
    for (const p of node.parts) stack.add(p);
    for (const [key, child] of node.children) {
      const segs: Segment[] = [...segments, { kind: 'key', key, span: NO_SPAN, quoted: true }];
      out.push({ path: formatPath(segs), node: child, segments: segs });
      visit(child, segs);
    }
    const items = node.types.includes('array') ? node.items : undefined;
    if (items && items.children.size > 0) {
      visit(items, [...segments, { kind: 'wildcard', span: NO_SPAN }]);
    }
    for (const p of node.parts) stack.delete(p);
  };
  visit(index.root, []);
  listCache.set(index, out);
  return out;
}
