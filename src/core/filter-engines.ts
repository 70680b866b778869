/**
 * The compilers csm-filter's selection may need (core/filter-line.ts
 * `compileFilterWith`): the query language's (`--where`) and SECL's (`--secl`,
 * with its field tables and re2js). They are most of csm-filter's code, so a
 * run loads only those its spec uses (`loadFilterEngines`, a dynamic import):
 * a run with neither, or on empty input, starts as fast as csm-validate
 * (issue 16: start-up at most 2x `node -e 0`). `compileFilter`
 * (core/filter-compile.ts) is the library's: every engine, loaded statically.
 */
import type { compileQuery } from '../query/index.js';
import type { compileSeclPrograms, seclReads } from './bytes/secl-reads.js';
import type { FilterSpec } from './filter-line.js';

export interface FilterEngines {
  /** Needed when the spec has `where` queries. */
  query?: { compileQuery: typeof compileQuery };
  /** Needed when the spec has `secl` expressions. */
  secl?: { compileSeclPrograms: typeof compileSeclPrograms; seclReads: typeof seclReads };
}

/** The engines `spec` uses, and only those. */
export async function loadFilterEngines(spec: Pick<FilterSpec, 'where' | 'secl'>): Promise<FilterEngines> {
  const [query, secl] = await Promise.all([
    spec.where.length > 0 ? import('../query/index.js') : undefined,
    (spec.secl ?? []).length > 0 ? import('./bytes/secl-reads.js') : undefined,
  ]);
  return { ...(query !== undefined ? { query } : {}), ...(secl !== undefined ? { secl } : {}) };
}
