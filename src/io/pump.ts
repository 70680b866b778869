/**
 * The reading loop every tool shares: inputs in order -> chunks -> lines ->
 * the tool's `onLine`, with the tool's outputs drained between chunks
 * (backpressure), early stop (`--fail-fast`, `--limit`, a closed stdout) and
 * interruption (SIGINT/SIGTERM) checked at each chunk.
 */
import type { Readable } from 'node:stream';
import { DEFAULT_MAX_LINE_BYTES, type Line } from '../core/lines.js';
import type { InputShape } from '../core/shapes/detect.js';
import { type ShapeFailure, ShapeReader } from '../core/shapes/reader.js';
import { type InputSpec, InputError, openInput, readChunks } from './input.js';
import { releaseChunk } from './chunk-pool.js';

export interface PumpHandler {
  /** Handles one line of `file`. */
  onLine(file: string, line: Line): void;
  /** True when reading should stop (fail-fast, limit reached, stdout closed, signal). */
  shouldStop(): boolean;
  /** Called after each input chunk: flush outputs and wait for slow consumers. */
  afterChunk(): Promise<void>;
  /** An input could not be read; the loop goes on with the next input. */
  onInputError(err: InputError): void;
  /**
   * An NDJSON input may go on in chunks rather than lines (`--jobs` workers
   * frame them, io/parallel.ts): told where the input stands after a whole
   * line, returns where its chunks go from there on (undefined: lines).
   */
  takeChunks?(file: string, at: { line: number; offset: number; detected: boolean }): { push(chunk: Buffer): void; end(): void } | undefined;
}

export interface PumpOptions {
  maxLineBytes?: number;
  stdin: Readable;
  /** Aborted on SIGINT/SIGTERM: the current read is cut short. */
  signal?: AbortSignal;
  /** `--input`: the shape of every input, or `auto` (default: detected per input). */
  shape?: InputShape | 'auto';
  /** Told each input's shape once known; a message returned refuses the input (an InputError). */
  onShape?(file: string, shape: InputShape, detected: boolean, array: boolean): string | undefined;
}

/** A broken document or a refused shape, as the InputError that names where. */
function shapeError(file: string, f: ShapeFailure): InputError {
  if (f.line === 0) return new InputError(file, f.message);
  return new InputError(`${file}:${f.line}:${f.column}`, `${f.message}; the rest of this input is not read`);
}

export async function pumpLines(inputs: InputSpec[], options: PumpOptions, handler: PumpHandler): Promise<void> {
  const aborted = (): boolean => options.signal?.aborted === true;
  for (const spec of inputs) {
    if (handler.shouldStop() || aborted()) return;
    let stream: Readable;
    try {
      stream = await openInput(spec, options.stdin);
    } catch (err) {
      if (err instanceof InputError) {
        handler.onInputError(err);
        continue;
      }
      throw err;
    }
    const onAbort = (): void => {
      stream.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Runs of blank lines come as one Line each (cheap: 1 GiB of `\n` is not 1G Lines).
    const splitter = new ShapeReader({
      shape: options.shape ?? 'auto',
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      blankRuns: true,
      onShape: (shape, detected, array) => options.onShape?.(spec.name, shape, detected, array),
    });
    const sink = (line: Line): void => {
      if (!handler.shouldStop()) handler.onLine(spec.name, line);
    };
    let stopped = false;
    // Once NDJSON is known, the rest of the input may go on in chunks, from the end of a line on.
    let chunks: { push(chunk: Buffer): void; end(): void } | undefined;
    const push = (chunk: Buffer): void => {
      if (chunks !== undefined) {
        // Copied into segments as it is pushed: its buffer may be read into again.
        chunks.push(chunk);
        return releaseChunk(chunk);
      }
      const nl = handler.takeChunks !== undefined && splitter.detected === 'ndjson' ? chunk.indexOf(0x0a) : -1;
      if (nl === -1 || splitter.failure !== undefined) return splitter.push(chunk, sink);
      splitter.push(chunk.subarray(0, nl + 1), sink);
      const at = { line: splitter.lineCount, offset: splitter.bytes, detected: (options.shape ?? 'auto') === 'auto' };
      chunks = handler.shouldStop() ? undefined : handler.takeChunks!(spec.name, at);
      if (chunks !== undefined) chunks.push(chunk.subarray(nl + 1));
      else splitter.push(chunk.subarray(nl + 1), sink);
    };
    const end = (): void => (chunks !== undefined ? chunks.end() : splitter.end(sink));
    try {
      for await (const chunk of readChunks(stream, spec.name, spec.path !== '-' ? spec.path : undefined)) {
        push(chunk);
        await handler.afterChunk();
        if (splitter.failure !== undefined) throw shapeError(spec.name, splitter.failure);
        if (handler.shouldStop() || aborted()) {
          stopped = true;
          break;
        }
      }
    } catch (err) {
      if (aborted()) return;
      // Lines read before the failure were handled; a torn last line still counts.
      if (!handler.shouldStop()) end();
      await handler.afterChunk();
      if (err instanceof InputError) {
        handler.onInputError(err);
        continue;
      }
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (spec.path !== '-') stream.destroy();
    }
    if (stopped) return;
    end();
    await handler.afterChunk();
    if (splitter.failure !== undefined) handler.onInputError(shapeError(spec.name, splitter.failure));
  }
}
