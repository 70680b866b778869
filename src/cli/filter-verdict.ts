/**
 * csm-filter's per-line step, shared by the main thread and the `--jobs`
 * workers: a line -> a small verdict that can cross threads (the selected
 * line's projection already rendered to text).
 */
import type { Issue } from '../core/diagnostic.js';
import type { Line } from '../core/lines.js';
import { kindName } from '../core/stats.js';
import { type CompiledFilter, type FilterStreamOptions, compileFilter, filterOne } from '../filter-api.js';
import type { WorkerSettings } from '../io/parallel.js';
import { type FieldFormat, type FieldPrinter, fieldPrinter } from '../print/fields.js';

/** What compiles a filter the same way in every thread (plain data). */
export interface FilterSettings extends WorkerSettings {
  filter: FilterStreamOptions;
  format: FieldFormat;
  flat: boolean;
  header: boolean;
  count: boolean;
}

export type FilterVerdict =
  | { status: 'blank' }
  | { status: 'invalid'; kind: string | undefined; column: number | undefined; errors: Issue[] }
  | { status: 'skipped'; kind: string | undefined }
  /** `output`: the projection's text when fields are printed (else the line itself is). */
  | { status: 'selected'; kind: string | undefined; output?: string };

export interface PreparedFilter {
  filter: CompiledFilter;
  printer: FieldPrinter | undefined;
}

/** Compiles the filter and its printer (throws FilterError / UsageError for bad options). */
export function prepareFilter(settings: FilterSettings): PreparedFilter {
  const filter = compileFilter(settings.filter);
  const printer =
    filter.projector !== undefined
      ? fieldPrinter(filter.projector, { format: settings.format, flat: settings.flat, header: settings.header })
      : undefined;
  return { filter, printer };
}

export function filterVerdict(line: Line, prepared: PreparedFilter, settings: FilterSettings): FilterVerdict {
  const outcome = filterOne(line, prepared.filter, settings.maxLineBytes);
  switch (outcome.status) {
    case 'blank':
      return outcome;
    case 'invalid':
      return { status: 'invalid', kind: outcome.value === undefined ? undefined : kindName(outcome.value), column: outcome.column, errors: outcome.errors };
    case 'skipped':
      return { status: 'skipped', kind: kindName(outcome.value) };
    case 'selected': {
      const kind = kindName(outcome.value);
      if (settings.count || prepared.printer === undefined) return { status: 'selected', kind };
      return { status: 'selected', kind, output: prepared.printer.record(outcome.exact()) };
    }
  }
}
