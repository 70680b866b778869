/**
 * What a `--jobs` worker may use: its heap, sized for the costliest line it may
 * have to judge (io/parallel.ts starts the workers with it).
 */
import { maxLineValues } from '../core/line-cost.js';

/** V8's heap flags, which starting a worker resets (io/memory-limits.ts). */
export { watchWorker } from './memory-limits.js';

/**
 * A worker's young generation, in MB: V8 makes it three semi-spaces, so 1 MB
 * each, the size the main thread keeps too (io/memory-limits.ts); it was 8 (a
 * semi-space of up to 4 MB per worker, resident once used).
 */
export const YOUNG_MB = 3;

/**
 * Heap limits for a worker: a small young generation and an old generation sized
 * for the costliest line it may have to judge: the line's text and its parse (a
 * few times its size) plus, for each JSON value the line may hold
 * (core/line-cost.ts), an ajv error object (about 250 bytes). Without them each
 * worker's heap grows like the main one's and two workers double the tool's memory.
 */
export function workerLimits(maxLineBytes: number): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  const values = Math.min(maxLineValues(maxLineBytes), Math.ceil(maxLineBytes / 2));
  return { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: 64 + Math.ceil((6 * maxLineBytes + 256 * values) / 2 ** 20) };
}

/**
 * The old-generation heap of each worker, in MB: `CSM_WORKER_HEAP_MB` when set
 * (a smaller machine, or a test of a failing worker), else `workerLimits`.
 */
export function heapLimits(maxLineBytes: number, env: NodeJS.ProcessEnv): ReturnType<typeof workerLimits> {
  const limits = workerLimits(maxLineBytes);
  const mb = Number(env.CSM_WORKER_HEAP_MB);
  return Number.isInteger(mb) && mb > 0 ? { ...limits, maxOldGenerationSizeMb: mb } : limits;
}
