/**
 * Async-iterable API over the same core the CLIs use.
 *
 *   for await (const r of validateLines(readLines('events.ndjson'))) if (!r.valid) console.log(r.errors);
 */
import type { Readable } from 'node:stream';
import type { Issue } from './core/diagnostic.js';
import { DEFAULT_MAX_LINE_BYTES, type Line } from './core/lines.js';
import type { InputShape } from './core/shapes/detect.js';
import { ShapeReader } from './core/shapes/reader.js';
import type { Validator } from './core/validate.js';
import { validateLine } from './core/validate-line.js';
import { InputError, STDIN_NAME, openInput, readChunks } from './io/input.js';
import { createValidator } from './io/schemas.js';

/** One line of one input. */
export interface SourceLine extends Line {
  file: string;
}

/**
 * The lines of a file path (`-` for stdin) or of a byte stream, gzip or not;
 * for an input of another shape (a Datadog log archive, API responses, a JSON
 * array or pretty-printed events: `input`, detected by default), its events,
 * each with its `record`, `column` and `item` (csm-validate's --input). A file
 * that cannot be read, or a document whose structure breaks, throws an
 * InputError naming it (after the events before the break).
 */
export async function* readLines(
  source: string | Readable,
  options: { name?: string; maxLineBytes?: number; input?: InputShape | 'auto' } = {},
): AsyncGenerator<SourceLine> {
  const name = options.name ?? (typeof source === 'string' ? (source === '-' ? STDIN_NAME : source) : STDIN_NAME);
  const stream =
    typeof source === 'string' ? await openInput({ path: source, name }, process.stdin) : source;
  const splitter = new ShapeReader({ shape: options.input ?? 'auto', maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
  const broken = (): InputError | undefined => {
    const f = splitter.failure;
    return f === undefined ? undefined : new InputError(`${name}:${f.line}:${f.column}`, f.message);
  };
  const batch: SourceLine[] = [];
  const sink = (line: Line): void => {
    batch.push({ ...line, file: name });
  };
  try {
    for await (const chunk of readChunks(stream, name)) {
      splitter.push(chunk, sink);
      yield* batch.splice(0);
      const err = broken();
      if (err !== undefined) throw err;
    }
    splitter.end(sink);
    yield* batch.splice(0);
    const err = broken();
    if (err !== undefined) throw err;
  } finally {
    // A file we opened is closed when the caller stops early (break, limit).
    if (typeof source === 'string' && source !== '-') stream.destroy();
  }
}

/** `E`: the type of a valid event (`CsmEvent` from `validateStream`; unknown here). */
export type ValidatedLine<E = unknown> =
  | (SourceLine & { status: 'blank' })
  | (SourceLine & { status: 'valid'; event: E })
  | (SourceLine & { status: 'invalid'; errors: Issue[]; omitted?: number });

/** Validates each line (the bundled schema unless a validator is given): csm-validate's per-line step. */
export async function* validateLines(
  lines: AsyncIterable<SourceLine> | Iterable<SourceLine>,
  validator: Validator = createValidator(),
): AsyncGenerator<ValidatedLine> {
  for await (const line of lines) {
    const verdict = validateLine(line, validator, undefined, (event) => event);
    if (verdict.status === 'blank') yield { ...line, status: 'blank' };
    else if (verdict.status === 'invalid') {
      yield { ...line, status: 'invalid', errors: verdict.errors, ...(verdict.omitted !== undefined ? { omitted: verdict.omitted } : {}) };
    }
    else yield { ...line, status: 'valid', event: verdict.status === 'selected' ? verdict.output : undefined };
  }
}
