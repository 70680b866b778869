/**
 * csm-ndjson as a library: the core the CLIs are built on.
 */
export { LineSplitter, splitLines, DEFAULT_MAX_LINE_BYTES, type Line, type LineSink } from './core/lines.js';
export { ShapeReader, type ShapeReaderOptions } from './core/shapes/reader.js';
export { DocumentSplitter, type Element, type SplitFailure } from './core/shapes/splitter.js';
export { INPUT_SHAPES, describeShape, type InputShape } from './core/shapes/detect.js';
export { envelopeOf, ENVELOPE_FIELDS } from './core/shapes/envelope.js';
export { parseLine, locateIssues, isBlank, type ParsedLine } from './core/parse-line.js';
export { compileValidator, schemaDraft, type Validator, type JsonSchema, type Draft } from './core/validate.js';
export { createValidator, loadSchemaFile, bundledEventSchema, BUNDLED_SCHEMA_PATH } from './io/schemas.js';
export { validateLine } from './core/validate-line.js';
export { filterLine, type FilterSpec, type CompiledFilter, type SelectedEvent } from './core/filter-line.js';
export { compileFilter } from './core/filter-compile.js';
export { eventKind, type Verdict, type EventKind } from './core/verdict.js';
export { isRfc3339DateTime } from './core/formats.js';
export { ExitCode, UsageError, type Issue, type LineReport } from './core/diagnostic.js';
export { JsonNumber, type JsonValue } from './core/json/value.js';
export { readLines, validateLines, type SourceLine, type ValidatedLine } from './api.js';
export { InputError } from './io/input.js';
export {
  validateStream,
  filterStream,
  countBy,
  project,
  FilterError,
  type StreamSource,
  type SchemaOption,
  type ReadOptions,
  type ValidateStreamOptions,
  type FilterStreamOptions,
  type FilteredEvent,
  type CountByOptions,
  type CountByResult,
  type ProjectOptions,
} from './filter-api.js';
/** The event of the bundled schema: `CsmEvent`, its sections `CsmEvent['process']`, ... (generated). */
export type { CsmEvent } from './types/event.js';
/** Every named type of the schema (`CsmEventTypes.ProcessContext`, `CsmEventTypes.File`, ...). */
export type * as CsmEventTypes from './types/event.js';
export { compileQuery, renderQueryError, type CompiledQuery, type QueryError } from './query/index.js';
export { compileProjection, type Projector } from './core/project.js';
export { parsePath, getPathValues, formatPath, type Path, type Segment } from './core/path.js';
export { buildSchemaIndex, type SchemaIndex } from './core/schema-index/graph.js';
export { resolvePath } from './core/schema-index/resolve.js';
export { listPaths } from './core/schema-index/list.js';
export { parseLossless, needsLossless, locateJsonError } from './core/json/parse.js';
export { stringifyJson } from './core/json/stringify.js';
export { compareJsonNumbers } from './core/json/decimal.js';
