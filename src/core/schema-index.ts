/**
 * What the event schema says about field paths: which paths exist, their types,
 * formats and descriptions. Used to resolve `--field`/query paths (with a
 * "did you mean" on typos), to type-check query operands and to list fields.
 *
 * The parts: the graph of nodes built from the schema (schema-index/graph.ts),
 * resolving typed paths (schema-index/resolve.ts), listing the declared paths
 * (schema-index/list.ts) and the "did you mean" (schema-index/suggest.ts).
 */
export { type SchemaIndex, SchemaNode, buildSchemaIndex } from './schema-index/graph.js';
export { type ListedPath, listPaths } from './schema-index/list.js';
export { type ResolveResult, describeTypes, resolvePath } from './schema-index/resolve.js';
export { editDistance } from './schema-index/suggest.js';
