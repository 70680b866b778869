/** Types of fuzz/fastcheck-model.mjs, for the TypeScript tests that import it. */
export type Tree = { t: 'obj'; e: [string, Tree][] } | { t: 'arr'; v: Tree[] } | { t: 'str'; s: string } | { t: 'raw'; text: string };
export function prng(seed: number): () => number;
export function generate(schema: unknown, r: () => number, options?: { os?: string; version?: string }): Tree;
export function spell(tree: Tree, r?: () => number, options?: { ws?: number; escapes?: number; keyEscapes?: number }): string;
export function mutateTree(tree: Tree, r: () => number): Tree;
export function mutateBytes(bytes: Uint8Array, r: () => number): Uint8Array;
export function eventLine(schema: unknown, seed: number, mutation: 0 | 1 | 2 | 3, options?: { os?: string; version?: string }): Uint8Array;
