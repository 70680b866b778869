/**
 * Inputs: files and stdin, read as Buffer chunks; gzip detected by its magic
 * bytes (1F 8B), not by the file name, and decompressed on the fly.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeSystemError } from '../core/diagnostic.js';

export const STDIN_NAME = '<stdin>';
const CHUNK_BYTES = 256 * 1024;

/** A problem reading one input: it names the file and the cause. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly cause_: string,
  ) {
    super(`${file}: ${cause_}`);
    this.name = 'InputError';
  }
}

export interface InputSpec {
  /** `-` for stdin, otherwise a path. */
  path: string;
  /** Name used in reports: the path, or `<stdin>`. */
  name: string;
}

export function inputSpecs(files: string[]): InputSpec[] {
  const list = files.length === 0 ? ['-'] : files;
  return list.map((path) => ({ path, name: path === '-' ? STDIN_NAME : path }));
}

/** Opens one input as a byte stream; a missing file or a directory is an InputError. */
export async function openInput(spec: InputSpec, stdin: Readable): Promise<Readable> {
  if (spec.path === '-') return stdin;
  let handle;
  try {
    handle = await open(spec.path, 'r');
  } catch (err) {
    throw new InputError(spec.name, describeSystemError(err));
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError(spec.name, 'is a directory');
  } catch (err) {
    await handle.close();
    if (err instanceof InputError) throw err;
    throw new InputError(spec.name, describeSystemError(err));
  }
  return handle.createReadStream({ highWaterMark: CHUNK_BYTES });
}

/**
 * The decompressed byte chunks of `stream`. Errors (read errors, a truncated or
 * corrupt gzip stream) are thrown as InputError naming the file and, for gzip,
 * the compressed byte offset where it failed.
 */
export async function* readChunks(stream: Readable, name: string): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer = Buffer.alloc(0);
  try {
    while (head.length < 2) {
      const r = await it.next();
      if (r.done === true) break;
      head = head.length === 0 ? r.value : Buffer.concat([head, r.value]);
    }
  } catch (err) {
    throw new InputError(name, describeSystemError(err));
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    yield* gunzipChunks(head, it, name);
    return;
  }
  if (head.length > 0) yield head;
  try {
    for (;;) {
      const r = await it.next();
      if (r.done === true) return;
      yield r.value;
    }
  } catch (err) {
    throw new InputError(name, describeSystemError(err));
  }
}

async function* gunzipChunks(
  head: Buffer,
  rest: AsyncIterator<Buffer>,
  name: string,
): AsyncGenerator<Buffer> {
  let readError: unknown;
  async function* compressed(): AsyncGenerator<Buffer> {
    yield head;
    try {
      for (;;) {
        const r = await rest.next();
        if (r.done === true) return;
        yield r.value;
      }
    } catch (err) {
      readError = err;
      throw err;
    }
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const source = Readable.from(compressed(), { objectMode: false });
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    if (readError !== undefined) throw new InputError(name, describeSystemError(readError));
    const cause = gzipCause(err);
    throw new InputError(name, `${cause} (gzip, at compressed byte ${gunzip.bytesWritten})`);
  } finally {
    source.destroy();
  }
}

function gzipCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/unexpected end of file/i.test(message)) return 'truncated gzip stream';
  return `corrupt gzip stream: ${message}`;
}
