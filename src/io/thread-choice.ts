/**
 * The default `--jobs` (no `-j` given) decides from measurement, at run time,
 * whether worker threads pay on this machine now: the main thread judges the
 * input's first INLINE_BYTES itself and times its throughput (after a warm-up);
 * then the workers take over and their throughput, as the main thread takes
 * their answers, is timed the same way (after their own warm-up). The workers
 * stay only if they are clearly faster; else the rest of the run is judged in
 * the main thread, as with `--jobs 1`. A busy core, a slow disk or a
 * per-line step so cheap that handing bytes over costs more: whatever the
 * cause, the run is never slower than `--jobs 1` by more than the probe.
 */

export interface Throughput {
  bytes: number;
  seconds: number;
}

/** Workers are kept when they give at least this much more throughput than the main thread alone. */
export const KEEP_RATIO = 1.15;

/** Bytes judged before timing starts (warm-up), and bytes timed with the workers (the main thread alone is timed up to INLINE_BYTES). */
export const WARM_BYTES = 2 * 1024 * 1024;
export const TIMED_BYTES = 6 * 1024 * 1024;

/** The decision, a pure function of the two measurements: keep the workers? */
export function keepWorkers(inline: Throughput, workers: Throughput): boolean {
  if (!(inline.bytes > 0 && workers.bytes > 0 && workers.seconds > 0)) return false;
  // The main thread took no measurable time: it cannot be beaten.
  if (!(inline.seconds > 0)) return false;
  return workers.bytes / workers.seconds >= KEEP_RATIO * (inline.bytes / inline.seconds);
}

/** Times the bytes after the first `warm` ones, until `timed` more have passed. */
export class ThroughputWindow {
  private from: { bytes: number; at: number } | undefined;
  private result: Throughput | undefined;

  constructor(
    private readonly warm: number,
    private readonly timed: number,
  ) {}

  /** `bytes` so far (cumulative) at time `at` (seconds); the measurement once complete. */
  mark(bytes: number, at: number): Throughput | undefined {
    if (this.result !== undefined) return this.result;
    if (this.from === undefined) {
      if (bytes >= this.warm) this.from = { bytes, at };
      return undefined;
    }
    if (bytes - this.from.bytes >= this.timed) this.result = { bytes: bytes - this.from.bytes, seconds: at - this.from.at };
    return this.result;
  }

  /** The measurement up to now (`bytes` so far at `at`), complete or not; undefined before the warm-up is over. */
  finish(bytes: number, at: number): Throughput | undefined {
    if (this.result === undefined && this.from !== undefined && bytes > this.from.bytes) this.result = { bytes: bytes - this.from.bytes, seconds: at - this.from.at };
    return this.result;
  }
}
