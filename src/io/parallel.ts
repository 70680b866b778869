/**
 * `--jobs N`: N worker threads judge the input; the main thread takes their
 * verdicts strictly in input order. NDJSON goes to the workers as segments of
 * whole lines in shared memory (io/segments.ts: the workers frame them), other
 * shapes as batches of events (io/batches.ts). At most `2 * N` jobs are in
 * flight: the reader waits for the oldest one, so memory stays bounded
 * whatever the input size. Without `-j`, whether the workers pay is measured
 * at run time (io/thread-choice.ts).
 */
import { Worker } from 'node:worker_threads';
import { heapLimits, watchWorker } from './worker-limits.js';
import type { Line } from '../core/lines.js';
import { type Batch, Batcher, batchLines } from './batches.js';
import { type CutSegment, SEGMENT_BYTES, SegmentBuffers, SegmentCutter, type SegmentLines, frameSegment, judgeSegment, placeLine, segmentLines } from './segments.js';
import { cpuSample, mainThreadCpu, now } from './clocks.js';
import { MIN_SPARE_CORES, TIMED_BYTES, WARM_BYTES, keepWorkers, spareCores, type CpuSample, type Throughput } from './thread-choice.js';
import type { AnswerMessage, JobMessage, WorkerSettings } from './worker-serve.js';

export type { WorkerSettings } from './worker-serve.js';

/** A job as the main thread keeps it until its answer is taken: the bytes stay here, so a failed worker loses nothing. */
export type Job = { kind: 'batch'; batch: Batch } | { kind: 'segment'; seg: CutSegment; file: string; startLine: number | undefined };

export interface Answer<V> {
  verdicts: V[];
  lines?: SegmentLines;
  /** The worker that had the job stopped: it was judged in the main thread. */
  failed?: Failure;
}

/** A worker's stop: why, and the lines of its jobs (said once, when the last of them is taken). */
interface Failure {
  reason: string;
  left: number;
  lines: { file: string; ranges: string[] }[];
}

interface Slot {
  worker: Worker;
  /** The jobs sent to it and not answered yet. */
  seqs: Set<number>;
}

/**
 * N workers running `script`; answers are delivered in submission order
 * through `deliver`. When a worker fails (out of its heap, or any error) its
 * unanswered jobs are judged here with `judgeHere`, in order, nothing lost (the
 * answer says so), and a new worker takes its place (at most `jobs` times;
 * then the jobs are judged here).
 */
class WorkerPool<V> {
  private readonly workers: Slot[] = [];
  private readonly waiting = new Map<number, { job: Job; answer: Answer<V> }>();
  private readonly sent = new Map<number, Job>();
  private seq = 0;
  private nextSeq = 0;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private closing = false;
  private respawns: number;

