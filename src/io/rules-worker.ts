/**
 * A `--jobs` worker of csm-rules: compiles the same engines as the main thread
 * (rules-job.ts) from the policy texts and judges lines with the same step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRules, type RulesJobSettings } from './rules-job.js';
import { serveJobs } from './worker-serve.js';

const settings = workerData as RulesJobSettings;
const job = prepareRules(settings);
serveJobs(parentPort!, settings.maxLineBytes, (line) => job.judge(line));
