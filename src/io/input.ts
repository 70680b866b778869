/**
 * Inputs: files and stdin, read as Buffer chunks; gzip detected by its magic
 * bytes (1F 8B), not by the file name, and decompressed on the fly.
 */
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Gunzip, ZlibOptions } from 'node:zlib';
import { describeSystemError } from '../core/diagnostic.js';
import { zlib } from './lazy-builtins.js';
import { fileChunks } from './chunk-pool.js';

const createGunzip = (options: ZlibOptions): Gunzip => zlib().createGunzip(options);

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
  // Read into buffers used again once a reader gives them back (io/chunk-pool.ts).
  return fileChunks(handle, CHUNK_BYTES);
}

/**
 * The decompressed byte chunks of `stream`. Errors (read errors, a truncated or
 * corrupt gzip stream) are thrown as InputError naming the file and, for gzip,
 * the compressed byte offset where it failed. `path`, when the stream is that
 * file, lets a corrupt gzip file be read again to recover the lines just before
 * the damage (see salvageGzip).
 */
/**
 * The chunks of a stream as bytes. A string chunk (a stream with an encoding
 * set, `Readable.from('text')`) is taken as UTF-8 text; note that a decoder has
 * already replaced invalid UTF-8 by U+FFFD, so pass bytes to have it reported.
 * Anything else (an object-mode stream) is an InputError naming the stream.
 */
function byteChunks(stream: Readable, name: string): AsyncIterator<Buffer> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  return {
    async next(): Promise<IteratorResult<Buffer>> {
      const r = await it.next();
      if (r.done === true) return { done: true, value: undefined };
      if (r.value instanceof Uint8Array) return { done: false, value: Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value) };
      if (typeof r.value === 'string') return { done: false, value: Buffer.from(r.value, 'utf8') };
      throw new InputError(name, `the stream gives ${r.value === null ? 'null' : typeof r.value} chunks, not bytes or strings`);
    },
  };
}

/** What is left of an iterator. */
async function* drain<T>(it: AsyncIterator<T>): AsyncGenerator<T> {
  for (;;) {
    const r = await it.next();
    if (r.done === true) return;
    yield r.value;
  }
}

/**
 * How the first bytes of an input say it is UTF-16: a byte order mark (FF FE,
 * FE FF), or ASCII every other byte (`{` NUL `"` NUL ...: a BOM-less export from
 * a Windows tool). One clear message beats a column of encoding errors.
 */
function utf16Sign(head: Buffer): string | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'byte order mark FF FE';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'byte order mark FE FF';
  if (head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return 'a NUL after every character';
  if (head.length >= 4 && head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return 'a NUL before every character';
  return undefined;
}

export async function* readChunks(stream: Readable, name: string, path?: string): AsyncGenerator<Buffer> {
  const it = byteChunks(stream, name);
  let head: Buffer = Buffer.alloc(0);
  try {
    while (head.length < 4) {
      const r = await it.next();
      if (r.done === true) break;
      head = head.length === 0 ? r.value : Buffer.concat([head, r.value]);
    }
  } catch (err) {
    throw err instanceof InputError ? err : new InputError(name, describeSystemError(err));
  }
  const utf16 = utf16Sign(head);
  if (utf16 !== undefined) {
    throw new InputError(name, `is UTF-16 (${utf16}), not UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8`);
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    yield* gunzipChunks(head, it, name, path);
    return;
  }
  if (head.length > 0) yield head;
  try {
    yield* drain(it);
  } catch (err) {
    throw err instanceof InputError ? err : new InputError(name, describeSystemError(err));
  }
}

async function* gunzipChunks(
  head: Buffer,
  rest: AsyncIterator<Buffer>,
  name: string,
  path: string | undefined,
): AsyncGenerator<Buffer> {
  let readError: unknown;
  async function* compressed(): AsyncGenerator<Buffer> {
    yield head;
    try {
      yield* drain(rest);
    } catch (err) {
      readError = err;
      throw err;
    }
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const source = Readable.from(compressed(), { objectMode: false });
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  let delivered = 0;
  try {
    for await (const chunk of gunzip) {
      delivered += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (err) {
    if (readError !== undefined) throw new InputError(name, describeSystemError(readError));
    const cause = gzipCause(err);
    let at = gunzip.bytesWritten;
    if (path !== undefined && cause !== TRUNCATED) {
      const salvaged = await salvageGzip(path, at, delivered);
      if (salvaged !== undefined) {
        yield* salvaged.chunks;
        at = salvaged.at;
      }
    }
    throw new InputError(name, `${cause} (gzip, at compressed byte ${at})`);
  } finally {
    source.destroy();
  }
}

/**
 * Node's zlib drops the output of the inflate call that fails, so a corrupt
 * stream (bad data, bad CRC, a damaged next member) would lose up to a chunk of
 * lines decoded just before the damage. A file can be read again: decode it
 * from the start, feeding the bytes from the failed call on in small pieces and
 * then one at a time, so that only what the damaged bytes encode is lost.
 * Returns the decoded bytes after the first `delivered` ones and the offset of
 * the byte where decoding failed; undefined if the file does not fail the same
 * way again (it changed, or cannot be read).
 */
async function salvageGzip(
  path: string,
  failedAt: number,
  delivered: number,
): Promise<{ chunks: Buffer[]; at: number } | undefined> {
  try {
    // Only a regular file reads the same twice (and opening a FIFO would block).
    if (!(await stat(path)).isFile()) return undefined;
    const coarse = await redecode(path, failedAt, 4096, Infinity);
    if (coarse === undefined) return undefined;
    return await redecode(path, coarse.at, 1, delivered);
  } catch {
    return undefined;
  }
}

/**
 * Decodes the gzip file `path` from its start until it fails, writing the bytes
 * before `slowFrom` in big pieces and the rest in pieces of `piece` bytes.
 * Keeps the output after its first `keepFrom` bytes.
 */
async function redecode(
  path: string,
  slowFrom: number,
  piece: number,
  keepFrom: number,
): Promise<{ chunks: Buffer[]; at: number } | undefined> {
  const handle = await open(path, 'r');
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const chunks: Buffer[] = [];
  let produced = 0;
  let failed = false;
  let wake: (() => void) | undefined;
  gunzip.on('data', (d: Buffer) => {
    const skip = keepFrom - produced;
    if (skip < d.length) chunks.push(skip > 0 ? d.subarray(skip) : d);
    produced += d.length;
  });
  gunzip.on('error', () => {
    failed = true;
    wake?.();
  });
  const settled = (start: (done: () => void) => void): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      start(resolve);
    });
  try {
    const buf = Buffer.alloc(CHUNK_BYTES);
    let pos = 0;
    while (!failed) {
      const size = pos < slowFrom ? Math.min(CHUNK_BYTES, slowFrom - pos) : piece;
      const { bytesRead } = await handle.read(buf, 0, size, pos);
      if (bytesRead === 0) {
        await settled((done) => {
          gunzip.once('end', done);
          gunzip.end();
        });
        break;
      }
      pos += bytesRead;
      const bytes = Buffer.from(buf.subarray(0, bytesRead));
      await settled((done) => gunzip.write(bytes, () => done()));
    }
  } finally {
    await handle.close();
    gunzip.destroy();
  }
  return failed ? { chunks, at: gunzip.bytesWritten } : undefined;
}

const TRUNCATED = 'truncated gzip stream';

function gzipCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/unexpected end of file/i.test(message)) return TRUNCATED;
  return `corrupt gzip stream: ${message}`;
}
