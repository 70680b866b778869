/**
 * `--jobs N`: lines are packed into batches (copied into one buffer each), sent
 * to N worker threads, and their verdicts handed back strictly in input order.
 * At most `2 * N` batches are in flight: the reader waits for the oldest one, so
 * memory stays bounded whatever the input size.
 */
import { type MessagePort, Worker } from 'node:worker_threads';
import { heapLimits } from './worker-limits.js';
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
}

/** A batch as the main thread keeps it: the message plus where its lines come from. */
export interface Batch extends BatchMessage {
  file: string;
  lineNos: Float64Array;
  /** For a run of blank lines (an empty line to the worker): its line count and bytes; 0 otherwise. */
  blankLines: Float64Array;
  blankBytes: Float64Array;
  /** Column and item of a line cut out of a document (NaN: none). */
  columns: Float64Array;
  items: Float64Array;
}

const BATCH_BYTES = 512 * 1024;

const BATCH_LINES = 4096;

/** The lines of a batch, in order, as the main thread reads them back. */
export function batchLines(batch: Batch, each: (line: Line, index: number) => void): void {
  const bytes = Buffer.from(batch.buffer);
  for (let i = 0; i < batch.count; i++) {
    const line = lineOf(batch, bytes, i, batch.lineNos[i]!);
    if (!Number.isNaN(batch.columns[i]!)) line.column = batch.columns[i]!;
    if (!Number.isNaN(batch.items[i]!)) line.item = batch.items[i]!;
    if (batch.blankLines[i]! > 0) line.blank = { lines: batch.blankLines[i]!, bytes: batch.blankBytes[i]! };
    each(line, i);
  }
}

/**
 * The worker side: answers each batch with `judge(line)` for its lines, and
 * posts the verdicts back (the batch was a copy: the main thread keeps its own).
 */
export function serveBatches<V>(port: MessagePort, judge: (line: Line) => V): void {
  port.on('message', (batch: BatchMessage) => {
    const bytes = Buffer.from(batch.buffer);
    const verdicts: V[] = [];
    for (let i = 0; i < batch.count; i++) verdicts.push(judge(lineOf(batch, bytes, i, 0)));
    const reply: VerdictMessage<V> = { seq: batch.seq, verdicts };
    port.postMessage(reply);
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
    b.blankLines[i] = line.blank?.lines ?? 0;
    b.blankBytes[i] = line.blank?.bytes ?? 0;
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
      blankLines: new Float64Array(BATCH_LINES),
      blankBytes: new Float64Array(BATCH_LINES),
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

interface Slot {
  worker: Worker;
  /** The batches sent to it and not answered yet. */
  seqs: Set<number>;
}

/**
 * N workers running `script`; results are delivered in `seq` order through
 * `deliver`. The main thread keeps each batch it sends (the worker gets a
 * copy), so that when a worker fails (out of its heap, or any error) its
 * unanswered batches are judged again here with `judge`, in order, nothing
 * lost: `onFailure` says which lines, and a new worker takes its place (at
 * most `jobs` times; then the lines are judged here).
 */
export class WorkerPool<V> {
  private readonly workers: Slot[] = [];
  private readonly waiting = new Map<number, { batch: Batch; verdicts: V[] }>();
  private readonly sent = new Map<number, Batch>();
  private nextSeq = 0;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private closing = false;
  private respawns: number;

  constructor(
    jobs: number,
    private readonly script: URL,
    private readonly settings: WorkerSettings,
    private readonly deliver: (batch: Batch, verdicts: V[]) => void,
    private readonly judge: (line: Line) => V,
    private readonly onFailure: (message: string) => void,
  ) {
    this.respawns = jobs;
    for (let i = 0; i < jobs; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(this.script, { workerData: this.settings, resourceLimits: heapLimits(this.settings.maxLineBytes, process.env) });
    const slot: Slot = { worker, seqs: new Set() };
    worker.on('message', (msg: VerdictMessage<V>) => {
      slot.seqs.delete(msg.seq);
      this.done(msg.seq, msg.verdicts);
    });
    worker.on('error', (err) => this.fail(slot, err.message));
    worker.on('exit', (code) => this.fail(slot, `exit status ${code}`));
    this.workers.push(slot);
  }

  private done(seq: number, verdicts: V[]): void {
    this.inFlight--;
    const batch = this.sent.get(seq)!;
    this.sent.delete(seq);
    this.waiting.set(seq, { batch, verdicts });
    this.drainInOrder();
    this.wake?.();
  }

  /** A worker stopped: its batches are judged here, and another worker takes its place. */
  private fail(slot: Slot, reason: string): void {
    const at = this.workers.indexOf(slot);
    if (this.closing || at === -1) return;
    this.workers.splice(at, 1);
    void slot.worker.terminate();
    const seqs = [...slot.seqs].sort((a, b) => a - b);
    if (seqs.length > 0) {
      const batches = seqs.map((seq) => this.sent.get(seq)!);
      const first = batches[0]!;
      const last = batches[batches.length - 1]!;
      const from = first.lineNos[0]!;
      const to = last.lineNos[last.count - 1]! + (last.blankLines[last.count - 1]! || 1) - 1;
      const lines = from === to ? `${first.file} line ${from}` : `${first.file} lines ${from}-${to}`;
      this.onFailure(`a --jobs worker stopped (${reason}); its lines (${lines}) are judged in the main thread`);
    }
    for (const seq of seqs) this.done(seq, this.judgeHere(this.sent.get(seq)!));
    if (this.respawns > 0) {
      this.respawns--;
      this.spawn();
    }
  }

  private judgeHere(batch: Batch): V[] {
    const verdicts: V[] = [];
    batchLines(batch, (line) => verdicts.push(this.judge(line)));
    return verdicts;
  }

  /** Hands a batch to the least busy worker (a copy: the main thread keeps it until it is answered). */
  submit(batch: Batch): void {
    this.inFlight++;
    this.sent.set(batch.seq, batch);
    if (this.workers.length === 0) {
      this.done(batch.seq, this.judgeHere(batch));
      return;
    }
    const slot = this.workers.reduce((a, b) => (b.seqs.size < a.seqs.size ? b : a));
    slot.seqs.add(batch.seq);
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
    slot.worker.postMessage(msg);
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
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
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
    private readonly onFailure: (message: string) => void,
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
    const deliver = (batch: Batch, verdicts: V[]): void => {
      batchLines(batch, (l, i) => this.take(batch.file, l, verdicts[i]!));
      // Everything taken from the batch has been copied into the outputs' buffers.
      this.batcher?.recycle(batch);
    };
    const pool = new WorkerPool<V>(this.jobs, this.script, this.settings, deliver, this.judge, this.onFailure);
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
