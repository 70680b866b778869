/**
 * A `--jobs` worker of csm-validate: judges lines with the same per-line step
 * as the main thread (core/validate-line.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validateLine } from '../core/validate-line.js';
import { type WorkerSettings, serveBatches } from './parallel.js';
import { loadSchema, validatorFor } from './schemas.js';

export interface ValidateWorkerSettings extends WorkerSettings {
  schemaPath?: string;
}

const settings = workerData as ValidateWorkerSettings;
const validator = validatorFor(loadSchema(settings.schemaPath));
serveBatches(parentPort!, (line) => validateLine(line, validator, settings.maxLineBytes));
