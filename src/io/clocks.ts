/**
 * The clocks the --jobs layer reads: the machine's idle CPU time (the default's
 * spare-core check), the main thread's own CPU time (CSM_THREADS_DEBUG), and seconds.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { CpuSample } from './thread-choice.js';

/** The machine's idle time so far, summed over its cores, in milliseconds. */
export function cpuSample(): CpuSample {
  let idle = 0;
  for (const c of cpus()) idle += c.times.idle;
  return { at: performance.now(), idle };
}

/** The main thread's own CPU time (user+sys), where the system tells it (Linux). */
export function mainThreadCpu(): string {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return `${((Number(fields[11]) + Number(fields[12])) / 100).toFixed(2)} s`;
  } catch {
    return 'unknown';
  }
}

export function now(): number {
  return performance.now() / 1000;
}
