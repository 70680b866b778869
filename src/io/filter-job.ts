/**
 * What csm-filter compiles, the same way in the main thread and in each
 * `--jobs` worker, from plain data: the schema (read here), the selection
 * (core/filter-line.ts) and, when fields are printed, the field printer whose
 * text a selected verdict carries across threads.
 */
import { type CompiledFilter, type FilterSpec, type SelectedEvent, compileFilterWith, filterLine } from '../core/filter-line.js';
import { loadFilterEngines } from '../core/filter-engines.js';
import { compileCountBy } from '../core/count-by.js';
import type { Line } from '../core/lines.js';
import type { Verdict } from '../core/verdict.js';
import { type FieldFormat, fieldPrinter } from '../print/fields.js';
import type { WorkerSettings } from './worker-serve.js';
import type { Tolerance } from '../core/judge.js';
import { type DebugLog, schemaIndexOf } from './schemas.js';
import { judgeFor, staticSchema } from './catalog.js';
import { byteLineStep } from '../core/bytes/select.js';

/**
 * Selection on the bytes (core/bytes) is on unless the environment says
 * `CSM_BYTESEL=0`: the switch that forces the ordinary parse of every line,
 * for comparisons (README "Selection on the bytes"). Read here, so the
 * `--jobs` workers (same environment) decide alike.
 */
export function bytesSelectionEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CSM_BYTESEL !== '0';
}

export interface FilterJobSettings extends WorkerSettings {
  spec: FilterSpec;
  /** `--schema NAME|FILE` (undefined: auto). */
  schema?: string;
  /** `--ref [URI=]FILE`: schemas the `--schema`'s `$ref`s name (io/schema-refs.ts). */
  refs?: string[];
  /** `--allow-unknown-keys`, `--ignore` (with --validate). */
  tolerance?: Tolerance;
  /** Check paths and operand types against the schema (`--no-schema-check`: false). */
  schemaCheck: boolean;
  /** Validate every event first (`--validate`). */
  validate: boolean;
  /** How a selected event's fields are printed; undefined: the line itself (or only counted). */
  print?: { format: FieldFormat; flat: boolean; header: boolean };
  /** `--count-by` paths: a selected verdict carries the event's group keys (core/count-by.ts). */
  countBy?: readonly string[];
}

export interface FilterJob {
  filter: CompiledFilter;
  /** The `--count-by` paths' names, when counting by them. */
  countBy?: readonly string[];
  /** One line -> its verdict, with the printed fields of a selected event. */
  judge(line: Line): Verdict;
}

/**
 * Compiles the filter and its printer (rejects with FilterError / UsageError for bad options).
 * Only the engines the spec uses are loaded (core/filter-engines.ts: start-up).
 */
export async function prepareFilter(settings: FilterJobSettings, debug?: DebugLog): Promise<FilterJob> {
  const engines = await loadFilterEngines(settings.spec);
  // The schema's index checks paths: without any (only --kind, --secl, or nothing), the bundled
  // schema is not read (start-up); a --schema FILE is still read, so that a bad one is reported.
  const { spec } = settings;
  const paths = spec.where.length > 0 || spec.fields.length > 0 || spec.time !== undefined || (settings.countBy ?? []).length > 0;
  const index = settings.schemaCheck && (paths || settings.schema !== undefined) ? schemaIndexOf(staticSchema(settings.schema).schema) : null;
  const filter = compileFilterWith(settings.spec, {
    index,
    ...(settings.validate ? { validator: judgeFor(settings.schema, settings.tolerance, debug, settings.refs) } : {}),
  }, engines);
  const printer =
    filter.projector !== undefined && settings.print !== undefined ? fieldPrinter(filter.projector, settings.print) : undefined;
  const countBy = settings.countBy !== undefined ? compileCountBy(settings.countBy, index) : undefined;
  const render = countBy !== undefined ? countBy.keys : printer !== undefined ? (event: SelectedEvent) => printer.record(event.exact(), event.envelope) : undefined;
  // What the renderer reads: the --count-by paths, or the --field paths (already in the filter's reads).
  const renderPaths = countBy !== undefined ? countBy.paths : [];
  const onBytes = bytesSelectionEnabled() ? byteLineStep(filter, renderPaths, settings.maxLineBytes, render) : undefined;
  return {
    filter,
    ...(countBy !== undefined ? { countBy: countBy.names } : {}),
    judge: onBytes ?? ((line) => filterLine(line, filter, settings.maxLineBytes, render)),
  };
}
