/**
 * Node's modules that a run may not need, loaded on first use rather than at
 * every start-up (issue 16: start-up at most 2x `node -e 0`; each costs a
 * compilation of Node's own code): zlib for a gzip input, crypto to check a
 * build-time validator's schema hash, worker_threads when a `--jobs` worker starts.
 * Synchronous (a CommonJS require), so that callers stay as they were.
 */
import { createRequire } from 'node:module';

export type { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

export const zlib = (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib');
export const crypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');
export const workerThreads = (): typeof import('node:worker_threads') => require('node:worker_threads') as typeof import('node:worker_threads');
