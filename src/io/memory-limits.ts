/**
 * V8's heap settings for a streaming run of the line tools, set as a bin
 * starts (io/heap-start.ts, imported first by bin/csm-validate.js,
 * csm-filter.js and csm-rules.js), for the main thread and, since V8's flags
 * are the process's, for the `--jobs` workers too.
 *
 * A run keeps little alive (the compiled schema or query, the lines in flight),
 * but V8 left alone sizes its heap for a throughput server: the young
 * generation grows from 1 MB to 16 MB per semi-space (up to 48 MB resident) and
 * the old one may grow to 4x what survived the last full GC before collecting
 * again. On the 1 GB streams that made a `--jobs 1` run peak at 110-140 MB of
 * which the heap was 55-85 MB, with 15-20 MB live. Two flags, both read by V8
 * at each GC (so they work when set at run time, unlike
 * `--max-semi-space-size`): the young generation keeps its first size, and the
 * old one grows by 30% of what is live. Measured (README "Memory"): peak RSS
 * 80-87 MB with `--jobs 1` on both streams, with no CPU cost.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--heap-growing-percent=30'];

/** V8 flags of the user's own that size the heap: with any of them, the user's choice stands and none of ours is set. */
const USER_HEAP_FLAG = /--(max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor|--heap[-_]growing[-_]percent|--max[-_]old[-_]space[-_]size|--max[-_]heap[-_]size|--optimize[-_]for[-_]size/;

/** The flags to set: ours, unless `node`'s options (its command line, NODE_OPTIONS) already size the heap. */
export function heapFlags(execArgv: readonly string[], nodeOptions: string | undefined): readonly string[] {
  const given = [...execArgv, nodeOptions ?? ''].some((arg) => USER_HEAP_FLAG.test(arg));
  return given ? [] : HEAP_FLAGS;
}

/** The flags `limitHeap` set (none until a bin calls it: the library leaves its host's heap alone). */
let applied: readonly string[] = [];

/** Sets the flags (`heapFlags`) for this process; returns those set. */
export function limitHeap(): readonly string[] {
  applied = heapFlags(process.execArgv, process.env.NODE_OPTIONS);
  for (const flag of applied) setFlagsFromString(flag);
  return applied;
}

/** Workers started whose heap V8 may not have created yet (until their first answer, or their end). */
let starting = 0;

/**
 * A worker thread is starting. V8 puts `--semi-space-growth-factor` back to 2
 * when it creates an isolate's heap (Heap::ConfigureHeap: a factor below 2 is
 * raised to 2), and that happens in the worker's thread, at a moment the main
 * thread does not see: from then on the main thread's young generation grew to
 * 8 MB per semi-space again (measured, node 20, `--jobs 2`). So the flags are
 * set again after each input chunk (`keepHeapLimits`) until every worker has
 * answered once (its heap exists by then), and once more then. Returns the worker.
 */
export function watchWorker<W extends { once(event: 'message' | 'exit', listener: () => void): unknown }>(worker: W): W {
  if (applied.length === 0) return worker;
  starting++;
  let started = false;
  const onStarted = (): void => {
    if (started) return;
    started = true;
    starting--;
    setAgain();
  };
  worker.once('message', onStarted);
  worker.once('exit', onStarted);
  return worker;
}

/** After each input chunk: sets the flags again while a worker is starting (`watchWorker`), else nothing. */
export function keepHeapLimits(): void {
  if (starting > 0) setAgain();
}

function setAgain(): void {
  for (const flag of applied) setFlagsFromString(flag);
}
