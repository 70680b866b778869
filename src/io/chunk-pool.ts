/**
 * Reading a file into buffers used again. A fresh 256 KiB buffer per read
 * costs more than the read itself (new memory from the system, page by page:
 * about 0.3 s of CPU per 100 MB, against 0.05 s into a buffer used again), and
 * with `--jobs` that cost is the main thread's, which every worker waits on.
 * A chunk may be used again only once nothing holds a view into it: lines of
 * one thread are views into their chunk, so only a consumer that copies the
 * chunk at once (the segments of `--jobs`, io/segments.ts) gives it back, with
 * `releaseChunk`; the others let it go to the garbage collector, as before.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const LENT_FROM = Symbol('chunk pool');
const BUFFER = Symbol('chunk buffer');

/** Buffers of one size, lent as chunks and given back when their reader is done with them. */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    /** Buffers kept for use again (a reader has at most a few chunks ahead). */
    private readonly keep = 4,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** The first `length` bytes of `buffer` (taken from this pool), as the chunk handed on. */
  lend(buffer: Buffer, length: number): Buffer {
    const chunk = length === buffer.length ? buffer : buffer.subarray(0, length);
    // The chunk holds its buffer (not a WeakMap: its entries live until a full GC, and a
    // single-thread run, which never gives its chunks back, then held ~60 MB of them).
    Object.defineProperty(chunk, LENT_FROM, { value: this, configurable: true });
    if (chunk !== buffer) Object.defineProperty(chunk, BUFFER, { value: buffer, configurable: true });
    return chunk;
  }

  /** A chunk nothing holds a view into any more; a chunk this pool did not lend is left alone. */
  release(chunk: Buffer): void {
    const tagged = chunk as Buffer & { [LENT_FROM]?: ChunkPool; [BUFFER]?: Buffer };
    if (tagged[LENT_FROM] !== this) return;
    const buffer = tagged[BUFFER] ?? chunk;
    delete tagged[LENT_FROM];
    delete tagged[BUFFER];
    if (this.free.length < this.keep) this.free.push(buffer);
  }

  /** `buffer` was not handed on (end of file, an error): it may be used again at once. */
  giveBack(buffer: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}

let pool: ChunkPool | undefined;

function chunkPool(size: number): ChunkPool {
  if (pool === undefined || pool.size !== size) pool = new ChunkPool(size);
  return pool;
}

/** A file's bytes as a stream of chunks of at most `size` bytes, read into the pool's buffers; closes the file at its end. */
export function fileChunks(handle: FileHandle, size: number): Readable {
  const from = chunkPool(size);
  return new Readable({
    highWaterMark: size,
    read(): void {
      const buffer = from.take();
      handle.read(buffer, 0, buffer.length, null).then(
        ({ bytesRead }) => {
          if (bytesRead === 0) {
            from.giveBack(buffer);
            this.push(null);
          } else {
            this.push(from.lend(buffer, bytesRead));
          }
        },
        (err: unknown) => {
          from.giveBack(buffer);
          this.destroy(err as Error);
        },
      );
    },
    destroy(err, callback): void {
      handle.close().then(
        () => callback(err),
        (closeErr: unknown) => callback(err ?? (closeErr as Error)),
      );
    },
  });
}

/** A chunk of `fileChunks` its reader copied and holds no view into: its buffer is read into again. */
export function releaseChunk(chunk: Buffer): void {
  pool?.release(chunk);
}
