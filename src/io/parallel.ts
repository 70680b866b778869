/**
 * `--jobs N`: lines are packed into batches (copied into one buffer each), sent
 * to N worker threads, and their verdicts handed back strictly in input order.
 * At most `2 * N` batches are in flight: the reader waits for the oldest one, so
 * memory stays bounded whatever the input size.
 */
import { type MessagePort, Worker } from 'node:worker_threads';
import type { Line } from '../core/lines.js';

/** What every worker gets at start: the longest line (for its heap limit) and its tool's settings. */
export interface WorkerSettings {
  maxLineBytes: number;
}

export interface BatchMessage {
  seq: number;
  count: number;
  buffer: ArrayBuffer;
  starts: Int32Array;
  ends: Int32Array;
  /** Length of an over-long line, -1 for a normal one. */
  tooLong: Float64Array;
  /** For an event cut out of a record (core/shapes): the record's range in `buffer` (-1: none), with the event inside it. */
  recStarts: Int32Array;
  recEnds: Int32Array;
  /** The record's kind: 0 none, 1 archive, 2 api. */
  envelopes: Uint8Array;
  /** The shape problem of each line that has one (sparse; most batches have none). */
  problems: (string | undefined)[] | undefined;
}

const ENVELOPES = [undefined, 'archive', 'api'] as const;

/** Line `i` of a batch whose bytes are `bytes` (its line number, column and item are the caller's). */
function lineOf(b: BatchMessage, bytes: Buffer, i: number, line: number): Line {
  const tooLong = b.tooLong[i]!;
  const problem = b.problems?.[i];
  const base: Line =
    tooLong >= 0
      ? { line, offset: 0, bytes: bytes.subarray(0, 0), tooLong: true, length: tooLong }
      : { line, offset: 0, bytes: bytes.subarray(b.starts[i]!, b.ends[i]!) };
  if (problem !== undefined) base.shapeProblem = problem;
  const envelope = ENVELOPES[b.envelopes[i]!];
  if (b.recStarts[i]! >= 0) base.record = bytes.subarray(b.recStarts[i]!, b.recEnds[i]!);
  if (envelope !== undefined) base.envelope = envelope;
  return base;
}

export interface VerdictMessage<V> {
  seq: number;
  verdicts: V[];
  /** The batch's arrays, transferred back so that they are reused, never copied. */
  batch: BatchMessage;
}

/** A batch as the main thread keeps it: the message plus where its lines come from. */
export interface Batch extends BatchMessage {
  file: string;
  lineNos: Float64Array;
  /** Column and item of a line cut out of a document (NaN: none). */
  columns: Float64Array;
  items: Float64Array;
}

const BATCH_BYTES = 512 * 1024;

/** Everything of a batch that moves between threads without a copy. */
export function transferList(b: BatchMessage): ArrayBuffer[] {
  return [
    b.buffer,
    b.starts.buffer as ArrayBuffer,
    b.ends.buffer as ArrayBuffer,
    b.tooLong.buffer as ArrayBuffer,
    b.recStarts.buffer as ArrayBuffer,
    b.recEnds.buffer as ArrayBuffer,
    b.envelopes.buffer as ArrayBuffer,
  ];
}
const BATCH_LINES = 4096;

/** The lines of a batch, in order, as the main thread reads them back. */
export function batchLines(batch: Batch, each: (line: Line, index: number) => void): void {
  const bytes = Buffer.from(batch.buffer);
  for (let i = 0; i < batch.count; i++) {
    const line = lineOf(batch, bytes, i, batch.lineNos[i]!);
    if (!Number.isNaN(batch.columns[i]!)) line.column = batch.columns[i]!;
    if (!Number.isNaN(batch.items[i]!)) line.item = batch.items[i]!;
    each(line, i);
  }
}

/**
 * The worker side: answers each batch with `judge(line)` for its lines, and
 * sends the batch's arrays back with the verdicts.
 */
