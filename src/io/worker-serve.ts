/**
 * The worker side of `--jobs`: answers each job, a batch of events (io/batches.ts)
 * or a segment of NDJSON to frame first (io/segments.ts), with one verdict per
 * line, in order. A batch is a copy; a segment is shared memory the main thread
 * keeps (and reads again if this worker fails): the worker only reads it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Line } from '../core/lines.js';
import { type BatchMessage, lineOf } from './batches.js';
import { type Segment, type SegmentLines, judgeSegment } from './segments.js';

export interface JobMessage {
  seq: number;
  batch?: BatchMessage;
  segment?: Segment;
}

export interface AnswerMessage<V> {
  seq: number;
  verdicts: V[];
  /** For a segment: where its lines are. */
  lines?: SegmentLines;
}

/** What every worker gets at start: the longest line (for its heap limit and framing) and its tool's settings. */
export interface WorkerSettings {
  maxLineBytes: number;
}

/**
 * Verdicts that are the same plain data (a valid line's `{ status, kind, schema }`) go back
 * as one object: structured clone sends an object met again as a reference, so the valid
 * lines of a segment cost the main thread a few objects to rebuild, not one each (nothing
 * downstream changes a verdict). Only verdicts whose values are all strings, booleans or
 * null are shared, keyed by their JSON text, so no two differing verdicts share one.
 */
export function shareAlike<V>(verdicts: V[]): V[] {
  const seen = new Map<string, V>();
  for (let i = 0; i < verdicts.length; i++) {
    const v = verdicts[i];
    if (!isFlat(v)) continue;
    const key = JSON.stringify(v);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, v);
    else verdicts[i] = first;
  }
  return verdicts;
}

function isFlat(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const x of Object.values(v)) if (!(x === null || typeof x === 'string' || typeof x === 'boolean')) return false;
  return true;
}

export function serveJobs<V>(port: MessagePort, maxLineBytes: number, judge: (line: Line) => V): void {
  port.on('message', (job: JobMessage) => {
    if (job.segment !== undefined) {
      const { lines, verdicts } = judgeSegment(job.segment, maxLineBytes, judge);
      const reply: AnswerMessage<V> = { seq: job.seq, verdicts: shareAlike(verdicts), lines };
      const arrays = [lines.lineNos, lines.offsets, lines.starts, lines.ends, lines.tooLong, lines.blankLines, lines.blankBytes];
      port.postMessage(reply, arrays.map((a) => a.buffer as ArrayBuffer));
      return;
    }
    const batch = job.batch!;
    const bytes = Buffer.from(batch.buffer);
    const verdicts: V[] = [];
    for (let i = 0; i < batch.count; i++) verdicts.push(judge(lineOf(batch, bytes, i, 0)));
    const reply: AnswerMessage<V> = { seq: job.seq, verdicts: shareAlike(verdicts) };
    port.postMessage(reply);
  });
}
