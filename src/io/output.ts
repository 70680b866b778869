/**
 * Batched output with backpressure. Lines are gathered into chunks of up to
 * `batchBytes` and handed to the stream (or file descriptor) in one write; the
 * caller awaits `ready()` between input chunks, so a slow consumer makes the tool
 * wait instead of buffering its input.
 */
import { closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { errorCode } from '../core/diagnostic.js';

const DEFAULT_BATCH = 64 * 1024;

export interface Output {
  /** Display name: `<stdout>`, `<stderr>` or the file path. */
  readonly name: string;
  write(data: Buffer | string): void;
  /** Hands buffered bytes to the OS/stream. */
  flush(): void;
  /** Resolves when the consumer can take more (after `flush`). */
  ready(): Promise<void>;
  /** Flushes and releases the output. */
  close(): Promise<void>;
  /** The first write error, if any (EPIPE included). */
  readonly error: NodeJS.ErrnoException | undefined;
}

abstract class BatchedOutput implements Output {
  error: NodeJS.ErrnoException | undefined;
  /**
   * Bytes are copied into a buffer this output owns (like sonic-boom), so the
   * caller may reuse its own buffers at once; a full buffer is handed to the
   * stream and a fresh one started (the stream may hold the old one a while).
   */
  private buf: Buffer;
  private used = 0;
  constructor(
    readonly name: string,
    protected readonly batchBytes: number,
    private readonly onError: (output: Output, err: NodeJS.ErrnoException) => void,
  ) {
    this.buf = Buffer.allocUnsafe(batchBytes);
  }

  write(data: Buffer | string): void {
    if (this.error !== undefined) return;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > this.buf.length - this.used) {
      this.flush();
      if (size > this.buf.length) {
        this.emit(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data));
        return;
      }
    }
    if (typeof data === 'string') this.buf.write(data, this.used);
    else data.copy(this.buf, this.used);
    this.used += size;
  }

  flush(): void {
    if (this.used === 0 || this.error !== undefined) return;
    const chunk = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(this.batchBytes);
    this.used = 0;
    this.emit(chunk);
  }

  protected fail(err: NodeJS.ErrnoException): void {
    if (this.error !== undefined) return;
    this.error = err;
    this.used = 0;
    this.onError(this, err);
  }

  protected abstract emit(chunk: Buffer): void;
  abstract ready(): Promise<void>;
  abstract close(): Promise<void>;
}

/** Output to a Node stream (stdout, stderr): honours `write()`'s return value. */
export class StreamOutput extends BatchedOutput {
  /** Writes handed to the stream whose callback has not run yet. */
  private pending = 0;
  private readonly flushed: (() => void)[] = [];
  /** Waiting for the reader was given up (stopWaiting): writes are still handed to the stream, never waited for. */
  private abandoned = false;
  private readonly waiting = new Set<() => void>();
  constructor(
    name: string,
    private readonly stream: Writable,
    onError: (output: Output, err: NodeJS.ErrnoException) => void,
    batchBytes = DEFAULT_BATCH,
  ) {
    super(name, batchBytes, onError);
    stream.on('error', (err: NodeJS.ErrnoException) => this.fail(err));
  }

  /**
   * Hands what is buffered to the stream and never waits for its reader again:
   * every wait (`ready`, `close`) ends now. For diagnostics after SIGINT or
   * SIGTERM, which nobody may ever read (a stderr pipe nobody reads must not
   * keep the process from exiting).
   */
  stopWaiting(): void {
    this.flush();
    this.abandoned = true;
    for (const resolve of [...this.waiting, ...this.flushed.splice(0)]) resolve();
    this.waiting.clear();
  }

  protected emit(chunk: Buffer): void {
    this.pending++;
    try {
      this.stream.write(chunk, () => this.written());
    } catch (err) {
      this.written();
      this.fail(err as NodeJS.ErrnoException);
    }
  }

  /** A write's callback: it left the process (or failed; 'error' reports that). */
  private written(): void {
    this.pending--;
    if (this.pending === 0) for (const resolve of this.flushed.splice(0)) resolve();
  }

  /**
   * Resolves when the stream takes more. `writableNeedDrain` is read now, not
   * remembered from write(): a 'drain' that came while the caller was busy
   * elsewhere must not be waited for again.
   */
  ready(): Promise<void> {
    this.flush();
    if (!this.stream.writableNeedDrain || this.error !== undefined || this.abandoned) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        this.waiting.delete(done);
        resolve();
      };
      this.waiting.add(done);
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }

  /**
   * Flushes and waits until every write has left the process. (Waiting for
   * 'drain' would hang: it only comes after a write that returned false, and a
   * socket's writes are asynchronous even when they return true.)
   */
  async close(): Promise<void> {
    this.flush();
    if (this.error !== undefined || this.pending === 0 || this.abandoned) return;
    await new Promise<void>((resolve) => {
      this.flushed.push(resolve);
      this.stream.once('error', () => resolve());
    });
  }
}

/** Output to a file we open ourselves: synchronous batched writes, so no unbounded queue. */
export class FileOutput extends BatchedOutput {
  private fd: number | undefined;
  constructor(
    name: string,
    fd: number,
    onError: (output: Output, err: NodeJS.ErrnoException) => void,
    batchBytes = DEFAULT_BATCH,
  ) {
    super(name, batchBytes, onError);
    this.fd = fd;
  }

  /**
   * Opens `path` for writing **without truncating it**: the run opens every
   * output, checks them, and only then truncates them all (`truncate`), so an
   * output that cannot be opened, or that is an input, costs no other file its
   * content. A new file is created with mode 0600 (before the umask): it holds
   * security events or reports about them; an existing file keeps its mode.
   * `created` says whether this call created it (to remove it if the run
   * refuses to start). Throws the system error.
   */
  static openKeeping(
    path: string,
    onError: (output: Output, err: NodeJS.ErrnoException) => void,
  ): { output: FileOutput; created: boolean } {
    const { O_WRONLY, O_CREAT, O_EXCL } = constants;
    let fd: number;
    let created = true;
    try {
      fd = openSync(path, O_WRONLY | O_CREAT | O_EXCL, 0o600);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      try {
        fd = openSync(path, O_WRONLY);
        created = false;
      } catch (again) {
        // A dangling symlink exists but its target does not: create the target.
        if (errorCode(again) !== 'ENOENT') throw again;
        fd = openSync(path, O_WRONLY | O_CREAT, 0o600);
      }
    }
    return { output: new FileOutput(path, fd, onError), created };
  }

  /** The open descriptor (undefined once closed). */
  get descriptor(): number | undefined {
    return this.fd;
  }

  /** Empties a regular file opened by openKeeping (a device or a pipe has nothing to truncate). */
  truncate(): void {
    if (this.fd !== undefined && fstatSync(this.fd).isFile()) ftruncateSync(this.fd, 0);
  }

  protected emit(chunk: Buffer): void {
    let off = 0;
    let wait: Int32Array | undefined;
    while (off < chunk.length && this.fd !== undefined) {
      try {
        off += writeSync(this.fd, chunk, off, chunk.length - off);
      } catch (err) {
        // A non-blocking pipe given by name (e.g. /dev/stdout): wait a little and retry.
        if (errorCode(err) !== 'EAGAIN') {
          this.fail(err as NodeJS.ErrnoException);
          return;
        }
        wait ??= new Int32Array(new SharedArrayBuffer(4));
        Atomics.wait(wait, 0, 0, 5);
      }
    }
  }

  ready(): Promise<void> {
    this.flush();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.flush();
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException);
    }
  }
}
