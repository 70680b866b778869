/**
 * A `--jobs` worker of csm-rules: compiles the same engines as the main thread
 * (rules-job.ts) from the policy texts and judges lines with the same step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRules, type RulesJobSettings } from './rules-job.js';
import { serveBatches } from './parallel.js';

const job = prepareRules(workerData as RulesJobSettings);
serveBatches(parentPort!, (line) => job.judge(line));
