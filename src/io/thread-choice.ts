/**
 * The default `--jobs` (no `-j` given) decides from measurement, at run time,
 * whether worker threads pay on this machine now: the main thread judges the
 * input's first INLINE_BYTES itself (small inputs never start a thread, and
 * its JIT is warm after them); then the workers take over and the throughput
 * of their answers is timed (after their own warm-up); then the main thread
 * alone is timed on the next bytes, the workers idle. The workers stay only if
 * they were clearly faster; else the rest of the run is judged in the main
 * thread, as with `--jobs 1`. A busy core, a slow disk or a per-line step so
 * cheap that handing bytes over costs more: whatever the cause, the run is
 * never slower than `--jobs 1` by more than the probe.
 */

/** CPU time of the machine's cores at one moment (os.cpus(): milliseconds idle, and in all). */
export interface CpuSample {
  at: number;
  idle: number;
}

/**
 * Cores left idle between two samples (idle time over wall time, summed over the cores):
 * while the main thread judges alone, about `cores - 1` on an idle machine, near 0 when
 * other processes keep the other cores busy.
 */
export function spareCores(before: CpuSample, after: CpuSample): number {
  const wall = after.at - before.at;
  return wall > 0 ? Math.max(0, after.idle - before.idle) / wall : 0;
}

/**
 * Workers are started (and timed) only when at least this much of a core was idle while the
 * main thread judged alone. Measured on 2 cores: about 0.5 idle (V8's own compiler and GC
 * threads take the rest while the main thread warms up), 0.02 with a CPU-bound process on
 * the other core.
 */
export const MIN_SPARE_CORES = 0.25;

export interface Throughput {
  bytes: number;
  seconds: number;
}

/** Workers are kept when they give at least this much more throughput than the main thread alone. */
export const KEEP_RATIO = 1.15;

/** Bytes handed to the workers before timing starts (their warm-up), and bytes timed, with the workers and then with the main thread alone. */
export const WARM_BYTES = 2 * 1024 * 1024;
export const TIMED_BYTES = 6 * 1024 * 1024;

/** The decision, a pure function of the two measurements: keep the workers? */
export function keepWorkers(inline: Throughput, workers: Throughput): boolean {
  if (!(inline.bytes > 0 && workers.bytes > 0 && workers.seconds > 0)) return false;
  // The main thread took no measurable time: it cannot be beaten.
  if (!(inline.seconds > 0)) return false;
  return workers.bytes / workers.seconds >= KEEP_RATIO * (inline.bytes / inline.seconds);
}
