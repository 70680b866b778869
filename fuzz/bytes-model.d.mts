/** Types of fuzz/bytes-model.mjs, for the TypeScript tests that import it. */
import type { Arbitrary } from 'fast-check';
import type { FilterSpec } from '../src/core/filter-line.js';
import type { Line } from '../src/core/lines.js';

export interface Mutation {
  kind: string;
  at: number;
  pick: number;
}
export interface GeneratedSpec {
  spec: FilterSpec;
  countBy: string[] | undefined;
}
export function mutate(buf: Buffer, m: Mutation): Buffer;
export const filterSpec: Arbitrary<GeneratedSpec>;
export function mutatedLines(events: readonly string[]): Arbitrary<Buffer>;
export function lineOf(bytes: Buffer, n?: number): Line;
export function checkSameVerdicts(lib: Record<string, unknown>, spec: GeneratedSpec, lines: readonly Buffer[], maxLineBytes?: number): void;
export function acceptsReference(bytes: Buffer, maxDepth: number): boolean;
