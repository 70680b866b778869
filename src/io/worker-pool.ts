/**
 * The worker threads of `--jobs` (io/parallel.ts drives them): jobs go to the
 * least busy worker, answers come back in submission order, and a worker that
 * stops loses nothing (its jobs are judged in the main thread, in order, and
 * another worker takes its place).
 */
import { type Worker, workerThreads } from './lazy-builtins.js';
import { heapLimits, watchWorker } from './worker-limits.js';
import type { Batch } from './batches.js';
import type { CutSegment, SegmentLines } from './segments.js';
import type { AnswerMessage, JobMessage, WorkerSettings } from './worker-serve.js';

/** A job as the main thread keeps it until its answer is taken: the bytes stay here, so a failed worker loses nothing. */
export type Job = { kind: 'batch'; batch: Batch } | { kind: 'segment'; seg: CutSegment; file: string; startLine: number | undefined };

export interface Answer<V> {
  verdicts: V[];
  lines?: SegmentLines;
  /** The worker that had the job stopped: it was judged in the main thread. */
  failed?: Failure;
}

/** A worker's stop: why, and the lines of its jobs (said once, when the last of them is taken). */
export interface Failure {
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
export class WorkerPool<V> {
  private readonly workers: Slot[] = [];
  private readonly waiting = new Map<number, { job: Job; answer: Answer<V> }>();
  private readonly sent = new Map<number, Job>();
  private seq = 0;
  private nextSeq = 0;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private closing = false;
  private respawns: number;
  /** Jobs judged in the main thread and by the workers (CSM_THREADS_DEBUG). */
  readonly shares = { here: 0, workers: 0 };

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
    const worker = new (workerThreads().Worker)(this.script, { workerData: this.settings, resourceLimits: heapLimits(this.settings.maxLineBytes, process.env) });
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
      this.shares.here++;
      this.done(seq, this.judgeHere(job));
      return;
    }
    this.shares.workers++;
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
