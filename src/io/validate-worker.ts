/**
 * A `--jobs` worker of csm-validate: judges lines with the same per-line step
 * as the main thread (core/validate-line.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validateLine } from '../core/validate-line.js';
import { type WorkerSettings, serveBatches } from './parallel.js';
import { validatorFor } from './schemas.js';
import { loadSchemaWithRefs } from './schema-refs.js';

export interface ValidateWorkerSettings extends WorkerSettings {
  schemaPath?: string;
  /** `--ref` arguments. */
  refs?: string[];
}

const settings = workerData as ValidateWorkerSettings;
const validator = validatorFor(loadSchemaWithRefs(settings.schemaPath, settings.refs));
serveBatches(parentPort!, (line) => validateLine(line, validator, settings.maxLineBytes));
