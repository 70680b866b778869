/**
 * A `--jobs` worker of csm-validate: judges lines with the same per-line step
 * as the main thread (core/validate-line.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validateLine } from '../core/validate-line.js';
import { type WorkerSettings, serveJobs } from './worker-serve.js';
import type { Tolerance } from '../core/judge.js';
import { judgeFor } from './catalog.js';

export interface ValidateWorkerSettings extends WorkerSettings {
  /** `--schema` as given (a bundled name, auto, or a file). */
  schemaPath?: string;
  tolerance: Tolerance;
  /** `--ref` arguments. */
  refs?: string[];
}

const settings = workerData as ValidateWorkerSettings;
const judge = judgeFor(settings.schemaPath, settings.tolerance, undefined, settings.refs);
serveJobs(parentPort!, settings.maxLineBytes, (line) => validateLine(line, judge, settings.maxLineBytes));