export function serveBatches<V>(port: MessagePort, judge: (line: Line) => V): void {
  port.on('message', (batch: BatchMessage) => {
    const bytes = Buffer.from(batch.buffer);
    const verdicts: V[] = [];
    for (let i = 0; i < batch.count; i++) verdicts.push(judge(lineOf(batch, bytes, i, 0)));
    const reply: VerdictMessage<V> = { seq: batch.seq, verdicts, batch };
    port.postMessage(reply, transferList(batch));
  });
}

/** Packs the lines of one file into batches. */
export class Batcher {
  private current: Batch | undefined;
  private used = 0;
  private seq = 0;
  /** Delivered batches, whose arrays are reused so memory stays flat (no garbage per batch). */
  private readonly free: Batch[] = [];

  constructor(private readonly ready: (batch: Batch) => void) {}

  add(file: string, line: Line): void {
    const whole = line.record ?? line.bytes;
    const size = line.tooLong === true ? 0 : whole.length;
    let b = this.current;
    if (b !== undefined && (b.file !== file || b.count === BATCH_LINES || this.used + size > b.buffer.byteLength)) {
      this.flush();
      b = undefined;
    }
    if (b === undefined) {
      b = this.fresh(file, size);
      this.current = b;
      this.used = 0;
    }
    const i = b.count++;
    b.lineNos[i] = line.line;
    b.columns[i] = line.column ?? NaN;
    b.items[i] = line.item ?? NaN;
    b.envelopes[i] = line.envelope === 'archive' ? 1 : line.envelope === 'api' ? 2 : 0;
    if (line.shapeProblem !== undefined) (b.problems ??= [])[i] = line.shapeProblem;
    b.starts[i] = this.used;
    b.recStarts[i] = -1;
    if (line.tooLong === true) {
      b.tooLong[i] = line.length ?? 0;
    } else {
      b.tooLong[i] = -1;
      new Uint8Array(b.buffer, this.used, size).set(whole);
      if (line.record !== undefined) {
        // the event is a view into its record: the same bytes, once
        const at = line.bytes.byteOffset - line.record.byteOffset;
        b.recStarts[i] = this.used;
        b.recEnds[i] = this.used + size;
        b.starts[i] = this.used + at;
        b.ends[i] = this.used + at + line.bytes.length;
        this.used += size;
        return;
      }
      this.used += size;
    }
    b.ends[i] = this.used;
  }

  private fresh(file: string, size: number): Batch {
    const reused = this.free.pop();
    if (reused !== undefined && reused.buffer.byteLength >= size) {
      return Object.assign(reused, { seq: this.seq++, file, count: 0, problems: undefined });
    }
    return {
      seq: this.seq++,
      file,
      count: 0,
      buffer: new ArrayBuffer(Math.max(BATCH_BYTES, size)),
      starts: new Int32Array(BATCH_LINES),
      ends: new Int32Array(BATCH_LINES),
      tooLong: new Float64Array(BATCH_LINES),
      recStarts: new Int32Array(BATCH_LINES),
      recEnds: new Int32Array(BATCH_LINES),
      envelopes: new Uint8Array(BATCH_LINES),
      problems: undefined,
      lineNos: new Float64Array(BATCH_LINES),
      columns: new Float64Array(BATCH_LINES),
      items: new Float64Array(BATCH_LINES),
    };
  }

  /** Gives back a batch whose lines have all been taken (outputs copy what they keep). */
  recycle(batch: Batch): void {
    if (batch.buffer.byteLength === BATCH_BYTES && this.free.length < 8) this.free.push(batch);
  }

  /** Sends the batch being filled, if any. */
  flush(): void {
    if (this.current !== undefined && this.current.count > 0) this.ready(this.current);
    this.current = undefined;
  }
}

/**
 * Heap limits for a worker: a small young generation and an old generation sized
 * for the longest line it may have to parse (JSON.parse of a line takes a few
 * times its size). Without them each worker's heap grows like the main one's and
 * two workers double the tool's memory.
 */
export function workerLimits(maxLineBytes: number): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 + Math.ceil((6 * maxLineBytes) / 2 ** 20) };
}

