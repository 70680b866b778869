/**
 * A `--jobs` worker of csm-filter: compiles the same filter and field printer
 * as the main thread (filter-job.ts) and judges lines with the same step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FilterJobSettings, prepareFilter } from './filter-job.js';
import { serveJobs } from './worker-serve.js';

const settings = workerData as FilterJobSettings;
const job = await prepareFilter(settings);
serveJobs(parentPort!, settings.maxLineBytes, (line) => job.judge(line));