  constructor(
    jobs: number,
    private readonly script: URL,
    private readonly settings: WorkerSettings,
    private readonly deliver: (job: Job, answer: Answer<V>) => void,
    private readonly judgeHere: (job: Job) => Answer<V>,
  ) {
    this.respawns = jobs;
    for (let i = 0; i < jobs; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(this.script, { workerData: this.settings, resourceLimits: heapLimits(this.settings.maxLineBytes, process.env) });
    const slot: Slot = { worker: watchWorker(worker), seqs: new Set() };
    worker.on('message', (msg: AnswerMessage<V>) => {
      // A late answer of a worker already given up on: its jobs were judged here.
      if (!this.workers.includes(slot)) return;
      slot.seqs.delete(msg.seq);
      this.done(msg.seq, { verdicts: msg.verdicts, ...(msg.lines !== undefined ? { lines: msg.lines } : {}) });
    });
    worker.on('error', (err) => this.fail(slot, err.message));
    worker.on('exit', (code) => this.fail(slot, `exit status ${code}`));
    this.workers.push(slot);
  }

  private done(seq: number, answer: Answer<V>): void {
    const job = this.sent.get(seq);
    if (job === undefined) return;
    this.inFlight--;
    this.sent.delete(seq);
    this.waiting.set(seq, { job, answer });
    this.drainInOrder();
    this.wake?.();
  }

  /** A worker stopped: its jobs are judged here, and another worker takes its place. */
  private fail(slot: Slot, reason: string): void {
    const at = this.workers.indexOf(slot);
    if (this.closing || at === -1) return;
    this.workers.splice(at, 1);
    void slot.worker.terminate();
    const failed: Failure = { reason, left: slot.seqs.size, lines: [] };
    for (const seq of [...slot.seqs].sort((a, b) => a - b)) this.done(seq, { ...this.judgeHere(this.sent.get(seq)!), failed });
    if (this.respawns > 0) {
      this.respawns--;
      this.spawn();
    }
  }

  /** Every worker has a job queued behind the one it is on: the main thread may as well judge the next one. */
  saturated(): boolean {
    return this.workers.every((w) => w.seqs.size >= 2);
  }

  /** Hands a job to the least busy worker (the main thread keeps its bytes until it is answered), or judges it here. */
  submit(job: Job, here = false): void {
    const seq = this.seq++;
    this.inFlight++;
    this.sent.set(seq, job);
    if (here || this.workers.length === 0) {
      this.done(seq, this.judgeHere(job));
      return;
    }
    const slot = this.workers.reduce((a, b) => (b.seqs.size < a.seqs.size ? b : a));
    slot.seqs.add(seq);
    const msg: JobMessage = job.kind === 'batch' ? { seq, batch: job.batch } : { seq, segment: job.seg };
    slot.worker.postMessage(msg);
  }

  /** Delivers, in order, the answers that are ready; an earlier job may be done inline. */
  private drainInOrder(): void {
    for (;;) {
      const next = this.waiting.get(this.nextSeq);
      if (next === undefined) return;
      this.waiting.delete(this.nextSeq);
      this.nextSeq++;
      this.deliver(next.job, next.answer);
    }
  }

  /** Waits until fewer than `limit` jobs are in flight and fewer than `2 * limit` not yet taken (answers held for order: their segments stay in memory), 0: until all are done. */
  async settle(limit: number): Promise<void> {
    const mustWait = (): boolean => (limit === 0 ? this.inFlight > 0 : this.inFlight >= limit || this.inFlight + this.waiting.size >= 2 * limit);
    while (mustWait()) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  /** Stops the workers (nothing may be in flight): what comes next is judged here. */
  async close(): Promise<void> {
    this.closing = true;
    this.respawns = 0;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

export interface ParallelOptions<V> {
  /** Worker threads (0: none, all is judged here). */
  jobs: number;
  /** Measure whether the workers pay (the default `--jobs`), and judge here if they do not. */
  adaptive: boolean;
  /** Input judged in the main thread first (small inputs never pay for threads). */
  inlineBytes: number;
  script: URL;
  settings: WorkerSettings;
  judge: (line: Line) => V;
  take: (file: string, line: Line, verdict: V) => void;
  /** A worker failed: the message to show (its lines were judged here). */
  onFailure: (message: string) => void;
  /** Segment size (tests make it tiny, so that boundaries fall everywhere). */
  segmentBytes?: number;
}

/** Where the next segment of a stream in chunks starts: its line number so far, its offset, and whether its shape was detected. */
export interface ChunkStart {
  line: number;
  offset: number;
  detected: boolean;
}

/** A stream handed over in chunks (NDJSON), framed by the workers. */
export interface ChunkSink {
  push(chunk: Buffer): void;
  end(): void;
}

/**
 * `--jobs` for a line tool: lines are judged in the main thread until
 * `inlineBytes` have passed, then in `jobs` workers; either way `take`
 * receives every verdict in input order.
 */
export class ParallelLines<V> {
  private pool: WorkerPool<V> | undefined;
  private batcher: Batcher | undefined;
  private inline = 0;
  private readonly buffers: SegmentBuffers;
  /** The line number before the next segment's first line (segments come in order). */
  private cursor = 0;
  /**
   * Adaptive: the workers are timed first (after their warm-up), then the main
   * thread alone on the next bytes (warm by then too), then the decision. Each
   * timing starts and ends with nothing in flight, so that answers taken in
   * bursts do not skew it.
   */
  private submitted = 0;
  private timing: { what: 'workers' | 'main'; bytes: number; at: number } | undefined;
  private workerRate: Throughput | undefined;
  private inlineRate: Throughput | undefined;
  private decision: 'workers' | 'inline' | undefined;
  /** The workers were let go: everything is judged here, line by line. */
  private direct = false;

  /** Adaptive: the machine's idle CPU time when the run began, and the cores found idle while the main thread judged alone. */
  private readonly cpuAtStart: CpuSample | undefined;
  private spare: number | undefined;

  constructor(private readonly o: ParallelOptions<V>) {
    this.buffers = new SegmentBuffers(o.segmentBytes ?? SEGMENT_BYTES);
    if (!o.adaptive) this.decision = 'workers';
    else this.cpuAtStart = cpuSample();
  }

  add(file: string, line: Line): void {
    if (this.batcher === undefined && !this.direct && this.o.jobs > 0 && this.inline >= this.o.inlineBytes) this.startIfSpare();
    if (this.batcher !== undefined) {
      this.batcher.add(file, line);
      return;
    }
    this.inline += line.bytes.length + 1;
    this.o.take(file, line, this.o.judge(line));
  }

  /** A stream goes on in chunks (it is NDJSON, and `at` is where it stands), or undefined: line by line. */
  takeChunks(file: string, at: ChunkStart): ChunkSink | undefined {
    if (this.pool === undefined || this.direct) return undefined;
    let startLine: number | undefined = at.line;
    const cutter = new SegmentCutter({ maxLineBytes: this.o.settings.maxLineBytes, detected: at.detected, offset: at.offset, buffers: this.buffers }, (seg) => {
      if (this.direct) {
        // The workers were let go (nothing in flight): framed and judged here, as by one thread.
        this.takeHere(seg, file, startLine);
      } else {
        this.batcher?.flush();
        this.submitted += seg.length;
        // When every worker has work queued, the main thread judges a segment itself rather than wait.
        this.pool!.submit({ kind: 'segment', seg, file, startLine }, this.here());
      }
      startLine = undefined;
    });
    return { push: (chunk) => cutter.push(chunk), end: () => cutter.end() };
  }

  private takeHere(seg: CutSegment, file: string, startLine: number | undefined): void {
    if (startLine !== undefined) this.cursor = startLine;
    const cursor = this.cursor;
    this.cursor += frameSegment(seg, this.o.settings.maxLineBytes, (l) => {
      const line = placeLine(seg, cursor, l);
      this.o.take(file, line, this.o.judge(line));
    });
    this.buffers.give(seg.buffer);
  }

  /** The next job is judged here: every worker has work queued, or the main thread alone is being timed. */
  private here(): boolean {
    return this.pool!.saturated() || (this.decision === undefined && this.timing?.what === 'main');
  }

  /**
   * Adaptive: no core was idle while the main thread judged alone (other processes keep
   * them busy): starting and timing workers would only cost, so the run goes on here.
   */
  private startIfSpare(): void {
    if (this.cpuAtStart !== undefined && this.spare === undefined) {
      this.spare = spareCores(this.cpuAtStart, cpuSample());
      if (this.spare < MIN_SPARE_CORES) {
        this.direct = true;
        this.decision = 'inline';
        return;
      }
    }
    this.start();
  }

  private start(): void {
    const pool = new WorkerPool<V>(this.o.jobs, this.o.script, this.o.settings, (job, answer) => this.deliver(job, answer), (job) => this.judgeHere(job));
    this.pool = pool;
    this.batcher = new Batcher((batch) => {
      this.submitted += batch.ends[batch.count - 1]!;
      pool.submit({ kind: 'batch', batch }, this.here());
    });
  }

  private judgeHere(job: Job): Answer<V> {
    if (job.kind === 'segment') return judgeSegment(job.seg, this.o.settings.maxLineBytes, this.o.judge);
    const verdicts: V[] = [];
    batchLines(job.batch, (line) => verdicts.push(this.o.judge(line)));
    return { verdicts };
  }

  private deliver(job: Job, answer: Answer<V>): void {
    if (job.kind === 'batch') {
      const b = job.batch;
      if (answer.failed !== undefined) {
        const to = b.lineNos[b.count - 1]! + (b.blankLines[b.count - 1]! || 1) - 1;
        this.failed(answer.failed, b.file, b.lineNos[0]!, to);
      }
      batchLines(b, (l, i) => this.o.take(b.file, l, answer.verdicts[i]!));
      // Everything taken from the batch has been copied into the outputs' buffers.
      this.batcher?.recycle(b);
    } else {
      const { seg, file } = job;
      if (job.startLine !== undefined) this.cursor = job.startLine;
      const lines = answer.lines!;
      if (answer.failed !== undefined) this.failed(answer.failed, file, this.cursor + 1, this.cursor + lines.lines);
      segmentLines(seg, { line: this.cursor, offset: seg.offset, headOffset: seg.headOffset }, lines, (l, i) => this.o.take(file, l, answer.verdicts[i]!));
      this.cursor += lines.lines;
      this.buffers.give(seg.buffer);
    }
  }

  private failed(f: Failure, file: string, from: number, to: number): void {
    const last = f.lines[f.lines.length - 1];
    const range = from >= to ? `${from}` : `${from}-${to}`;
    if (last?.file === file) last.ranges.push(range);
    else f.lines.push({ file, ranges: [range] });
    if (--f.left > 0) return;
    const lines = f.lines.map((l) => `${l.file} line${l.ranges.length === 1 && !l.ranges[0]!.includes('-') ? '' : 's'} ${l.ranges.join(', ')}`);
    this.o.onFailure(`a --jobs worker stopped (${f.reason}); its lines (${lines.join('; ')}) are judged in the main thread`);
  }

  /** Adaptive (after each input chunk): times the workers, then the main thread alone, then keeps the workers or not. */
  private async measure(): Promise<void> {
    const t = this.timing;
    if (t === undefined) {
      if (this.submitted < WARM_BYTES) return;
      await this.pool!.settle(0);
      this.timing = { what: 'workers', bytes: this.submitted, at: now() };
      return;
    }
    if (this.submitted - t.bytes < TIMED_BYTES) return;
    await this.pool!.settle(0);
    const measured = { bytes: this.submitted - t.bytes, seconds: now() - t.at };
    if (t.what === 'workers') {
      this.workerRate = measured;
      this.timing = { what: 'main', bytes: this.submitted, at: now() };
      return;
    }
    this.inlineRate = measured;
    this.decision = keepWorkers(measured, this.workerRate!) ? 'workers' : 'inline';
  }

  /** After each input chunk: wait while too many jobs are in flight; let the workers go if they do not pay. */
  async settle(): Promise<void> {
    if (this.pool === undefined) return;
    if (this.decision === undefined) await this.measure();
    if (this.decision === 'inline' && !this.direct) {
      this.batcher?.flush();
      await this.pool.settle(0);
      await this.pool.close();
      this.batcher = undefined;
      this.direct = true;
      return;
    }
    await this.pool.settle(2 * this.o.jobs + 1);
  }

  /** At the end: send the last batch and wait for every verdict. */
  async finish(): Promise<void> {
    this.batcher?.flush();
    await this.pool?.settle(0);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** What the run did with its threads (CSM_THREADS_DEBUG): the measurements, the decision, the main thread's busy time. */
  describe(): string {
    const rate = (t: Throughput | undefined): string => (t === undefined ? '-' : `${(t.bytes / 2 ** 20 / t.seconds).toFixed(1)} MiB/s`);
    const elu = performance.eventLoopUtilization();
    const decision =
      this.pool === undefined
        ? this.direct
          ? `main thread only (${this.spare!.toFixed(2)} cores idle while it judged alone: fewer than ${MIN_SPARE_CORES})`
          : 'main thread only'
        : this.direct
          ? 'workers let go (main thread)'
          : `${this.o.jobs} worker${this.o.jobs === 1 ? '' : 's'} and the main thread`;
    const cpu = process.cpuUsage();
    return (
      `threads: ${decision}; main thread alone ${rate(this.inlineRate)}, with workers ${rate(this.workerRate)}; ` +
      `main thread busy ${(elu.active / 1000).toFixed(2)} s of ${((elu.active + elu.idle) / 1000).toFixed(2)} s, CPU ${mainThreadCpu()}; process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`
    );
  }
}