/** N workers running `script`; results are delivered in `seq` order through `deliver`. */
export class WorkerPool<V> {
  private readonly workers: { worker: Worker; inFlight: number }[] = [];
  private readonly waiting = new Map<number, { batch: Batch; verdicts: V[] }>();
  private readonly sent = new Map<number, Batch>();
  private nextSeq = 0;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    jobs: number,
    script: URL,
    settings: WorkerSettings,
    private readonly deliver: (batch: Batch, verdicts: V[]) => void,
  ) {
    const url = script;
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(url, { workerData: settings, resourceLimits: workerLimits(settings.maxLineBytes) });
      const slot = { worker, inFlight: 0 };
      worker.on('message', (msg: VerdictMessage<V>) => {
        slot.inFlight--;
        this.inFlight--;
        const batch = this.sent.get(msg.seq)!;
        this.sent.delete(msg.seq);
        Object.assign(batch, msg.batch);
        this.waiting.set(msg.seq, { batch, verdicts: msg.verdicts });
        this.drainInOrder();
        this.wake?.();
      });
      worker.on('error', (err) => {
        this.failure ??= err;
        this.wake?.();
      });
      this.workers.push(slot);
    }
  }

  /** Hands a batch to the least busy worker. */
  submit(batch: Batch): void {
    const slot = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    slot.inFlight++;
    this.inFlight++;
    this.sent.set(batch.seq, batch);
    const msg: BatchMessage = {
      seq: batch.seq,
      count: batch.count,
      buffer: batch.buffer,
      starts: batch.starts,
      ends: batch.ends,
      tooLong: batch.tooLong,
      recStarts: batch.recStarts,
      recEnds: batch.recEnds,
      envelopes: batch.envelopes,
      problems: batch.problems,
    };
    slot.worker.postMessage(msg, transferList(msg));
  }

  /** Delivers, in order, the results that are ready; an earlier batch may be done inline. */
  private drainInOrder(): void {
    for (;;) {
      const next = this.waiting.get(this.nextSeq);
      if (next === undefined) return;
      this.waiting.delete(this.nextSeq);
      this.nextSeq++;
      this.deliver(next.batch, next.verdicts);
    }
  }

  /** Waits until fewer than `limit` batches are in flight (0: until all are done). */
  async settle(limit: number): Promise<void> {
    const mustWait = (): boolean => (limit === 0 ? this.inFlight > 0 : this.inFlight >= limit);
    while (mustWait()) {
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/**
 * `--jobs` for a line tool: lines are judged in the main thread until
 * `inlineBytes` have passed (small inputs never pay for threads), then in
 * `jobs` workers running `script`; either way `take` receives every verdict
 * in input order.
 */
export class ParallelLines<V> {
  private pool: WorkerPool<V> | undefined;
  private batcher: Batcher | undefined;
  private inline = 0;

  constructor(
    private readonly jobs: number,
    private readonly inlineBytes: number,
    private readonly script: URL,
    private readonly settings: WorkerSettings,
    private readonly judge: (line: Line) => V,
    private readonly take: (file: string, line: Line, verdict: V) => void,
  ) {}

  add(file: string, line: Line): void {
    if (this.batcher === undefined && this.jobs > 1 && this.inline >= this.inlineBytes) this.start();
    if (this.batcher !== undefined) {
      this.batcher.add(file, line);
      return;
    }
    this.inline += line.bytes.length + 1;
    this.take(file, line, this.judge(line));
  }

  private start(): void {
    const pool = new WorkerPool<V>(this.jobs, this.script, this.settings, (batch, verdicts) => {
      batchLines(batch, (l, i) => this.take(batch.file, l, verdicts[i]!));
      // Everything taken from the batch has been copied into the outputs' buffers.
      this.batcher?.recycle(batch);
    });
    this.pool = pool;
    this.batcher = new Batcher((batch) => pool.submit(batch));
  }

  /** After each input chunk: wait while too many batches are in flight. */
  async settle(): Promise<void> {
    await this.pool?.settle(2 * this.jobs);
  }

  /** At the end: send the last batch and wait for every verdict. */
  async finish(): Promise<void> {
    this.batcher?.flush();
    await this.pool?.settle(0);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
