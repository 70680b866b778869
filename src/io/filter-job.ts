/**
 * What csm-filter compiles, the same way in the main thread and in each
 * `--jobs` worker, from plain data: the schema (read here), the selection
 * (core/filter-line.ts) and, when fields are printed, the field printer whose
 * text a selected verdict carries across threads.
 */
import { type CompiledFilter, type FilterSpec, type SelectedEvent, compileFilter, filterLine } from '../core/filter-line.js';
import type { Line } from '../core/lines.js';
import type { Verdict } from '../core/verdict.js';
import { type FieldFormat, fieldPrinter } from '../print/fields.js';
import type { WorkerSettings } from './parallel.js';
import { type DebugLog, loadSchema, schemaIndexOf, validatorFor } from './schemas.js';

export interface FilterJobSettings extends WorkerSettings {
  spec: FilterSpec;
  /** `--schema FILE` (undefined: the bundled schema). */
  schema?: string;
  /** Check paths and operand types against the schema (`--no-schema-check`: false). */
  schemaCheck: boolean;
  /** Validate every event first (`--validate`). */
  validate: boolean;
  /** How a selected event's fields are printed; undefined: the line itself (or only counted). */
  print?: { format: FieldFormat; flat: boolean; header: boolean };
}

export interface FilterJob {
  filter: CompiledFilter;
  /** One line -> its verdict, with the printed fields of a selected event. */
  judge(line: Line): Verdict;
}

/** Compiles the filter and its printer (throws FilterError / UsageError for bad options). */
export function prepareFilter(settings: FilterJobSettings, debug?: DebugLog): FilterJob {
  const loaded = loadSchema(settings.schema);
  const filter = compileFilter(settings.spec, {
    index: settings.schemaCheck ? schemaIndexOf(loaded.schema) : null,
    ...(settings.validate ? { validator: validatorFor(loaded, debug) } : {}),
  });
  const printer =
    filter.projector !== undefined && settings.print !== undefined ? fieldPrinter(filter.projector, settings.print) : undefined;
  const render = printer !== undefined ? (event: SelectedEvent) => printer.record(event.exact(), event.envelope) : undefined;
  return { filter, judge: (line) => filterLine(line, filter, settings.maxLineBytes, render) };
}
