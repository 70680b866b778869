/**
 * A `--jobs` worker of csm-filter: compiles the same filter and field printer
 * as the main thread and judges lines with the same step (`filterVerdict`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FilterSettings, filterVerdict, prepareFilter } from '../cli/filter-verdict.js';
import { serveBatches } from './parallel.js';

const settings = workerData as FilterSettings;
const prepared = prepareFilter(settings);
serveBatches(parentPort!, (line) => filterVerdict(line, prepared, settings));
