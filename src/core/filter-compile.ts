/**
 * `compileFilter`: core/filter-line.ts's `compileFilterWith` with every engine
 * loaded (the library's entry, and tests'). csm-filter itself loads only the
 * engines its options use (core/filter-engines.ts).
 */
import { compileQuery } from '../query/index.js';
import { compileSeclPrograms, seclReads } from './bytes/secl-reads.js';
import type { FilterEngines } from './filter-engines.js';
import { type CompiledFilter, type FilterContext, type FilterSpec, compileFilterWith } from './filter-line.js';

const ALL_ENGINES: FilterEngines = { query: { compileQuery }, secl: { compileSeclPrograms, seclReads } };

/** Compiles the selection once; throws a FilterError for a bad query, field or combination. */
export function compileFilter(spec: FilterSpec, context: FilterContext): CompiledFilter {
  return compileFilterWith(spec, context, ALL_ENGINES);
}
