/**
 * A `--jobs` worker of csm-filter: compiles the same filter and field printer
 * as the main thread (filter-job.ts) and judges lines with the same step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FilterJobSettings, prepareFilter } from './filter-job.js';
import { serveBatches } from './parallel.js';

const job = prepareFilter(workerData as FilterJobSettings);
serveBatches(parentPort!, (line) => job.judge(line));
