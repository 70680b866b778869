import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HEAP_FLAGS, heapFlags } from '../../src/io/memory-limits.js';
import { YOUNG_MB, workerLimits } from '../../src/io/worker-limits.js';

describe('the line tools’ V8 heap flags', () => {
  it('are the young generation kept at its first size and the old one grown by 30% of what is live', () => {
    expect(HEAP_FLAGS).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=30']);
    expect(heapFlags([], undefined)).toEqual(HEAP_FLAGS);
    expect(heapFlags(['--enable-source-maps'], '--trace-warnings')).toEqual(HEAP_FLAGS);
  });

  it.each([
    [['--max-semi-space-size=64'], undefined],
    [['--max_old_space_size=4096'], undefined],
    [[], '--max-old-space-size=200'],
    [[], '--trace-warnings --heap-growing-percent=50'],
    [['--optimize-for-size'], undefined],
    [['--semi-space-growth-factor=4'], undefined],
    [[], '--max-heap-size=300'],
  ])('are not set when node is given its own heap sizes (%j, NODE_OPTIONS %j): the user’s choice stands', (execArgv, nodeOptions) => {
    expect(heapFlags(execArgv, nodeOptions)).toEqual([]);
  });
});

describe('a worker’s heap limits', () => {
  it('give it a young generation of 3 semi-spaces of 1 MB and an old one sized for the costliest line', () => {
    expect(YOUNG_MB).toBe(3);
    const small = workerLimits(1024 * 1024);
    const large = workerLimits(64 * 1024 * 1024);
    expect(small.maxYoungGenerationSizeMb).toBe(3);
    expect(large.maxOldGenerationSizeMb).toBeGreaterThan(small.maxOldGenerationSizeMb + 6 * 63);
  });
});

describe('watchWorker', () => {
  it('returns the worker it watches, and stops watching at its first answer or its end', async () => {
    const { watchWorker, keepHeapLimits } = await import('../../src/io/memory-limits.js');
    const worker = new EventEmitter();
    expect(watchWorker(worker)).toBe(worker);
    // The flags were not set in this process (no bin ran limitHeap): nothing to watch, no listener.
    expect(worker.listenerCount('message')).toBe(0);
    expect(() => keepHeapLimits()).not.toThrow();
  });
});
