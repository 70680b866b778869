import { describe, expect, it } from 'vitest';
import { MAX_JOBS, workerCount } from '../../src/cli/line-run.js';
import { KEEP_RATIO, MIN_SPARE_CORES, keepWorkers, spareCores } from '../../src/io/thread-choice.js';

const MiB = 2 ** 20;

describe('the default --jobs: keep the workers only when they measured faster', () => {
  it('keeps them at KEEP_RATIO times the main thread alone, or more', () => {
    expect(keepWorkers({ bytes: 6 * MiB, seconds: 0.1 }, { bytes: 6 * MiB * (KEEP_RATIO + 0.001), seconds: 0.1 })).toBe(true);
    expect(keepWorkers({ bytes: 6 * MiB, seconds: 0.1 }, { bytes: 12 * MiB, seconds: 0.1 })).toBe(true);
  });

  it('lets them go when they are merely as fast, a little faster, or slower (another process holds a core)', () => {
    expect(keepWorkers({ bytes: 6 * MiB, seconds: 0.1 }, { bytes: 6 * MiB, seconds: 0.1 })).toBe(false);
    expect(keepWorkers({ bytes: 6 * MiB, seconds: 0.1 }, { bytes: 6 * MiB, seconds: 0.1 / (KEEP_RATIO - 0.01) })).toBe(false);
    expect(keepWorkers({ bytes: 6 * MiB, seconds: 0.1 }, { bytes: 6 * MiB, seconds: 0.3 })).toBe(false);
  });

  it('lets them go when a measurement is missing or took no time in the main thread', () => {
    expect(keepWorkers({ bytes: 0, seconds: 0 }, { bytes: 6 * MiB, seconds: 0.01 })).toBe(false);
    expect(keepWorkers({ bytes: 6 * MiB, seconds: 0 }, { bytes: 6 * MiB, seconds: 0.01 })).toBe(false);
    expect(keepWorkers({ bytes: 6 * MiB, seconds: 0.1 }, { bytes: 6 * MiB, seconds: 0 })).toBe(false);
  });
});

describe('how many worker threads', () => {
  it('-j N gives N threads that judge: the main thread and N - 1 workers (-j 1: none), whatever the cores', () => {
    expect(workerCount({ jobs: 3, inlineBytes: 0 }, 8)).toBe(2);
    expect(workerCount({ jobs: 2, inlineBytes: 0 }, 2)).toBe(1);
    expect(workerCount({ jobs: 2, inlineBytes: 0 }, 1)).toBe(1);
    expect(workerCount({ jobs: 1, inlineBytes: 0 }, 8)).toBe(0);
    expect(workerCount({ jobs: MAX_JOBS, inlineBytes: 0 }, 2)).toBe(MAX_JOBS - 1);
  });

  it('by default, one per core but one (the main thread judges a share), none on one core, at most MAX_JOBS threads in all', () => {
    expect(workerCount({ jobs: 2, inlineBytes: 8 }, 2)).toBe(1);
    expect(workerCount({ jobs: 1, inlineBytes: 8 }, 1)).toBe(0);
    expect(workerCount({ jobs: 16, inlineBytes: 8 }, 64)).toBe(MAX_JOBS - 1);
  });
});

describe('the default --jobs: workers are not even started when no core was idle', () => {
  it('counts the cores left idle between two samples (idle ms summed over the cores, over the wall ms)', () => {
    expect(spareCores({ at: 1000, idle: 5000 }, { at: 1200, idle: 5100 })).toBeCloseTo(0.5);
    expect(spareCores({ at: 1000, idle: 5000 }, { at: 1200, idle: 5004 })).toBeCloseTo(0.02);
    expect(spareCores({ at: 1000, idle: 5000 }, { at: 1200, idle: 5600 })).toBeCloseTo(3);
  });

  it('says none for no wall time or a counter that went back, never a negative or infinite figure', () => {
    expect(spareCores({ at: 1000, idle: 5000 }, { at: 1000, idle: 5100 })).toBe(0);
    expect(spareCores({ at: 1000, idle: 5000 }, { at: 1100, idle: 4000 })).toBe(0);
  });

  it('starts workers on an idle 2-core machine (about half a core idle beside the main thread) but not with the other core busy', () => {
    expect(0.48).toBeGreaterThanOrEqual(MIN_SPARE_CORES);
    expect(0.02).toBeLessThan(MIN_SPARE_CORES);
  });
});
